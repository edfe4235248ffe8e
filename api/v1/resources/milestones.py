"""Milestones: selector, filters, serializers, CSV columns, the read viewset."""

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    COMMITMENT,
    CommitmentLinkFilters,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Projection,
    Resource,
    action_plan_filter,
    cycle_year_filter,
    documented,
    ordering,
    scope_filter,
    state_filter,
)
from commitments.models import Commitment, Milestone, MilestoneStatus


def milestones() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("commitment__action_plan__state").order_by(
        "commitment__code", "position", "pk"
    )


class MilestoneLinkFilters(CommitmentLinkFilters):
    """Filters of milestones by their commitment's classification."""

    commitment_prefix = "commitment__"

    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    action_plan = action_plan_filter("commitment__action_plan")
    scope = scope_filter("commitment__action_plan__scope")
    state = state_filter("commitment__action_plan__state")
    status = filters.ChoiceFilter(
        choices=MilestoneStatus.choices,
        help_text=_("Estado del hito: not_started, in_progress, complete o withdrawn."),
    )
    search_fields = ("title", "commitment__code")
    search_kind = "milestone"

    class Meta:
        model = Milestone
        fields = []


class MilestoneFilter(MilestoneLinkFilters):
    ordering = ordering(
        "position", "due_date", "start_date", "percent_complete", "updated_at", "commitment__code"
    )

    class Meta:
        model = Milestone
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
MILESTONE_FIELDS = Fields(
    id=_("Identificador del hito."),
    commitment=_("Clave del compromiso."),
    position=_("Orden dentro del compromiso."),
    title=_("Título del hito."),
    start_date=_("Inicio previsto."),
    due_date=_("Fecha compromiso."),
    weight=_("Peso en el avance del compromiso."),
    status=_(
        "Estado: not_started, in_progress, complete o withdrawn; en el CSV, vacío si nadie "
        "ha reportado su avance (progress_reported falso)."
    ),
    percent_complete=_(
        "Avance en porcentaje (0 a 100); en el CSV, vacío si nadie ha reportado su avance."
    ),
    actual_start_date=_("Inicio real."),
    actual_end_date=_("Conclusión real."),
    updated_at=_("Última actualización."),
    progress_reported=_("Alguien reportó su avance; si no, su estado y avance son desconocidos."),
    narrative=_("Descripción del avance."),
)


class NestedMilestoneSerializer(DescribedModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "position",
            "title",
            "start_date",
            "due_date",
            "weight",
            "status",
            "percent_complete",
            "actual_start_date",
            "actual_end_date",
            "version",
            "updated_at",
        ]
        descriptions = MILESTONE_FIELDS


class MilestoneSerializer(NestedMilestoneSerializer):
    commitment = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(NestedMilestoneSerializer.Meta):
        fields = [
            "id",
            "commitment",
            *NestedMilestoneSerializer.Meta.fields[1:],
            "narrative",
        ]


column = MILESTONE_FIELDS.column

MILESTONES = Resource(
    name="milestones",
    title=_("Hitos"),
    queryset=milestones,
    primary_key=("id",),
    columns=(
        column("id", "integer", lambda o: o.pk),
        column(
            "commitment",
            "string",
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        column("position", "integer", lambda o: o.position, required=True),
        column("title", "string", lambda o: o.title),
        column("start_date", "date", lambda o: o.start_date),
        column("due_date", "date", lambda o: o.due_date),
        column("weight", "integer", lambda o: o.weight, required=True),
        column("status", "string", lambda o: o.status if o.progress_reported else None),
        column(
            "percent_complete",
            "integer",
            lambda o: o.percent_complete if o.progress_reported else None,
        ),
        column("actual_start_date", "date", lambda o: o.actual_start_date),
        column("actual_end_date", "date", lambda o: o.actual_end_date),
        column("updated_at", "datetime", lambda o: o.updated_at, required=True),
        column("progress_reported", "boolean", lambda o: o.progress_reported, required=True),
        column("narrative", "string", lambda o: o.narrative),
    ),
)


@documented(
    serializer=MilestoneSerializer,
    export=MILESTONES,
    name=_("hitos"),
    description=_("Hitos de los compromisos con su estado y avance."),
)
class MilestoneReadViewSet(ListAndDetailResource):
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    export = MILESTONES
    projection = Projection(MilestoneSerializer)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return milestones()
