"""Institutions responsible for and supporting commitments."""

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from api.v1.resources.base import (
    STATE,
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
    state_code,
    state_filter,
)
from api.v1.resources.states import StateSummarySerializer
from commitments.models import Institution, InstitutionKind


def institutions() -> QuerySet[Institution]:
    return Institution.objects.select_related("state").order_by("name")


class InstitutionFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(
        choices=InstitutionKind.choices, help_text=_("Tipo de institución.")
    )
    state = state_filter("state")
    ordering = ordering("name", "acronym", "updated_at")
    search_fields = ("name", "acronym")
    search_kind = "institution"

    class Meta:
        model = Institution
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
INSTITUTION_FIELDS = Fields(
    id=_("Identificador de la institución."),
    name=_("Nombre."),
    acronym=_("Siglas."),
    kind=_("Tipo de institución."),
    state=_("Entidad federativa (en el CSV, su clave INEGI); nula para instituciones federales."),
    updated_at=_("Última actualización."),
)


class InstitutionSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "acronym"]
        descriptions = INSTITUTION_FIELDS


class InstitutionSerializer(DescribedModelSerializer):
    state = StateSummarySerializer(
        allow_null=True, help_text=_("Entidad federativa; nulo para instituciones federales.")
    )

    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "state", "updated_at"]
        descriptions = INSTITUTION_FIELDS


institution_column = INSTITUTION_FIELDS.column

INSTITUTIONS = Resource(
    name="institutions",
    title=_("Instituciones"),
    queryset=institutions,
    primary_key=("id",),
    columns=(
        institution_column("id", "integer", lambda o: o.pk),
        institution_column("name", "string", lambda o: o.name, required=True, unique=True),
        institution_column("acronym", "string", lambda o: o.acronym),
        institution_column("kind", "string", lambda o: o.kind, required=True),
        institution_column(
            "state",
            "string",
            state_code("state"),
            references=STATE,
        ),
        institution_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)


@documented(
    serializer=InstitutionSerializer,
    export=INSTITUTIONS,
    name=_("instituciones"),
    description=_("Instituciones responsables y de apoyo de los compromisos."),
)
class InstitutionViewSet(ListAndDetailResource):
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    export = INSTITUTIONS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return institutions()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at) if obj.state else obj.updated_at
