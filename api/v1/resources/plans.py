"""Action plans (national and local): selector, filters, serializers, CSV columns, viewsets."""

import django_filters as filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    JOIN,
    STATE,
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    ListResource,
    Resource,
    count_of,
    cycle_year_filter,
    documented,
    ordering,
    scope_filter,
    source_column,
    state_code,
    state_filter,
)
from api.v1.resources.states import StateSummarySerializer
from commitments.models import ActionPlan, Commitment, PlanStatus
from states.models import SecretariatMember


def action_plans() -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.select_related("state", "source")
        .annotate(commitment_count=count_of(Commitment, "action_plan"))
        .order_by("-cycle_year", "title", "pk")
    )


class ActionPlanFilter(ApiFilterSet):
    cycle_year = cycle_year_filter("cycle_year")
    scope = scope_filter("scope")
    state = state_filter("state")
    status = filters.ChoiceFilter(
        choices=PlanStatus.choices, help_text=_("Estado del plan: draft, active o closed.")
    )
    ordering = ordering("cycle_year", "title", "start_date", "updated_at", "commitment_count")
    search_fields = ("title",)
    search_kind = "action_plan"

    class Meta:
        model = ActionPlan
        fields = ["cycle_year", "scope", "state", "status"]


# One description per field, for the JSON (schema) and the CSV alike.
PLAN_FIELDS = Fields(
    id=_("Identificador del plan."),
    scope=_("Ámbito: national o state."),
    state=_(
        "Entidad federativa (en el CSV, su clave INEGI); nula en los planes nacionales "
        "(vacía en el CSV)."
    ),
    cycle_year=_("Año de inicio del ciclo."),
    title=_("Título del plan."),
    start_date=_("Fecha de inicio; vacía si la fuente no la da (ver start_precision)."),
    end_date=_("Fecha de fin; vacía si la fuente no la da (ver end_precision)."),
    status=_("Estado: draft, active, closed o unknown (la fuente no dice cuándo termina)."),
    commitment_count=_("Número de compromisos del plan."),
    updated_at=_("Última actualización."),
    start_precision=_("Precisión de start_date según la fuente: day, month o year."),
    end_precision=_("Precisión de end_date según la fuente: day, month o year."),
    program=_("Ejercicio local: cocreacion_local (INAI) u ogp_local; vacío si es nacional."),
    declared_commitments=_(
        "Compromisos que la fuente dice que tiene el plan; vacío si no lo dice."
    ),
    secretariat=_(
        "Secretariado técnico local: instituciones con su sector entre paréntesis "
        "(government, oversight o civil_society), separadas por «; »."
    ),
)
plan_column = PLAN_FIELDS.column


class ActionPlanSummarySerializer(DescribedModelSerializer):
    state = serializers.SlugRelatedField(
        slug_field="inegi_code",
        read_only=True,
        allow_null=True,
        help_text=_("Clave INEGI de la entidad; nula en los planes nacionales."),
    )

    class Meta:
        model = ActionPlan
        fields = ["id", "scope", "state", "cycle_year", "title"]


class ActionPlanSerializer(DescribedModelSerializer):
    state = StateSummarySerializer(allow_null=True)
    commitment_count = serializers.IntegerField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "scope",
            "state",
            "cycle_year",
            "title",
            "start_date",
            "end_date",
            "status",
            "commitment_count",
            "updated_at",
        ]
        descriptions = PLAN_FIELDS


ACTION_PLANS = Resource(
    name="action_plans",
    title=_("Planes de acción"),
    queryset=action_plans,
    primary_key=("id",),
    prefetch=(
        Prefetch(
            "secretariat_members",
            queryset=SecretariatMember.objects.select_related("institution").order_by(
                "position", "pk"
            ),
        ),
    ),
    columns=(
        plan_column("id", "integer", lambda o: o.pk),
        plan_column("scope", "string", lambda o: o.scope, required=True),
        plan_column(
            "state",
            "string",
            state_code("state"),
            references=STATE,
        ),
        plan_column(
            "cycle_year",
            "integer",
            lambda o: o.cycle_year,
            required=True,
        ),
        plan_column("title", "string", lambda o: o.title),
        plan_column(
            "start_date",
            "date",
            lambda o: o.start_date,
        ),
        plan_column(
            "end_date",
            "date",
            lambda o: o.end_date,
        ),
        plan_column(
            "status",
            "string",
            lambda o: o.status,
            required=True,
        ),
        plan_column(
            "commitment_count",
            "integer",
            lambda o: o.commitment_count,
            required=True,
        ),
        plan_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
        plan_column(
            "start_precision",
            "string",
            lambda o: o.start_precision,
            required=True,
        ),
        plan_column(
            "end_precision",
            "string",
            lambda o: o.end_precision,
            required=True,
        ),
        plan_column(
            "program",
            "string",
            lambda o: o.program,
        ),
        plan_column(
            "declared_commitments",
            "integer",
            lambda o: o.declared_commitments,
        ),
        source_column(),
        plan_column(
            "secretariat",
            "string",
            lambda o: JOIN.join(
                f"{member.institution.name} ({member.sector})"
                for member in o.secretariat_members.all()
            ),
        ),
    ),
)


@documented(
    serializer=ActionPlanSerializer,
    export=ACTION_PLANS,
    name=_("planes de acción"),
    description=_("Planes de acción nacionales y estatales (filtre por `scope`)."),
)
class ActionPlanViewSet(ListAndDetailResource):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    export = ACTION_PLANS

    def get_queryset(self):
        return action_plans()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at) if obj.state else obj.updated_at


@documented(
    serializer=ActionPlanSerializer,
    export=ACTION_PLANS,
    name=_("planes de acción locales"),
    description=_("Solo los planes de acción estatales (ámbito local)."),
    detail=False,
)
class LocalActionPlanViewSet(ListResource):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    export = ACTION_PLANS
    modified_at = ActionPlanViewSet.modified_at

    def get_queryset(self):
        return action_plans().filter(scope="state")
