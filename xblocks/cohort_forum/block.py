"""The cohort forum XBlock: its fields, Studio form, views and JSON handlers all come from the component's
declaration (:data:`xblocks.cohort_forum.frontdoor.FORUM`) through core's generic XBlock door
(:mod:`xblocks.core.block`); this module adds only what is the forum's own: the data the mobile app
reads and the Workbench scenarios.

Handlers (all POST, JSON in and out; errors as ``{"error": {"code", "message", "fields"}}``):
``list_threads``, ``get_thread``, ``create_thread``, ``create_reply``, ``edit``, ``delete``,
``vote``, ``follow``, ``flag``, ``endorse``, ``pin``, ``highlight``, ``hide``,
``mention_candidates`` and ``save_draft``. Each accepts an optional ``group`` (staff: the
group picked in the switcher, or ``"all"``).
"""
from xblocks.core.block import ComponentBlock, component_mixin
from xblocks.core.text import render_markdown

from . import frontdoor
from .frontdoor import FORUM


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


class CohortForumBlock(component_mixin(FORUM), ComponentBlock):
    """A forum inside the course unit, scoped to the learner's cohort, team or the whole course."""

    def shown_name(self):
        """The display name, translated while it is still the default one."""
        return self.shown_setting("display_name")

    def shown_guidelines(self):
        """The community guidelines, translated while they are still the default ones."""
        return self.shown_setting("guidelines")

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Settings and handler names for the mobile app (it calls the same JSON handlers)."""
        data = frontdoor.settings_payload(self._settings())
        data.update({
            "display_name": self.shown_name(),
            "prompt": self.prompt,
            "prompt_html": render_markdown(self.prompt) if self.prompt else "",
            "guidelines": self.shown_guidelines(),
            "guidelines_html": render_markdown(self.shown_guidelines()) if self.guidelines else "",
            "handlers": list(FORUM.handlers),
        })
        return data

    # ----- Workbench --------------------------------------------------------------------------
    @staticmethod
    def workbench_scenarios():
        return [
            (_("Cohort forum in a course unit"), """
<vertical_demo>
  <html_demo>
    <h2>Week 1: Welcome to your cohort</h2>
    <p>Before the first classroom session, introduce yourself to your cohort and share one thing you hope
    to learn. Questions about the programme are welcome too: advocates and staff answer them here.</p>
  </html_demo>
  <social_cohort_forum display_name="Your cohort's forum" allow_anonymous="true" participation_required="2"
    prompt="Introduce yourself: **who are you**, what do you do, and what do you hope to get out of this training?"/>
</vertical_demo>
"""),
            (_("Cohort forum, whole course, graded participation"), """
<vertical_demo>
  <social_cohort_forum display_name="Course Q&amp;A" group_scope="course" default_sort="unanswered"
    participation_required="3" has_score="true"
    prompt="Ask anything about the course. Mark your post as a *question* so it can be answered."/>
</vertical_demo>
"""),
        ]
