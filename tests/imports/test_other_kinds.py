"""Local plans, commitments, progress reports and Métrica scores import by their natural keys."""

import datetime
from decimal import Decimal

from commitments.models import ActionPlan, Commitment, ProgressReport
from states.models import MetricaEdition, MetricaScore, SecretariatMember
from tests.factories import PolicyAreaFactory, SourceFactory

from .helpers import csv_bytes, errors_of, run

PLAN_HEADER = ["state", "cycle_year", "title", "start_date", "end_date", "status", "secretariat"]


def test_a_state_editor_imports_a_new_plan_of_their_state_only(world):
    editor = world.users["state_editor"]
    rows = [
        PLAN_HEADER,
        [
            "14",
            "2032",
            "Plan 2032",
            "2032-01-01",
            "2033-12-31",
            "draft",
            "Gobierno de la Entidad 14 (government)",
        ],
        ["Entidad 19", "2032", "Plan ajeno", "", "", "draft", ""],
        ["Jalisko", "2033", "Mal escrito", "", "", "draft", ""],
    ]
    outcome = run("action_plans", csv_bytes(rows), user=editor, apply=True)
    errors = {(row, column): message for row, column, message in errors_of(outcome)}
    assert set(errors) == {(3, "state"), (4, "state")}
    assert "su entidad" in errors[(3, "state")]
    assert not outcome.applied

    outcome = run("action_plans", csv_bytes(rows[:2]), user=editor, apply=True)
    assert outcome.applied and outcome.created == 1
    plan = ActionPlan.objects.get(state__inegi_code="14", cycle_year=2032)
    assert (plan.title, plan.status, plan.scope) == ("Plan 2032", "draft", "state")
    assert list(
        SecretariatMember.objects.filter(action_plan=plan).values_list("sector", flat=True)
    ) == ["government"]
    again = run("action_plans", csv_bytes(rows[:2]), user=editor, apply=True)
    assert again.unchanged == 1


COMMITMENT_HEADER = [
    "code",
    "state",
    "cycle_year",
    "title_es",
    "title_en",
    "lead_institutions",
    "policy_areas",
    "aligned_with",
]


def test_commitments_resolve_institutions_areas_and_alignments_with_suggestions(world):
    PolicyAreaFactory(slug="open-data")
    editor = world.users["state_editor"]
    rows = [
        COMMITMENT_HEADER,
        [
            "JAL9002",
            "14",
            "2030",
            "Datos abiertos",
            "Open data",
            "Gobierno de la Entidad 14",
            "open-data",
            "MX9001",
        ],
        ["JAL9003", "14", "2030", "Otro", "", "Gobierno de la Entdad 14", "", ""],
        ["JAL9004", "14", "2030", "Otro más", "", "", "", "MX9O01"],
        ["JAL9005", "14", "2029", "Sin plan", "", "", "", ""],
    ]
    outcome = run("commitments", csv_bytes(rows), user=editor, apply=True)
    errors = {(row, column): message for row, column, message in errors_of(outcome)}
    assert set(errors) == {(3, "lead_institutions"), (4, "aligned_with"), (5, "cycle_year")}
    assert "¿Quiso decir «Gobierno de la Entidad 14»?" in errors[(3, "lead_institutions")]
    assert "¿Quiso decir «MX9001»?" in errors[(4, "aligned_with")]

    outcome = run("commitments", csv_bytes(rows[:2]), user=editor, name="c.csv", apply=True)
    assert outcome.applied
    created = Commitment.objects.get(code="JAL9002")
    assert created.action_plan == world.local_commitment.action_plan
    assert [c.code for c in created.aligned_with.all()] == ["MX9001"]
    assert created.history.get().history_user == editor

    rows[1][3] = "Datos abiertos para todos"
    outcome = run("commitments", csv_bytes(rows[:2]), user=editor, name="c2.csv", apply=True)
    assert outcome.updated == 1
    created.refresh_from_db()
    assert created.version == 2
    latest = created.history.first()
    assert latest.history_change_reason == "c2.csv"
    assert latest.changes == {"title_es": ["Datos abiertos", "Datos abiertos para todos"]}


def test_progress_reports_by_commitment_and_date(world):
    editor = world.users["state_editor"]
    rows = [["commitment", "date", "summary"], ["JAL9001", "2030-06-30", "Se instaló la mesa"]]
    assert run("progress_reports", csv_bytes(rows), user=editor, apply=True).created == 1
    report = ProgressReport.objects.get(commitment=world.local_commitment)
    assert (report.date, report.author) == (datetime.date(2030, 6, 30), editor)
    assert run("progress_reports", csv_bytes(rows), user=editor, apply=True).unchanged == 1
    rows.append(["JAL9001", "2035-01-01", "Después del plan"])
    outcome = run("progress_reports", csv_bytes(rows), user=editor, apply=True)
    assert [(e[0], e[1]) for e in errors_of(outcome)] == [(3, "date")]


def test_staff_import_metrica_scores(world):
    source = SourceFactory(key="inai-metrica-2021")
    MetricaEdition.objects.create(year=2021, national_average=Decimal("0.48"), source=source)
    header = ["state", "edition", "score", "transparency_government", "rank", "source"]
    rows = [
        header,
        ["14", "2021", "0.552", "0,61", "3", "inai-metrica-2021"],
        ["19", "2021", "1.5", "", "", "inai-metrica-2021"],
    ]
    staff = world.users["django_staff"]
    outcome = run("metrica_scores", csv_bytes(rows), user=staff, apply=True)
    assert [(e[0], e[1]) for e in errors_of(outcome)] == [(3, "score")]
    outcome = run("metrica_scores", csv_bytes(rows[:2]), user=staff, apply=True)
    assert outcome.applied
    score = MetricaScore.objects.get(state__inegi_code="14")
    assert (score.score, score.transparency_government, score.rank) == (
        Decimal("0.552"),
        Decimal("0.610"),
        3,
    )
    assert run("metrica_scores", csv_bytes(rows[:2]), user=staff).unchanged == 1
