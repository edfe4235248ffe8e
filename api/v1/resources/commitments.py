"""Commitments, their alignments and progress reports' columns: selector, filters,
serializers, CSV columns, the read viewset.
"""

import functools

import django_filters as filters
from django.db.models import Prefetch, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.v1.resources.base import (
    ACTION_PLAN,
    COMMITMENT,
    JOIN,
    SOURCE,
    STATE,
    ApiFilterSet,
    C,
    CommitmentLinkFilters,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Many,
    Projection,
    Resource,
    action_plan_filter,
    completion_level_filter,
    count_of,
    cycle_year_filter,
    documented,
    joined,
    ordering,
    scope_filter,
    state_code,
    state_filter,
)
from api.v1.resources.classifications import PolicyAreaSerializer
from api.v1.resources.institutions import InstitutionSummarySerializer
from api.v1.resources.irm import NestedIrmAssessmentSerializer
from api.v1.resources.milestones import NestedMilestoneSerializer
from api.v1.resources.plans import ActionPlanSummarySerializer
from api.v1.resources.sources import SourceSerializer
from commitments.models import (
    Alignment,
    Commitment,
    Institution,
    IrmAssessment,
    Milestone,
    PlanStatus,
    PolicyArea,
    ProgressReport,
    SdgTarget,
    TitleAlias,
)
from indicators.models import CommitmentIndicator, CompletionLevel


def commitments(*, with_milestones: bool = False) -> QuerySet[Commitment]:
    queryset = (
        Commitment.objects.select_related("action_plan__state", "indicator", "title_es_source")
        .prefetch_related(
            Prefetch("title_aliases", queryset=TitleAlias.objects.select_related("source")),
            Prefetch(
                "irm_assessments",
                queryset=IrmAssessment.objects.select_related("source").order_by(
                    "report_kind", "pk"
                ),
            ),
            Prefetch("lead_institutions", queryset=Institution.objects.order_by("name")),
            Prefetch("support_institutions", queryset=Institution.objects.order_by("name")),
            Prefetch("policy_areas", queryset=PolicyArea.objects.order_by("slug")),
            Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("goal", "code")),
            Prefetch(
                "alignments",
                queryset=Alignment.objects.select_related("national_commitment").order_by(
                    "national_commitment__code"
                ),
            ),
        )
        .annotate(milestone_count=count_of(Milestone, "commitment"))
        .order_by("code")
    )
    if with_milestones:
        queryset = queryset.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
        )
    return queryset


@functools.cache
def base_commitments(with_milestones: bool) -> QuerySet[Commitment]:
    """commitments() built once (a list copies it with .all()): its seven Prefetch objects
    and the milestone count's subquery were a millisecond of each computed page."""
    return commitments(with_milestones=with_milestones)


def alignments() -> QuerySet[Alignment]:
    return Alignment.objects.select_related(
        "local_commitment__action_plan__state", "national_commitment"
    ).order_by("local_commitment__code", "national_commitment__code")


class CommitmentFilter(CommitmentLinkFilters):
    cycle_year = cycle_year_filter("action_plan__cycle_year")
    action_plan = action_plan_filter("action_plan")
    scope = scope_filter("action_plan__scope")
    state = state_filter("action_plan__state")
    status = filters.ChoiceFilter(
        field_name="action_plan__status",
        choices=PlanStatus.choices,
        help_text=_("Estado del plan de acción del compromiso: draft, active o closed."),
    )
    completion_level = completion_level_filter("indicator__completion_level")
    ordering = ordering(
        "code", "title_es", "title_en", "completion_percent", "start_date", "end_date", "updated_at"
    )
    search_fields = ("code", "title_es", "title_en")
    search_kind = "commitment"

    class Meta:
        model = Commitment
        fields = []


class AlignmentFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(
        choices=Alignment.Kind.choices, help_text=_("Tipo: replicates o complements.")
    )
    local_commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso local."),
    )
    national_commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso nacional."),
    )
    state = state_filter("local_commitment__action_plan__state")
    cycle_year = cycle_year_filter("local_commitment__action_plan__cycle_year")
    ordering = ordering("updated_at", "local_commitment__code", "national_commitment__code")
    search_fields = ("local_commitment__code", "national_commitment__code")

    class Meta:
        model = Alignment
        fields = []


EXPANDABLE = ("milestones",)


COMPLETION_LEVELS = _(
    "Nivel de cumplimiento del Mecanismo de Revisión Independiente de AGA, el que guarda el "
    "cálculo de indicadores: no_information (nadie ha registrado hitos ni avance: no es "
    "«sin iniciar»), not_started (0 %), limited (más de 0 y menos de 50 %), "
    "substantial (50 % a menos de 100 %), complete (100 %) o withdrawn (todos sus hitos "
    "retirados)."
)
COMPLETION_LEVEL_HELP = format_lazy(
    "{} {}", COMPLETION_LEVELS, _("Nulo si el compromiso todavía no tiene indicadores calculados.")
)


class StoredCompletionLevelField(serializers.ChoiceField):
    """A commitment's completion level as stored by the indicators recompute (or null)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", COMPLETION_LEVEL_HELP)
        super().__init__(choices=CompletionLevel.choices, read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, commitment):
        try:
            return commitment.indicator.completion_level
        except CommitmentIndicator.DoesNotExist:
            return None

    def to_representation(self, value):
        return value


class TitleAliasSerializer(DescribedModelSerializer):
    source = SourceSerializer(help_text=_("Publicación de esta redacción."))

    class Meta:
        model = TitleAlias
        fields = ["title", "source"]


# One description per field, for the JSON (schema) and the CSV alike.
COMMITMENT_FIELDS = Fields(
    code=_("Clave única del compromiso."),
    action_plan_id=_("Identificador del plan de acción."),
    scope=_("Ámbito del plan: national o state."),
    state=_("Clave INEGI de la entidad del plan."),
    cycle_year=_("Año de inicio del ciclo del plan."),
    title_es=_("Título en español."),
    title_en=_("Título en inglés."),
    start_date=_("Fecha de inicio."),
    end_date=_("Fecha de fin."),
    completion_percent=_("Avance (%); nulo sin información registrada (no es 0 %)."),
    completion_level=COMPLETION_LEVEL_HELP,
    lead_institutions=_("Instituciones responsables (en el CSV, sus nombres separados por «; »)."),
    support_institutions=_("Instituciones de apoyo (en el CSV, sus nombres separados por «; »)."),
    policy_areas=_("Áreas de política (en el CSV, sus slugs separados por «; »)."),
    sdg_targets=_("Claves de las metas ODS (en el CSV, separadas por «; »)."),
    aligned_with=_(
        "Claves de los compromisos nacionales con los que se alinea este compromiso (en el "
        "CSV, separadas por «; »)."
    ),
    milestone_count=_("Número de hitos."),
    updated_at=_("Última actualización."),
    title_es_origin=_(
        "official: título oficial en español (con su fuente); translation: "
        "traducción hecha para el portal, no oficial."
    ),
    title_es_source=_(
        "Fuente del título oficial en español (en el CSV, su clave en la tabla sources); "
        "nula si es traducción del portal."
    ),
    code_assigned_by_portal=_("La fuente no da una clave; la asignó el portal."),
    description=_("Descripción del compromiso."),
)


class CommitmentSerializer(DescribedModelSerializer):
    action_plan = ActionPlanSummarySerializer(help_text=_("Plan de acción del compromiso."))
    completion_level = StoredCompletionLevelField()
    lead_institutions = InstitutionSummarySerializer(many=True)
    support_institutions = InstitutionSummarySerializer(many=True)
    policy_areas = PolicyAreaSerializer(many=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    aligned_with = serializers.SerializerMethodField()
    milestone_count = serializers.IntegerField()
    title_es_source = SourceSerializer(allow_null=True)
    title_aliases = TitleAliasSerializer(
        many=True, help_text=_("Otras redacciones oficiales del título, con su fuente.")
    )
    irm_assessments = NestedIrmAssessmentSerializer(
        many=True,
        help_text=_(
            "Lo que encontró el Mecanismo de Revisión Independiente (IRM), con su fuente; "
            "lista vacía si no se encontró una valoración publicada."
        ),
    )
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
            "title_es_origin",
            "title_es_source",
            "title_aliases",
            "code_assigned_by_portal",
            "irm_assessments",
            "milestones",
        ]
        descriptions = COMMITMENT_FIELDS

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
            *Commitment.CONTENT_FIELDS,
            *CommitmentSerializer.Meta.fields[4:],
        ]


# One description per field, for the JSON (schema) and the CSV alike.
ALIGNMENT_FIELDS = Fields(
    id=_("Identificador de la alineación."),
    local_commitment=_("Clave del compromiso local."),
    state=_("Clave INEGI de la entidad del compromiso local."),
    national_commitment=_("Clave del compromiso nacional."),
    kind=_("Tipo: replicates o complements."),
    updated_at=_("Última actualización."),
)


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
        descriptions = ALIGNMENT_FIELDS


def stored_level(commitment):
    try:
        return commitment.indicator.completion_level
    except CommitmentIndicator.DoesNotExist:
        return None


def linked(through, field, *ordering):
    """The rows of an M2M table for a page of commitments, in the JSON's order."""
    return lambda keys: through.objects.filter(commitment_id__in=keys).order_by(
        *(f"{field}__{name}" for name in ordering), field
    )


# The list page without model instances (the detail and ?expand=milestones use the
# serializer). Lists and stamps as the prefetches of commitments() and modified_at.
COMMITMENT_PAGE = Projection(
    CommitmentSerializer,
    lookups={"completion_level": "indicator__completion_level"},
    stamps=("updated_at", "action_plan__updated_at"),
    many={
        "lead_institutions": Many(
            linked(Commitment.lead_institutions.through, "institution", "name"),
            "commitment_id",
            serializer=InstitutionSummarySerializer,
            prefix="institution__",
            stamp="institution__updated_at",
        ),
        "support_institutions": Many(
            linked(Commitment.support_institutions.through, "institution", "name"),
            "commitment_id",
            serializer=InstitutionSummarySerializer,
            prefix="institution__",
            stamp="institution__updated_at",
        ),
        "policy_areas": Many(
            linked(Commitment.policy_areas.through, "policyarea", "slug"),
            "commitment_id",
            serializer=PolicyAreaSerializer,
            prefix="policyarea__",
            stamp="policyarea__updated_at",
        ),
        "sdg_targets": Many(
            linked(Commitment.sdg_targets.through, "sdgtarget", "goal", "code"),
            "commitment_id",
            value="sdgtarget__code",
        ),
        "aligned_with": Many(
            lambda keys: Alignment.objects.filter(local_commitment_id__in=keys).order_by(
                "national_commitment__code", "pk"
            ),
            "local_commitment_id",
            value="national_commitment__code",
            stamp="updated_at",
        ),
        "title_aliases": Many(
            lambda keys: TitleAlias.objects.filter(commitment_id__in=keys).order_by("title", "pk"),
            "commitment_id",
            serializer=TitleAliasSerializer,
        ),
        "irm_assessments": Many(
            lambda keys: IrmAssessment.objects.filter(commitment_id__in=keys).order_by(
                "report_kind", "pk"
            ),
            "commitment_id",
            serializer=NestedIrmAssessmentSerializer,
        ),
    },
)


column = COMMITMENT_FIELDS.column

COMMITMENTS = Resource(
    name="commitments",
    title=_("Compromisos"),
    queryset=commitments,
    primary_key=("code",),
    columns=(
        column("code", "string", lambda o: o.code),
        column(
            "action_plan_id",
            "integer",
            lambda o: o.action_plan_id,
            required=True,
            references=ACTION_PLAN,
        ),
        column("scope", "string", lambda o: o.action_plan.scope, required=True),
        column("state", "string", state_code("action_plan.state"), references=STATE),
        column("cycle_year", "integer", lambda o: o.action_plan.cycle_year, required=True),
        column("title_es", "string", lambda o: o.title_es),
        column("title_en", "string", lambda o: o.title_en),
        column("start_date", "date", lambda o: o.start_date),
        column("end_date", "date", lambda o: o.end_date),
        column("completion_percent", "number", lambda o: o.completion_percent),
        column("completion_level", "string", stored_level),
        column("lead_institutions", "string", joined("lead_institutions", "name")),
        column("support_institutions", "string", joined("support_institutions", "name")),
        column("policy_areas", "string", joined("policy_areas", "slug")),
        column("sdg_targets", "string", joined("sdg_targets", "code")),
        column(
            "aligned_with",
            "string",
            lambda o: JOIN.join(a.national_commitment.code for a in o.alignments.all()),
        ),
        column("milestone_count", "integer", lambda o: o.milestone_count, required=True),
        column("updated_at", "datetime", lambda o: o.updated_at, required=True),
        column("title_es_origin", "string", lambda o: o.title_es_origin, required=True),
        column(
            "title_es_source",
            "string",
            lambda o: o.title_es_source.key if o.title_es_source_id else None,
            references=SOURCE,
        ),
        column(
            "code_assigned_by_portal",
            "boolean",
            lambda o: o.code_assigned_by_portal,
            required=True,
        ),
        column("description", "string", lambda o: o.description),
    ),
)

# Not in the open-data package yet: the import's columns for progress reports, and its
# template; the exported file imports back.
PROGRESS_REPORTS = Resource(
    name="progress_reports",
    title=_("Informes de avance"),
    queryset=lambda: ProgressReport.objects.select_related("commitment").order_by(
        "commitment__code", "date", "pk"
    ),
    primary_key=("commitment", "date"),
    columns=(
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C("date", "date", _("Fecha del informe."), lambda o: o.date, required=True),
        C("summary", "string", _("Resumen del avance."), lambda o: o.summary, required=True),
    ),
)

alignment_column = ALIGNMENT_FIELDS.column

ALIGNMENTS = Resource(
    name="alignments",
    title=_("Alineaciones local-nacional"),
    queryset=alignments,
    primary_key=("id",),
    columns=(
        alignment_column("id", "integer", lambda o: o.pk),
        alignment_column(
            "local_commitment",
            "string",
            lambda o: o.local_commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        alignment_column(
            "state",
            "string",
            state_code("local_commitment.action_plan.state"),
            references=STATE,
        ),
        alignment_column(
            "national_commitment",
            "string",
            lambda o: o.national_commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        alignment_column("kind", "string", lambda o: o.kind, required=True),
        alignment_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)
EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=list(EXPANDABLE),
    description=str(_("Datos relacionados que se incluyen anidados: `milestones` (hitos).")),
)


@documented(
    serializer=CommitmentSerializer,
    export=COMMITMENTS,
    name=_("compromisos"),
    description=_(
        "Compromisos de los planes de acción, con su plan, instituciones, áreas de política, "
        "metas ODS y alineaciones; `?expand=milestones` añade los hitos."
    ),
    detail_serializer=CommitmentDetailSerializer,
    extra_list_parameters=[EXPAND_PARAMETER],
)
@extend_schema_view(retrieve=extend_schema(parameters=[EXPAND_PARAMETER]))
class CommitmentReadViewSet(ListAndDetailResource):
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    export = COMMITMENTS
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def expand(self):
        raw = self.request.query_params.get("expand", "")
        requested = {part.strip() for part in raw.split(",") if part.strip()}
        unknown = requested - set(EXPANDABLE)
        if unknown:
            raise ValidationError(
                {"expand": [_("Valor no admitido: %(v)s.") % {"v": ", ".join(sorted(unknown))}]}
            )
        return requested

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CommitmentDetailSerializer
        return CommitmentSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expand": self.expand()}

    def get_queryset(self):
        return base_commitments("milestones" in self.expand()).all()

    def list_projection(self):
        return None if self.expand() else COMMITMENT_PAGE

    def modified_at(self, obj):
        related = [
            obj.action_plan,
            *obj.lead_institutions.all(),
            *obj.support_institutions.all(),
            *obj.policy_areas.all(),
            *obj.alignments.all(),
        ]
        if "milestones" in self.expand():
            related.extend(obj.milestones.all())
        return max([obj.updated_at, *(item.updated_at for item in related)])


@documented(
    serializer=AlignmentSerializer,
    export=ALIGNMENTS,
    name=_("alineaciones"),
    description=_("Alineaciones de compromisos locales con compromisos nacionales."),
)
class AlignmentViewSet(ListAndDetailResource):
    serializer_class = AlignmentSerializer
    filterset_class = AlignmentFilter
    export = ALIGNMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return alignments()
