"""Leave room on the commitment indicator pages (PostgreSQL only) so that updates are HOT.

The nightly pass rewrites every row (days since the last update move); with full pages
each update goes to another page and adds entries to every index. With 40 % of each page
free, PostgreSQL keeps the new version on the same page and skips the indexes (none of
the indexed columns change). Pages written before this migration keep their fill until
they are rewritten.
"""

from django.db import migrations

def _alter(apps, schema_editor, storage):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("indicators", "CommitmentIndicator")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} {storage}")


def set_fillfactor(apps, schema_editor):
    _alter(apps, schema_editor, "SET (fillfactor = 60)")


def reset_fillfactor(apps, schema_editor):
    _alter(apps, schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_commitment_and_scope_indicators")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
