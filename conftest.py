"""pytest bootstrap: Django settings come from tests/settings.py (see setup.cfg)."""
