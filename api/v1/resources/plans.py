"""Action plans (national and local): selector, filters, serializers, CSV columns, viewsets."""

import django_filters as filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    JOIN,
    STATE,
    ApiFilterSet,
    C,
    DescribedModelSerializer,
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


def action_plans():
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
    state = StateSummarySerializer(
        allow_null=True, help_text=_("Entidad federativa; nula en los planes nacionales.")
    )
    commitment_count = serializers.IntegerField(help_text=_("Número de compromisos del plan."))

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
        C("id", "integer", _("Identificador del plan."), lambda o: o.pk),
        C("scope", "string", _("Ámbito: national o state."), lambda o: o.scope, required=True),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es nacional)."),
            state_code("state"),
            references=STATE,
        ),
        C(
            "cycle_year",
            "integer",
            _("Año de inicio del ciclo."),
            lambda o: o.cycle_year,
            required=True,
        ),
        C("title", "string", _("Título del plan."), lambda o: o.title),
        C(
            "start_date",
            "date",
            _("Fecha de inicio; vacía si la fuente no la da (ver start_precision)."),
            lambda o: o.start_date,
        ),
        C(
            "end_date",
            "date",
            _("Fecha de fin; vacía si la fuente no la da (ver end_precision)."),
            lambda o: o.end_date,
        ),
        C(
            "status",
            "string",
            _("Estado: draft, active, closed o unknown (la fuente no dice cuándo termina)."),
            lambda o: o.status,
            required=True,
        ),
        C(
            "commitment_count",
            "integer",
            _("Número de compromisos."),
            lambda o: o.commitment_count,
            required=True,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "start_precision",
            "string",
            _("Precisión de start_date según la fuente: day, month o year."),
            lambda o: o.start_precision,
            required=True,
        ),
        C(
            "end_precision",
            "string",
            _("Precisión de end_date según la fuente: day, month o year."),
            lambda o: o.end_precision,
            required=True,
        ),
        C(
            "program",
            "string",
            _("Ejercicio local: cocreacion_local (INAI) u ogp_local; vacío si es nacional."),
            lambda o: o.program,
        ),
        C(
            "declared_commitments",
            "integer",
            _("Compromisos que la fuente dice que tiene el plan; vacío si no lo dice."),
            lambda o: o.declared_commitments,
        ),
        source_column(),
        C(
            "secretariat",
            "string",
            _(
                "Secretariado técnico local: instituciones con su sector entre paréntesis "
                "(government, oversight o civil_society), separadas por «; »."
            ),
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
