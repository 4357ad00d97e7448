"""Error views that answer a JSON request with the one error shape instead of Django's HTML page; other
requests get Django's page.

- :func:`csrf_failure` (403): ``CSRF_FAILURE_VIEW = "xblocks.core.errorviews.csrf_failure"``;
- :func:`bad_request` (400, e.g. a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which Django refuses before
  any view runs): ``handler400 = "xblocks.core.errorviews.bad_request"`` in the root URLconf.

The sandbox and the tool's site use both. An Open edX site keeps the platform's own views; the page's
JavaScript then shows its generic message for such a failure.
"""
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.defaults import bad_request as django_bad_request


def wants_json(request):
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    return (content_type == "application/json" or "application/json" in request.META.get("HTTP_ACCEPT", "")
            or request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest")


def csrf_failure(request, reason=""):
    if wants_json(request):
        return JsonResponse({"error": {"code": "csrf", "message": _(
            "The page's security check failed (it may have been open a long time). Copy your text, reload the "
            "page and try again.")}}, status=403)
    return django_csrf_failure(request, reason)


def bad_request(request, exception=None):
    if wants_json(request):
        return JsonResponse({"error": {"code": "bad_request", "message": _(
            "This request could not be read (it may be too large). Shorten your text and try again.")}},
            status=400)
    return django_bad_request(request, exception)
