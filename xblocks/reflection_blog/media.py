"""Images and short videos of entries: not built yet.

To build here, without editing the blog's other modules:
- upload an image (within a size limit, re-encoded with Pillow so that metadata and scripts are gone), a short
  video (upload within a size limit, or a link to a video platform), kept in Django's storage (the platform's
  storage in Open edX, a folder in the sandbox), as :class:`~xblocks.reflection_blog.models.Media` rows;
- serve media only to people who may read the entry (``api.readable_entry(ctx, entry_id)`` raises NotFound
  otherwise, so a private entry's image URL answers 404 to anyone else);
- attach the draft's media to the entry when it is saved: ``api`` calls :func:`attach` inside the entry's
  transaction with the media ids the page sent (``data["media"]``);
- :func:`for_entries` gives what a feed or an entry shows of each entry's media (one query for a page).

The front door merges :data:`ACTIONS` into the blog's actions, :func:`page_data` into the page's init data,
:data:`JS_STRINGS`/:data:`JS_PLURALS` into the string catalogue, and loads ``static/reflection_blog/blog-media.js``.
"""
ACTIONS = {}
JS_STRINGS = ()
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page: init data for ``blog-media.js``, template context."""
    return {}, {}


def attach(ctx, entry, media_ids):  # pylint: disable=unused-argument
    """Give the owner's unattached media ``media_ids`` to ``entry`` (inside the entry's transaction)."""
    return []


def for_entries(ctx, entry_ids):  # pylint: disable=unused-argument
    """``{entry id: [media as the page shows it]}`` for entries the reader may read (one query)."""
    return {}
