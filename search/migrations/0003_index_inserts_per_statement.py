"""Inserts into the source tables are indexed once per statement, not once per row.

A bulk import of 100,000 milestones ran the milestone's source SELECT 100,000 times; a
statement trigger with a transition table indexes all of a statement's new rows at once.
PostgreSQL only: SQLite has no statement triggers (search/schema.py).
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
        ("search", "0002_cascade_to_dependents"),
    ]

    operations = [
        migrations.RunPython(
            _run(schema.postgres_statement_install_sql()),
            _run(schema.postgres_statement_uninstall_sql()),
        ),
    ]
