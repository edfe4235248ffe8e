"""The 32 federal entities and their participation in local exercises."""

from operator import attrgetter

import django_filters as filters
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    STATE,
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
    source_column,
    state_filter,
)
from api.v1.resources.sources import SourceSerializer
from states import selectors as state_selectors
from states.models import ParticipationProgram, ParticipationStatus, State, StateParticipation


def states() -> QuerySet[State]:
    """States with their participation records (and sources) and local plans on record."""
    return (
        State.objects.prefetch_related(
            Prefetch(
                "participations",
                queryset=StateParticipation.objects.select_related("source").order_by(
                    "program", "start_year", "pk"
                ),
            )
        )
        .annotate(plan_count=Count("action_plans", filter=Q(action_plans__scope="state")))
        .order_by("inegi_code")
    )


def state_participations() -> QuerySet[StateParticipation]:
    return StateParticipation.objects.select_related("state", "source").order_by(
        "state__inegi_code", "program", "pk"
    )


class StateFilter(ApiFilterSet):
    ordering = ordering("inegi_code", "short_name", "official_name", "updated_at")
    search_fields = ("inegi_code", "official_name", "short_name", "abbreviation")

    class Meta:
        model = State
        fields = []


class StateParticipationFilter(ApiFilterSet):
    state = state_filter("state")
    program = filters.ChoiceFilter(
        choices=ParticipationProgram.choices, help_text=_("Ejercicio local.")
    )
    status = filters.ChoiceFilter(
        choices=ParticipationStatus.choices, help_text=_("Situación según la fuente.")
    )
    ordering = ordering("state__inegi_code", "program", "start_year")
    search_fields = ("state__short_name", "note")

    class Meta:
        model = StateParticipation
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
STATE_FIELDS = Fields(
    inegi_code=_("Clave geoestadística de dos dígitos (01 a 32)."),
    official_name=_("Nombre oficial."),
    short_name=_("Nombre corto."),
    abbreviation=_("Abreviatura."),
    slug=_("Slug."),
    updated_at=_("Última actualización."),
    standing=_(
        "Participación en ejercicios locales según sus fuentes y planes registrados: "
        "participates, withdrew, conflicting (las fuentes discrepan), did_not_participate "
        "(solo si una fuente lo dice) o no_information (sin fuente: no es «no "
        "participó»)."
    ),
)


class StateSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = State
        fields = ["inegi_code", "short_name", "slug"]
        descriptions = STATE_FIELDS


PARTICIPATION_FIELDS = Fields(
    id=_("Identificador del registro."),
    state=_("Entidad federativa (en el CSV, su clave INEGI)."),
    program=_("Ejercicio: cocreacion_local (INAI) u ogp_local."),
    status=_("Situación según la fuente: participates, withdrew o did_not_participate."),
    start_year=_("Desde (año), si la fuente lo da."),
    end_year=_("Hasta (año), si la fuente lo da."),
    note=_("Nota."),
    source=_("Publicación que lo dice (en el CSV, su clave en la tabla sources)."),
    updated_at=_("Última actualización."),
)
participation_column = PARTICIPATION_FIELDS.column


class ParticipationSerializer(DescribedModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = StateParticipation
        fields = ["program", "status", "start_year", "end_year", "note", "source"]
        descriptions = PARTICIPATION_FIELDS


class StateSerializer(DescribedModelSerializer):
    updated_at = serializers.DateTimeField(help_text=_("Última actualización."))
    standing = serializers.SerializerMethodField(
        help_text=_(
            "Participación en ejercicios locales según sus fuentes y planes registrados: "
            "participates, withdrew, conflicting (las fuentes discrepan), did_not_participate "
            "(solo si una fuente lo dice) o no_information (sin fuente: no es «no participó»)."
        )
    )
    participations = ParticipationSerializer(
        many=True, help_text=_("Registros de participación, cada uno con su fuente.")
    )

    class Meta:
        model = State
        fields = [
            "inegi_code",
            "official_name",
            "short_name",
            "abbreviation",
            "slug",
            "updated_at",
            "standing",
            "participations",
        ]
        descriptions = STATE_FIELDS

    def get_standing(self, state) -> str:
        return state_selectors.standing(state).value


class StateParticipationSerializer(ParticipationSerializer):
    state = StateSummarySerializer()

    class Meta(ParticipationSerializer.Meta):
        fields = ["id", "state", *ParticipationSerializer.Meta.fields, "updated_at"]


state_column = STATE_FIELDS.column

STATES = Resource(
    name="states",
    title=_("Entidades federativas"),
    queryset=states,
    primary_key=("inegi_code",),
    columns=(
        state_column("inegi_code", "string", lambda o: o.inegi_code),
        state_column(
            "official_name",
            "string",
            lambda o: o.official_name,
            required=True,
            unique=True,
        ),
        state_column(
            "short_name",
            "string",
            lambda o: o.short_name,
            required=True,
            unique=True,
        ),
        state_column(
            "abbreviation",
            "string",
            lambda o: o.abbreviation,
            required=True,
            unique=True,
        ),
        state_column("slug", "string", lambda o: o.slug, required=True, unique=True),
        state_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
        state_column(
            "standing",
            "string",
            lambda o: state_selectors.standing(o).value,
            required=True,
        ),
    ),
)

STATE_PARTICIPATION = Resource(
    name="state_participation",
    title=_("Participación de las entidades en ejercicios locales"),
    queryset=state_participations,
    primary_key=("id",),
    columns=(
        participation_column("id", "integer", attrgetter("pk")),
        participation_column(
            "state",
            "string",
            lambda o: o.state.inegi_code,
            required=True,
            references=STATE,
        ),
        participation_column(
            "program",
            "string",
            attrgetter("program"),
            required=True,
        ),
        participation_column(
            "status",
            "string",
            attrgetter("status"),
            required=True,
        ),
        participation_column("start_year", "integer", attrgetter("start_year")),
        participation_column("end_year", "integer", attrgetter("end_year")),
        participation_column("note", "string", attrgetter("note")),
        source_column(required=True, description=PARTICIPATION_FIELDS["source"]),
    ),
)


@documented(
    serializer=StateSerializer,
    export=STATES,
    name=_("entidades federativas"),
    description=_("Las 32 entidades federativas."),
)
class StateViewSet(ListAndDetailResource):
    serializer_class = StateSerializer
    filterset_class = StateFilter
    export = STATES
    lookup_field = "inegi_code"
    lookup_value_regex = r"[0-9]{2}"

    def get_queryset(self):
        return states()


@documented(
    serializer=StateParticipationSerializer,
    export=STATE_PARTICIPATION,
    name=_("participación de las entidades"),
    description=_(
        "La participación de cada entidad en los ejercicios locales de gobierno abierto "
        "(«Cocreación desde lo local» del INAI y OGP Local), cada registro con su fuente. "
        "Dos fuentes pueden discrepar: cada una tiene su fila."
    ),
)
class StateParticipationViewSet(ListAndDetailResource):
    serializer_class = StateParticipationSerializer
    filterset_class = StateParticipationFilter
    export = STATE_PARTICIPATION
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return state_participations()
