"""The reporting rounds in the public API: /api/v1/reporting-rounds/ and /reporting-round-entries/.

Built on api.v1's resources (JSON lists, `?format=csv`, conditional GETs); the querysets
come from round_selectors, the same the board reads.
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    ApiFilterSet,
    Column,
    DescribedModelSerializer,
    ListResource,
    Resource,
    documented,
)
from api.v1.resources.base import ListAndDetailResource as ReadOnlyResource

from . import round_selectors as selectors
from .round_models import EntryStatus, ReportingRound, ReviewOutcome, RoundEntry
from .round_release import board_resource


class ReportingRoundSerializer(DescribedModelSerializer):
    action_plan = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Identificador del plan de acción (si el alcance es un plan).")
    )
    commitment_count = serializers.IntegerField(
        read_only=True, help_text=_("Compromisos en la ronda.")
    )
    url = serializers.SerializerMethodField(help_text=_("Página del tablero de la ronda."))

    class Meta:
        model = ReportingRound
        fields = [
            "id",
            "name",
            "scope",
            "action_plan",
            "opens_on",
            "deadline",
            "validation_ends_on",
            "status",
            "closed_at",
            "commitment_count",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class RoundEntrySerializer(DescribedModelSerializer):
    commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )
    institution = serializers.CharField(
        source="institution_name", read_only=True, help_text=_("Institución responsable.")
    )
    state = serializers.CharField(
        source="state_name",
        read_only=True,
        help_text=_("Entidad federativa (vacía para compromisos nacionales)."),
    )
    status = serializers.ChoiceField(
        choices=EntryStatus.choices, help_text=_("Entrega: pending, submitted o late.")
    )
    review = serializers.CharField(
        help_text=_("Validación: awaiting, validated, disputed, not_reviewed o vacía.")
    )
    report_date = serializers.DateField(
        source="progress_report.date",
        read_only=True,
        allow_null=True,
        help_text=_("Fecha del informe de avance entregado."),
    )
    reviews = serializers.SerializerMethodField(
        help_text=_("Valoración de cada organización: organisation, verdict, reason.")
    )

    class Meta:
        model = RoundEntry
        fields = [
            "id",
            "round",
            "commitment",
            "institution",
            "state",
            "status",
            "review",
            "submitted_at",
            "report_date",
            "reviews",
        ]

    def get_reviews(self, obj) -> list[dict]:
        return [
            {
                "organisation": review.organisation.name,
                "verdict": review.verdict,
                "reason": review.reason,
            }
            for review in obj.reviews.all()
        ]


class RoundEntryFilter(ApiFilterSet):
    round = filters.ModelChoiceFilter(
        queryset=ReportingRound.objects.all(), help_text=_("Identificador de la ronda.")
    )
    status = filters.ChoiceFilter(
        choices=EntryStatus.choices, help_text=_("Entrega: pending, submitted o late.")
    )
    review = filters.ChoiceFilter(
        choices=ReviewOutcome.choices,
        help_text=_("Validación: awaiting, validated, disputed o not_reviewed."),
    )

    class Meta:
        model = RoundEntry
        fields = ["round", "status", "review"]


class ReportingRoundFilter(ApiFilterSet):
    status = filters.ChoiceFilter(
        choices=ReportingRound.Status.choices, help_text=_("Estado: open o closed.")
    )

    class Meta:
        model = ReportingRound
        fields = ["status"]


ENTRIES_EXPORT = board_resource(RoundEntry.objects.none())
ROUNDS_EXPORT = Resource(
    name="reporting_rounds",
    title=_("Rondas de informes"),
    queryset=selectors.rounds,
    primary_key=("id",),
    columns=(
        Column("id", "integer", _("Identificador de la ronda."), lambda o: o.pk, required=True),
        Column("name", "string", _("Nombre."), lambda o: o.name, required=True),
        Column("scope", "string", _("Alcance: plan o commitments."), lambda o: o.scope),
        Column("action_plan", "integer", _("Plan de acción."), lambda o: o.action_plan_id),
        Column("opens_on", "date", _("Apertura."), lambda o: o.opens_on),
        Column("deadline", "date", _("Fecha límite."), lambda o: o.deadline),
        Column(
            "validation_ends_on", "date", _("Fin de la validación."), lambda o: o.validation_ends_on
        ),
        Column("status", "string", _("Estado: open o closed."), lambda o: o.status),
        Column("closed_at", "datetime", _("Cierre (UTC)."), lambda o: o.closed_at),
        Column(
            "commitments", "integer", _("Compromisos en la ronda."), lambda o: o.commitment_count
        ),
    ),
)


@documented(
    serializer=ReportingRoundSerializer,
    export=ENTRIES_EXPORT,
    name=_("rondas de informes"),
    description=_(
        "Rondas de informes del espacio de coordinación: fecha límite (hora del centro de "
        "México), ventana de validación de la sociedad civil y estado."
    ),
)
class ReportingRoundViewSet(ReadOnlyResource):
    serializer_class = ReportingRoundSerializer
    filterset_class = ReportingRoundFilter
    lookup_value_regex = r"[0-9]+"

    export = ROUNDS_EXPORT

    def get_queryset(self):
        return selectors.rounds().order_by("-deadline", "-pk")


@documented(
    serializer=RoundEntrySerializer,
    export=ENTRIES_EXPORT,
    name=_("compromisos en las rondas de informes"),
    description=_(
        "El tablero de cada ronda: cada compromiso con su entrega y la validación de la "
        "sociedad civil (filtre por `round`)."
    ),
    detail=False,
)
class RoundEntryViewSet(ListResource):
    serializer_class = RoundEntrySerializer
    filterset_class = RoundEntryFilter

    export = ENTRIES_EXPORT

    def get_queryset(self):
        return selectors.annotate_board(RoundEntry.objects.all()).order_by(
            "round_id", "commitment__code"
        )
