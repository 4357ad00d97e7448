"""Learner text: Markdown rendering, sanitising, mentions and excerpts."""
import re

import pytest

from xblocks.core.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, mentioned_usernames, plain_excerpt, render_markdown

NASTY = [
    "<script>alert(1)</script>",
    '<span class="sls-mention evil" style="position:fixed">@fake</span>',
    '<p style="position:fixed;top:0">overlay</p>',
    '<a href="javascript:alert(1)">x</a> [y](javascript:alert(1)) <javascript:alert(1)>',
    '<img src=x onerror=alert(1)> ![z](x" onerror="alert(1))',
    "| a |\n|:-|\n| <b onclick=x>b</b> |",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<!-- comment --><form action=x><input name=y></form>",
    "[a](https://x.org 'title\" onmouseover=\"alert(1)')",
    "@ann <svg/onload=alert(1)> `@ann` [@ann](mailto:ann@example.org)",
]


def _tags(html):
    return re.findall(r"<[a-zA-Z][^>]*>", html)


def _attributes(tag):
    """Attribute names of one start tag (values are always double-quoted by the sanitiser)."""
    return re.findall(r'\s([a-zA-Z-]+)="[^"]*"', tag)


class TestMarkdown:
    def test_common_markdown_renders(self):
        html = render_markdown("Some **bold**, *em*, ~~gone~~ and `code`.\n\n- one\n- two\n\n> quoted")
        assert "<strong>bold</strong>" in html
        assert "<em>em</em>" in html
        assert "<s>gone</s>" in html or "<del>gone</del>" in html
        assert "<code>code</code>" in html
        assert "<ul>\n<li>one</li>" in html
        assert "<blockquote>" in html

    def test_links_get_safe_rel(self):
        html = render_markdown("[docs](https://example.org/a?b=1)")
        assert '<a href="https://example.org/a?b=1" rel="nofollow noopener noreferrer">docs</a>' in html

    def test_tables_keep_alignment_only(self):
        html = render_markdown("| a | b |\n|:-|-:|\n| 1 | 2 |")
        assert '<th style="text-align:left">a</th>' in html
        assert '<td style="text-align:right">2</td>' in html

    def test_headings_are_demoted_below_the_page_outline(self):
        html = render_markdown("# Big\n## Smaller\n### Three\n#### Four")
        assert "<h1" not in html and "<h2" not in html
        assert html.count("<h3>") == 3
        assert "<h4>Four</h4>" in html

    def test_images_become_links_and_are_never_loaded(self):
        html = render_markdown("![a diagram](https://example.org/pixel.png)")
        assert "<img" not in html
        assert '<a href="https://example.org/pixel.png" rel="nofollow noopener noreferrer">a diagram</a>' in html

    def test_empty_source(self):
        assert render_markdown("") == ""
        assert render_markdown(None) == ""


class TestSanitising:
    @pytest.mark.parametrize("source", [
        "<script>alert('x')</script>",
        "Hello <script src='https://evil.example/x.js'></script>",
        "<SCRIPT>alert(1)</SCRIPT>",
    ])
    def test_script_tags_never_survive(self, source):
        html = render_markdown(source)
        assert "<script" not in html.lower()
        # Raw HTML is shown as text, so the reader sees what was written.
        assert "&lt;" in html

    @pytest.mark.parametrize("source", [
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](  javascript:alert(1))",
        "<javascript:alert(1)>",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox)",
        "![x](javascript:alert(1))",
    ])
    def test_dangerous_link_schemes_never_become_links(self, source):
        html = render_markdown(source)
        assert 'href="javascript' not in html.lower()
        assert 'href="data' not in html.lower()
        assert 'href="vbscript' not in html.lower()

    @pytest.mark.parametrize("source", [
        '<img src=x onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<div onmouseover="alert(1)">hover</div>',
        '<svg onload=alert(1)>',
        '[x](https://example.org "t\\" onclick=\\"alert(1)")',
    ])
    def test_event_handler_attributes_never_survive(self, source):
        html = render_markdown(source)
        assert "<img" not in html and "<svg" not in html and "<div" not in html
        for tag in _tags(html):
            assert not [name for name in _attributes(tag) if name.startswith("on")], tag

    def test_raw_html_is_escaped_not_interpreted(self):
        html = render_markdown('<b>bold?</b> <iframe src="https://evil.example"></iframe> <style>p{}</style>')
        assert "<b>" not in html and "<iframe" not in html and "<style" not in html
        assert "&lt;b&gt;bold?&lt;/b&gt;" in html

    def test_link_title_cannot_break_out_of_its_attribute(self):
        html = render_markdown('[x](https://example.org "a\\" onmouseover=\\"alert(1)")')
        assert 'onmouseover="' not in html
        assert "<a " in html

    @pytest.mark.parametrize("source", NASTY)
    def test_output_only_ever_has_allowed_tags_and_attributes(self, source):
        html = render_markdown(source, mentions=["ann"])
        for tag in _tags(html):
            name = re.match(r"<([a-z0-9]+)", tag).group(1)
            assert name in ALLOWED_TAGS, tag
            for attr, value in re.findall(r'\s([a-z-]+)="([^"]*)"', tag):
                if name == "a" and attr == "rel":
                    continue
                if name == "span" and attr == "class":
                    assert value == "sls-mention"
                    continue
                assert attr in ALLOWED_ATTRIBUTES.get(name, ()), tag
                if attr == "href":
                    assert value.split(":")[0].lower() in ("http", "https", "mailto") or ":" not in value, tag
                if attr == "style":
                    assert value in ("text-align:left", "text-align:right", "text-align:center"), tag


class TestMentions:
    def test_resolved_usernames_are_highlighted(self):
        html = render_markdown("Thanks @ann and @bob!", mentions=["ann", "bob"])
        assert '<span class="sls-mention">@ann</span>' in html
        assert '<span class="sls-mention">@bob</span>!' in html

    def test_unresolved_usernames_stay_plain_text(self):
        html = render_markdown("Thanks @ann and @stranger", mentions=["ann"])
        assert '<span class="sls-mention">@ann</span>' in html
        assert "@stranger" in html
        assert '<span class="sls-mention">@stranger' not in html

    def test_mentions_are_case_insensitive_and_keep_what_was_typed(self):
        html = render_markdown("Hi @Ann.", mentions=["ann"])
        assert '<span class="sls-mention">@Ann</span>.' in html

    def test_never_inside_inline_code_or_code_blocks(self):
        source = "Use `@ann` here.\n\n```python\n@ann\ndef f(): pass\n```\n\n    @ann indented"
        html = render_markdown(source, mentions=["ann"])
        assert "sls-mention" not in html
        assert mentioned_usernames(source) == []

    def test_never_inside_attributes_or_link_targets(self):
        source = '[profile](https://example.org/@ann "see @ann") and [@ann](https://example.org)'
        html = render_markdown(source, mentions=["ann"])
        assert "sls-mention" not in html
        assert 'href="https://example.org/@ann"' in html
        assert mentioned_usernames(source) == []

    def test_email_addresses_are_not_mentions(self):
        assert mentioned_usernames("mail ann@example.org or @bob") == ["bob"]
        html = render_markdown("mail ann@example.org", mentions=["example.org", "ann"])
        assert "sls-mention" not in html

    def test_mentioned_usernames_are_distinct_in_order_without_trailing_dots(self):
        assert mentioned_usernames("@bob, @ann. @Bob @ann_b @x.y") == ["bob", "ann", "ann_b", "x.y"]

    def test_at_most_twenty_mentions_are_read(self):
        source = " ".join(f"@user{i}" for i in range(40))
        assert len(mentioned_usernames(source)) == 20

    def test_mentions_in_emphasis_and_tables(self):
        html = render_markdown("**@ann** and _@bob_\n\n| who |\n|-|\n| @ann |", mentions=["ann", "bob"])
        assert html.count('<span class="sls-mention">@ann</span>') == 2
        assert '<em><span class="sls-mention">@bob</span></em>' in html

    def test_mention_markup_cannot_be_forged(self):
        html = render_markdown("@ann<script>x</script>", mentions=["ann"])
        assert '<span class="sls-mention">@ann</span>&lt;script&gt;' in html


class TestExcerpt:
    def test_markup_is_removed_and_whitespace_folded(self):
        assert plain_excerpt("# Title\n\nSome **bold** and [a link](https://x.org)\n\n- item") == (
            "Title · Some bold and a link • item"
        )

    def test_list_items_and_paragraphs_do_not_run_together(self):
        source = ("When someone asks for help\n\n- listen to the end before you propose a fix\n"
                  "- repeat the question\n\nThen answer. Or ask back")
        assert plain_excerpt(source) == ("When someone asks for help • listen to the end before you propose a fix "
                                         "• repeat the question · Then answer. Or ask back")
        assert plain_excerpt("First idea.\n\nSecond idea") == "First idea. Second idea"
        assert plain_excerpt("1. plan\n2. do\n   1. check") == "• plan • do • check"

    def test_words_keep_their_hyphens_and_underscores(self):
        assert plain_excerpt("well-known snake_case @ann_b") == "well-known snake_case @ann_b"

    def test_long_text_is_cut_with_an_ellipsis(self):
        excerpt = plain_excerpt("word " * 100, length=50)
        assert len(excerpt) <= 50
        assert excerpt.endswith("…")

    def test_excerpt_is_text_not_html(self):
        # The template escapes it: the excerpt itself keeps the characters as written.
        assert plain_excerpt("<b>x</b>") == "<b>x</b>"


def test_excerpt_keeps_what_the_reader_sees_of_code_and_underscores():
    # As rendered: code keeps its underscores, emphasis markers go (2*3*4 shows as 2<em>3</em>4).
    assert plain_excerpt("Use `window.__name` and 2*3*4, not _this_.") == "Use window.__name and 234, not this."
    assert plain_excerpt("| a | b |\n|---|---|\n| 1 | 2 |") == "a b 1 2"
    assert plain_excerpt("```\nprint(x)\n```\nafter") == "print(x) · after"
