"""Institutions responsible for and supporting commitments."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from api.v1.resources.base import (
    STATE,
    ApiFilterSet,
    C,
    DescribedModelSerializer,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
    state_code,
    state_filter,
)
from api.v1.resources.states import StateSummarySerializer
from commitments.models import Institution, InstitutionKind


def institutions():
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


class InstitutionSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "acronym"]


class InstitutionSerializer(DescribedModelSerializer):
    state = StateSummarySerializer(
        allow_null=True, help_text=_("Entidad federativa; nulo para instituciones federales.")
    )

    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "state", "updated_at"]


INSTITUTIONS = Resource(
    name="institutions",
    title=_("Instituciones"),
    queryset=institutions,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la institución."), lambda o: o.pk),
        C("name", "string", _("Nombre."), lambda o: o.name, required=True, unique=True),
        C("acronym", "string", _("Siglas."), lambda o: o.acronym),
        C("kind", "string", _("Tipo de institución."), lambda o: o.kind, required=True),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es federal)."),
            state_code("state"),
            references=STATE,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
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
