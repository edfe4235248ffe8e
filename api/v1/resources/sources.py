"""The publications facts from outside come from."""

from operator import attrgetter

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Resource,
    boolean_filter,
    documented,
    ordering,
)
from commitments.models import Source


def sources() -> QuerySet[Source]:
    return Source.objects.order_by("key")


class SourceFilter(ApiFilterSet):
    is_mirror = boolean_filter("is_mirror", _("true: solo copias en sitios de terceros."))
    ordering = ordering("key", "publication", "published")
    search_fields = ("publication", "publisher", "url")

    class Meta:
        model = Source
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
SOURCE_FIELDS = Fields(
    key=_("Clave de la fuente."),
    publication=_("Publicación."),
    publisher=_("Quién la publica."),
    url=_("Dirección."),
    published=_(
        "Fecha de publicación con la precisión que da la fuente (AAAA, AAAA-MM o "
        "AAAA-MM-DD); vacía si la publicación no la muestra."
    ),
    is_mirror=_("La dirección es una copia del documento en un sitio ajeno a quien lo publicó."),
    note=_("Nota."),
)


class SourceSerializer(DescribedModelSerializer):
    published = serializers.CharField(
        help_text=_(
            "Fecha de publicación con la precisión que da la fuente (AAAA, AAAA-MM o "
            "AAAA-MM-DD); vacía si la publicación no la muestra."
        )
    )

    class Meta:
        model = Source
        fields = ["key", "publication", "publisher", "url", "published", "is_mirror", "note"]
        descriptions = SOURCE_FIELDS


source_column = SOURCE_FIELDS.column

SOURCES = Resource(
    name="sources",
    title=_("Fuentes de los datos externos"),
    queryset=sources,
    primary_key=("key",),
    columns=(
        source_column("key", "string", attrgetter("key")),
        source_column("publication", "string", attrgetter("publication"), required=True),
        source_column("publisher", "string", attrgetter("publisher")),
        source_column("url", "string", attrgetter("url"), required=True),
        source_column(
            "published",
            "string",
            attrgetter("published"),
        ),
        source_column(
            "is_mirror",
            "boolean",
            attrgetter("is_mirror"),
            required=True,
        ),
        source_column("note", "string", attrgetter("note")),
    ),
)


@documented(
    serializer=SourceSerializer,
    export=SOURCES,
    name=_("fuentes"),
    description=_(
        "Las publicaciones de donde vienen los datos externos (valoraciones del IRM, cifras "
        "de la Métrica, participación de las entidades, títulos oficiales, planes locales)."
    ),
)
class SourceViewSet(ListAndDetailResource):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    export = SOURCES
    lookup_field = "key"

    def get_queryset(self):
        return sources()
