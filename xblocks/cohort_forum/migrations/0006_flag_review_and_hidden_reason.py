
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Flags are reviewed and kept as history; staff may say why they hid a text."""


    dependencies = [
        ('social_cohort_forum', '0005_revisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='flag',
            name='outcome',
            field=models.CharField(blank=True, choices=[('dismissed', 'Dismissed'), ('hidden', 'Hidden'), ('deleted', 'Deleted')], default='', max_length=16),
        ),
        migrations.AddField(
            model_name='flag',
            name='pending',
            field=models.BooleanField(default=True, null=True),
        ),
        migrations.AddField(
            model_name='flag',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='flag',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='post',
            name='hidden_reason',
            field=models.CharField(blank=True, default='', max_length=300),
        ),
        migrations.AddField(
            model_name='thread',
            name='hidden_reason',
            field=models.CharField(blank=True, default='', max_length=300),
        ),
        migrations.AddIndex(
            model_name='flag',
            index=models.Index(fields=['pending', 'created'], name='sls_flag_queue'),
        ),
        migrations.AddConstraint(
            model_name='flag',
            constraint=models.UniqueConstraint(fields=('user', 'thread', 'pending'), name='sls_flag_thread_pending_once'),
        ),
        migrations.AddConstraint(
            model_name='flag',
            constraint=models.UniqueConstraint(fields=('user', 'post', 'pending'), name='sls_flag_post_pending_once'),
        ),
        # After the new constraints, so that MySQL always has an index for the user's foreign key.
        migrations.RemoveConstraint(
            model_name='flag',
            name='sls_flag_thread_once',
        ),
        migrations.RemoveConstraint(
            model_name='flag',
            name='sls_flag_post_once',
        ),
    ]
