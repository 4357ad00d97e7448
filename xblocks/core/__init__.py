"""Shared foundation of the suite: identity, placement, groups, permissions, text, handlers."""
