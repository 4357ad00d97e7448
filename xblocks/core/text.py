"""Learner text: Markdown rendered by markdown-it-py, then sanitised by nh3.

Raw HTML in the source is never passed through (markdown-it's ``html`` option is off), and the
rendered HTML is cleaned again with an allow-list, so script in learner text never runs.

@mentions are found in the Markdown *tokens*, never in the rendered HTML: only plain text
outside code spans, code blocks and links counts, so a mention can never land inside an
attribute or a code sample.
"""
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("strikethrough").enable(
    "table"
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
ALLOWED_CLASSES = {"span": {"sls-mention"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MENTION_CLASS = "sls-mention"
MAX_MENTIONS = 20

# A mention starts after a non-word character (so e-mail addresses are not mentions).
MENTION_RE = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")
_HEADING_TAGS = {"h1": "h3", "h2": "h3"}


def _split_name(match):
    """The username of a mention match without trailing punctuation, and that punctuation."""
    raw = match.group(1)
    name = raw.rstrip(".+-")
    return name, raw[len(name):]


def _mark_mention_tokens(tokens):
    """Flag the inline text tokens where a mention counts: outside links (and code, which has its own tokens)."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        link_depth = 0
        for child in token.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth = max(0, link_depth - 1)
            elif child.type == "text" and link_depth == 0:
                child.meta["sls_mentionable"] = True
    return tokens


def _render_text(_renderer, tokens, idx, _options, env):
    token = tokens[idx]
    wanted = env.get("sls_mentions")
    if not wanted or not token.meta.get("sls_mentionable"):
        return escapeHtml(token.content)
    out = []
    last = 0
    for match in MENTION_RE.finditer(token.content):
        name, _rest = _split_name(match)
        if name.lower() not in wanted:
            continue
        start = match.start()
        end = start + 1 + len(name)
        out.append(escapeHtml(token.content[last:start]))
        out.append(f'<span class="{MENTION_CLASS}">@{escapeHtml(name)}</span>')
        last = end
    out.append(escapeHtml(token.content[last:]))
    return "".join(out)


def _render_image(_renderer, tokens, idx, _options, _env):
    # Images become plain links: a learner's post never loads a remote image (tracking pixels).
    token = tokens[idx]
    src = token.attrs.get("src") or ""
    label = token.content or src
    return f'<a href="{escapeHtml(str(src))}">{escapeHtml(label)}</a>'


_md.add_render_rule("text", _render_text)
_md.add_render_rule("image", _render_image)


def _demote_headings(tokens):
    # Learner headings sit inside the component: h1/h2 would break the page outline.
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in _HEADING_TAGS:
            token.tag = _HEADING_TAGS[token.tag]
    return tokens


def _table_alignment_styles(tokens):
    # markdown-it writes column alignment as style="text-align:…"; keep only those exact values.
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style") not in (
            None, "text-align:left", "text-align:right", "text-align:center"
        ):
            token.attrs.pop("style", None)
    return tokens


def render_markdown(source, mentions=()):
    """Render learner Markdown to safe HTML; ``mentions`` (resolved usernames) become highlighted spans.

    Only usernames listed in ``mentions`` are highlighted: an @word that is not a course member
    stays plain text.
    """
    env = {"sls_mentions": {m.lower() for m in mentions if m}}
    tokens = _md.parse(source or "", env)
    tokens = _table_alignment_styles(_demote_headings(_mark_mention_tokens(tokens)))
    html = _md.renderer.render(tokens, _md.options, env)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def mentioned_usernames(source):
    """The distinct @usernames written in a text, in order, outside code and links (at most 20)."""
    seen = []
    lowered = set()
    for token in _mark_mention_tokens(_md.parse(source or "", {})):
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type != "text" or not child.meta.get("sls_mentionable"):
                continue
            for match in MENTION_RE.finditer(child.content):
                name, _rest = _split_name(match)
                if name and name.lower() not in lowered:
                    lowered.add(name.lower())
                    seen.append(name)
                    if len(seen) >= MAX_MENTIONS:
                        return seen
    return seen


# An excerpt is read from the start of the text only (markup and spaces shrink it).
EXCERPT_SOURCE_FACTOR = 4
def plain_excerpt(source, length=180):
    """A short plain-text excerpt of Markdown for lists: the words as a reader sees them (the parser's own
    text, so ``snake_case``, ``window.__name`` and ``2*3`` survive while emphasis and link markup go),
    whitespace folded. Blocks stay apart: a list item starts with "•", and a paragraph or heading that
    ends without punctuation is followed by " · ", so "listen to the end" and "repeat the question" do
    not run together."""
    blocks = []  # (text, starts a list item, is a table cell)
    item_open = cell_open = False
    for token in _md.parse((source or "")[:EXCERPT_SOURCE_FACTOR * length]):
        if token.type == "list_item_open":
            item_open = True
        elif token.type in ("th_open", "td_open"):
            cell_open = True
        elif token.type == "inline":
            parts = []
            for child in token.children or ():
                if child.type in ("text", "code_inline", "image"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            if text:
                blocks.append((text, item_open, cell_open))
            item_open = cell_open = False
        elif token.type in ("code_block", "fence"):
            text = re.sub(r"\s+", " ", token.content).strip()
            if text:
                blocks.append((text, False, False))
    out = ""
    previous_cell = False
    for text, item, cell in blocks:  # table cells are kept apart by plain spaces
        if item:
            text = "• " + text
        if out:
            joined = out.endswith((".", "!", "?", ":", ";", "…")) or item or (cell and previous_cell)
            out += " " if joined else " · "
        out += text
        previous_cell = cell
    return out if len(out) <= length else out[: length - 1].rstrip() + "…"
