"""The introductions' answers to suite-wide signals."""
from django.dispatch import receiver

from xblocks.core.signals import user_retired

from . import api


@receiver(user_retired, dispatch_uid="social_introductions.retire")
def forget_retired_user(sender, user, **kwargs):  # pylint: disable=unused-argument
    api.retire_user(user)
