"""The classifications of commitments: OGP policy areas and SDG targets."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from api.v1.resources.base import (
    ApiFilterSet,
    DescribedModelSerializer,
    Fields,
    IntegerFilter,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
)
from commitments.models import PolicyArea, SdgTarget


def policy_areas() -> QuerySet[PolicyArea]:
    return PolicyArea.objects.order_by("name_es", "name_en", "pk")


def sdg_targets() -> QuerySet[SdgTarget]:
    return SdgTarget.objects.order_by("goal", "code")


class PolicyAreaFilter(ApiFilterSet):
    ordering = ordering("slug", "name_es", "name_en", "updated_at")
    search_fields = ("slug", "name_es", "name_en")

    class Meta:
        model = PolicyArea
        fields = []


class SdgTargetFilter(ApiFilterSet):
    goal = IntegerFilter(
        min_value=1, max_value=17, help_text=_("Objetivo de Desarrollo Sostenible (1 a 17).")
    )
    ordering = ordering("goal", "code", "updated_at")
    search_fields = ("code", "description_es", "description_en")

    class Meta:
        model = SdgTarget
        fields = []


# One description per field, for the JSON (schema) and the CSV alike.
POLICY_AREA_FIELDS = Fields(
    slug=_("Slug del área."),
    name_es=_("Nombre en español."),
    name_en=_("Nombre en inglés."),
    updated_at=_("Última actualización."),
)


class PolicyAreaSerializer(DescribedModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["slug", "name_es", "name_en", "updated_at"]
        descriptions = POLICY_AREA_FIELDS


# One description per field, for the JSON (schema) and the CSV alike.
SDG_TARGET_FIELDS = Fields(
    code=_("Clave de la meta, p. ej. 16.10."),
    goal=_("Objetivo (1 a 17)."),
    description_es=_("Descripción en español."),
    description_en=_("Descripción en inglés."),
    updated_at=_("Última actualización."),
)


class SdgTargetSerializer(DescribedModelSerializer):
    class Meta:
        model = SdgTarget
        fields = ["code", "goal", "description_es", "description_en", "updated_at"]
        descriptions = SDG_TARGET_FIELDS


policy_area_column = POLICY_AREA_FIELDS.column

POLICY_AREAS = Resource(
    name="policy_areas",
    title=_("Áreas de política"),
    queryset=policy_areas,
    primary_key=("slug",),
    columns=(
        policy_area_column("slug", "string", lambda o: o.slug),
        policy_area_column("name_es", "string", lambda o: o.name_es),
        policy_area_column(
            "name_en",
            "string",
            lambda o: o.name_en,
            required=True,
            unique=True,
        ),
        policy_area_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

sdg_target_column = SDG_TARGET_FIELDS.column

SDG_TARGETS = Resource(
    name="sdg_targets",
    title=_("Metas ODS"),
    queryset=sdg_targets,
    primary_key=("code",),
    columns=(
        sdg_target_column("code", "string", lambda o: o.code),
        sdg_target_column("goal", "integer", lambda o: o.goal, required=True),
        sdg_target_column("description_es", "string", lambda o: o.description_es),
        sdg_target_column("description_en", "string", lambda o: o.description_en),
        sdg_target_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)


@documented(
    serializer=PolicyAreaSerializer,
    export=POLICY_AREAS,
    name=_("áreas de política"),
    description=_("Áreas de política de AGA."),
)
class PolicyAreaViewSet(ListAndDetailResource):
    serializer_class = PolicyAreaSerializer
    filterset_class = PolicyAreaFilter
    export = POLICY_AREAS
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return policy_areas()


@documented(
    serializer=SdgTargetSerializer,
    export=SDG_TARGETS,
    name=_("metas ODS"),
    description=_("Metas de los Objetivos de Desarrollo Sostenible de la Agenda 2030."),
)
class SdgTargetViewSet(ListAndDetailResource):
    serializer_class = SdgTargetSerializer
    filterset_class = SdgTargetFilter
    export = SDG_TARGETS
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}\.[0-9a-z]{1,2}"

    def get_queryset(self):
        return sdg_targets()
