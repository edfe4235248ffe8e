"""Synthetic local (state) action plans for load tests and benchmarks.

Scale: ``--scale 1`` makes ``COMMITMENTS_PER_SCALE`` (2,000) local commitments
in plans of about ``COMMITMENTS_PER_PLAN`` (20), with 5 to 15 milestones each
(10 on average, so about 20,000 milestones); ``--scale 5`` makes about
100,000 milestones. Plans go round the 32 states, one per state per cycle
year (from 2016, skipping years a state already has a plan for).

Everything random comes from ``random.Random(seed)`` and dates are relative to
``as_of`` (today by default), so the same seed, scale and day give the same
data. Demo commitments are coded ``DEMO-…`` and demo plans titled
``DEMO_PLAN_TITLE …``; a second run refuses while they exist, and
``replace=True`` deletes them first. Real data is never touched.

"Updates" are the milestones' and commitments' ``updated_at``, spread over
the past year (a third of commitments untouched for more than 90 days), until
the progress-report history of the editing issue exists.
"""

import datetime
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commitments.models import ActionPlan, Alignment, Commitment, Milestone
from ogp_portal.outbox import data_changed
from states.models import State

COMMITMENTS_PER_SCALE = 2000
COMMITMENTS_PER_PLAN = 20
MILESTONES_PER_COMMITMENT = (5, 15)
FIRST_CYCLE = 2016
BATCH_SIZE = 2000
DEMO_CODE_PREFIX = "DEMO-"
DEMO_PLAN_TITLE = "Plan de Acción Local de demostración"
NATIONAL_DEMO_COMMITMENTS = 12
ALIGNED_SHARE = 0.35
WITHDRAWN_COMMITMENT_SHARE = 0.02
REPLICATES_SHARE = 0.7

STATES = [
    ("01", "Aguascalientes", "AGS"),
    ("02", "Baja California", "BC"),
    ("03", "Baja California Sur", "BCS"),
    ("04", "Campeche", "CAMP"),
    ("05", "Coahuila de Zaragoza", "COAH"),
    ("06", "Colima", "COL"),
    ("07", "Chiapas", "CHIS"),
    ("08", "Chihuahua", "CHIH"),
    ("09", "Ciudad de México", "CDMX"),
    ("10", "Durango", "DGO"),
    ("11", "Guanajuato", "GTO"),
    ("12", "Guerrero", "GRO"),
    ("13", "Hidalgo", "HGO"),
    ("14", "Jalisco", "JAL"),
    ("15", "México", "MEX"),
    ("16", "Michoacán de Ocampo", "MICH"),
    ("17", "Morelos", "MOR"),
    ("18", "Nayarit", "NAY"),
    ("19", "Nuevo León", "NL"),
    ("20", "Oaxaca", "OAX"),
    ("21", "Puebla", "PUE"),
    ("22", "Querétaro", "QRO"),
    ("23", "Quintana Roo", "QROO"),
    ("24", "San Luis Potosí", "SLP"),
    ("25", "Sinaloa", "SIN"),
    ("26", "Sonora", "SON"),
    ("27", "Tabasco", "TAB"),
    ("28", "Tamaulipas", "TAMPS"),
    ("29", "Tlaxcala", "TLAX"),
    ("30", "Veracruz de Ignacio de la Llave", "VER"),
    ("31", "Yucatán", "YUC"),
    ("32", "Zacatecas", "ZAC"),
]

THEMES = [
    ("datos abiertos de obra pública", "open data on public works"),
    ("presupuesto participativo", "participatory budgeting"),
    ("contrataciones abiertas", "open contracting"),
    ("transparencia en salud", "transparency in health"),
    ("rendición de cuentas de seguridad pública", "accountability in public security"),
    ("participación de juventudes", "youth participation"),
    ("acceso a la justicia", "access to justice"),
    ("agua y medio ambiente", "water and environment"),
    ("igualdad de género", "gender equality"),
    ("combate a la corrupción", "anti-corruption"),
    ("padrones de programas sociales", "social programme registries"),
    ("parlamento abierto", "open parliament"),
]
STEPS = [
    "Diagnóstico participativo",
    "Mesa de cocreación con sociedad civil",
    "Publicación de datos en formato abierto",
    "Desarrollo de la plataforma",
    "Capacitación a servidores públicos",
    "Piloto en municipios",
    "Informe de resultados",
    "Evaluación externa",
]
WEIGHTS = [1, 1, 1, 1, 2, 2, 3, 5]


class DemoDataExists(Exception):
    """Demo data is already there; pass replace=True to regenerate it."""


@dataclass(frozen=True)
class DemoSummary:
    plans: int
    commitments: int
    milestones: int
    alignments: int
    national_created: int


def generate_demo_data(*, scale, seed, as_of=None, replace=False, on_progress=None):
    """Make synthetic local plans, commitments, milestones and alignments in bulk.

    Refuses (DemoDataExists) when demo data exists, unless ``replace`` deletes it first.
    """
    as_of = as_of or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    with transaction.atomic():
        data_changed()
        existing = Commitment.objects.filter(code__startswith=DEMO_CODE_PREFIX).count()
        if existing and not replace:
            raise DemoDataExists(existing)
        if existing or replace:
            delete_demo_data()
        states = _ensure_states()
        nationals, national_created = _national_commitments(as_of=as_of)
        plans = _local_plans(rng, states=states, scale=scale, as_of=as_of)
        commitments, alignments = _commitments(rng, plans=plans, nationals=nationals)
        milestones = _milestones(rng, commitments=commitments, as_of=as_of, progress=on_progress)
        _spread_updates(rng, commitments=commitments, as_of=as_of)
    return DemoSummary(
        plans=len(plans),
        commitments=len(commitments),
        milestones=milestones,
        alignments=alignments,
        national_created=national_created,
    )


def delete_demo_data():
    """Delete every demo commitment (milestones and alignments go with them) and demo plan."""
    Commitment.objects.filter(code__startswith=DEMO_CODE_PREFIX).delete()
    ActionPlan.objects.filter(title__startswith=DEMO_PLAN_TITLE, commitments__isnull=True).delete()


def _ensure_states():
    if not State.objects.exists():
        State.objects.bulk_create(
            State(
                inegi_code=code,
                official_name=name,
                short_name=name,
                abbreviation=abbreviation,
                slug=name.lower().replace(" ", "-"),
            )
            for code, name, abbreviation in STATES
        )
    return list(State.objects.order_by("inegi_code"))


def _national_commitments(*, as_of):
    """The national commitments to align to; a small demo national plan when there are none."""
    national = Commitment.objects.filter(action_plan__scope=ActionPlan.Scope.NATIONAL)
    ids = list(national.order_by("code").values_list("pk", flat=True))
    if ids:
        return ids, 0
    used = set(
        ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).values_list(
            "cycle_year", flat=True
        )
    )
    year = next(year for year in range(as_of.year - 1, 2100) if year not in used)
    plan = ActionPlan.objects.create(
        scope=ActionPlan.Scope.NATIONAL,
        cycle_year=year,
        title=f"{DEMO_PLAN_TITLE} (nacional) {year}",
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year + 1, 12, 31),
        status=_plan_status(datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31), as_of),
    )
    created = Commitment.objects.bulk_create(
        Commitment(
            code=f"{DEMO_CODE_PREFIX}MX-{n:02d}",
            action_plan=plan,
            title_es=f"Estrategia nacional de {THEMES[n % len(THEMES)][0]}",
            title_en=f"National strategy on {THEMES[n % len(THEMES)][1]}",
            start_date=plan.start_date,
            end_date=plan.end_date,
        )
        for n in range(1, NATIONAL_DEMO_COMMITMENTS + 1)
    )
    return [commitment.pk for commitment in created], len(created)


def _plan_status(start, end, as_of):
    if start > as_of:
        return ActionPlan.Status.DRAFT
    return ActionPlan.Status.ACTIVE if end >= as_of else ActionPlan.Status.CLOSED


def _local_plans(rng, *, states, scale, as_of):
    commitments_wanted = max(1, round(COMMITMENTS_PER_SCALE * scale))
    plan_count = math.ceil(commitments_wanted / COMMITMENTS_PER_PLAN)
    used = set(
        ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE).values_list(
            "state_id", "cycle_year"
        )
    )
    # Biennial cycles back from last year first (most plans are recent), then the
    # years in between, then future cycles (drafts).
    recent = as_of.year - 1
    years = [
        *range(recent, FIRST_CYCLE - 1, -2),
        *range(recent - 1, FIRST_CYCLE - 1, -2),
        *range(recent + 1, 2100),
    ]
    free = {state.pk: (y for y in years if (state.pk, y) not in used) for state in states}
    plans = []
    for n in range(plan_count):
        state = states[n % len(states)]
        year = next(free[state.pk], None)
        if year is None:
            raise ValueError("Scale too large: no cycle years left for the demo plans.")
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
        plan = ActionPlan(
            scope=ActionPlan.Scope.STATE,
            state=state,
            cycle_year=year,
            title=f"{DEMO_PLAN_TITLE} {state.short_name} {year}",
            start_date=start,
            end_date=end,
            status=_plan_status(start, end, as_of),
        )
        plans.append(plan)
    ActionPlan.objects.bulk_create(plans, batch_size=BATCH_SIZE)
    return list(zip(plans, _plan_sizes(rng, len(plans), commitments_wanted), strict=True))


def _plan_sizes(rng, plan_count, total):
    """Random plan sizes around COMMITMENTS_PER_PLAN that add up to exactly ``total``."""
    spread = COMMITMENTS_PER_PLAN * 3 // 10
    sizes = [
        rng.randint(COMMITMENTS_PER_PLAN - spread, COMMITMENTS_PER_PLAN + spread)
        for _ in range(plan_count)
    ]
    n = 0
    while (difference := total - sum(sizes)) != 0:
        step = 1 if difference > 0 else -1
        if sizes[n % plan_count] + step >= 1:
            sizes[n % plan_count] += step
        n += 1
    return sizes


def _commitments(rng, *, plans, nationals):
    commitments, alignments = [], []
    for plan, size in plans:
        for n in range(1, size + 1):
            theme_es, theme_en = rng.choice(THEMES)
            commitments.append(
                Commitment(
                    code=f"{DEMO_CODE_PREFIX}{plan.state.inegi_code}-{plan.cycle_year}-{n:02d}",
                    action_plan=plan,
                    title_es=f"{theme_es.capitalize()} en {plan.state.short_name}",
                    title_en=f"{theme_en.capitalize()} in {plan.state.short_name}",
                    description=f"Compromiso sintético de demostración sobre {theme_es}.",
                    start_date=plan.start_date,
                    end_date=plan.end_date,
                )
            )
    Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
    for commitment in commitments:
        if rng.random() < ALIGNED_SHARE:
            kind = (
                Alignment.Kind.REPLICATES
                if rng.random() < REPLICATES_SHARE
                else Alignment.Kind.COMPLEMENTS
            )
            alignments.append(
                Alignment(
                    local_commitment=commitment,
                    national_commitment_id=rng.choice(nationals),
                    kind=kind,
                )
            )
    Alignment.objects.bulk_create(alignments, batch_size=BATCH_SIZE)
    return commitments, len(alignments)


def _milestones(rng, *, commitments, as_of, progress):
    """Create 5 to 15 milestones per commitment, evenly spread over its dates; return the count."""
    batch, created = [], 0
    for done, commitment in enumerate(commitments, start=1):
        count = rng.randint(*MILESTONES_PER_COMMITMENT)
        # How well this commitment's team delivers; a few commitments are dropped entirely.
        diligence = rng.betavariate(4, 2)
        dropped = rng.random() < WITHDRAWN_COMMITMENT_SHARE
        span = (commitment.end_date - commitment.start_date).days
        start = commitment.start_date
        for position in range(1, count + 1):
            due = commitment.start_date + datetime.timedelta(days=span * position // count)
            milestone = _milestone(rng, commitment, position, start, due, as_of, diligence)
            if dropped:
                milestone.status, milestone.percent_complete = Milestone.Status.WITHDRAWN, 0
                milestone.actual_end_date = None
            batch.append(milestone)
            start = due
        if len(batch) >= BATCH_SIZE or done == len(commitments):
            Milestone.objects.bulk_create(batch)
            created += len(batch)
            batch = []
            if progress:
                progress(done, len(commitments))
    return created


def _milestone(rng, commitment, position, start, due, as_of, diligence):
    """Status and percent as a real plan would show them on ``as_of``."""
    status, percent, actual_start, actual_end = Milestone.Status.NOT_STARTED, 0, None, None
    roll = rng.random()
    if roll < 0.04 and start <= as_of:
        status = Milestone.Status.WITHDRAWN
    elif due < as_of:
        if rng.random() < diligence:
            status, percent = Milestone.Status.COMPLETE, 100
        elif roll < 0.8:
            status, percent = Milestone.Status.IN_PROGRESS, rng.randrange(10, 95, 5)
    elif start <= as_of and roll < diligence:
        status, percent = Milestone.Status.IN_PROGRESS, rng.randrange(5, 95, 5)
    if status in (Milestone.Status.IN_PROGRESS, Milestone.Status.COMPLETE):
        actual_start = min(start + datetime.timedelta(days=rng.randint(0, 20)), as_of)
    if status == Milestone.Status.COMPLETE:
        late = rng.choice([0, 0, 0, 5, 30]) if rng.random() < 0.3 else 0
        actual_end = min(max(due + datetime.timedelta(days=late), actual_start), as_of)
    step = STEPS[(position - 1) % len(STEPS)]
    return Milestone(
        commitment=commitment,
        position=position,
        title=f"{step} ({position})",
        start_date=start,
        due_date=due,
        weight=rng.choice(WEIGHTS),
        status=status,
        percent_complete=percent,
        actual_start_date=actual_start,
        actual_end_date=actual_end,
        progress_reported=True,
    )


def _spread_updates(rng, *, commitments, as_of):
    """Backdate updated_at (bulk_create stamps "now"): one UPDATE per distinct day, not per row.

    A third of the commitments were last touched 91 to 400 days ago; the rest in the
    last 60 days.
    """
    by_age = {}
    for commitment in commitments:
        stale = rng.random() < 1 / 3
        age = rng.randint(91, 400) if stale else rng.randint(0, 60)
        by_age.setdefault(age, []).append(commitment.pk)
    noon = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(12)))
    for age, ids in sorted(by_age.items()):
        when = noon - datetime.timedelta(days=age)
        Commitment.objects.filter(pk__in=ids).update(updated_at=when)
        Milestone.objects.filter(commitment_id__in=ids).update(updated_at=when)
