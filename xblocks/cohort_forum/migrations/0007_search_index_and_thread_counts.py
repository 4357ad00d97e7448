"""Each group's thread counts (the list's total without a COUNT per request), and every existing thread
and post in core's full-text search (decision 12)."""
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q

BATCH = 2000


def fill(apps, schema_editor):  # pylint: disable=unused-argument
    from xblocks.core.search import entry_tokens, tokens_for  # pylint: disable=import-outside-toplevel

    Thread = apps.get_model("social_cohort_forum", "Thread")
    Post = apps.get_model("social_cohort_forum", "Post")
    GroupThreadCount = apps.get_model("social_cohort_forum", "GroupThreadCount")
    SearchEntry = apps.get_model("social_core", "SearchEntry")
    rows = (Thread.objects.filter(deleted=False).values("placement_id", "group_key")
            .annotate(live=Count("id"), hidden=Count("id", filter=Q(hidden=True))))
    GroupThreadCount.objects.bulk_create([GroupThreadCount(**row) for row in rows], batch_size=BATCH)

    SearchTerm = apps.get_model("social_core", "SearchTerm")
    with_terms = schema_editor.connection.vendor in ("mysql", "sqlite")  # searched through terms (decision 12)

    def save(entries):
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
        if with_terms:
            SearchTerm.objects.bulk_create(
                [SearchTerm(component=e.component, object_type=e.object_type, object_id=e.object_id,
                            placement_id=e.placement_id, group_key=e.group_key, token=token, result_id=e.result_id)
                 for e in entries for token in sorted(entry_tokens(e.tokens))], batch_size=BATCH * 10,
                ignore_conflicts=True)
        return []

    entries = []
    for t in Thread.objects.filter(deleted=False).values_list(
            "id", "placement_id", "group_key", "author_id", "title", "body", "hidden").iterator(chunk_size=BATCH):
        entries.append(SearchEntry(component="cohort_forum", placement_id=t[1], group_key=t[2], object_type="thread",
                                   object_id=t[0], result_id=t[0], author_id=t[3], hidden=t[6],
                                   tokens=tokens_for(t[1], t[2], [t[4], t[4], t[5]])))
        if len(entries) >= BATCH:
            entries = save(entries)
    for p in Post.objects.filter(deleted=False).values_list(
            "id", "thread_id", "thread__placement_id", "thread__group_key", "author_id", "body", "hidden").iterator(
                chunk_size=BATCH):
        entries.append(SearchEntry(component="cohort_forum", placement_id=p[2], group_key=p[3], object_type="post",
                                   object_id=p[0], result_id=p[1], author_id=p[4], hidden=p[6],
                                   tokens=tokens_for(p[2], p[3], [p[5]])))
        if len(entries) >= BATCH:
            entries = save(entries)
    save(entries)


def empty(apps, schema_editor):  # pylint: disable=unused-argument
    apps.get_model("social_core", "SearchEntry").objects.filter(component="cohort_forum").delete()
    apps.get_model("social_core", "SearchTerm").objects.filter(component="cohort_forum").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("social_core", "0003_search_terms"),
        ("social_cohort_forum", "0006_flag_review_and_hidden_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupThreadCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("group_key", models.CharField(max_length=64)),
                ("live", models.IntegerField(default=0)),
                ("hidden", models.IntegerField(default=0)),
                ("placement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                to="social_core.placement")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("placement", "group_key"),
                                                        name="sls_thread_count_once")],
            },
        ),
        migrations.RunPython(fill, empty),
    ]
