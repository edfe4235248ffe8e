from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest


def backfill(apps, schema_editor):
    """Existing comments: the latest of their own timestamps (a restore left none)."""
    Comment = apps.get_model("reviews", "Comment")
    created = F("created_at")
    Comment.objects.update(
        updated_at=Greatest(
            created,
            Coalesce("edited_at", created),
            Coalesce("deleted_at", created),
            Coalesce("hidden_at", created),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="actualizado"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
