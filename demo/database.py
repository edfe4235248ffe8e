from django.db import DEFAULT_DB_ALIAS, connections


def ensure_database(*, using=DEFAULT_DB_ALIAS, name=None):
    """Create the PostgreSQL database when it is missing; return whether it was created.

    SQLite creates its file on the first connection, so there is nothing to do there.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    name = name or connection.settings_dict["NAME"]
    # The same connection to the server's maintenance database Django's test runner uses.
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return False
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")  # noqa: S608
    return True
