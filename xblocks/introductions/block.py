"""The introductions XBlock: its fields, Studio form, views and JSON handlers all come from the component's
declaration (:data:`xblocks.introductions.frontdoor.INTRODUCTIONS`) through core's generic XBlock door
(:mod:`xblocks.core.block`); this module adds only the Workbench scenarios.

Handlers (all POST, JSON in and out, ``session_ics`` answers a calendar file; errors as ``{"error": {"code",
"message", "fields"}}``): every action of ``frontdoor.ACTIONS`` and ``save_draft``.
"""
from xblocks.core.block import ComponentBlock, component_mixin

from .frontdoor import INTRODUCTIONS


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


class IntroductionsBlock(component_mixin(INTRODUCTIONS), ComponentBlock):
    """Introductions before the first live session: the sessions, each learner's introduction, the group's."""

    @staticmethod
    def workbench_scenarios():
        return [
            (_("Introductions before the first session"), """
<vertical_demo>
  <html_demo>
    <h2>Before we meet</h2>
    <p>Our first session is coming up. Introduce yourself to your cohort, and add the sessions to your calendar.</p>
  </html_demo>
  <social_introductions display_name="Meet your cohort" time_zone="Europe/Brussels"
    sessions="2027-03-25 18:00 | 20:00 | Kick-off (online) | https://meet.example.org/kick-off&#10;2027-04-01 09:30 | 16:00 | Classroom day | Leie 2.04, Ghent"/>
</vertical_demo>
"""),
        ]
