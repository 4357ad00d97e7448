"""The tool's signing keys (django-lti's ``Key``) and their rotation.

The tool signs with its newest active key. Rotating adds a new key; the previous one stays in the
JWKS for ``KEY_GRACE_SECONDS`` after it was superseded, so that tokens it signed (Deep Linking
responses live 10 minutes, service assertions one) and platforms' cached copies of the JWKS stay
valid, and is then deactivated.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key

from .conf import conf


def current_key():
    """The key the tool signs with, created on first use."""
    key = Key.objects.active().order_by("-datetime_created", "-id").first()
    if key is None:
        key = Key.objects.generate()
    return key


def retire_superseded(now=None):
    """Deactivate keys superseded longer ago than the grace period; returns how many."""
    now = now or timezone.now()
    grace = timedelta(seconds=conf("KEY_GRACE_SECONDS"))
    keys = list(Key.objects.active().order_by("datetime_created", "id"))
    retired = []
    for older, newer in zip(keys, keys[1:]):
        if newer.datetime_created <= now - grace:
            retired.append(older.pk)
    if retired:
        Key.objects.filter(pk__in=retired).update(is_active=False)
    return len(retired)


def rotate(now=None):
    """Add a new signing key and retire keys past their grace period. Returns (new key, retired count)."""
    with transaction.atomic():
        new_key = Key.objects.generate()
        if now is not None:
            Key.objects.filter(pk=new_key.pk).update(datetime_created=now)
            new_key.refresh_from_db()
        retired = retire_superseded(now)
    return new_key, retired


def jwks():
    """The public JWKS: every active key (the newest signs; older ones are in their grace period)."""
    if not Key.objects.active().exists():
        current_key()
    return Key.objects.as_jwks()
