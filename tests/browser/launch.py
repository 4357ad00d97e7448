"""How every browser test starts Chromium: Debian's own build (no browser download is possible or
needed), headless, with no background traffic. ``SLS_CHROMIUM`` names another executable.

``--disable-site-isolation-trials`` keeps every frame of a page in the page's renderer process (no
out-of-process iframes). A launch through a course page's frame moves the tool's frame from the tool's
site (the login page) to the platform's (its authorization endpoint, the page's own site) and straight
back to the tool's (the form post of the launch): with site isolation each move swaps the frame into
another renderer process, and Playwright's driver loses the frame when the swaps come quickly on a busy
machine. It answers the old process's "detached" event only after a round trip to the page's renderer;
when the tool's new process attaches within that round trip, the late clean-up removes the new
process's session (it keys sessions by frame id, which both share), every later event of the frame is
then dropped as stale, and the test sees the frame stuck at the authorization endpoint while the tool's
page has loaded in it (seen in the protocol log: ``Target.detachedFromTarget`` before
``Page.frameAttached``, then ``Target.attachedToTarget`` for the same frame before the answer to
``Page.enable``). Nothing the tool or a person's browser does is involved; what the tests check (a
third-party frame that may keep no storage of its own, the platform's storage over postMessage) is the
same in one process as in two.
"""
import os

CHROMIUM = os.environ.get("SLS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-site-isolation-trials",
]
