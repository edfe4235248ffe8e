"""The frozen record of a closed round cannot change: the database refuses it.

PostgreSQL refuses UPDATE and DELETE of frozen rows (TRUNCATE, which only a test's
flush or an administrator uses, is not a row change). SQLite refuses UPDATE; its
DELETE is left alone because Django's test flush deletes rows one table at a time,
and the ORM already protects the rows (the round and commitment keys are PROTECT).
"""

from django.db import migrations

TABLES = [
    "coordination_frozencommitment",
    "coordination_frozenmilestone",
    "coordination_frozenreview",
]
MESSAGE = "frozen rows of a closed reporting round cannot change"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION coordination_refuse_frozen_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END; $$"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION coordination_refuse_frozen_change()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS coordination_refuse_frozen_change()")


class Migration(migrations.Migration):
    dependencies = [("coordination", "0004_reporting_rounds")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
