"""Learner text: Markdown rendered by markdown-it-py, then sanitised by nh3.

Raw HTML in the source is never passed through (markdown-it's ``html`` option is off), and the
rendered HTML is cleaned again with an allow-list, so script in learner text never runs.
"""
import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("strikethrough").enable(
    "table"
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")


def _demote_headings(html):
    # Learner headings sit inside the component: h1/h2 would break the page outline.
    return re.sub(r"<(/?)h[12]>", r"<\1h3>", html)


def render_markdown(source, mentions=()):
    """Render learner Markdown to safe HTML; ``mentions`` (usernames) become highlighted spans."""
    html = _demote_headings(_md.render(source or ""))
    if mentions:
        wanted = {m.lower() for m in mentions}

        def mark(match):
            name = match.group(1).rstrip(".")
            if name.lower() in wanted:
                rest = match.group(1)[len(name):]
                return f'<span class="sls-mention">@{name}</span>{rest}'
            return match.group(0)

        # Only touch text between tags, never attribute values, and leave code alone.
        parts = re.split(r"(<code>.*?</code>|<[^>]+>)", html, flags=re.S)
        html = "".join(part if part.startswith("<") else MENTION_RE.sub(mark, part) for part in parts)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def mentioned_usernames(source):
    """The distinct @usernames written in a text, in order (trailing dots dropped)."""
    seen = []
    text = re.sub(r"`[^`]*`", " ", source or "")
    for match in MENTION_RE.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name.lower() not in [s.lower() for s in seen]:
            seen.append(name)
    return seen[:20]


def plain_excerpt(source, length=180):
    """A short plain-text excerpt of Markdown for lists (no markup, whitespace folded)."""
    text = re.sub(r"[`*_>#~\[\]()!|-]", " ", source or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
