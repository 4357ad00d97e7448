"""Search entries, and on PostgreSQL a GIN full-text index over their tokens (MySQL/MariaDB and SQLite search
through the ordinary index of migration 0003's terms); see decision 12."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "social_core_searchentry"


def _statements(vendor):
    if vendor == "postgresql":
        return [f"CREATE INDEX social_search_tokens ON {TABLE} USING GIN (to_tsvector('simple', tokens))"], [
            "DROP INDEX social_search_tokens"]
    return [], []


def add_full_text_index(apps, schema_editor):  # pylint: disable=unused-argument
    for sql in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql)


def drop_full_text_index(apps, schema_editor):  # pylint: disable=unused-argument
    for sql in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("social_core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("component", models.CharField(max_length=32)),
                ("group_key", models.CharField(max_length=64)),
                ("object_type", models.CharField(max_length=16)),
                ("object_id", models.BigIntegerField()),
                ("result_id", models.BigIntegerField()),
                ("hidden", models.BooleanField(default=False)),
                ("tokens", models.TextField()),
                ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to=settings.AUTH_USER_MODEL)),
                ("placement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                to="social_core.placement")),
            ],
            options={
                "indexes": [models.Index(fields=["author"], name="social_search_author")],
                "constraints": [models.UniqueConstraint(fields=("component", "object_type", "object_id"),
                                                        name="social_search_once")],
            },
        ),
        migrations.RunPython(add_full_text_index, drop_full_text_index, atomic=False),
    ]
