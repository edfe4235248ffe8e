"""Server-side prepared statements for read paths on PostgreSQL.

Planning is a large share of PostgreSQL's CPU on the API's computed list pages
(bench/api/README.md, "Prepared statements"). Inside `prepared_statements()` each single
SELECT runs as `EXECUTE name(...)` of a statement PREPAREd once per connection, so PostgreSQL
parses it once and, after a few runs, may reuse its plan. The rows are the same.

Plain SQL on other databases, for server-side (named) cursors and with the setting
DATABASE_PREPARED_STATEMENTS off: a pooler in transaction mode (PgBouncer) hands each
transaction another server session, where the statement does not exist.

The PREPAREs and DEALLOCATEs go through the raw cursor: Django logs and counts only the
query itself (the EXECUTE, under the original SQL), so query counts do not change.

PostgreSQL plans a statement again for each run's values ("custom plan") unless a plan for
any values looks as cheap; on the API's pages it mostly re-plans (1.8 of 4.6 ms of a
commitments page's PostgreSQL CPU). A statement whose best plan does not depend on its
values (a page's nested lists by the page's keys; an unfiltered list's page, one order
walked by LIMIT and OFFSET, checked with EXPLAIN on each list in bench/api/README.md)
runs inside `generic_plans()`, which has the session plan it once (`plan_cache_mode =
force_generic_plan`); every other statement (a filtered page, whose values decide how
selective it is) runs in the default mode (`auto`). The mode is switched in the same
round trip as the EXECUTE that needs another one, and only outside a transaction (a
rollback would undo it unseen); the plan changes how fast, never which rows.
"""

import datetime
import decimal
import itertools
import math
import re
import threading
import uuid
import weakref
from collections import OrderedDict
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.db import DatabaseError, connections

STATEMENTS_PER_CONNECTION = 256
PLACEHOLDER = re.compile(r"%[s%]")
# The statement is gone (DEALLOCATE ALL, DISCARD ALL, a pooler) or its result type changed
# ("cached plan must not change result type", after a migration): prepare it again.
GONE = "26000"
CHANGED = "cached plan must not change result type"  # its SQLSTATE, 0A000, is generic


class Statements:
    """What one raw connection has prepared: key -> name, least recently used first."""

    def __init__(self):
        self.names: OrderedDict[tuple, str] = OrderedDict()
        self.refused: set[tuple] = set()
        self.numbers = itertools.count()
        self.mode = AUTO  # the session's plan_cache_mode, as this module last set it


AUTO, GENERIC = "auto", "force_generic_plan"
_wanted = threading.local()


@contextmanager
def generic_plans():
    """The block's prepared statements are planned once for any values (see above)."""
    before = getattr(_wanted, "mode", AUTO)
    _wanted.mode = GENERIC
    try:
        yield
    finally:
        _wanted.mode = before


# Keyed by the raw connection: a reconnect (CONN_MAX_AGE, a failed health check,
# close_old_connections) starts with nothing prepared, like the new server session.
_prepared: "weakref.WeakKeyDictionary[object, Statements]" = weakref.WeakKeyDictionary()


def prepared_statements(using="default"):
    """Run the single SELECTs of the block as prepared statements where that is possible."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return nullcontext()
    return connection.execute_wrapper(run_prepared)


def run_prepared(execute, sql, params, many, context):
    """Django execute wrapper: EXECUTE the prepared form of a plain SELECT."""
    connection = context["connection"]
    cursor = context["cursor"].cursor
    if (
        many
        or not isinstance(sql, str)
        or not sql.startswith("SELECT")
        or isinstance(params, dict)
        or getattr(cursor, "name", None)  # a server-side cursor DECLAREs its query
        or connection.needs_rollback  # let Django refuse it
    ):
        return execute(sql, params, many, context)
    statements = _prepared.get(connection.connection)
    if statements is None:
        statements = _prepared[connection.connection] = Statements()
    key = (sql, parameter_types(params))
    if key in statements.refused:
        return execute(sql, params, many, context)
    name = statements.names.get(key)
    if name is None:
        name = prepare(statements, key, params is not None, connection, cursor)
        if name is None:
            return execute(sql, params, many, context)
    else:
        statements.names.move_to_end(key)
    try:
        return run_in_mode(statements, connection, execute, name, params, many, context)
    except DatabaseError as error:
        gone = getattr(error.__cause__, "pgcode", None) == GONE
        if not (gone or CHANGED in str(error)):
            raise
        del statements.names[key]
        if not connection.get_autocommit():
            raise  # the transaction is aborted; the next one prepares it again
        if not gone:
            run_own(connection, cursor, f"DEALLOCATE {name}")
        name = prepare(statements, key, params is not None, connection, cursor)
        if name is None:
            return execute(sql, params, many, context)
        return run_in_mode(statements, connection, execute, name, params, many, context)


def run_in_mode(statements, connection, execute, name, params, many, context):
    """EXECUTE the statement in the plan mode the block wants (generic_plans), setting the
    session's mode first, in the same round trip, when it differs."""
    sql = execute_sql(name, params)
    wanted = getattr(_wanted, "mode", AUTO)
    if wanted == statements.mode or not connection.get_autocommit():
        return execute(sql, params, many, context)
    # One simple query: the SET and the EXECUTE succeed or fail together, and the
    # cursor holds the EXECUTE's rows (the last statement's).
    result = execute(f"SET plan_cache_mode = {wanted}; {sql}", params, many, context)
    statements.mode = wanted
    return result


def prepare(statements, key, numbered, connection, cursor):
    """PREPARE the statement of key; its name, or None if PostgreSQL refused it."""
    sql, types = key
    name = f"ogp_{next(statements.numbers)}"
    declared = f"({', '.join(types)})" if any(kind != "unknown" for kind in types) else ""
    body = placeholders_numbered(sql) if numbered else sql
    if not run_own(connection, cursor, f"PREPARE {name}{declared} AS {body}"):
        if len(statements.refused) >= STATEMENTS_PER_CONNECTION:
            statements.refused.clear()
        statements.refused.add(key)
        return None
    statements.names[key] = name
    if len(statements.names) > STATEMENTS_PER_CONNECTION:
        _, evicted = statements.names.popitem(last=False)
        run_own(connection, cursor, f"DEALLOCATE {evicted}")
    return name


def run_own(connection, cursor, sql):
    """Run a statement of this module on the raw cursor; False if PostgreSQL refused it.
    In a transaction it runs under a savepoint, so a refusal does not abort the transaction."""
    in_transaction = not connection.get_autocommit()
    with connection.wrap_database_errors:
        try:
            if in_transaction:
                cursor.execute(f"SAVEPOINT ogp_prepare; {sql}; RELEASE SAVEPOINT ogp_prepare")
            else:
                cursor.execute(sql)
        except connection.Database.Error as error:
            if not isinstance(error, refusals(connection.Database)):
                raise
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT ogp_prepare; RELEASE SAVEPOINT ogp_prepare")
            return False
    return True


def refusals(database):
    """The driver's errors that mean "refused" (a parameter's type PostgreSQL cannot infer,
    an ambiguous operator), not "connection lost"."""
    return database.ProgrammingError, database.DataError, database.NotSupportedError


def placeholders_numbered(sql):
    """The SQL as PREPARE takes it: %s -> $1, $2...; %% -> %."""
    numbers = itertools.count(1)
    return PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)


def execute_sql(name, params):
    if not params:
        return f"EXECUTE {name}"
    return f"EXECUTE {name}({', '.join(['%s'] * len(params))})"


def parameter_types(params):
    return tuple(map(parameter_type, params)) if params else ()


def parameter_type(value):
    """The type of psycopg2's literal for the value, so that the prepared statement means
    what the plain SQL meant (an int compared with an int, not as text). Strings, NULL and
    lists are untyped literals there: unknown, inferred from the context the same way."""
    kind = type(value)
    if kind is int:  # the common cases first: a page's ids, LIMIT and OFFSET
        return integer_type(value)
    if kind is str or value is None:
        return "unknown"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return integer_type(value)
    if isinstance(value, float):
        return "numeric" if math.isfinite(value) else "double precision"
    if isinstance(value, decimal.Decimal):
        return "numeric"
    if isinstance(value, datetime.datetime):
        return "timestamptz" if value.tzinfo else "timestamp"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, datetime.time):
        return "timetz" if value.tzinfo else "time"
    if isinstance(value, datetime.timedelta):
        return "interval"
    if isinstance(value, uuid.UUID):
        return "uuid"
    if isinstance(value, (bytes, memoryview)):
        return "bytea"
    return "unknown"


def integer_type(value):
    if -(2**31) <= value < 2**31:
        return "integer"
    return "bigint" if -(2**63) <= value < 2**63 else "numeric"
