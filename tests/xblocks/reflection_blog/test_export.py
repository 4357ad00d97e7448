"""A learner's export of their blog: a zip of their own entries here, whatever their visibility, as Markdown and
as web pages, with an index, their images and the comments others made on them; never anyone else's entries or
media, whatever the request says; in a fixed number of queries."""
import io
import zipfile

import pytest

from tests.xblocks.reflection_blog.media_files import gps_of, png, upload
from xblocks.core.errors import PermissionDenied, RateLimited
from xblocks.reflection_blog import api, export, media

ALT = "The plan on the whiteboard"


def unzip(answer):
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    return {name: archive.read(name) for name in archive.namelist()}


def text_of(files):
    return "".join(content.decode() for name, content in files.items() if not name.startswith("media/"))


@pytest.fixture
def blogs(course, ctx_of, write, blog_settings):
    """Ann's entries at every level (one with an image, one commented on by Cara and by her coach), and entries of
    Cara and Bob, with images of their own."""
    image = media.upload_media(ctx_of(course.ann), {"alt": ALT, "files": {"file": upload(png())}})["media"]
    made = {level: write(course.ann, title=f"Ann {level}", body=f"Ann's **{level}** thoughts", visibility=level)
            for level in ("private", "coach", "group")}
    made["course"] = write(course.ann, title="Ann course", body="With a picture", visibility="course",
                           media=[image["id"]])
    api.add_comment(ctx_of(course.cara), {"entry": made["group"]["id"], "body": "Cara liked <b>this</b>"},
                    blog_settings)
    api.add_comment(ctx_of(course.staff), {"entry": made["coach"]["id"], "body": "Coach says well done"},
                    blog_settings)
    theirs = media.upload_media(ctx_of(course.cara), {"alt": "Cara's secret sketch",
                                                      "files": {"file": upload(png(colour=(0, 200, 0)))}})["media"]
    write(course.cara, title="Cara private", body="Cara's own secret", visibility="private", media=[theirs["id"]])
    write(course.bob, title="Bob course", body="Bob shares", visibility="course")
    return made, image


def test_the_export_holds_all_of_ones_own_blog(course, ctx_of, blogs):
    made, image = blogs
    answer = export.export_blog(ctx_of(course.ann), {})
    assert answer.content_type == "application/zip" and not answer.inline
    assert answer.filename.startswith("reflection-blog-") and answer.filename.endswith(".zip")
    files = unzip(answer)
    assert {"index.html", "index.md"} <= set(files)
    entries = sorted(name for name in files if name.startswith("entries/"))
    assert len(entries) == 8  # four entries, each as Markdown and as a web page
    text = text_of(files)
    for level in ("private", "coach", "group", "course"):
        assert f"Ann {level}" in text
    assert "Ann's **private** thoughts" in text and "<strong>private</strong>" in text
    assert "Cara liked" in text and "Coach says well done" in text and "coach comment" in text
    assert "<b>this</b>" not in files[next(n for n in entries if "ann-group" in n and n.endswith(".html"))].decode()
    # The image, as the blog keeps it, linked from the entry with its description.
    assert gps_of(files[f"media/{image['id']}.jpg"]) == {}
    page = files[next(n for n in entries if "ann-course" in n and n.endswith(".html"))].decode()
    assert f'<img src="../media/{image["id"]}.jpg" alt="{ALT}">' in page
    assert "Content-Security-Policy" in page
    index = files["index.html"].decode()
    assert index.index("Ann course") < index.index("Ann private")  # newest first


def test_nobody_exports_anyone_elses_entries_or_media(course, ctx_of, blogs):
    made, image = blogs
    for person in (course.cara, course.bob, course.staff):
        files = unzip(export.export_blog(ctx_of(person), {"user": "ann", "author": course.ann.id}))
        text = text_of(files)
        assert "Ann " not in text and ALT not in text
        assert f"media/{image['id']}.jpg" not in files
    cara = text_of(unzip(export.export_blog(ctx_of(course.cara), {})))
    assert "Cara private" in cara and "Cara's secret sketch" in cara and "Bob" not in cara


def test_an_empty_blog_exports_an_index_that_says_so(course, ctx_of):
    files = unzip(export.export_blog(ctx_of(course.bob), {}))
    assert set(files) == {"index.html", "index.md"}
    assert "You have not written any entries in this blog yet." in files["index.md"].decode()


def test_exports_are_rate_limited(course, ctx_of, settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"EXPORTS_PER_WINDOW": 2}}
    export.export_blog(ctx_of(course.bob), {})
    export.export_blog(ctx_of(course.bob), {})
    with pytest.raises(RateLimited):
        export.export_blog(ctx_of(course.bob), {})


def test_media_over_the_exports_limit_are_named_not_included(course, ctx_of, blogs, settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"EXPORT_MEDIA_MAX_BYTES": 10}}
    files = unzip(export.export_blog(ctx_of(course.ann), {}))
    assert not [name for name in files if name.startswith("media/")]
    assert "not included" in text_of(files)


def test_the_export_costs_the_same_queries_on_a_bigger_blog(course, ctx_of, write):
    def count():
        from django.db import connection  # pylint: disable=import-outside-toplevel
        from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

        ctx = ctx_of(course.ann)
        with CaptureQueriesContext(connection) as queries:
            export.export_blog(ctx, {})
        return len(queries)

    write(course.ann, title="One")
    small = count()
    for number in range(20):
        write(course.ann, title=f"More {number}", visibility="private")
    # The context's roles and group (read once per request), then entries, tags, comments and media.
    assert count() == small <= 6, small


def test_staff_viewing_as_a_learner_cannot_export_their_blog(course, ctx_of, blogs):
    ctx = ctx_of(course.ann)
    ctx.read_only = "You are viewing this as Ann: read only."
    with pytest.raises(PermissionDenied) as refused:
        export.export_blog(ctx, {})
    assert refused.value.code == "read_only"
