"""Signals the components send to each other, and the Open edX retirement receiver.

Components never read each other's models: the forum sends ``answer_endorsed`` and the expert
finder records it as evidence; every app connects ``user_retired`` to forget a person.
"""
import logging

import django.dispatch

log = logging.getLogger(__name__)

# A person contributed something, in any component. sender=<api module>, component (its key, e.g.
# "cohort_forum"), placement, user (the author), object_type and object_id (what was written, in the
# component's terms, e.g. "thread"/"post"), kind (the component's kind of contribution, e.g. "thread",
# "reply", "comment", "entry"), group_key, anonymous (True when the author chose to be anonymous to
# peers: receivers must not show their name to peers). Components may send more keyword arguments
# (the forum adds thread_id and post_id); receivers ignore what they do not know.
contribution_created = django.dispatch.Signal()
# A contribution's readers changed, or it was deleted: receivers that keep something of it (the expert
# finder's evidence, insights) apply it at once. sender=<api module>, component, placement, user_id (the
# author), object_type, object_id, group_key, visibility (the component's level, e.g. the blog's "private",
# "coach", "group", "course"; None when the contribution was deleted or hidden; when a hidden one is shown again,
# its level again, or "space" for a component without levels: everyone in the space reads it). contribution_created carries the same
# ``visibility`` for components whose contributions have one (absent: everyone in the space reads it).
# Many contributions of one type may change at once (a whole blog deleted, a person retired): the sender may then
# give ``object_ids`` (their ids) instead of ``object_id``, with ``user_id`` and ``group_key`` None when they
# differ, so that receivers apply it in a fixed number of statements; receivers accept both forms.
contribution_changed = django.dispatch.Signal()
# Readers rated a contribution: an upvote, a vote withdrawn, an endorsement given or taken back.
# sender=<api module>, component, placement, user_id (the contribution's author), object_type, object_id,
# group_key, rating (the kind of rating: "upvote" or "endorsement"), delta (+1 or -1), actor (who rated).
# Sent only when the rating changed (an idempotent repeat sends nothing). Receivers keep counts of their own.
contribution_rated = django.dispatch.Signal()
# Staff or an advocate endorsed a reply. sender=<api module>, placement, user (the reply's
# author), actor (who endorsed), thread_id, post_id, anonymous (as above).
answer_endorsed = django.dispatch.Signal()
# sender=None, user: sent when a person's account is retired.
user_retired = django.dispatch.Signal()


def retire_user(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """Receiver for Open edX ``USER_RETIRE_LMS_CRITICAL``: every app forgets the person.

    Never raises: the platform sends that signal with ``.send`` inside the retirement view
    (``openedx/core/djangoapps/user_api/accounts/views.py``), so an exception here would fail the
    learner's whole retirement step. Each app's failure is logged with its traceback and the other
    apps still run.
    """
    if user is None:
        return
    try:
        results = user_retired.send_robust(sender=None, user=user)
    except Exception:  # pylint: disable=broad-except  # e.g. a receiver list that cannot be read
        log.exception("Retiring user %s in the Social Learning Suite failed", getattr(user, "id", None))
        return
    for receiver, result in results:
        if isinstance(result, Exception):
            log.error("Retiring user %s: %s failed", getattr(user, "id", None),
                      getattr(receiver, "__qualname__", receiver), exc_info=result)
