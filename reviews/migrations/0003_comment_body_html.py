from django.db import migrations, models

from ogp_portal.user_text import render_markdown


def fill(apps, schema_editor):
    """Existing comments: their body rendered as the API and pages render it."""
    Comment = apps.get_model("reviews", "Comment")
    batch = []
    for comment in Comment.objects.only("pk", "body").iterator(chunk_size=2000):
        comment.body_html = render_markdown(comment.body)
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["body_html"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_comment_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                verbose_name="comentario en HTML",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
