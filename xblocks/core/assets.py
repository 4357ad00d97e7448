"""The shared front end every component's page loads, in loading order.

Paths are relative to the ``xblocks.core`` package (``SocialXBlockMixin.loader`` reads them).
``core.js`` comes first: it defines ``window.SocialLearning``, which the others extend; a
component's own script comes after all of them.
"""
CORE_JS = [
    "static/core/core.js",
    "static/core/ui.js",
    "static/core/forms.js",
    "static/core/drafts.js",
    "static/core/mentions.js",
    "static/core/boot.js",
]
CORE_CSS = [
    "static/core/core.css",
]
