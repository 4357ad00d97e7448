"""Ownership: a learner exports their whole blog in this course.

``export_blog`` (an action answering a file) gives the person asking a zip of **their own** entries in this blog,
whatever their visibility (private ones too), never anyone else's: the action takes no person, it always exports
``ctx.user``'s. The zip holds ``index.html`` and ``index.md`` (the entries, newest first), each entry as
``entries/<n>-<title>.md`` (its Markdown, as written) and ``.html`` (as the blog shows it, sanitised), the
comments others made on them (hidden ones marked), and the entries' uploaded images and videos in ``media/``
(video links stay links). Media beyond ``EXPORT_MEDIA_MAX_BYTES`` in all are left out and named in the entry.

Reading costs four queries (entries, tags, comments, media) whatever the size of the blog.

Deleting a whole blog and retirement are in ``ownership.py``, quoting into the forum in ``quote.py``.
"""
import html
import io
import re
import zipfile

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import get_language, gettext_noop

from xblocks.core import ratelimit
from xblocks.core.component import FILE, Action
from xblocks.core.errors import RateLimited
from xblocks.core.files import FileAnswer
from xblocks.core.settings import component_conf
from xblocks.core.validation import data_dict

from . import media as media_mod
from .models import Comment, Entry, EntryTag, Media, Visibility

KEY = "reflection_blog"
DEFAULTS = {
    "EXPORT_MEDIA_MAX_BYTES": 200 * 1024 * 1024,
    "EXPORTS_PER_WINDOW": 5,
    "EXPORT_WINDOW_SECONDS": 600,
}
STYLE = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
         "img,video{max-width:100%;height:auto}.meta{color:#555}blockquote{border-left:3px solid #ccc;margin:0;"
         "padding-left:1rem}")


def conf(name):
    return component_conf(KEY, name, DEFAULTS)


def _slug(title):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50]
    return slug or "entry"


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _page(title, body, lang):
    return (f"<!DOCTYPE html>\n<html lang=\"{html.escape(lang)}\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; "
            f"media-src 'self'; style-src 'unsafe-inline'\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


def _rows(ctx):
    """The person's entries here (newest first) with their tags, comments and media: four queries."""
    entries = list(Entry.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False)
                   .order_by("-created", "-id"))
    ids = [e.id for e in entries]
    tags, comments, media = {}, {}, {}
    if ids:
        for entry_id, name in EntryTag.objects.filter(entry_id__in=ids).values_list("entry_id", "tag__name").order_by(
                "tag__key"):
            tags.setdefault(entry_id, []).append(name)
        for comment in Comment.objects.filter(entry_id__in=ids, deleted=False).select_related("author").order_by(
                "created", "id"):
            comments.setdefault(comment.entry_id, []).append(comment)
        for item in Media.objects.filter(entry_id__in=ids).order_by("id"):
            media.setdefault(item.entry_id, []).append(item)
    return entries, tags, comments, media


def _media_files(zf, items, budget):
    """Write the media files into the zip while they fit the budget: ``({media id: path or None}, budget left)``."""
    paths = {}
    for item in items:
        if not item.file_name:
            continue
        if item.size > budget:
            paths[item.id] = None
            continue
        try:
            with default_storage.open(item.file_name, "rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            paths[item.id] = None
            continue
        path = f"media/{item.id}.{item.file_name.rsplit('.', 1)[-1]}"
        zf.writestr(path, content)
        paths[item.id] = path
        budget -= len(content)
    return paths, budget


def _entry_files(entry, tags, comments, items, paths, labels):
    """``(markdown, html body)`` of one entry."""
    who = labels.get(entry.visibility, entry.visibility)
    meta = [_("Written: {date}").format(date=_when(entry.created)), _("Who can read it: {who}").format(who=who)]
    if entry.edited:
        meta.append(_("Edited: {date}").format(date=_when(entry.edited)))
    if tags:
        meta.append(_("Tags: {tags}").format(tags=", ".join(tags)))
    md = [f"# {entry.title}", "", *[f"- {line}" for line in meta], "", entry.body, ""]
    page = [f"<p><a href=\"../index.html\">{html.escape(_('All my entries'))}</a></p>",
            f"<h1>{html.escape(entry.title)}</h1>", "<ul class=\"meta\">",
            *[f"<li>{html.escape(line)}</li>" for line in meta], "</ul>", f"<div>{entry.body_html}</div>"]
    if items:
        md += [f"## {_('Images and video')}", ""]
        page.append(f"<h2>{html.escape(_('Images and video'))}</h2>")
        for item in items:
            path = paths.get(item.id)
            if item.kind == Media.VIDEO_LINK:
                link = media_mod.video_link(item.url) or {"url": item.url, "provider": ""}
                label = item.alt_text or _("Video on {provider}").format(provider=link["provider"])
                md.append(f"- [{label}]({link['url']})")
                page.append(f"<p><a href=\"{html.escape(link['url'])}\">{html.escape(label)}</a></p>")
            elif path is None:
                note = _("(not included: the export's size limit)")
                md.append(f"- {item.alt_text or _('Video')} {note}")
                page.append(f"<p>{html.escape(item.alt_text or _('Video'))} {html.escape(note)}</p>")
            elif item.kind == Media.IMAGE:
                md.append(f"![{item.alt_text}](../{path})")
                page.append(f"<p><img src=\"../{html.escape(path)}\" alt=\"{html.escape(item.alt_text)}\"></p>")
            else:
                md.append(f"- [{item.alt_text or _('Video')}](../{path})")
                page.append(f"<p><video controls src=\"../{html.escape(path)}\"></video></p>")
        md.append("")
    if comments:
        md += [f"## {_('Comments')}", ""]
        page.append(f"<h2>{html.escape(_('Comments'))}</h2>")
        for comment in comments:
            name = comment.author.get_full_name() or comment.author.username
            marks = ([_("coach comment")] if comment.is_coach_comment else []) + (
                [_("hidden")] if comment.hidden else [])
            heading = f"{name}, {_when(comment.created)}" + (f" ({', '.join(marks)})" if marks else "")
            md += [f"**{heading}**", "", *[f"> {line}" for line in comment.body.splitlines()], ""]
            page += [f"<h3 class=\"meta\">{html.escape(heading)}</h3>", f"<blockquote>{comment.body_html}</blockquote>"]
    return "\n".join(md), "\n".join(page)


def export_blog(ctx, data=None, settings=None):  # pylint: disable=unused-argument
    """A zip of the person's own blog here (see the module docstring); nothing in ``data`` chooses whose."""
    data_dict(data)
    # Staff viewing the course as a learner (read-only) do not take that learner's whole blog, private entries
    # included, away with them.
    ctx.require_writable()
    window = conf("EXPORT_WINDOW_SECONDS")
    if not ratelimit.hit(f"blog-export:{ctx.user.id}", conf("EXPORTS_PER_WINDOW"), window):
        raise RateLimited(_("You have exported your blog several times in a short time. Please wait a few minutes."))
    entries, tags, comments, media = _rows(ctx)
    labels = {value: _(label) for value, label in Visibility.CHOICES}
    lang = get_language() or "en"
    title = _("My reflection blog")
    out = io.BytesIO()
    budget = conf("EXPORT_MEDIA_MAX_BYTES")
    index_md = [f"# {title}", "", _("Exported on {date}.").format(date=_when(timezone.now())), ""]
    index_html = [f"<h1>{html.escape(title)}</h1>",
                  f"<p class=\"meta\">{html.escape(index_md[2])}</p>", "<ul>"]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for number, entry in enumerate(reversed(entries), start=1):
            items = media.get(entry.id, [])
            paths, budget = _media_files(zf, items, budget)
            md, body = _entry_files(entry, tags.get(entry.id, []), comments.get(entry.id, []), items, paths, labels)
            name = f"entries/{number:04d}-{_slug(entry.title)}"
            zf.writestr(f"{name}.md", md)
            zf.writestr(f"{name}.html", _page(entry.title, body, lang))
            line = f"{_when(entry.created)}: {entry.title} ({labels.get(entry.visibility, entry.visibility)})"
            index_md.insert(4, f"- [{line}]({name}.md)")
            index_html.insert(3, f"<li><a href=\"{html.escape(name)}.html\">{html.escape(line)}</a></li>")
        if not entries:
            index_md.append(_("You have not written any entries in this blog yet."))
        index_html.append("</ul>")
        zf.writestr("index.md", "\n".join(index_md) + "\n")
        zf.writestr("index.html", _page(title, "\n".join(index_html), lang))
    ctx.emit("social_learning.blog.exported", {"entries": len(entries)})
    return FileAnswer(content=out.getvalue(), content_type="application/zip",
                      filename=f"reflection-blog-{timezone.now():%Y-%m-%d}.zip", inline=False)


ACTIONS = {"export_blog": Action(run=export_blog, writes=False, kind=FILE)}
JS_STRINGS = (
    gettext_noop("Export my blog"),
    gettext_noop("Preparing your export…"),
    gettext_noop("Your export is ready: it is being saved as a zip file."),
    gettext_noop("A zip file with all your entries in this blog (Markdown and web pages), their images and "
                 "videos, and the comments on them."),
)
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page."""
    return {}, {}
