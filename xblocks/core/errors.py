"""Typed errors raised by every component api; both front doors turn them into one JSON shape.

Shape on the wire: ``{"error": {"code": "...", "message": "...", "fields": {...}}}`` with the
status below.
"""


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None, code=None):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
        if code:
            self.code = code

    def as_dict(self):
        data = {"code": self.code, "message": self.message}
        if self.fields:
            data["fields"] = self.fields
        return data


class ValidationError(ApiError):
    status = 400
    code = "invalid"


class PermissionDenied(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"


class PayloadTooLarge(ApiError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"
