"""Error views that answer a JSON request with the one error shape instead of Django's HTML page; other
requests get Django's page.

- :func:`csrf_failure` (403): ``CSRF_FAILURE_VIEW = "xblocks.core.errorviews.csrf_failure"``;
- :func:`bad_request` (400, e.g. a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which Django refuses before
  any view runs): ``handler400 = "xblocks.core.errorviews.bad_request"`` in the root URLconf; other requests
  get a short page saying the same.

The sandbox and the tool's site use both. An Open edX site keeps the platform's own views; the page's
JavaScript then shows its generic message for such a failure.
"""
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure


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
    title = _("This request could not be read")
    return HttpResponseBadRequest(format_html(
        '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>{}</title></head><body><main role="alert" '
        'style="max-width:40rem;margin:2rem auto;padding:0 1rem;font-family:system-ui,sans-serif">'
        '<h1>{}</h1><p>{}</p></main></body></html>',
        translation.get_language() or "en", title, title,
        _("It may be too large. Go back, shorten what you sent and try again.")))
