"""A state's editor brings milestones in from a spreadsheet: preview first, then apply."""

import datetime

from commitments.models import Milestone
from indicators.models import RecomputeRequest

from .helpers import MILESTONE_HEADER, csv_bytes, errors_of, run

ROWS = [
    MILESTONE_HEADER,
    [
        "JAL9001",
        "1",
        "Instalar la mesa",
        "2030-01-15",
        "2030-03-31",
        "1",
        "complete",
        "100",
        "Hecho",
    ],
    ["JAL9001", "3", "Publicar datos", "2030-02-01", "2030-12-31", "2", "in_progress", "40", ""],
    ["JAL9001", "4", "Informe final", "", "2031-06-30", "", "", "", ""],
]


def test_dry_run_counts_what_would_change_and_changes_nothing(world, django_assert_max_num_queries):
    editor = world.users["state_editor"]
    before = list(Milestone.objects.values_list("pk", "version", "title"))

    outcome = run("milestones", csv_bytes(ROWS), user=editor)

    assert errors_of(outcome) == []
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 1, 0)
    assert outcome.applied is False
    assert list(Milestone.objects.values_list("pk", "version", "title")) == before


def test_apply_creates_updates_with_history_and_one_recompute_request(world):
    editor = world.users["state_editor"]
    RecomputeRequest.objects.all().delete()

    outcome = run("milestones", csv_bytes(ROWS), user=editor, name="plan-jalisco.csv", apply=True)

    assert outcome.applied and (outcome.created, outcome.updated) == (2, 1)
    first = Milestone.objects.get(commitment=world.local_commitment, position=1)
    assert (first.title, first.status, first.percent_complete) == (
        "Instalar la mesa",
        "complete",
        100,
    )
    assert first.version == 2 and first.progress_reported
    assert first.due_date == datetime.date(2030, 3, 31)
    last = Milestone.objects.get(commitment=world.local_commitment, position=4)
    assert last.weight == 1 and last.progress_reported is False  # blank status: not reported
    history = first.history.first()
    assert history.history_user == editor
    assert history.history_change_reason == "plan-jalisco.csv"
    assert history.changes["title"][1] == "Instalar la mesa"
    created = last.history.get()
    assert created.history_type == "+" and created.history_user == editor
    assert created.history_change_reason == "plan-jalisco.csv"
    assert list(RecomputeRequest.objects.values_list("commitment", flat=True)) == [
        world.local_commitment.pk
    ]


def test_importing_the_same_file_again_changes_nothing(world):
    editor = world.users["state_editor"]
    run("milestones", csv_bytes(ROWS), user=editor, apply=True)
    versions = list(Milestone.objects.order_by("pk").values_list("pk", "version"))

    again = run("milestones", csv_bytes(ROWS), user=editor, apply=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Milestone.objects.order_by("pk").values_list("pk", "version")) == versions


def test_row_errors_name_row_column_and_cause_and_nothing_is_applied(world):
    editor = world.users["state_editor"]
    rows = [
        MILESTONE_HEADER,
        ["JAL9001", "1", "Bien", "2030-01-15", "2030-03-31", "1", "in_progress", "10", ""],
        ["JAL9010", "1", "Código mal escrito", "", "", "", "", "", ""],
        ["JAL9001", "5", "Fecha rara", "31-31-2030", "", "", "", "", ""],
        ["JAL9001", "6", "Demasiado", "", "", "", "in_progress", "140", ""],
        ["NL9001", "1", "De otra entidad", "", "", "", "", "", ""],
        ["JAL9001", "1", "Repetido", "", "", "", "", "", ""],
        ["JAL9001", "7", "Fuera del plan", "2029-01-01", "", "", "", "", ""],
    ]
    before = list(Milestone.objects.values_list("pk", "version", "title"))

    outcome = run("milestones", csv_bytes(rows), user=editor, apply=True)

    errors = {(row, column): message for row, column, message in errors_of(outcome)}
    assert set(errors) == {
        (3, "commitment"),
        (4, "start_date"),
        (5, "percent_complete"),
        (6, "commitment"),
        (7, "position"),
        (8, "start_date"),
    }
    assert "¿Quiso decir «JAL9001»?" in errors[(3, "commitment")]
    assert "AAAA-MM-DD" in errors[(4, "start_date")]
    assert "entre 0 y 100" in errors[(5, "percent_complete")]
    assert "su entidad" in errors[(6, "commitment")]
    assert "la fila 2" in errors[(7, "position")]
    assert "periodo del plan" in errors[(8, "start_date")]
    assert outcome.applied is False
    assert list(Milestone.objects.values_list("pk", "version", "title")) == before


def test_staff_import_milestones_of_any_plan(world):
    rows = [MILESTONE_HEADER, ["MX9001", "3", "Nuevo hito nacional", "", "", "", "", "", ""]]

    outcome = run("milestones", csv_bytes(rows), user=world.users["django_staff"], apply=True)

    assert outcome.applied
    assert world.national_commitment.milestones.filter(position=3).exists()


def milestone_rows(count):
    return [MILESTONE_HEADER] + [
        ["JAL9001", str(p), f"Hito {p}", "", "2031-06-30", "1", "in_progress", "10", ""]
        for p in range(3, 3 + count)
    ]


def test_queries_do_not_grow_with_the_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = world.users["state_editor"]
    counts = []
    for count in (20, 400):
        with CaptureQueriesContext(connection) as few:
            run("milestones", csv_bytes(milestone_rows(count)), user=editor)
        with CaptureQueriesContext(connection) as applied:
            run("milestones", csv_bytes(milestone_rows(count)), user=editor, apply=True)
        counts.append((len(few), len(applied)))
        Milestone.objects.filter(position__gte=3).delete()
    assert counts[0] == counts[1]


def test_imported_milestones_are_found_by_the_search_at_once(world):
    from search import selectors

    editor = world.users["state_editor"]
    rows = [
        MILESTONE_HEADER,
        ["JAL9001", "7", "Georreferenciar las obras", "", "", "", "", "", "Con mapas abiertos"],
        ["JAL9001", "8", "Auditar las obras", "", "", "", "", "", ""],
    ]

    outcome = run("milestones", csv_bytes(rows), user=editor, apply=True)

    assert outcome.applied and outcome.created == 2
    created = Milestone.objects.filter(commitment=world.local_commitment, position__in=(7, 8))
    hits = selectors.search("obras", kinds=("milestone",)).hits
    assert sorted(hit.object_id for hit in hits) == sorted(m.pk for m in created)
    georeferenced = created.get(position=7)
    [hit] = selectors.search("georreferenciar", kinds=("milestone",)).hits
    assert (hit.object_id, hit.code) == (georeferenced.pk, "JAL9001")
    [hit] = selectors.search("mapas", kinds=("milestone",)).hits  # the narrative too
    assert hit.object_id == georeferenced.pk
