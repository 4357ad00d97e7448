"""Running a component's action, the same for both front doors.

:func:`run_action` is the one sequence every action follows: refuse a write in a read-only context,
run the component's api function, forget the draft it used up, count the contribution, and report
the participation score and completion. What differs per door (where a learner's drafts and
completion live, how a score and completion reach the platform) is a :class:`DoorState`: the XBlock
implements it with its user-state fields and ``runtime.publish``, the LTI tool with its
``LearnerState`` row and AGS.

:func:`request_data` reads an action's data from a request the same way in both doors (JSON, or an upload
for actions of kind ``upload``); an action of kind ``file`` returns a :class:`~xblocks.core.files.FileAnswer`,
which each door sends as bytes with :meth:`~xblocks.core.files.FileAnswer.headers`.
:func:`error_body` is the one mapping of an error to the JSON both doors answer.
"""
from django.utils.translation import gettext_noop

from . import files, jsonbody
from .component import UPLOAD
from .errors import ApiError, NotFound, ValidationError

_ = gettext_noop
SAVE_DRAFT = "save_draft"


class DoorState:
    """A learner's private state in one placement, as a door keeps it. Subclasses implement the four
    hooks; ``save()`` is called once at the end of an action that changed something."""

    drafts = None
    completed = False

    def set_drafts(self, drafts):
        self.drafts = drafts

    def report_score(self, value, maximum, complete):
        """Send the participation score (``value`` out of ``maximum``) to the platform."""

    def report_completion(self):
        """Record and report that the learner completed the component (called once)."""
        self.completed = True

    def save(self):
        """Persist what changed (drafts, completion)."""


def participation(component, ctx, settings, completed):
    """The learner's progress towards the participation requirement (no write)."""
    required = component.participation.required(settings)
    if completed or required == 0:
        return {"required": required, "count": None, "complete": bool(completed)}
    count = component.participation.count(ctx, settings)
    return {"required": required, "count": count, "complete": count >= required}


def record_contribution(component, ctx, settings, door):
    """After a contribution: report the score when graded, and completion once the goal is met."""
    required = component.participation.required(settings)
    if door.completed:
        return {"required": required, "count": None, "complete": True}
    count = component.participation.count(ctx, settings)
    result = {"required": required, "count": count, "complete": count >= required}
    maximum = component.participation.max_score(settings)
    if maximum is not None:
        door.report_score(min(count, required), required, result["complete"])
    if result["complete"]:
        door.report_completion()
    return result


def complete_on_view(component, ctx, settings, door):
    """A component that requires no contribution completes when the learner sees it (never while the
    context is read-only). Returns whether it is complete."""
    if door.completed:
        return True
    if component.participation.required(settings) == 0 and not ctx.read_only:
        door.report_completion()
        door.save()
        return True
    return False


def requested_group(data, gettext):
    """The group a request asks to act in (staff: a group of the switcher, or "all"), or None."""
    group = data.get("group") if isinstance(data, dict) else None
    if group is not None and not isinstance(group, str):
        raise ValidationError(gettext(_("The group must be given as text.")), fields={"group": gettext(_("Invalid."))})
    return group or None


def request_data(component, name, *, body, content_type, content_length, multipart):
    """The data of a request for action ``name``: an upload (``multipart()`` -> ``(fields, files)`` pairs, called
    only once the request passed the upload checks) for actions of kind ``upload``, else the JSON object of
    ``body()``. ``content_type``: the header's value; ``content_length``: the body's declared length."""
    if component.action_kind(name) == UPLOAD:
        files.check_upload_request(content_type, content_length)
        return files.upload_data(*multipart())
    return jsonbody.parse(body(), content_type)


def run_action(component, name, ctx, data, settings, door, gettext):
    """Run action ``name`` of ``component`` for ``ctx``: JSON-ready data, or an ApiError raised before
    anything is written."""
    if name == SAVE_DRAFT:
        ctx.require_writable()
        drafts, result = component.update_drafts(door.drafts or {}, data, gettext)
        door.set_drafts(drafts)
        door.save()
        return result
    action = component.actions.get(name)
    if action is None:
        raise NotFound(gettext(_("This action does not exist.")))
    if action.writes:
        ctx.require_writable()
    result = action.run(ctx, data, settings)
    changed = False
    if action.forgets_draft is not None:
        key = action.forgets_draft(data, result)
        if key in (door.drafts or {}):
            drafts = dict(door.drafts)
            drafts.pop(key)
            door.set_drafts(drafts)
            changed = True
    if action.contributes:
        was_completed = door.completed
        result["participation"] = record_contribution(component, ctx, settings, door)
        changed = changed or door.completed != was_completed
    if changed:
        door.save()
    return result


def error_body(err):
    """``(status, {"error": {code, message, fields?}})`` for an ApiError."""
    if isinstance(err, ApiError):
        return err.status, {"error": err.as_dict()}
    raise TypeError(f"not an ApiError: {err!r}")
