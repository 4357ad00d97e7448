"""List indexes that cover the list's count and page queries (sort keys, id, then the columns of
the hidden-unless-yours filter), plus one for staff reading every group.

The staff index comes first: on MySQL/MariaDB the placement foreign key always keeps an index
that starts with it while the others are rebuilt."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("social_cohort_forum", "0003_mentions_on_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["placement", "deleted", "pinned", "last_activity", "id"],
                               name="sls_thread_all_activity"),
        ),
        migrations.RemoveIndex(model_name="thread", name="sls_thread_activity"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["placement", "group_key", "deleted", "pinned", "last_activity", "id", "hidden",
                                       "author"], name="sls_thread_activity"),
        ),
        migrations.RemoveIndex(model_name="thread", name="sls_thread_new"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["placement", "group_key", "deleted", "pinned", "created", "id", "hidden",
                                       "author"], name="sls_thread_new"),
        ),
        migrations.RemoveIndex(model_name="thread", name="sls_thread_votes"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["placement", "group_key", "deleted", "pinned", "vote_count", "last_activity",
                                       "id", "hidden", "author"], name="sls_thread_votes"),
        ),
    ]
