"""The classifications of commitments: OGP policy areas and SDG targets."""

from django.utils.translation import gettext_lazy as _

from api.v1.resources.base import (
    ApiFilterSet,
    C,
    DescribedModelSerializer,
    IntegerFilter,
    ListAndDetailResource,
    Resource,
    documented,
    ordering,
)
from commitments.models import PolicyArea, SdgTarget


def policy_areas():
    return PolicyArea.objects.order_by("name_es", "name_en", "pk")


def sdg_targets():
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


class PolicyAreaSerializer(DescribedModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["slug", "name_es", "name_en", "updated_at"]


class SdgTargetSerializer(DescribedModelSerializer):
    class Meta:
        model = SdgTarget
        fields = ["code", "goal", "description_es", "description_en", "updated_at"]


POLICY_AREAS = Resource(
    name="policy_areas",
    title=_("Áreas de política"),
    queryset=policy_areas,
    primary_key=("slug",),
    columns=(
        C("slug", "string", _("Slug del área."), lambda o: o.slug),
        C("name_es", "string", _("Nombre en español."), lambda o: o.name_es),
        C(
            "name_en",
            "string",
            _("Nombre en inglés."),
            lambda o: o.name_en,
            required=True,
            unique=True,
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

SDG_TARGETS = Resource(
    name="sdg_targets",
    title=_("Metas ODS"),
    queryset=sdg_targets,
    primary_key=("code",),
    columns=(
        C("code", "string", _("Clave de la meta, p. ej. 16.10."), lambda o: o.code),
        C("goal", "integer", _("Objetivo (1 a 17)."), lambda o: o.goal, required=True),
        C("description_es", "string", _("Descripción en español."), lambda o: o.description_es),
        C("description_en", "string", _("Descripción en inglés."), lambda o: o.description_en),
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
