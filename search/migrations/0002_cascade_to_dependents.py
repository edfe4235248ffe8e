"""Changing a parent (a commitment's code or plan, a plan's state or cycle, a space's
commitment, a meeting's space) indexes again the entries that copy its data.

PostgreSQL gets the triggers here; SQLite gets them with its other triggers after each
`migrate` (search/schema.py says why).
"""

from django.db import migrations

from search import schema


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run(schema.postgres_cascade_install_sql()),
            _run(schema.postgres_cascade_uninstall_sql()),
        ),
    ]
