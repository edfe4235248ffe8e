"""The progress history feed of commitments and milestones: selectors, filters, the
serializer, CSV columns, the viewset (cursor pagination over two tables).
"""

import functools
import json
from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from accounts.models import Role
from api.v1.pagination import HistoryFeedPagination, check_page_parameters
from api.v1.resources.base import (
    CommitmentLinkFilters,
    FeedResource,
    Fields,
    IntegerFilter,
    ListResource,
    UpdatedSinceFilter,
    documented,
    flat_file_response,
)
from commitments.models import ActionPlan, Commitment, Milestone, PlanScope
from states.models import State


def _history(history: Any, *, commitment_path: str) -> QuerySet[Any]:
    """History rows a reader sees on the public timeline, newest first.

    Rows without a change and creation rows written by the data load (no
    user) are left out, as on the commitment page.
    """
    return (
        history.exclude(changes={})
        .exclude(history_type="+", history_user__isnull=True)
        .select_related(commitment_path, "history_user__membership__institution")
        .order_by("-history_date", "-history_id")
    )


def commitment_history() -> QuerySet[Any]:
    """History rows of commitments (the commitment is the row itself)."""
    return _history(Commitment.history, commitment_path="action_plan")


def milestone_history() -> QuerySet[Any]:
    return _history(Milestone.history, commitment_path="commitment")


def progress_events() -> dict[str, QuerySet[Any]]:
    """The progress history feed: one queryset per kind of row, merged by api.history_feed."""
    return {"commitment": commitment_history(), "milestone": milestone_history()}


class HistoryFilterBase(CommitmentLinkFilters):
    """Filters of the history feed, applied alike to commitment and milestone history rows.

    `plan_path` leads from a history row to the action plan; `commitment_pk` to the
    commitment's id. The feed keeps its keyset order, so there is no `ordering`.
    """

    plan_path = ""
    kind = None
    search = None  # history rows have no search

    updated_since = UpdatedSinceFilter(
        field_name="history_date",
        lookup_expr="gte",
        help_text=_("Solo cambios hechos en o después de esta fecha y hora ISO 8601."),
    )
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = IntegerFilter(
        min_value=2011,
        max_value=2100,
        method="filter_plan",
        help_text=_("Año de inicio del ciclo del plan de acción (p. ej. 2019)."),
    )
    action_plan = filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.all(),
        method="filter_action_plan",
        help_text=_("Identificador del plan de acción."),
    )
    scope = filters.ChoiceFilter(
        choices=PlanScope.choices,
        method="filter_plan",
        help_text=_("Ámbito del plan: nacional (national) o estatal (state)."),
    )
    state = filters.ModelChoiceFilter(
        queryset=State.objects.all(),
        to_field_name="inegi_code",
        method="filter_state",
        help_text=_("Clave INEGI de dos dígitos de la entidad federativa (p. ej. 09)."),
    )
    type = filters.ChoiceFilter(
        choices=[("commitment", _("Compromiso")), ("milestone", _("Hito"))],
        method="filter_type",
        help_text=_("Solo cambios de compromisos (commitment) o de hitos (milestone)."),
    )
    PLAN_LOOKUPS = {
        "cycle_year": "cycle_year",
        "action_plan": "pk",
        "scope": "scope",
        "state": "state",
    }

    def filter_commitment(self, queryset, name, value):
        return queryset.filter(**{self.commitment_pk: value.pk})

    def filter_plan(self, queryset, name, value):
        # The history tables' plan is a plain key: compare ids, not ActionPlan/State rows
        # (`?action_plan=1` on the progress history was a 500).
        value = getattr(value, "pk", value)
        return queryset.filter(**{f"{self.plan_path}__{self.PLAN_LOOKUPS[name]}": value})

    def filter_action_plan(self, queryset, name, value: int):  # hint = query type
        return self.filter_plan(queryset, name, value)

    def filter_state(self, queryset, name, value: str):  # hint = query type
        return self.filter_plan(queryset, name, value)

    def filter_type(self, queryset, name, value):
        return queryset if value == self.kind else queryset.none()


class CommitmentHistoryFilter(HistoryFilterBase):
    plan_path = "action_plan"
    kind = "commitment"
    commitment_pk = "id"

    class Meta:
        model = Commitment.history.model
        fields = []


class MilestoneHistoryFilter(HistoryFilterBase):
    plan_path = "commitment__action_plan"
    kind = "milestone"
    commitment_pk = "commitment_id"

    class Meta:
        model = Milestone.history.model
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
EVENT_FIELDS = Fields(
    id=_("Identificador del evento: `commitment-<n>` o `milestone-<n>`."),
    occurred_at=_("Momento del cambio."),
    kind=_("Qué cambió: el compromiso (commitment) o uno de sus hitos (milestone)."),
    change=_("Tipo de cambio: created (alta), changed (cambio) o deleted (baja)."),
    commitment=_("Clave del compromiso."),
    milestone=_("Identificador del hito; nulo si cambió el compromiso."),
    milestone_id=_("Identificador del hito; vacío si cambió el compromiso."),
    milestone_title=_("Título del hito tras el cambio; nulo (vacío en el CSV) para el compromiso."),
    status=_("Estado del hito tras el cambio; nulo (vacío en el CSV) para el compromiso."),
    percent_complete=_(
        "Avance del hito tras el cambio; nulo (vacío en el CSV) para el compromiso."
    ),
    version=_("Versión del registro tras el cambio."),
    changes=_(
        "Campos que cambiaron, cada uno como [antes, después] (fechas en ISO 8601; antes es "
        "nulo en un alta); en el CSV, ese objeto en JSON: {campo: [antes, después]}."
    ),
    editor_role=_(
        "Rol de quien hizo el cambio; nulo (vacío en el CSV) en la carga de datos oficiales. "
        "Nunca se publica el nombre ni el correo de la persona."
    ),
    editor_institution=_("Institución de quien hizo el cambio, si pertenece a una."),
)
event_column = EVENT_FIELDS.column


class ProgressEventSerializer(serializers.Serializer):
    """One history row of a commitment or a milestone (django-simple-history)."""

    id = serializers.CharField(help_text=EVENT_FIELDS["id"])
    occurred_at = serializers.DateTimeField(
        source="history_date", help_text=EVENT_FIELDS["occurred_at"]
    )
    kind = serializers.ChoiceField(
        choices=[("commitment", _("Compromiso")), ("milestone", _("Hito"))],
        help_text=EVENT_FIELDS["kind"],
    )
    change = serializers.ChoiceField(
        choices=[("created", _("Alta")), ("changed", _("Cambio")), ("deleted", _("Baja"))],
        help_text=EVENT_FIELDS["change"],
    )
    commitment = serializers.CharField(help_text=EVENT_FIELDS["commitment"])
    milestone = serializers.IntegerField(allow_null=True, help_text=EVENT_FIELDS["milestone"])
    milestone_title = serializers.CharField(
        allow_null=True, help_text=EVENT_FIELDS["milestone_title"]
    )
    status = serializers.ChoiceField(
        choices=Milestone.Status.choices,
        allow_null=True,
        help_text=EVENT_FIELDS["status"],
    )
    percent_complete = serializers.IntegerField(
        allow_null=True, help_text=EVENT_FIELDS["percent_complete"]
    )
    version = serializers.IntegerField(help_text=EVENT_FIELDS["version"])
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
        help_text=EVENT_FIELDS["changes"],
    )
    editor_role = serializers.ChoiceField(
        choices=Role.choices,
        allow_null=True,
        help_text=EVENT_FIELDS["editor_role"],
    )
    editor_institution = serializers.CharField(
        allow_null=True,
        help_text=EVENT_FIELDS["editor_institution"],
    )


@functools.cache
def event_fields():
    """(name, attribute, to_representation) of ProgressEventSerializer's fields."""
    fields = ProgressEventSerializer(context={}).fields
    return [(name, field.source, field.to_representation) for name, field in fields.items()]


def event_rows(events):
    """The JSON rows of a page of events: the serializer's fields' own representations,
    without its per-field machinery (the serializer stays for the schema)."""
    fields = event_fields()
    return [
        {
            name: None if (value := getattr(event, source)) is None else represent(value)
            for name, source, represent in fields
        }
        for event in events
    ]


# No foreign keys: a history row keeps the code a commitment had then, and a milestone's
# id outlives it in its "deleted" row.
PROGRESS_EVENTS = FeedResource(
    name="progress_history",
    title=_("Historial de avance"),
    queryset=progress_events,
    primary_key=("id",),
    columns=(
        event_column("id", "string", lambda o: o.id),
        event_column(
            "occurred_at",
            "datetime",
            lambda o: o.history_date,
            required=True,
        ),
        event_column(
            "kind",
            "string",
            lambda o: o.kind,
            required=True,
        ),
        event_column(
            "change",
            "string",
            lambda o: o.change,
            required=True,
        ),
        event_column("commitment", "string", lambda o: o.commitment),
        event_column("milestone_id", "integer", lambda o: o.milestone),
        event_column("milestone_title", "string", lambda o: o.milestone_title),
        event_column("status", "string", lambda o: o.status),
        event_column(
            "percent_complete",
            "integer",
            lambda o: o.percent_complete,
        ),
        event_column(
            "version",
            "integer",
            lambda o: o.version,
            required=True,
        ),
        event_column(
            "changes",
            "object",
            lambda o: json.dumps(o.changes, ensure_ascii=False, sort_keys=True),
        ),
        event_column("editor_role", "string", lambda o: o.editor_role),
        event_column(
            "editor_institution",
            "string",
            lambda o: o.editor_institution,
        ),
    ),
)


@documented(
    serializer=ProgressEventSerializer,
    export=PROGRESS_EVENTS,
    name=_("historial de avance"),
    description=_(
        "Historial de cambios de los compromisos y de sus hitos, del más reciente al más "
        "antiguo, con paginación por cursor: siga `next` para continuar; el costo de cada "
        "página no crece con la historia. Cada evento dice qué campos cambiaron (`changes`) y, "
        "de quien lo hizo, solo su rol y su institución. No incluye la carga de datos oficiales."
    ),
    detail=False,
)
class ProgressHistoryViewSet(ListResource):
    serializer_class = ProgressEventSerializer
    # The milestone filters document the parameters; both kinds of row get the same ones.
    filterset_class = MilestoneHistoryFilter
    filtersets = {
        "commitment": CommitmentHistoryFilter,
        "milestone": MilestoneHistoryFilter,
    }
    pagination_class = HistoryFeedPagination
    export = PROGRESS_EVENTS
    queryset = Milestone.history.none()  # for the schema only: list() reads both tables

    def filtered_feed(self):
        if "ordering" in self.request.query_params:
            raise ValidationError(
                {"ordering": [_("El historial siempre va del cambio más reciente al más antiguo.")]}
            )
        querysets = progress_events()
        for kind, filterset_class in self.filtersets.items():
            filterset = filterset_class(
                self.request.query_params, queryset=querysets[kind], request=self.request
            )
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            querysets[kind] = filterset.qs
        return querysets

    def list(self, request, *args, **kwargs):
        if self.cached:
            return self.cached_response()
        querysets = self.filtered_feed()
        if request.accepted_renderer.format != JSONRenderer.format:
            check_page_parameters(self.paginator, request)
            return flat_file_response(request, self.export, querysets)
        events = self.paginator.paginate_feed(querysets, request)
        self.served = events
        return self.paginator.get_paginated_response(event_rows(events))

    def modified_at(self, event):
        return event.history_date
