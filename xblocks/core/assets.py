"""The shared front end every component's page loads, in loading order, and where each door serves it from.

Paths are relative to the ``xblocks.core`` package (``SocialXBlockMixin.loader`` reads them).
``core.js`` comes first: it defines ``window.SocialLearning``, which the others extend; a
component's own script comes after all of them.

No page inlines these files: they are served as cacheable files. The XBlock door asks the runtime for
the component's own files (``runtime.local_resource_url``: the Workbench serves them from the block's
package, Open edX from its collected static files) and links core's as the ``xblocks.core`` Django
app's static files (Open edX collects only the block's own package for its resource URLs). The tool
serves every one from its package at a URL carrying a digest of the file (``lti/assets/...``).
"""
import hashlib
from functools import lru_cache
from importlib import resources

CORE_PACKAGE = "xblocks.core"
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
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def page_files(component):
    """``(css, js)``: the ``(package, path)`` of each file the component's page loads, in loading order."""
    css = [(CORE_PACKAGE, path) for path in CORE_CSS] + [(component.package, path) for path in component.page.css]
    js = [(CORE_PACKAGE, path) for path in CORE_JS] + [(component.package, path) for path in component.page.js]
    return css, js


def static_name(path):
    """A file's name among Django's static files (``static/core/core.js`` -> ``core/core.js``)."""
    return path.removeprefix("static/")


@lru_cache(maxsize=None)
def read(package, path):
    """A file's bytes, read once per process (the package does not change while it runs)."""
    return resources.files(package).joinpath(path).read_bytes()


def digest(package, path):
    """A short digest of a file's content: its URL changes when the file does."""
    return hashlib.sha256(read(package, path)).hexdigest()[:12]


def content_type(path):
    return CONTENT_TYPES.get(path[path.rfind("."):], "application/octet-stream")
