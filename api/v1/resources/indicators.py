"""Stored indicators: per commitment, per scope and the daily snapshots."""

from collections.abc import Mapping
from operator import attrgetter
from typing import Any

import django_filters as filters
from django.db.models import Case, CharField, Model, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    ACTION_PLAN,
    COMMITMENT,
    STATE,
    BoundedDateFilter,
    DescribedModelSerializer,
    Fields,
    IntegerFilter,
    ListResource,
    Projection,
    Resource,
    StrictBooleanFilter,
    UpdatedSinceFilter,
    action_plan_filter,
    boolean_filter,
    completion_level_filter,
    cycle_year_filter,
    documented,
    ordering,
    scope_filter,
    state_code,
    state_filter,
)
from api.v1.resources.commitments import COMPLETION_LEVELS
from commitments import rules
from commitments.models import ActionPlan, Commitment
from commitments.rules import local_midnight, stale_before
from indicators.models import (
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    ScopeFigures,
    ScopeIndicator,
    ScopeKind,
    days_since,
)
from states.models import State


def commitment_indicators() -> QuerySet[CommitmentIndicator]:
    return CommitmentIndicator.objects.select_related("commitment__action_plan__state").order_by(
        "commitment__code"
    )


NATION_NAME = "México"


def _with_scope_names[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    """Name and state code of each row's scope, as correlated subqueries (no N+1)."""
    plans = ActionPlan.objects.filter(pk=OuterRef("scope_id"))
    states_ = State.objects.filter(pk=OuterRef("scope_id"))
    return queryset.annotate(
        scope_name=Case(
            When(scope_kind=ScopeKind.PLAN, then=Subquery(plans.values("title")[:1])),
            When(scope_kind=ScopeKind.STATE, then=Subquery(states_.values("short_name")[:1])),
            default=Value(NATION_NAME),
            output_field=CharField(),
        ),
        scope_state=Case(
            When(
                scope_kind=ScopeKind.PLAN,
                then=Subquery(plans.values("state__inegi_code")[:1]),
            ),
            When(scope_kind=ScopeKind.STATE, then=Subquery(states_.values("inegi_code")[:1])),
            default=Value(None),
            output_field=CharField(),
        ),
    )


def scope_indicators() -> QuerySet[ScopeIndicator]:
    return _with_scope_names(ScopeIndicator.objects.all()).order_by("scope_kind", "scope_id", "pk")


def indicator_snapshots() -> QuerySet[IndicatorSnapshot]:
    return _with_scope_names(IndicatorSnapshot.objects.all()).order_by(
        "-date", "scope_kind", "scope_id", "pk"
    )


class CommitmentIndicatorFilter(filters.FilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    action_plan = action_plan_filter("commitment__action_plan")
    scope = scope_filter("commitment__action_plan__scope")
    state = state_filter("commitment__action_plan__state")
    completion_level = completion_level_filter("completion_level")
    is_stale = StrictBooleanFilter(
        method="filter_stale",
        help_text=_("true: solo compromisos sin actualizar desde hace más de 90 días."),
    )
    is_on_time = boolean_filter("is_on_time", _("true: solo compromisos sin hitos vencidos."))
    updated_since = UpdatedSinceFilter(
        field_name="computed_at",
        lookup_expr="gte",
        help_text=_("Solo indicadores calculados en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering(
        "commitment__code",
        "completion_percent",
        # More days since the update is an older update.
        ("-last_update_at", "days_since_update"),
        "milestones_overdue",
        "computed_at",
    )

    class Meta:
        model = CommitmentIndicator
        fields = []

    def filter_stale(self, queryset, name, value):
        if value:
            return queryset.stale(timezone.localdate())
        return queryset.filter(last_update_at__gte=stale_before(timezone.localdate()))


def scope_kind_filter():
    return filters.ChoiceFilter(
        field_name="scope_kind",
        choices=ScopeKind.choices,
        help_text=_("Tipo de ámbito: plan, state o nation."),
    )


class ScopeIndicatorFilter(filters.FilterSet):
    scope_kind = scope_kind_filter()
    scope_id = IntegerFilter(
        field_name="scope_id",
        min_value=0,
        max_value=2**62,
        help_text=_("Identificador del plan o de la entidad (0 para el país)."),
    )
    updated_since = UpdatedSinceFilter(
        field_name="computed_at",
        lookup_expr="gte",
        help_text=_("Solo indicadores calculados en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering("scope_kind", "scope_id", "mean_completion", "commitments_total")

    class Meta:
        model = ScopeIndicator
        fields = []


class IndicatorSnapshotFilter(ScopeIndicatorFilter):
    updated_since = None
    date_from = BoundedDateFilter(
        field_name="date", lookup_expr="gte", help_text=_("Instantáneas de esta fecha en adelante.")
    )
    date_to = BoundedDateFilter(
        field_name="date", lookup_expr="lte", help_text=_("Instantáneas hasta esta fecha.")
    )
    ordering = ordering("date", "scope_kind", "scope_id", "mean_completion")

    class Meta:
        model = IndicatorSnapshot
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
COMMITMENT_INDICATOR_FIELDS = Fields(
    commitment=_("Clave del compromiso."),
    action_plan_id=_("Identificador del plan de acción."),
    state=_("Clave INEGI de la entidad del plan; nula en los planes nacionales."),
    completion_percent=_("Avance (%); nulo sin información registrada (no es 0 %)."),
    completion_level=COMPLETION_LEVELS,
    milestones_total=_("Hitos."),
    milestones_withdrawn=_("Hitos retirados."),
    milestones_on_time=_("Hitos a tiempo."),
    milestones_overdue=_("Hitos vencidos."),
    last_update_at=_("Última actualización."),
    days_since_update=_("Días desde la última actualización, a la fecha de hoy."),
    is_stale=_("Sin actualizar desde hace más de 90 días."),
    is_on_time=_(
        "Sin hitos vencidos (con el plan concluido, todo hito abierto está vencido); nulo sin "
        "información registrada."
    ),
    civil_society_agreement_share=_("Proporción de acuerdo de la sociedad civil (0 a 1)."),
    civil_society_dispute_share=_("Proporción de desacuerdo de la sociedad civil (0 a 1)."),
    is_disputed=_("La sociedad civil disputa el avance reportado; nulo sin valoraciones."),
    replicating_states=_(
        "Solo compromisos nacionales: entidades cuyos compromisos locales lo replican."
    ),
    computed_at=_("Calculado."),
    milestones_reported=_("Hitos con avance reportado; las cifras se calculan sobre ellos."),
)


class CommitmentIndicatorSerializer(DescribedModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="code", read_only=True)
    action_plan = serializers.IntegerField(
        source="commitment.action_plan_id", help_text=_("Identificador del plan de acción.")
    )
    state = serializers.CharField(source="commitment.action_plan.state.inegi_code", allow_null=True)
    completion_level = serializers.ChoiceField(choices=CompletionLevel.choices)
    # Derived from last_update_at and today's date (Mexico City) when the response is made.
    days_since_update = serializers.IntegerField(read_only=True)
    is_stale = serializers.BooleanField(read_only=True)

    class Meta:
        model = CommitmentIndicator
        fields = [
            "commitment",
            "action_plan",
            "state",
            "completion_percent",
            "completion_level",
            "milestones_total",
            "milestones_withdrawn",
            "milestones_on_time",
            "milestones_overdue",
            "last_update_at",
            "days_since_update",
            "is_stale",
            "is_on_time",
            "civil_society_agreement_share",
            "civil_society_dispute_share",
            "is_disputed",
            "replicating_states",
            "computed_at",
        ]
        descriptions = COMMITMENT_INDICATOR_FIELDS


SCOPE_FIGURES = [*ScopeFigures.FIGURES, "commitments_with_information"]
# One description per field of the scope tables (indicators and their daily snapshots),
# for the JSON (schema) and the CSV alike.
SCOPE_FIELDS = Fields(
    date=_("Fecha."),
    scope_kind=_("Tipo de ámbito: plan (plan de acción), state (entidad) o nation (país)."),
    scope_id=_("Identificador del plan de acción o de la entidad; 0 para el ámbito nacional."),
    scope_name=_("Nombre del ámbito: título del plan, nombre de la entidad o «México»."),
    state=_(
        "Clave INEGI de la entidad del ámbito (la entidad o la del plan estatal); "
        "nula (vacía en el CSV) para el país y los planes nacionales."
    ),
    commitments_total=_("Compromisos."),
    commitments_not_started=_("Compromisos sin iniciar."),
    commitments_limited=_("Compromisos con avance limitado."),
    commitments_substantial=_("Compromisos con avance sustancial."),
    commitments_complete=_("Compromisos completos."),
    commitments_withdrawn=_("Compromisos retirados."),
    mean_completion=_(
        "Avance promedio (%) de los compromisos con información y no retirados; nulo si no "
        "hay ninguno. Su cobertura: commitments_with_information de commitments_total."
    ),
    share_on_time=_(
        "Proporción (0 a 1) a tiempo de los compromisos con información y no retirados."
    ),
    share_stale=_(
        "Proporción (0 a 1) sin actualizar de los compromisos con información y no retirados."
    ),
    share_disputed=_("Proporción (0 a 1) de compromisos valorados que están en disputa."),
    computed_at=_("Calculado."),
    commitments_no_information=_(
        "Compromisos sin información registrada (sin hitos ni avance en el portal)."
    ),
    commitments_with_information=_(
        "Cobertura: compromisos con información registrada, sobre los que se calculan el "
        "avance promedio y las proporciones."
    ),
)
scope_column = SCOPE_FIELDS.column


class ScopeFieldsMixin(serializers.Serializer):
    commitments_with_information = serializers.IntegerField(read_only=True)
    scope_kind = serializers.ChoiceField(choices=ScopeKind.choices)
    scope_id = serializers.IntegerField()
    scope_name = serializers.CharField()
    state = serializers.CharField(source="scope_state", allow_null=True)


class ScopeIndicatorSerializer(ScopeFieldsMixin, DescribedModelSerializer):
    class Meta:
        model = ScopeIndicator
        fields = ["scope_kind", "scope_id", "scope_name", "state", *SCOPE_FIGURES, "computed_at"]
        descriptions = SCOPE_FIELDS


class IndicatorSnapshotSerializer(ScopeFieldsMixin, DescribedModelSerializer):
    class Meta:
        model = IndicatorSnapshot
        fields = ["id", "date", "scope_kind", "scope_id", "scope_name", "state", *SCOPE_FIGURES]
        descriptions = SCOPE_FIELDS


column = COMMITMENT_INDICATOR_FIELDS.column

COMMITMENT_INDICATORS = Resource(
    name="commitment_indicators",
    title=_("Indicadores por compromiso"),
    queryset=commitment_indicators,
    primary_key=("commitment",),
    columns=(
        column(
            "commitment",
            "string",
            lambda o: o.commitment.code,
            references=COMMITMENT,
        ),
        column(
            "action_plan_id",
            "integer",
            lambda o: o.commitment.action_plan_id,
            required=True,
            references=ACTION_PLAN,
        ),
        column(
            "state",
            "string",
            state_code("commitment.action_plan.state"),
            references=STATE,
        ),
        column(
            "completion_percent",
            "number",
            attrgetter("completion_percent"),
        ),
        column(
            "completion_level",
            "string",
            attrgetter("completion_level"),
            required=True,
        ),
        column(
            "milestones_total",
            "integer",
            attrgetter("milestones_total"),
            required=True,
        ),
        column(
            "milestones_withdrawn",
            "integer",
            attrgetter("milestones_withdrawn"),
            required=True,
        ),
        column(
            "milestones_on_time",
            "integer",
            attrgetter("milestones_on_time"),
            required=True,
        ),
        column(
            "milestones_overdue",
            "integer",
            attrgetter("milestones_overdue"),
            required=True,
        ),
        column(
            "last_update_at",
            "datetime",
            attrgetter("last_update_at"),
            required=True,
        ),
        column(
            "days_since_update",
            "integer",
            attrgetter("days_since_update"),
            required=True,
        ),
        column(
            "is_stale",
            "boolean",
            attrgetter("is_stale"),
            required=True,
        ),
        column(
            "is_on_time",
            "boolean",
            attrgetter("is_on_time"),
        ),
        column(
            "civil_society_agreement_share",
            "number",
            attrgetter("civil_society_agreement_share"),
        ),
        column(
            "civil_society_dispute_share",
            "number",
            attrgetter("civil_society_dispute_share"),
        ),
        column("is_disputed", "boolean", attrgetter("is_disputed")),
        column(
            "replicating_states",
            "integer",
            attrgetter("replicating_states"),
        ),
        column("computed_at", "datetime", attrgetter("computed_at"), required=True),
        column(
            "milestones_reported",
            "integer",
            attrgetter("milestones_reported"),
            required=True,
        ),
    ),
)

SCOPE_FIGURE_COLUMNS = (
    scope_column(
        "commitments_total",
        "integer",
        attrgetter("commitments_total"),
        required=True,
    ),
    *(
        scope_column(
            f"commitments_{level}",
            "integer",
            attrgetter(f"commitments_{level}"),
            required=True,
        )
        for level in ("not_started", "limited", "substantial", "complete", "withdrawn")
    ),
    scope_column(
        "mean_completion",
        "number",
        attrgetter("mean_completion"),
    ),
    scope_column(
        "share_on_time",
        "number",
        attrgetter("share_on_time"),
    ),
    scope_column(
        "share_stale",
        "number",
        attrgetter("share_stale"),
    ),
    scope_column(
        "share_disputed",
        "number",
        attrgetter("share_disputed"),
    ),
)
# The coverage beside every figure; appended at the end of the scope tables.
SCOPE_COVERAGE_COLUMNS = (
    scope_column(
        "commitments_no_information",
        "integer",
        attrgetter("commitments_no_information"),
        required=True,
    ),
    scope_column(
        "commitments_with_information",
        "integer",
        attrgetter("commitments_with_information"),
        required=True,
    ),
)
# scope_id is an action plan's id, a state's id or 0 (no table holds all three), so it is
# part of the key but references nothing; `state` does.
SCOPE_COLUMNS = (
    scope_column("scope_kind", "string", attrgetter("scope_kind")),
    scope_column("scope_id", "integer", attrgetter("scope_id")),
    scope_column("scope_name", "string", attrgetter("scope_name")),
    scope_column(
        "state",
        "string",
        attrgetter("scope_state"),
        references=STATE,
    ),
)

SCOPE_INDICATORS = Resource(
    name="scope_indicators",
    title=_("Indicadores por ámbito"),
    queryset=scope_indicators,
    primary_key=("scope_kind", "scope_id"),
    columns=(
        *SCOPE_COLUMNS,
        *SCOPE_FIGURE_COLUMNS,
        scope_column("computed_at", "datetime", attrgetter("computed_at"), required=True),
        *SCOPE_COVERAGE_COLUMNS,
    ),
)

INDICATOR_SNAPSHOTS = Resource(
    name="indicator_snapshots",
    title=_("Instantáneas diarias de indicadores"),
    queryset=indicator_snapshots,
    primary_key=("date", "scope_kind", "scope_id"),
    columns=(
        scope_column("date", "date", attrgetter("date"), required=True),
        *SCOPE_COLUMNS,
        *SCOPE_FIGURE_COLUMNS,
        *SCOPE_COVERAGE_COLUMNS,
    ),
)


def days_since_update(row: Mapping[str, Any]) -> int:
    """CommitmentIndicator.days_since_update, of a projected row."""
    return days_since(row["last_update_at"], today=timezone.localdate())


def is_stale(row: Mapping[str, Any]) -> bool:
    """CommitmentIndicator.is_stale, of a projected row."""
    return rules.is_stale(row["last_update_at"], today=timezone.localdate())


@documented(
    serializer=CommitmentIndicatorSerializer,
    export=COMMITMENT_INDICATORS,
    name=_("indicadores por compromiso"),
    description=_(
        "Los indicadores guardados de cada compromiso (avance ponderado, nivel de "
        "cumplimiento, hitos a tiempo y vencidos, días sin actualizar). Los calcula una tarea "
        "después de cada cambio de avance; un compromiso recién creado aparece tras su primer "
        "cálculo."
    ),
    detail=False,
)
class CommitmentIndicatorViewSet(ListResource):
    serializer_class = CommitmentIndicatorSerializer
    filterset_class = CommitmentIndicatorFilter
    export = COMMITMENT_INDICATORS
    projection = Projection(
        CommitmentIndicatorSerializer,
        computed={
            "days_since_update": (("last_update_at",), days_since_update),
            "is_stale": (("last_update_at",), is_stale),
        },
        stamps=("computed_at",),
    )

    def get_queryset(self):
        return commitment_indicators()

    def modified_at(self, obj):
        return self.projected_modified_at(obj.computed_at)

    def projected_modified_at(self, stamp):
        # Days since the update and "stale" move at local midnight without a recompute.
        return max(stamp, local_midnight(timezone.localdate()))


@documented(
    serializer=ScopeIndicatorSerializer,
    export=SCOPE_INDICATORS,
    name=_("indicadores por ámbito"),
    description=_(
        "Los indicadores más recientes de cada ámbito: cada plan de acción (plan), cada "
        "entidad (state, sus planes estatales) y el país (nation, todos los compromisos)."
    ),
    detail=False,
)
class ScopeIndicatorViewSet(ListResource):
    serializer_class = ScopeIndicatorSerializer
    filterset_class = ScopeIndicatorFilter
    export = SCOPE_INDICATORS

    def get_queryset(self):
        return scope_indicators()

    def modified_at(self, obj):
        return obj.computed_at


@documented(
    serializer=IndicatorSnapshotSerializer,
    export=INDICATOR_SNAPSHOTS,
    name=_("instantáneas de indicadores"),
    description=_(
        "Los indicadores de cada ámbito al cierre de cada día, para series de tiempo; "
        "de la más reciente a la más antigua (`date_from`, `date_to` acotan las fechas)."
    ),
    detail=False,
)
class IndicatorSnapshotViewSet(ListResource):
    serializer_class = IndicatorSnapshotSerializer
    filterset_class = IndicatorSnapshotFilter
    export = INDICATOR_SNAPSHOTS

    def get_queryset(self):
        return indicator_snapshots()

    def modified_at(self, obj):
        return None
