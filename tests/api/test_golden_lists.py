"""Every list under /api/v1/ answers, for one fixed world, exactly what it answered before.

The world is Mexico's real data (load_mexico_ogp) plus a few milestones with reported
progress (history rows), reports, comments, assessments, meetings, agreements and the
recomputed indicators, built under a clock that starts at a fixed instant and ticks one
millisecond per reading (then each column's instants are renumbered in order, so the
values do not depend on how often the code reads the clock), with the factories' sequences and
the tables' id sequences restarted, so ids, slugs, texts and timestamps are the same on
every run and on SQLite and PostgreSQL alike. Each list's first JSON page (parsed) and
its whole CSV (bytes) are compared with the files under tests/api/golden/, and the
OpenAPI schema with golden/schema.yaml, so a refactor cannot change a response or the
schema silently.

Nothing is masked. Where a backend legitimately answers differently, it has its own file
under golden/<vendor>/ (written by UPDATE_GOLDEN=1 on that backend only when it differs):
the schema (integer bounds come from the backend: SQLite reports 64-bit ranges for small
integer fields) and the indicator snapshots (their ids follow the recompute's insertion
order, set-based SQL on PostgreSQL). Undated participation records get a year where NULL
would decide their order (see unambiguous_participations). Left out on purpose: the XLSX
exports (a zip whose members carry the time they were written) and /api/v1/search/ (a
different engine per backend, FTS5 or tsvector, with its own tests; not a `*_list`).

`UPDATE_GOLDEN=1 pytest tests/api/test_golden_lists.py` rewrites the files after an
intended change; review the diff before committing it.
"""

import contextlib
import datetime
import inspect
import io
import json
import os
from pathlib import Path
from unittest import mock

import factory
import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone
from rest_framework.test import APIClient

from commitments.models import Commitment, Milestone
from indicators.services import recompute_all
from states.models import StateParticipation
from tests import factories
from tests.api.conftest import record_progress

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.getenv("UPDATE_GOLDEN") == "1"
START = datetime.datetime(2025, 3, 3, 15, 0, tzinfo=datetime.UTC)


class TickingClock:
    """timezone.now() for the golden world: a fixed start, one millisecond later per call."""

    def __init__(self, start):
        self.current = start

    def __call__(self):
        self.current += datetime.timedelta(milliseconds=1)
        return self.current


def restart_id_sequences():
    """Each table's next id follows its highest id, whatever earlier tests consumed."""
    all_models = list(apps.get_models(include_auto_created=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), all_models):
                cursor.execute(statement)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_sequence")
            for (table,) in cursor.fetchall():
                # The table name comes from sqlite_sequence itself, not from input.
                highest = f'(SELECT COALESCE(MAX(rowid), 0) FROM "{table}")'  # noqa: S608
                cursor.execute(
                    f"UPDATE sqlite_sequence SET seq = {highest} WHERE name = %s",  # noqa: S608
                    [table],
                )


def restart_factory_sequences():
    for _, member in inspect.getmembers(factories, inspect.isclass):
        if issubclass(member, factory.django.DjangoModelFactory) and member._meta.model:
            member.reset_sequence(force=True)


def unambiguous_participations():
    """A year for the undated participation records that share a state and programme with
    a dated one: the API orders them by (programme, start year) and the backends put NULL
    at opposite ends (SQLite first, PostgreSQL last)."""
    dated = set(
        StateParticipation.objects.filter(start_year__isnull=False).values_list(
            "state_id", "program"
        )
    )
    for record in StateParticipation.objects.filter(start_year__isnull=True).order_by("pk"):
        if (record.state_id, record.program) in dated:
            StateParticipation.objects.filter(pk=record.pk).update(start_year=2011)


def renumber_timestamps():
    """Every stored instant becomes one of a fixed series that keeps each column's order.

    The ticking clock gives each reading its own instant, so the values would depend on how
    many times the code under test happens to read the clock, and on what else it stores;
    only the order of a column's events is the world's. Each column's distinct instants are
    numbered in order (equal stay equal), from a day before the clock, so no stored instant
    is in the future.
    """
    base = START - datetime.timedelta(days=1)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:  # a proxy's table is its concrete model's
            continue
        for field in model._meta.local_concrete_fields:
            if not isinstance(field, DateTimeField):
                continue
            rows = model._base_manager.exclude(**{field.attname: None})
            instants = sorted(set(rows.values_list(field.attname, flat=True)))
            for n, value in enumerate(instants, start=1):
                model._base_manager.filter(**{field.attname: value}).update(
                    **{field.attname: base + datetime.timedelta(milliseconds=n)}
                )


def build_golden_world():
    call_command("load_mexico_ogp", stdout=io.StringIO())
    unambiguous_participations()
    commitments = list(Commitment.objects.order_by("code")[:4])
    editor = factories.UserFactory(username="editora", is_staff=True)
    for n, commitment in enumerate(commitments):
        first = factories.MilestoneFactory(
            commitment=commitment,
            position=101,
            title=f"Hito dorado {n} A",
            due_date=datetime.date(2024, 6, 30),
            percent_complete=0,
            status="not_started",
        )
        factories.MilestoneFactory(
            commitment=commitment,
            position=102,
            title=f"Hito dorado {n} B",
            due_date=datetime.date(2026, 6, 30),
        )
        record_progress(first, editor, percent_complete=25 * (n + 1) % 100 or 100)
        record_progress(first, editor, percent_complete=30 + n, narrative=f"Avance {n}.")
    reviewers = [
        factories.ReviewerFactory(
            user=factories.UserFactory(username=f"revisora{n}"),
            institution=factories.OrganisationFactory(name=f"Colectivo {n}", acronym=f"C{n}"),
        ).user
        for n in range(2)
    ]
    space = factories.CoordinationSpaceFactory(name="Espacio dorado", slug="espacio-dorado")
    for n, commitment in enumerate(commitments):
        author = reviewers[n % 2]
        institution = author.membership.institution
        root = factories.CommentFactory(
            commitment=commitment, author=author, institution=institution
        )
        factories.CommentFactory(commitment=commitment, parent=root, author=reviewers[(n + 1) % 2])
        milestone = commitment.milestones.get(position=101)
        report = factories.ProgressReportFactory(commitment=commitment)
        factories.AssessmentFactory(
            progress_report=report, organisation=institution, reviewer=author, verdict="agree"
        )
        factories.AssessmentFactory(
            progress_report=None,
            milestone=milestone,
            milestone_version=Milestone.objects.get(pk=milestone.pk).version,
            commitment=commitment,
            organisation=institution,
            reviewer=author,
            verdict="dispute",
        )
        meeting = factories.MeetingFactory(space=space)
        factories.AgendaItemFactory(meeting=meeting, position=1)
        agreement = factories.AgreementFactory(
            meeting=meeting,
            responsible=commitments[0].lead_institutions.order_by("pk").first()
            or factories.InstitutionFactory(),
            due_date=datetime.date(2024, 1, 1) if n % 2 else datetime.date(2027, 1, 1),
        )
        agreement.commitments.set([commitment])
        factories.CommentFactory(commitment=None, meeting=meeting, author=author)
    recompute_all()
    renumber_timestamps()


@contextlib.contextmanager
def fixed_clock():
    """timezone.now, and the fields whose default is timezone.now itself, read the clock."""
    clock = TickingClock(START)
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "default", None) is timezone.now
    ]
    # A field caches its default's getter (`Field._get_default`, a cached_property) on first
    # use: drop it on the way in and out, or every later test keeps this clock.
    for field in fields:
        field.default = clock
        field.__dict__.pop("_get_default", None)
    try:
        with mock.patch("django.utils.timezone.now", clock):
            yield
    finally:
        for field in fields:
            field.default = timezone.now
            field.__dict__.pop("_get_default", None)


def test_the_golden_clock_leaves_every_field_default_on_the_real_clock():
    """Later tests write `created_at` by default: they must not inherit the fixed clock."""
    field = apps.get_model("reviews", "Comment")._meta.get_field("created_at")
    field.get_default()  # the getter is cached on first use, as any earlier test would
    with fixed_clock():
        assert field.get_default() < START + datetime.timedelta(minutes=1)
    assert abs(field.get_default() - timezone.now()) < datetime.timedelta(minutes=1)


@pytest.fixture(scope="module")
def golden_world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), fixed_clock(), transaction.atomic():
        restart_id_sequences()
        restart_factory_sequences()
        build_golden_world()
        yield
        transaction.set_rollback(True)


def list_paths(schema=None):
    """The GET operations of the schema that DRF names `*_list`: every list endpoint."""
    if schema is None:
        file = GOLDEN / "schema.yaml"
        schema = yaml.safe_load(file.read_text()) if file.exists() else {"paths": {}}
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if operations.get("get", {}).get("operationId", "").endswith("_list")
    )


def golden_name(path):
    return path.removeprefix("/api/v1/").strip("/").replace("/", "__")


def read(file, binary):
    return file.read_bytes() if binary else json.loads(file.read_text())


def compare_or_update(name, actual, *, binary=False):
    """Compare with golden/<name>, or golden/<vendor>/<name> where this backend differs.

    The shared files are written on SQLite; another backend gets a file of its own only
    for what legitimately differs (see the module docstring).
    """
    shared, own = GOLDEN / name, GOLDEN / connection.vendor / name
    if UPDATE:
        if connection.vendor == "sqlite" or not shared.exists():
            file = shared
        elif read(shared, binary) != actual:
            file = own
        else:
            own.unlink(missing_ok=True)
            return
        file.parent.mkdir(exist_ok=True)
        if binary:
            file.write_bytes(actual)
        else:
            file.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return
    file = own if own.exists() else shared
    assert file.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1 and review it"
    expected = read(file, binary)
    if binary:
        assert actual == expected, f"{file} changed ({len(actual)} vs {len(expected)} bytes)"
    else:
        assert actual == expected, f"{file} changed"


def live_schema():
    out = io.StringIO()
    call_command("spectacular", stdout=out)
    return out.getvalue()


def test_openapi_schema_is_unchanged():
    compare_or_update("schema.yaml", live_schema().encode(), binary=True)


def test_every_list_endpoint_has_its_golden_files():
    # From the live URL conf, so a new list endpoint fails here until it has golden files.
    paths = list_paths(yaml.safe_load(live_schema()))
    assert "/api/v1/commitments/" in paths and "/api/v1/progress-history/" in paths
    for path in paths:
        for suffix in (".json", ".csv"):
            file = GOLDEN / f"{golden_name(path)}{suffix}"
            assert UPDATE or file.exists(), f"{path} has no golden {suffix}: UPDATE_GOLDEN=1"


@pytest.mark.parametrize("path", list_paths())
def test_list_json_is_unchanged(golden_world, db, path):
    response = APIClient().get(path)
    assert response.status_code == 200, response.content[:300]
    compare_or_update(f"{golden_name(path)}.json", response.json())


@pytest.mark.parametrize("path", list_paths())
def test_list_csv_is_unchanged(golden_world, db, path):
    response = APIClient().get(path, {"format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    compare_or_update(f"{golden_name(path)}.csv", body, binary=True)


def test_the_world_is_not_empty(golden_world, db):
    # A golden file of empty lists would prove nothing.
    assert Commitment.objects.count() > 50
    assert Milestone.objects.filter(title__startswith="Hito dorado").count() == 8
