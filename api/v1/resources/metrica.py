"""The Métrica de Gobierno Abierto: editions and the states' scores."""

from operator import attrgetter

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    METRICA_EDITION,
    STATE,
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    IntegerFilter,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
    source_column,
    state_filter,
)
from api.v1.resources.sources import SourceSerializer
from api.v1.resources.states import StateSummarySerializer
from states.models import MetricaEdition, MetricaScore


def metrica_editions() -> QuerySet[MetricaEdition]:
    return MetricaEdition.objects.select_related("source").order_by("year")


def metrica_scores() -> QuerySet[MetricaScore]:
    return MetricaScore.objects.select_related("state", "edition", "source").order_by(
        "edition__year", "state__inegi_code", "pk"
    )


class MetricaEditionFilter(ApiFilterSet):
    ordering = ordering("year", "national_average")

    class Meta:
        model = MetricaEdition
        fields = []


class MetricaScoreFilter(ApiFilterSet):
    state = state_filter("state")
    edition = IntegerFilter(
        field_name="edition__year",
        min_value=2017,
        max_value=2100,
        help_text=_("Año de la edición de la Métrica (p. ej. 2021)."),
    )
    ordering = ordering("edition__year", "state__inegi_code", "score")
    search_fields = ("state__short_name", "state__official_name")

    class Meta:
        model = MetricaScore
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
EDITION_FIELDS = Fields(
    year=_("Año de la edición."),
    national_average=_("Promedio nacional (0 a 1)."),
    note=_("Nota."),
    source_url=_("Dirección de la fuente (la de `source`)."),
    updated_at=_("Última actualización."),
    bodies_assessed=_("Sujetos obligados evaluados."),
    source=_("Publicación de donde vienen las cifras (en el CSV, su clave en la tabla sources)."),
    **{
        name: _("Cifra de la Métrica (0 a 1); nula (vacía en el CSV) si la fuente no la da.")
        for name in MetricaScore.SUB_SCORES
    },
)
edition_column = EDITION_FIELDS.column

SCORE_FIELDS = Fields(
    id=_("Identificador de la calificación."),
    state=_("Entidad federativa (en el CSV, su clave INEGI)."),
    edition=_("Año de la edición de la Métrica."),
    score=_("Índice de gobierno abierto (0 a 1); nulo (vacío en el CSV) si la fuente no lo da."),
    national_average=_("Promedio nacional de la edición (0 a 1)."),
    source_url=_("Dirección de la fuente (la de `source`)."),
    updated_at=_("Última actualización."),
    rank=_("Lugar entre las entidades, si la fuente lo da."),
    note=_("Nota sobre la cifra y su fuente."),
    source=_(
        "Publicación de donde viene la calificación (en el CSV, su clave en la tabla sources)."
    ),
    transparency=_("Subíndice (0 a 1); nulo (vacío en el CSV) si la fuente no lo da."),
    participation=_("Subíndice (0 a 1); nulo (vacío en el CSV) si la fuente no lo da."),
    **{
        name: _("Componente de la Métrica (0 a 1); nulo (vacío en el CSV) si la fuente no lo da.")
        for name in MetricaScore.SUB_SCORES[2:]
    },
)
score_column = SCORE_FIELDS.column


class MetricaEditionSerializer(DescribedModelSerializer):
    source = SourceSerializer()
    source_url = serializers.URLField()

    class Meta:
        model = MetricaEdition
        fields = [
            "year",
            "national_average",
            "note",
            "source_url",
            "updated_at",
            *MetricaScore.SUB_SCORES,
            "bodies_assessed",
            "source",
        ]
        descriptions = EDITION_FIELDS


class MetricaScoreSerializer(DescribedModelSerializer):
    state = StateSummarySerializer()
    source = SourceSerializer()
    source_url = serializers.URLField()
    edition = serializers.IntegerField(source="edition.year")
    national_average = serializers.DecimalField(
        source="edition.national_average",
        max_digits=4,
        decimal_places=3,
    )

    class Meta:
        model = MetricaScore
        fields = [
            "id",
            "state",
            "edition",
            "score",
            "national_average",
            *MetricaScore.SUB_SCORES[2:],
            "source_url",
            "updated_at",
            "transparency",
            "participation",
            "rank",
            "note",
            "source",
        ]
        descriptions = SCORE_FIELDS


METRICA_EDITIONS = Resource(
    name="metrica_editions",
    title=_("Ediciones de la Métrica de Gobierno Abierto"),
    queryset=metrica_editions,
    primary_key=("year",),
    columns=(
        edition_column("year", "integer", lambda o: o.year),
        edition_column(
            "national_average",
            "number",
            lambda o: o.national_average,
            required=True,
        ),
        edition_column("note", "string", lambda o: o.note),
        edition_column("source_url", "string", lambda o: o.source.url),
        edition_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
        *(edition_column(name, "number", attrgetter(name)) for name in MetricaScore.SUB_SCORES),
        edition_column(
            "bodies_assessed",
            "integer",
            attrgetter("bodies_assessed"),
        ),
        source_column(required=True, description=EDITION_FIELDS["source"]),
    ),
)

METRICA_SCORES = Resource(
    name="metrica_scores",
    title=_("Calificaciones estatales en la Métrica de Gobierno Abierto"),
    queryset=metrica_scores,
    primary_key=("id",),
    columns=(
        score_column("id", "integer", lambda o: o.pk),
        score_column(
            "state",
            "string",
            lambda o: o.state.inegi_code,
            required=True,
            references=STATE,
        ),
        score_column(
            "edition",
            "integer",
            lambda o: o.edition.year,
            required=True,
            references=METRICA_EDITION,
        ),
        score_column(
            "score",
            "number",
            lambda o: o.score,
        ),
        score_column(
            "national_average",
            "number",
            lambda o: o.edition.national_average,
            required=True,
        ),
        *(
            score_column(name, "number", attrgetter(name))
            for name in (
                "transparency_government",
                "transparency_citizen",
                "participation_government",
                "participation_citizen",
            )
        ),
        score_column("source_url", "string", lambda o: o.source.url),
        score_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
        *(
            score_column(
                name,
                "number",
                attrgetter(name),
            )
            for name in ("transparency", "participation")
        ),
        score_column(
            "rank",
            "integer",
            attrgetter("rank"),
        ),
        score_column("note", "string", attrgetter("note")),
        source_column(required=True, description=SCORE_FIELDS["source"]),
    ),
)


@documented(
    serializer=MetricaScoreSerializer,
    export=METRICA_SCORES,
    name=_("calificaciones de la Métrica de Gobierno Abierto"),
    description=_(
        "Calificación de cada entidad en cada edición de la Métrica de Gobierno Abierto "
        "(escala de 0 a 1), con el promedio nacional de la edición y sus cuatro componentes."
    ),
)
class MetricaScoreViewSet(ListAndDetailResource):
    serializer_class = MetricaScoreSerializer
    filterset_class = MetricaScoreFilter
    export = METRICA_SCORES
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return metrica_scores()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at, obj.edition.updated_at)


@documented(
    serializer=MetricaEditionSerializer,
    export=METRICA_EDITIONS,
    name=_("ediciones de la Métrica de Gobierno Abierto"),
    description=_("Ediciones de la Métrica de Gobierno Abierto con su promedio nacional."),
)
class MetricaEditionViewSet(ListAndDetailResource):
    serializer_class = MetricaEditionSerializer
    filterset_class = MetricaEditionFilter
    export = METRICA_EDITIONS
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"

    def get_queryset(self):
        return metrica_editions()
