"""Follow and ReadState become one ThreadState row per person and thread (one upsert per action);
comment counts are derived from the comments themselves; the votes index also orders by activity;
a vote or flag targets exactly one thing."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def merge_follow_and_read_state(apps, schema_editor):
    Follow = apps.get_model("social_cohort_forum", "Follow")
    ReadState = apps.get_model("social_cohort_forum", "ReadState")
    ThreadState = apps.get_model("social_cohort_forum", "ThreadState")
    states = {}
    for user_id, thread_id, read_at in ReadState.objects.values_list("user_id", "thread_id", "read_at").iterator():
        states[(user_id, thread_id)] = ThreadState(user_id=user_id, thread_id=thread_id, read_at=read_at)
    for user_id, thread_id in Follow.objects.values_list("user_id", "thread_id").iterator():
        state = states.setdefault((user_id, thread_id), ThreadState(user_id=user_id, thread_id=thread_id))
        state.following = True
    ThreadState.objects.bulk_create(states.values(), batch_size=1000)


def split_thread_state(apps, schema_editor):
    Follow = apps.get_model("social_cohort_forum", "Follow")
    ReadState = apps.get_model("social_cohort_forum", "ReadState")
    ThreadState = apps.get_model("social_cohort_forum", "ThreadState")
    follows, reads = [], []
    for state in ThreadState.objects.iterator():
        if state.following:
            follows.append(Follow(user_id=state.user_id, thread_id=state.thread_id))
        if state.read_at is not None:
            reads.append(ReadState(user_id=state.user_id, thread_id=state.thread_id, read_at=state.read_at))
    Follow.objects.bulk_create(follows, batch_size=1000)
    ReadState.objects.bulk_create(reads, batch_size=1000)


_ONE_TARGET = models.Q(
    models.Q(("post__isnull", True), ("thread__isnull", False)),
    models.Q(("post__isnull", False), ("thread__isnull", True)),
    _connector="OR",
)


class Migration(migrations.Migration):

    dependencies = [
        ("social_cohort_forum", "0001_initial"),
        ("social_core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ThreadState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("following", models.BooleanField(default=False)),
                ("thread", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="states",
                                             to="social_cohort_forum.thread")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "thread"), name="sls_state_once")],
            },
        ),
        migrations.RunPython(merge_follow_and_read_state, split_thread_state),
        migrations.DeleteModel(name="Follow"),
        migrations.DeleteModel(name="ReadState"),
        migrations.RemoveField(model_name="post", name="comment_count"),
        migrations.RemoveIndex(model_name="thread", name="sls_thread_votes"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["placement", "group_key", "deleted", "pinned", "vote_count", "last_activity"],
                               name="sls_thread_votes"),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(condition=_ONE_TARGET, name="sls_flag_one_target"),
        ),
        migrations.AddConstraint(
            model_name="vote",
            constraint=models.CheckConstraint(condition=_ONE_TARGET, name="sls_vote_one_target"),
        ),
    ]
