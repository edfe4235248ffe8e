"""The API's computed reads run as server-side prepared statements on PostgreSQL
(ogp_portal.prepared): the same rows and bytes as plain SQL, one PREPARE per connection and
SQL text, a fallback to plain SQL for what PostgreSQL will not prepare, recovery when the
statement is gone, a bounded number per connection, and plain SQL elsewhere."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ogp_portal import prepared
from ogp_portal.prepared import prepared_statements
from tests.api.conftest import build_world
from tests.conftest import ON_POSTGRES
from tests.factories import StateFactory

ROWS = """SELECT v.n, v.d, v.t FROM (VALUES
    (1, DATE '2024-01-02', 'a%%b'), (2, NULL, 'xyz'), (3, DATE '2025-05-05', 'a_c')
) AS v(n, d, t)"""
NOON = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)

CASES = {
    "parameters": (ROWS + " WHERE v.n > %s ORDER BY v.n", [1]),
    "no parameters": (ROWS + " ORDER BY v.n", ()),
    "a literal %": (ROWS + " WHERE v.t LIKE 'a%%' AND v.n >= %s ORDER BY v.n", [1]),
    "a % in a parameter": (ROWS + " WHERE v.t LIKE %s ORDER BY v.n", ["a%"]),
    "an IN list": (ROWS + " WHERE v.n IN (%s, %s) ORDER BY v.n", [1, 3]),
    "a date": (ROWS + " WHERE v.d >= %s ORDER BY v.n", [datetime.date(2024, 6, 1)]),
    # date < timestamptz compares instants, as the plain SQL's typed literal does.
    "a datetime against a date": (ROWS + " WHERE v.d < %s ORDER BY v.n", [NOON]),
    "a NULL": (ROWS + " WHERE v.d IS NOT DISTINCT FROM %s ORDER BY v.n", [None]),
    # Declared types keep the plain SQL's meaning: 10 < 9 as integers, not as text;
    # 1.5 * 2 as numeric, not 1.5 rounded to the integer 2 first.
    "two parameters compared": ("SELECT %s < %s", [10, 9]),
    "a fraction times an integer": ("SELECT %s * 2", [1.5]),
}


def run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def sent_to_postgres():
    """The SQL each query finally sends, as seen inside prepared_statements()."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def execute(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def prepared_names():
    rows = run("SELECT name FROM pg_prepared_statements WHERE name LIKE 'ogp\\_%%'", ())
    return {name for (name,) in rows}


def statement_named(name):
    return run("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])[0][0]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_same_rows_as_plain_sql(case):
    sql, params = CASES[case]
    plain = run(sql, params)
    with prepared_statements(), sent_to_postgres() as sent:
        first = run(sql, params)
        second = run(sql, params)
    assert first == second == plain
    assert sent[0].startswith("EXECUTE ogp_")
    assert sent[1] == sent[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_expected_answers_of_the_typed_cases():
    with prepared_statements():
        assert run(*CASES["two parameters compared"]) == [(False,)]
        assert run(*CASES["a fraction times an integer"])[0][0] == 3
        assert [n for n, _, _ in run(*CASES["a literal %"])] == [1, 3]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_second_run_executes_the_statement_the_first_prepared(monkeypatch):
    prepares = []
    run_own = prepared.run_own
    monkeypatch.setattr(
        prepared, "run_own", lambda c, cur, sql: prepares.append(sql) or run_own(c, cur, sql)
    )
    sql = ROWS + " WHERE v.n = %s"
    with prepared_statements(), sent_to_postgres() as sent:
        run(sql, [2])
        run(sql, [3])
    assert len(prepares) == 1
    name = sent[0].split()[1].split("(")[0]
    assert sent == [f"EXECUTE {name}(%s)"] * 2
    assert f"PREPARE {name}(integer) AS SELECT" in prepares[0]
    assert "WHERE v.n = $1" in statement_named(name)
    # Django records one query, as before (its text is what PostgreSQL was sent), so the
    # query counts the tests assert do not change.
    with prepared_statements(), CaptureQueriesContext(connection) as queries:
        run(sql, [2])
    assert [query["sql"] for query in queries.captured_queries] == [f"EXECUTE {name}(2)"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_what_postgresql_cannot_prepare_runs_as_plain_sql_and_the_transaction_goes_on():
    sql = "SELECT %s IS NULL"  # no type for $1: PREPARE fails
    with prepared_statements(), sent_to_postgres() as sent:
        assert run(sql, [None]) == [(True,)]
        assert run(sql, [None]) == [(True,)]
        assert run(ROWS + " WHERE v.n = %s", [1])[0][0] == 1  # still usable
    assert sent[:2] == [sql, sql]
    assert sent[2].startswith("EXECUTE ogp_")
    assert StateFactory().pk is not None  # the surrounding transaction too


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_prepared_in_a_rolled_back_savepoint_is_still_there():
    sql = ROWS + " WHERE v.n < %s"
    with prepared_statements(), sent_to_postgres() as sent:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            run(sql, [3])
            1 / 0  # noqa: B018
        assert len(run(sql, [3])) == 2
    executes = [sql for sql in sent if not sql.startswith(("SAVEPOINT", "ROLLBACK", "RELEASE"))]
    assert executes[0] == executes[1]
    assert executes[0].startswith("EXECUTE ogp_")


@pytest.mark.postgres
@pytest.mark.django_db
def test_server_side_cursors_run_plain_sql():
    StateFactory.create_batch(3)
    from states.models import State

    with prepared_statements(), sent_to_postgres() as sent:
        pks = [state.pk for state in State.objects.order_by("pk").iterator(chunk_size=2)]
    assert pks == list(State.objects.order_by("pk").values_list("pk", flat=True))
    assert not any(sql.startswith("EXECUTE") for sql in sent)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_statements_per_connection_are_bounded(monkeypatch):
    monkeypatch.setattr(prepared, "STATEMENTS_PER_CONNECTION", 3)
    execute("DEALLOCATE ALL")  # this connection's earlier tests' statements
    prepared._prepared[connection.connection] = prepared.Statements()
    texts = [ROWS + f" WHERE v.n > %s - {k}" for k in range(4)]
    with prepared_statements(), sent_to_postgres() as sent:
        for sql in texts:
            run(sql, [2])
    names = [sql.split()[1].split("(")[0] for sql in sent]
    assert prepared_names() == set(names[1:])
    assert names[0] not in prepared_names()  # the least recently used, DEALLOCATEd
    state = prepared._prepared[connection.connection]
    assert len(state.names) == 3
    with prepared_statements():
        assert run(texts[0], [2]) == run(texts[0], [2])  # prepared again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_gone_behind_its_back_is_prepared_again():
    sql = ROWS + " WHERE v.n >= %s ORDER BY v.n"
    with prepared_statements(), sent_to_postgres() as sent:
        before = run(sql, [2])
        execute("DEALLOCATE ALL")
        assert run(sql, [2]) == before
    assert sent[0].startswith("EXECUTE ogp_")
    assert sent[-1].startswith("EXECUTE ogp_") and sent[-1] != sent[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_whose_result_type_changed_is_prepared_again():
    execute("CREATE TABLE prepared_probe (a integer)")
    try:
        execute("INSERT INTO prepared_probe VALUES (1)")
        with prepared_statements():
            assert run("SELECT * FROM prepared_probe WHERE a = %s", [1]) == [(1,)]
            execute("ALTER TABLE prepared_probe ADD COLUMN b integer DEFAULT 2")
            assert run("SELECT * FROM prepared_probe WHERE a = %s", [1]) == [(1, 2)]
    finally:
        execute("DROP TABLE prepared_probe")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_in_a_rolled_back_transaction_is_still_there():
    sql = ROWS + " WHERE v.n <> %s"
    with prepared_statements(), sent_to_postgres() as sent:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            run(sql, [2])
            1 / 0  # noqa: B018
        assert len(run(sql, [2])) == 2
    assert sent[0] == sent[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_starts_with_nothing_prepared():
    sql = ROWS + " WHERE v.n = %s"
    with prepared_statements():
        run(sql, [1])
    assert prepared._prepared[connection.connection].names
    connection.close()
    with prepared_statements(), sent_to_postgres() as sent:
        assert run(sql, [1])[0][0] == 1
    assert prepared_names() == {sent[0].split()[1].split("(")[0]}
    assert len(prepared._prepared[connection.connection].names) == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_setting_off_runs_plain_sql(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    sql = ROWS + " WHERE v.n = %s"
    with prepared_statements(), sent_to_postgres() as sent:
        run(sql, [1])
    assert sent == [sql]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_after_its_statements_were_deallocated():
    build_world(2)
    url = "/api/v1/commitments/?page_size=3"
    first = APIClient().get(url)
    execute("DEALLOCATE ALL")
    again = APIClient().get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["commitments/?page_size=5", "milestones/?page_size=5", "indicators/commitments/", "a detail"],
)
def test_api_pages_are_the_same_bytes_with_and_without(path, settings, monkeypatch):
    commitments = build_world(2)["commitments"]
    if path == "a detail":
        path = f"commitments/{commitments[-1].code}/?expand=milestones"
    url = f"/api/v1/{path}"
    settings.DATABASE_PREPARED_STATEMENTS = False
    plain = APIClient().get(url)
    settings.DATABASE_PREPARED_STATEMENTS = True
    sent = []
    run_prepared = prepared.run_prepared

    def spy(execute, sql, params, many, context):
        def recorded(sql, params, many, context):
            sent.append(sql)
            return execute(sql, params, many, context)

        return run_prepared(recorded, sql, params, many, context)

    monkeypatch.setattr(prepared, "run_prepared", spy)
    prepared_page = APIClient().get(url)
    assert prepared_page.status_code == plain.status_code == 200
    assert prepared_page.content == plain.content
    assert any(sql.startswith("EXECUTE ogp_") for sql in sent)


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite case")
@pytest.mark.django_db
def test_other_databases_run_plain_sql():
    with prepared_statements():
        assert connection.execute_wrappers == []
        assert run("SELECT %s + 1", [1]) == [(2,)]


def plan_cache_mode():
    return run("SHOW plan_cache_mode", ())[0][0]


def plans_made(sql_text):
    """(generic plans, custom plans) PostgreSQL made for this session's statement."""
    [(generic, custom)] = run(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
        [sql_text.split()[1].split("(")[0]],
    )
    return generic, custom


def in_auto_mode():
    """Back to PostgreSQL's default mode, whatever an earlier test left on the connection."""
    with prepared_statements():
        run(ROWS + " WHERE v.n = %s", [0])
    assert plan_cache_mode() == "auto"


def executed(sent):
    return [sql.rsplit("; ", 1)[-1] for sql in sent]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_inside_generic_plans_a_statement_is_planned_once_for_any_values():
    in_auto_mode()
    generic = ROWS + " WHERE v.n >= %s ORDER BY v.n"
    custom = ROWS + " WHERE v.n <= %s ORDER BY v.n"
    with prepared_statements(), sent_to_postgres() as sent:
        with prepared.generic_plans():
            answers = [run(generic, [n]) for n in (1, 2, 3)]
        assert plan_cache_mode() == "force_generic_plan"
        others = [run(custom, [n]) for n in (1, 2, 3)]
    assert answers == [run(generic, [n]) for n in (1, 2, 3)]  # as plain SQL
    assert others == [run(custom, [n]) for n in (1, 2, 3)]
    # The mode is set in the EXECUTE's own round trip, and only when it changes.
    sent = [sql for sql in sent if "EXECUTE ogp_" in sql]
    assert sent[0].startswith("SET plan_cache_mode = force_generic_plan; EXECUTE ogp_")
    assert sent[1].startswith("EXECUTE ogp_") and sent[2].startswith("EXECUTE ogp_")
    assert sent[3].startswith("SET plan_cache_mode = auto; EXECUTE ogp_")
    assert sent[4].startswith("EXECUTE ogp_") and sent[5].startswith("EXECUTE ogp_")
    assert plan_cache_mode() == "auto"
    assert plans_made(executed(sent)[0]) == (3, 0)
    assert plans_made(executed(sent)[3]) == (0, 3)  # auto: the first five runs are custom


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_mode_is_left_alone():
    """A rollback would undo a SET unseen: in a transaction the statement runs as it is."""
    in_auto_mode()
    sql = ROWS + " WHERE v.n > %s"
    with (
        prepared_statements(),
        sent_to_postgres() as sent,
        transaction.atomic(),
        prepared.generic_plans(),
    ):
        assert len(run(sql, [1])) == 2
    assert sent[0].startswith("EXECUTE ogp_")
    assert plan_cache_mode() == "auto"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_generic_statement_gone_behind_its_back_is_prepared_again_in_its_mode():
    in_auto_mode()
    sql = ROWS + " WHERE v.n >= %s ORDER BY v.n"
    with prepared_statements(), prepared.generic_plans(), sent_to_postgres() as sent:
        before = run(sql, [2])
        execute("DEALLOCATE ALL")
        execute("SET plan_cache_mode = auto")  # as a new server session would be
        prepared._prepared[connection.connection].mode = "auto"
        assert run(sql, [2]) == before
    assert sent[-1].startswith("SET plan_cache_mode = force_generic_plan; EXECUTE ogp_")
    assert plans_made(executed(sent)[-1]) == (1, 0)
    in_auto_mode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_unfiltered_page_is_planned_once_and_a_filtered_one_for_its_values(settings):
    """Outside a test's transaction, as in production: an unfiltered page's own SELECT and
    its nested lists (by the page's keys) run on generic plans; a filtered page's SELECT
    is planned for its values. The bytes are those of plain SQL."""
    world = build_world(2)
    in_auto_mode()
    code = world["commitments"][0].action_plan.cycle_year
    for url, generic in (
        ("/api/v1/commitments/?page_size=5", True),
        (f"/api/v1/commitments/?page_size=5&cycle_year={code}", False),
    ):
        settings.DATABASE_PREPARED_STATEMENTS = False
        plain = APIClient().get(url)
        settings.DATABASE_PREPARED_STATEMENTS = True
        with CaptureQueriesContext(connection) as queries:
            pages = [APIClient().get(url) for _ in range(3)]
        assert all(page.content == plain.content for page in pages), url
        statements = {executed([query["sql"]])[0] for query in queries.captured_queries}
        texts = {sql: statement_named(sql.split()[1].split("(")[0]) for sql in statements}
        nested = [sql for sql, text in texts.items() if "= ANY(" in text]
        limited = [sql for sql, text in texts.items() if "LIMIT" in text]
        assert nested and limited
        assert all(plans_made(sql)[1] == 0 for sql in nested), url  # never a custom plan
        expected = (3, 0) if generic else (0, 3)
        assert [plans_made(sql) for sql in limited] == [expected] * len(limited), url
    in_auto_mode()
