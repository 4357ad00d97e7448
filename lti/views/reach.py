"""Opening another activity of the same course from a page of the tool: a link in one activity (a forum thread's
link back to a blog entry) that leads to another (decision 20).

Such a link is ``open/<placement id>/#<anchor>``: it names the activity, never a token. The page it appears in
posts its own launch token to it (``launch``); the answer is the other activity's page under a new token, when
the person opened that activity from their course before, in the same course and deployment (that is how the tool
knows the platform lets them in; their roles and group there are those of their latest launch there). The anchor
stays in the address, so the page opens the item it names, and the item's own rules say who may read it.
Otherwise, and for a GET (the link opened in a new tab, or copied), a page says to open the activity from the
course.
"""
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import door, tokens
from ..models import LearnerState
from .common import check_latest, error_page, in_launch_language
from .pages import show_page, storage_of


def _closed(request):
    return error_page(request, _("This activity opens from your course: open it there (for example the reflection "
                                 "blog), then follow the link again."), 403, "open_from_course")


@xframe_options_exempt
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
@in_launch_language
def open_activity(request, placement_id):
    if request.method == "GET":
        return _closed(request)
    try:
        token = tokens.read(request.POST.get("launch"))
        here = check_latest(token)
    except tokens.TokenError as err:
        return error_page(request, err.message, err.status, err.code)
    if placement_id == token.placement_id:
        return show_page(request, here.component, request.POST.get("launch"))
    state = (LearnerState.objects.select_related("placement__social_lti__deployment__registration")
             .filter(placement_id=placement_id, user_id=token.user_id, user__is_active=True).first())
    target = getattr(state.placement, "social_lti", None) if state is not None else None
    if (target is None or target.deployment_id != token.deployment_id
            or state.placement.context_key != here.placement.context_key):
        return _closed(request)
    fresh = door.token_for(token, state, target)
    if fresh is None:
        return _closed(request)
    storage = storage_of(request, target)
    return show_page(request, target.component, fresh.encode(), storage["target"] if storage else None)
