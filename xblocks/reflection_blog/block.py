"""The reflection blog XBlock: its fields, Studio form, views and JSON handlers all come from the component's
declaration (:data:`xblocks.reflection_blog.frontdoor.BLOG`) through core's generic XBlock door
(:mod:`xblocks.core.block`); this module adds only what is the blog's own: the data the mobile app reads and
the Workbench scenarios.

Handlers (all POST, JSON in and out; errors as ``{"error": {"code", "message", "fields"}}``): every action of
``frontdoor.ACTIONS`` and ``save_draft``.
"""
from xblocks.core.block import ComponentBlock, component_mixin
from xblocks.core.text import render_markdown

from . import frontdoor
from .frontdoor import BLOG


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


class ReflectionBlogBlock(component_mixin(BLOG), ComponentBlock):
    """A reflection blog inside the course unit: each learner's entries, shared as they choose, with a coach."""

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Settings and handler names for the mobile app (it calls the same JSON handlers)."""
        data = frontdoor.settings_payload(self._settings())
        intro = self.shown_setting("intro")
        data.update({
            "display_name": self.shown_setting("display_name"),
            "intro": intro,
            "intro_html": render_markdown(intro) if intro else "",
            "handlers": list(BLOG.handlers),
        })
        return data

    # ----- Workbench --------------------------------------------------------------------------
    @staticmethod
    def workbench_scenarios():
        return [
            (_("Reflection blog in a course unit"), """
<vertical_demo>
  <html_demo>
    <h2>Week 2: applying what you learned</h2>
    <p>Between the sessions, keep your reflection blog: what did you try at work, and what came of it?</p>
  </html_demo>
  <social_reflection_blog display_name="My reflection blog" author_tags="module 1, module 2, at work, question"/>
</vertical_demo>
"""),
            (_("Reflection blog, whole course, graded"), """
<vertical_demo>
  <social_reflection_blog display_name="Learning journal" group_scope="course" default_visibility="course"
    participation_required="2" has_score="true" tags_required="true" free_tags="false"
    author_tags="insight, question, plan"/>
</vertical_demo>
"""),
        ]
