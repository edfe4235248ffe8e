"""The reporting rounds in the public API: /api/v1/reporting-rounds/ and /reporting-round-entries/.

Built on api.v1's resources (JSON lists, `?format=csv`, conditional GETs); the querysets
come from coordination.round_selectors, the same the board reads, and the entries' columns
are the board's CSV (coordination.round_release).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coordination import round_selectors as selectors
from coordination.round_models import EntryStatus, ReportingRound, ReviewOutcome, RoundEntry
from coordination.round_release import BOARD_FIELDS, board_resource

from .base import (
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    ListResource,
    Resource,
    documented,
)
from .base import ListAndDetailResource as ReadOnlyResource

# One description per field, for the JSON (schema) and the CSV alike.
ROUND_FIELDS = Fields(
    id=_("Identificador de la ronda."),
    name=_("Nombre."),
    scope=_("Alcance: plan o commitments."),
    action_plan=_("Identificador del plan de acción (si el alcance es un plan)."),
    opens_on=_("Apertura."),
    deadline=_("Fecha límite: un informe hasta las 23:59 (hora del centro) es a tiempo."),
    validation_ends_on=_("Fin de la validación por la sociedad civil."),
    status=_("Estado: open o closed."),
    closed_at=_("Cierre (UTC)."),
    commitments=_("Compromisos en la ronda."),
    commitment_count=_("Compromisos en la ronda."),
)
round_column = ROUND_FIELDS.column


class ReportingRoundSerializer(DescribedModelSerializer):
    action_plan = serializers.PrimaryKeyRelatedField(read_only=True)
    commitment_count = serializers.IntegerField(read_only=True)
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
        descriptions = ROUND_FIELDS

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class RoundEntrySerializer(DescribedModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="code", read_only=True)
    institution = serializers.CharField(source="institution_name", read_only=True)
    state = serializers.CharField(source="state_name", read_only=True)
    status = serializers.ChoiceField(choices=EntryStatus.choices)
    review = serializers.CharField()
    report_date = serializers.DateField(
        source="progress_report.date", read_only=True, allow_null=True
    )
    reviews = serializers.SerializerMethodField()

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
        descriptions = BOARD_FIELDS

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
        round_column("id", "integer", lambda o: o.pk, required=True),
        round_column("name", "string", lambda o: o.name, required=True),
        round_column("scope", "string", lambda o: o.scope),
        round_column("action_plan", "integer", lambda o: o.action_plan_id),
        round_column("opens_on", "date", lambda o: o.opens_on),
        round_column("deadline", "date", lambda o: o.deadline),
        round_column("validation_ends_on", "date", lambda o: o.validation_ends_on),
        round_column("status", "string", lambda o: o.status),
        round_column("closed_at", "datetime", lambda o: o.closed_at),
        round_column("commitments", "integer", lambda o: o.commitment_count),
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
