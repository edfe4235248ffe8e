"""Milestones: selector, filters, serializers, CSV columns, the read viewset."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    COMMITMENT,
    C,
    CommitmentLinkFilters,
    DescribedModelSerializer,
    ListAndDetailResource,
    Resource,
    action_plan_filter,
    cycle_year_filter,
    documented,
    ordering,
    scope_filter,
    state_filter,
)
from commitments.models import (
    Commitment,
    Milestone,
    MilestoneStatus,
)


def milestones():
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


class MilestoneSerializer(NestedMilestoneSerializer):
    commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )

    class Meta(NestedMilestoneSerializer.Meta):
        fields = [
            "id",
            "commitment",
            *NestedMilestoneSerializer.Meta.fields[1:],
            "narrative",
        ]


MILESTONES = Resource(
    name="milestones",
    title=_("Hitos"),
    queryset=milestones,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del hito."), lambda o: o.pk),
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C(
            "position",
            "integer",
            _("Orden dentro del compromiso."),
            lambda o: o.position,
            required=True,
        ),
        C("title", "string", _("Título del hito."), lambda o: o.title),
        C("start_date", "date", _("Inicio previsto."), lambda o: o.start_date),
        C("due_date", "date", _("Fecha compromiso."), lambda o: o.due_date),
        C(
            "weight",
            "integer",
            _("Peso en el avance del compromiso."),
            lambda o: o.weight,
            required=True,
        ),
        C(
            "status",
            "string",
            _(
                "Estado: not_started, in_progress, complete o withdrawn; vacío si nadie ha "
                "reportado su avance (progress_reported falso)."
            ),
            lambda o: o.status if o.progress_reported else None,
        ),
        C(
            "percent_complete",
            "integer",
            _("Avance en porcentaje (0 a 100); vacío si nadie ha reportado su avance."),
            lambda o: o.percent_complete if o.progress_reported else None,
        ),
        C("actual_start_date", "date", _("Inicio real."), lambda o: o.actual_start_date),
        C("actual_end_date", "date", _("Conclusión real."), lambda o: o.actual_end_date),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "progress_reported",
            "boolean",
            _("Alguien reportó su avance; si no, su estado y avance son desconocidos."),
            lambda o: o.progress_reported,
            required=True,
        ),
        C("narrative", "string", _("Descripción del avance."), lambda o: o.narrative),
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
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return milestones()
