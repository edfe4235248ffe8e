"""The publications facts from outside come from."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    ApiFilterSet,
    C,
    DescribedModelSerializer,
    ListAndDetailResource,
    Resource,
    boolean_filter,
    documented,
    ordering,
)
from commitments.models import Source


def sources():
    return Source.objects.order_by("key")


class SourceFilter(ApiFilterSet):
    is_mirror = boolean_filter("is_mirror", _("true: solo copias en sitios de terceros."))
    ordering = ordering("key", "publication", "published")
    search_fields = ("publication", "publisher", "url")

    class Meta:
        model = Source
        fields = []


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


SOURCES = Resource(
    name="sources",
    title=_("Fuentes de los datos externos"),
    queryset=sources,
    primary_key=("key",),
    columns=(
        C("key", "string", _("Clave de la fuente."), attrgetter("key")),
        C("publication", "string", _("Publicación."), attrgetter("publication"), required=True),
        C("publisher", "string", _("Quién la publica."), attrgetter("publisher")),
        C("url", "string", _("Dirección."), attrgetter("url"), required=True),
        C(
            "published",
            "string",
            _("Fecha de publicación (AAAA, AAAA-MM o AAAA-MM-DD); vacía si no la muestra."),
            attrgetter("published"),
        ),
        C(
            "is_mirror",
            "boolean",
            _("La dirección es una copia en un sitio de terceros."),
            attrgetter("is_mirror"),
            required=True,
        ),
        C("note", "string", _("Nota."), attrgetter("note")),
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
