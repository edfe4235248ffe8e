"""Output serializers of the public read API.

Every field carries a description: model `help_text` when there is one,
otherwise the model field's verbose name; computed fields say what they are.
Write endpoints will get their own small input serializers next to the
service functions they call (issue 3).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    Milestone,
    PolicyArea,
    SdgTarget,
)
from coordination.models import CoordinationSpace, Meeting
from indicators.completion_levels import CompletionLevel, completion_level
from states.models import State

EXPANDABLE = ("milestones",)


def describe(kwargs, model_field):
    if not kwargs.get("help_text") and model_field is not None:
        kwargs["help_text"] = capfirst(str(model_field.verbose_name))
    return kwargs


class DescribedModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return field_class, describe(kwargs, model_field)

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        return field_class, describe(kwargs, relation_info.model_field)


class CompletionLevelField(serializers.ChoiceField):
    """The completion level of a percentage, computed by indicators.completion_levels."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Nivel de avance derivado del porcentaje: "
                "not_started, limited, substantial o complete."
            ),
        )
        super().__init__(choices=CompletionLevel.choices, read_only=True, **kwargs)

    def to_representation(self, value):
        return completion_level(value).value


class StateSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = State
        fields = ["inegi_code", "short_name", "slug"]


class StateSerializer(DescribedModelSerializer):
    updated_at = serializers.DateTimeField(help_text=_("Última actualización."))

    class Meta:
        model = State
        fields = ["inegi_code", "official_name", "short_name", "abbreviation", "slug", "updated_at"]


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


class PolicyAreaSerializer(DescribedModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["slug", "name_es", "name_en", "updated_at"]


class SdgTargetSerializer(DescribedModelSerializer):
    class Meta:
        model = SdgTarget
        fields = ["code", "goal", "description_es", "description_en", "updated_at"]


class ActionPlanSummarySerializer(DescribedModelSerializer):
    state = serializers.SlugRelatedField(
        slug_field="inegi_code",
        read_only=True,
        allow_null=True,
        help_text=_("Clave INEGI de la entidad; nula en los planes nacionales."),
    )

    class Meta:
        model = ActionPlan
        fields = ["id", "scope", "state", "cycle_year", "title"]


class ActionPlanSerializer(DescribedModelSerializer):
    state = StateSummarySerializer(
        allow_null=True, help_text=_("Entidad federativa; nula en los planes nacionales.")
    )
    commitment_count = serializers.IntegerField(help_text=_("Número de compromisos del plan."))

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "scope",
            "state",
            "cycle_year",
            "title",
            "start_date",
            "end_date",
            "status",
            "commitment_count",
            "updated_at",
        ]


class NestedMilestoneSerializer(DescribedModelSerializer):
    completion_level = CompletionLevelField(source="percent_complete")

    class Meta:
        model = Milestone
        fields = [
            "id",
            "position",
            "title",
            "start_date",
            "due_date",
            "weight",
            "status",
            "percent_complete",
            "completion_level",
            "actual_start_date",
            "actual_end_date",
            "version",
            "updated_at",
        ]


class MilestoneSerializer(NestedMilestoneSerializer):
    commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )

    class Meta(NestedMilestoneSerializer.Meta):
        fields = [
            "id",
            "commitment",
            *NestedMilestoneSerializer.Meta.fields[1:],
            "narrative",
        ]


class CommitmentSerializer(DescribedModelSerializer):
    action_plan = ActionPlanSummarySerializer(help_text=_("Plan de acción del compromiso."))
    completion_level = CompletionLevelField(source="completion_percent")
    lead_institutions = InstitutionSummarySerializer(
        many=True, help_text=_("Instituciones responsables.")
    )
    support_institutions = InstitutionSummarySerializer(
        many=True, help_text=_("Instituciones de apoyo.")
    )
    policy_areas = PolicyAreaSerializer(many=True, help_text=_("Áreas de política."))
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("Claves de las metas ODS.")
    )
    aligned_with = serializers.SerializerMethodField(
        help_text=_("Claves de los compromisos nacionales con los que se alinea este compromiso.")
    )
    milestone_count = serializers.IntegerField(help_text=_("Número de hitos."))
    milestones = NestedMilestoneSerializer(
        many=True,
        required=False,
        help_text=_("Hitos del compromiso; presentes solo con `?expand=milestones`."),
    )

    class Meta:
        model = Commitment
        fields = [
            "code",
            "action_plan",
            "title_es",
            "title_en",
            "start_date",
            "end_date",
            "completion_percent",
            "completion_level",
            "lead_institutions",
            "support_institutions",
            "policy_areas",
            "sdg_targets",
            "aligned_with",
            "milestone_count",
            "version",
            "updated_at",
            "milestones",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "milestones" not in self.context.get("expand", ()):
            self.fields.pop("milestones")

    def get_aligned_with(self, commitment) -> list[str]:
        return [alignment.national_commitment.code for alignment in commitment.alignments.all()]


class CommitmentDetailSerializer(CommitmentSerializer):
    class Meta(CommitmentSerializer.Meta):
        fields = [
            *CommitmentSerializer.Meta.fields[:4],
            "description",
            "problem",
            "objectives",
            "ogp_relevance",
            "gender_perspective",
            "development_plan_axis",
            "additional_information",
            *CommitmentSerializer.Meta.fields[4:],
        ]


class ProgressEventSerializer(serializers.Serializer):
    """One change of a milestone's progress.

    Fed today by the milestones' latest state; issue 3's history rows will
    feed the same fields.
    """

    occurred_at = serializers.DateTimeField(source="updated_at", help_text=_("Momento del cambio."))
    commitment = serializers.CharField(
        source="commitment.code", help_text=_("Clave del compromiso.")
    )
    milestone = serializers.IntegerField(source="pk", help_text=_("Identificador del hito."))
    milestone_title = serializers.CharField(source="title", help_text=_("Título del hito."))
    status = serializers.ChoiceField(
        choices=Milestone.Status.choices, help_text=_("Estado del hito tras el cambio.")
    )
    percent_complete = serializers.IntegerField(help_text=_("Avance del hito tras el cambio."))
    completion_level = CompletionLevelField(source="percent_complete")
    version = serializers.IntegerField(help_text=_("Versión del hito tras el cambio."))
    narrative = serializers.CharField(help_text=_("Descripción del avance."))


class CoordinationSpaceSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = CoordinationSpace
        fields = ["slug", "name"]


class MeetingSerializer(DescribedModelSerializer):
    space = CoordinationSpaceSummarySerializer(help_text=_("Espacio de coordinación."))

    class Meta:
        model = Meeting
        fields = ["id", "space", "date", "title", "place", "updated_at"]


class AlignmentSerializer(DescribedModelSerializer):
    local_commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso local.")
    )
    national_commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso nacional.")
    )
    state = serializers.CharField(
        source="local_commitment.action_plan.state.inegi_code",
        allow_null=True,
        help_text=_("Clave INEGI de la entidad del compromiso local."),
    )

    class Meta:
        model = Alignment
        fields = ["id", "local_commitment", "state", "national_commitment", "kind", "updated_at"]
