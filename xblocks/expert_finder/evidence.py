"""Evidence of expertise, received from the other components through core's signals (never their tables).

- ``contribution_created``: a forum thread, reply or comment, a reflection entry shared with the group or the
  course, any component's contribution its space reads. Its topic words are read from core's search index
  (:func:`xblocks.core.search.fields_of`: stemmed tokens, no text); a reply also takes its thread's title.
  Anonymous contributions are never recorded (the finder would name their author). Private and coach-only ones
  are not recorded either.
- ``contribution_changed``: the contribution's readers changed. Hidden or deleted (visibility None): it no
  longer counts, nor what belongs to it (a thread's replies); shown again: it counts again; made private or
  coach-only: its row and topic words are deleted.
- ``contribution_rated``: upvotes and endorsements, counted on the row.
- ``user_retired``: everything the finder keeps of the person is deleted.

Each receiver writes a fixed number of statements, in one transaction.
"""
import functools
import logging

from django.db import transaction
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone

from xblocks.core import search as core_search
from xblocks.core.groups import COURSE
from xblocks.core.signals import contribution_changed, contribution_created, contribution_rated, user_retired

from . import terms as terms_mod
from .conf import conf
from .models import Evidence, EvidenceTerm, Membership, Message, Profile, ProfileTerm, Vouch

log = logging.getLogger(__name__)
# Levels of a contribution's readers that let it count, and who reads it then (its group, or the course).
SHARED = {"space": "group", "group": "group", "course": "course"}
# A contribution that belongs to another (its parent): the keyword its component sends, and the parent's type.
PARENTS = {("cohort_forum", "post"): ("thread_id", "thread"), ("reflection_blog", "comment"): ("entry_id", "entry")}
FINDER = "expert_finder"
MISSING = object()


def audience_for(visibility, group_key):
    """Who reads a contribution at this level: its group's key, ``course``, or None (nobody else: not counted)."""
    if visibility is MISSING:
        return group_key
    level = SHARED.get(visibility)
    if level is None:
        return None
    return COURSE if level == "course" else group_key


def _topic_tokens(component, object_type, object_id, parent):
    """{token: weight} of a contribution: the words of its short fields (a title, tags) weigh 2, the rest 1; a
    reply adds its thread's title. Two queries at most."""
    fields = core_search.fields_of(component, object_type, [object_id]).get(object_id, [])
    if parent is not None:
        parent_fields = core_search.fields_of(component, parent[0], [parent[1]]).get(parent[1], [])
        fields = fields + parent_fields[:1]
    weights = {}
    for field in fields:
        weight = 2 if len(field) <= 15 else 1
        for token in field:
            weights[token[:64]] = max(weights.get(token[:64], 0), weight)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:conf("TERMS_PER_EVIDENCE")]
    return dict(ranked)


def record(*, component, placement, user_id, object_type, object_id, kind, audience, parent=None, actor_id=None,
           tokens=None, words=None, created=None, replace=True):
    """Record (or, with ``replace``, replace) a piece of evidence with its topic words. Returns the row, or None
    when it has none. Inside the caller's transaction, if any."""
    if tokens is None:
        tokens = _topic_tokens(component, object_type, object_id, parent)
    if not tokens:
        return None
    created = created or timezone.now()
    context_key = placement.context_key
    fields = {"user_id": user_id, "placement_id": placement.id, "context_key": context_key, "audience": audience,
              "kind": kind, "parent_type": parent[0] if parent else "", "parent_id": parent[1] if parent else None,
              "actor_id": actor_id}
    key = {"component": component, "object_type": object_type, "object_id": object_id}
    with transaction.atomic():
        # A contribution recorded before (shown again, or its readers changed) keeps its date and ratings.
        existing = Evidence.objects.filter(**key).values_list("id", "created").first() if replace else None
        if existing is not None:
            Evidence.objects.filter(pk=existing[0]).update(visible=True, **fields)
            evidence = Evidence(id=existing[0], created=existing[1], **key, **fields)
            EvidenceTerm.objects.filter(evidence_id=evidence.id).delete()
        else:
            evidence = Evidence.objects.create(created=created, **key, **fields)
        EvidenceTerm.objects.bulk_create([
            EvidenceTerm(evidence_id=evidence.id, context_key=context_key, token=token, weight=weight,
                         created=evidence.created) for token, weight in tokens.items()])
        terms_mod.remember({token: (words or {}).get(token, token) for token in tokens})
        seen(user_id, context_key, {audience, COURSE})
    return evidence


def seen(user_id, context_key, group_keys):
    """Remember that a person is in these groups of a course (one statement; known rows skipped)."""
    Membership.objects.bulk_create([Membership(user_id=user_id, context_key=context_key, group_key=key[:64])
                                    for key in sorted(group_keys) if key], ignore_conflicts=True)


def _parent(component, object_type, kwargs):
    keyword, parent_type = PARENTS.get((component, object_type), (None, None))
    parent_id = kwargs.get(keyword) if keyword else None
    return (parent_type, parent_id) if parent_id else None


def _never_fails_the_writer(function):
    """A receiver of news of a new contribution or a rating: a failure to record evidence is logged, and never
    fails the person's own write (the component sends the signal after its transaction). Changes of readers are
    not guarded: evidence that cannot be hidden must not pass silently."""
    @functools.wraps(function)
    def guarded(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:  # pylint: disable=broad-except
            log.exception("The expert finder could not record %s", kwargs.get("object_type"))
            return None
    return guarded


@receiver(contribution_created, dispatch_uid="social_expert_finder.created")
@_never_fails_the_writer
def contribution_made(sender, component=None, placement=None, user=None, object_type=None, object_id=None,
                      kind=None, group_key=None, anonymous=False, visibility=MISSING, **kwargs):  # pylint: disable=unused-argument
    if anonymous or component == FINDER or user is None or placement is None:
        return
    audience = audience_for(visibility, group_key)
    if audience is None:
        return
    record(component=component, placement=placement, user_id=user.id, object_type=object_type, object_id=object_id,
           kind=kind or object_type, audience=audience, parent=_parent(component, object_type, kwargs))


@receiver(contribution_created, dispatch_uid="social_expert_finder.prefill")
@_never_fails_the_writer
def profile_offered(sender, placement=None, user=None, group_key=None, profile=None,
                    **kwargs):  # pylint: disable=unused-argument
    """A component sends ``profile`` ({"learn": [...], "offer": [...]}) with a contribution when its author agreed
    that it prefills their profile (the introductions' consent box)."""
    if not profile or user is None or placement is None:
        return
    from xblocks.expert_finder.profiles import prefill  # pylint: disable=import-outside-toplevel

    prefill(user.id, placement.context_key, group_key, profile.get("learn") or [], profile.get("offer") or [])


@receiver(contribution_changed, dispatch_uid="social_expert_finder.changed")
def contribution_readers_changed(sender, component=None, placement=None, user_id=None, object_type=None,
                                 object_id=None, group_key=None, visibility=None, object_ids=None,
                                 **kwargs):  # pylint: disable=unused-argument
    ids = list(object_ids) if object_ids is not None else [object_id]
    own = Evidence.objects.filter(component=component, object_type=object_type, object_id__in=ids)
    children = Evidence.objects.filter(component=component, parent_type=object_type, parent_id__in=ids)
    audience = audience_for(visibility, group_key)
    if audience is not None and object_ids is not None and group_key is None:
        return  # many shown again at once, their groups unknown: each is recorded when shown alone
    with transaction.atomic():
        if audience is None:
            if visibility is None:  # hidden or deleted: kept uncounted, in case it is shown again
                own.update(visible=False)
            else:  # private or coach-only: the finder keeps nothing of it
                own.delete()
            children.update(parent_visible=False)
            return
        children.update(parent_visible=True)
        updated = own.update(visible=True, audience=audience)
    if (not updated and object_ids is None and not kwargs.get("anonymous") and placement is not None
            and user_id is not None):
        record(component=component, placement=placement, user_id=user_id, object_type=object_type,
               object_id=object_id, kind=kwargs.get("kind") or object_type, audience=audience,
               parent=_parent(component, object_type, kwargs))


@receiver(contribution_rated, dispatch_uid="social_expert_finder.rated")
@_never_fails_the_writer
def contribution_was_rated(sender, component=None, object_type=None, object_id=None, rating=None, delta=0,
                           **kwargs):  # pylint: disable=unused-argument
    rows = Evidence.objects.filter(component=component, object_type=object_type, object_id=object_id)
    if rating == "upvote":
        rows.update(upvotes=F("upvotes") + delta)
    elif rating == "endorsement":
        rows.update(endorsed=delta > 0)


@receiver(user_retired, dispatch_uid="social_expert_finder.retire")
def forget_retired_user(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    if user is not None:
        forget_person(user.id)


def forget_person(user_id):
    """Everything the finder keeps of a person: profile, skills, words, memberships, evidence, vouches and
    questions given and received (a fixed number of statements)."""
    with transaction.atomic():
        Evidence.objects.filter(Q(user_id=user_id) | Q(actor_id=user_id)).delete()
        Vouch.objects.filter(Q(user_id=user_id) | Q(voucher_id=user_id)).delete()
        Message.objects.filter(Q(sender_id=user_id) | Q(recipient_id=user_id)).delete()
        ProfileTerm.objects.filter(user_id=user_id).delete()
        Membership.objects.filter(user_id=user_id).delete()
        Profile.objects.filter(user_id=user_id).delete()


# Every receiver of the finder: (signal, function, dispatch uid), for whoever must pause them (a test measuring
# another component's own queries).
RECEIVERS = (
    (contribution_created, contribution_made, "social_expert_finder.created"),
    (contribution_created, profile_offered, "social_expert_finder.prefill"),
    (contribution_changed, contribution_readers_changed, "social_expert_finder.changed"),
    (contribution_rated, contribution_was_rated, "social_expert_finder.rated"),
    (user_retired, forget_retired_user, "social_expert_finder.retire"),
)
