"""The Métrica de Gobierno Abierto: editions and the states' scores."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    METRICA_EDITION,
    STATE,
    ApiFilterSet,
    C,
    DescribedModelSerializer,
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


def metrica_editions():
    return MetricaEdition.objects.select_related("source").order_by("year")


def metrica_scores():
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


class MetricaEditionSerializer(DescribedModelSerializer):
    source = SourceSerializer(help_text=_("Publicación de donde vienen las cifras."))
    source_url = serializers.URLField(help_text=_("Dirección de la fuente (la de `source`)."))

    class Meta:
        model = MetricaEdition
        fields = [
            "year",
            "national_average",
            "note",
            "source_url",
            "updated_at",
            "transparency",
            "participation",
            "transparency_government",
            "transparency_citizen",
            "participation_government",
            "participation_citizen",
            "bodies_assessed",
            "source",
        ]
        extra_kwargs = {
            name: {"help_text": _("Nulo: la fuente no da esta cifra (sin información).")}
            for name in MetricaScore.SUB_SCORES
        }


class MetricaScoreSerializer(DescribedModelSerializer):
    state = StateSummarySerializer(help_text=_("Entidad federativa."))
    source = SourceSerializer(help_text=_("Publicación de donde viene la calificación."))
    source_url = serializers.URLField(help_text=_("Dirección de la fuente (la de `source`)."))
    edition = serializers.IntegerField(
        source="edition.year", help_text=_("Año de la edición de la Métrica.")
    )
    national_average = serializers.DecimalField(
        source="edition.national_average",
        max_digits=4,
        decimal_places=3,
        help_text=_("Promedio nacional de la edición (0 a 1)."),
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
        extra_kwargs = {
            "score": {"help_text": _("Índice (0 a 1); nulo si la fuente no lo da.")},
            **{
                name: {"help_text": _("Nulo: la fuente no da esta cifra (sin información).")}
                for name in MetricaScore.SUB_SCORES
            },
        }


METRICA_EDITIONS = Resource(
    name="metrica_editions",
    title=_("Ediciones de la Métrica de Gobierno Abierto"),
    queryset=metrica_editions,
    primary_key=("year",),
    columns=(
        C("year", "integer", _("Año de la edición."), lambda o: o.year),
        C(
            "national_average",
            "number",
            _("Promedio nacional (0 a 1)."),
            lambda o: o.national_average,
            required=True,
        ),
        C("note", "string", _("Nota."), lambda o: o.note),
        C("source_url", "string", _("Dirección de la fuente."), lambda o: o.source.url),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        *(
            C(
                name,
                "number",
                _("Cifra de la Métrica (0 a 1); vacía si la fuente no la da."),
                attrgetter(name),
            )
            for name in MetricaScore.SUB_SCORES
        ),
        C(
            "bodies_assessed",
            "integer",
            _("Sujetos obligados evaluados."),
            attrgetter("bodies_assessed"),
        ),
        source_column(required=True),
    ),
)

METRICA_SCORES = Resource(
    name="metrica_scores",
    title=_("Calificaciones estatales en la Métrica de Gobierno Abierto"),
    queryset=metrica_scores,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la calificación."), lambda o: o.pk),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad."),
            lambda o: o.state.inegi_code,
            required=True,
            references=STATE,
        ),
        C(
            "edition",
            "integer",
            _("Año de la edición."),
            lambda o: o.edition.year,
            required=True,
            references=METRICA_EDITION,
        ),
        C(
            "score",
            "number",
            _("Índice de gobierno abierto (0 a 1); vacío si la fuente no lo da."),
            lambda o: o.score,
        ),
        C(
            "national_average",
            "number",
            _("Promedio nacional de la edición (0 a 1)."),
            lambda o: o.edition.national_average,
            required=True,
        ),
        *(
            C(name, "number", _("Componente de la Métrica (0 a 1)."), attrgetter(name))
            for name in (
                "transparency_government",
                "transparency_citizen",
                "participation_government",
                "participation_citizen",
            )
        ),
        C("source_url", "string", _("Dirección de la fuente."), lambda o: o.source.url),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        *(
            C(
                name,
                "number",
                _("Subíndice (0 a 1); vacío si la fuente no lo da."),
                attrgetter(name),
            )
            for name in ("transparency", "participation")
        ),
        C(
            "rank",
            "integer",
            _("Lugar entre las entidades, si la fuente lo da."),
            attrgetter("rank"),
        ),
        C("note", "string", _("Nota sobre la cifra y su fuente."), attrgetter("note")),
        source_column(required=True),
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
