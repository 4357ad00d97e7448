"""The expert finder XBlock: its fields, Studio form, views and JSON handlers all come from the component's
declaration (:data:`xblocks.expert_finder.frontdoor.FINDER`) through core's generic XBlock door
(:mod:`xblocks.core.block`); this module adds only what is the finder's own: the mobile app's data and the
Workbench scenarios.
"""
from xblocks.core.block import ComponentBlock, component_mixin
from xblocks.core.text import render_markdown

from . import frontdoor
from .frontdoor import FINDER


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


class ExpertFinderBlock(component_mixin(FINDER), ComponentBlock):
    """Yellow pages of the course: who knows about what, from what people do, with the reasons shown."""

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        data = frontdoor.settings_payload(self._settings())
        intro = self.shown_setting("intro")
        data.update({"display_name": self.shown_setting("display_name"), "intro": intro,
                     "intro_html": render_markdown(intro) if intro else "", "handlers": list(FINDER.handlers)})
        return data

    @staticmethod
    def workbench_scenarios():
        return [
            (_("Expert finder in a course unit"), """
<vertical_demo>
  <social_expert_finder display_name="Who knows?"/>
</vertical_demo>
"""),
        ]
