"""Signals the components send to each other, and the Open edX retirement receiver.

Components never read each other's models: the forum sends ``answer_endorsed`` and the expert
finder records it as evidence; every app connects ``user_retired`` to forget a person.
"""
import django.dispatch

# A person wrote something. sender=<api module>, placement, user (the author), thread_id, post_id
# (None for a thread), kind ("thread", "reply" or "comment"), group_key, anonymous (True when
# the author chose to be anonymous to peers: receivers must not show their name to peers).
contribution_created = django.dispatch.Signal()
# Staff or an advocate endorsed a reply. sender=<api module>, placement, user (the reply's
# author), actor (who endorsed), thread_id, post_id, anonymous (as above).
answer_endorsed = django.dispatch.Signal()
# sender=None, user: sent when a person's account is retired.
user_retired = django.dispatch.Signal()


def retire_user(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """Receiver for Open edX ``USER_RETIRE_LMS_CRITICAL``: every app forgets the person."""
    if user is not None:
        user_retired.send(sender=None, user=user)
