"""How every browser test starts Chromium: Debian's own build (no browser download is possible or
needed), headless, with no background traffic. ``SLS_CHROMIUM`` names another executable."""
import os

CHROMIUM = os.environ.get("SLS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
