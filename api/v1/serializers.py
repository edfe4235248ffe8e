"""Output serializers of the public read API.

Every field carries a description: model `help_text` when there is one,
otherwise the model field's verbose name; computed fields say what they are.
Write endpoints will get their own small input serializers next to the
service functions they call (issue 3).
"""

import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Role
from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    IrmAssessment,
    IrmReport,
    IrmReportFigure,
    Milestone,
    PolicyArea,
    SdgTarget,
    Source,
    TitleAlias,
)
from coordination.models import AgendaItem, Agreement, CoordinationSpace, Meeting
from indicators.models import (
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    ScopeIndicator,
    ScopeKind,
)
from reviews import public as public_comments
from reviews.models import Verdict
from states import selectors as state_selectors
from states.models import MetricaEdition, MetricaScore, State, StateParticipation

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


COMPLETION_LEVEL_HELP = _(
    "Nivel de cumplimiento del Mecanismo de Revisión Independiente de AGA, el que guarda el "
    "cálculo de indicadores: no_information (nadie ha registrado hitos ni avance: no es "
    "«sin iniciar»), not_started (0 %), limited (más de 0 y menos de 50 %), "
    "substantial (50 % a menos de 100 %), complete (100 %) o withdrawn (todos sus hitos "
    "retirados). Nulo si el compromiso todavía no tiene indicadores calculados."
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


class TitleAliasSerializer(DescribedModelSerializer):
    source = SourceSerializer(help_text=_("Publicación de esta redacción."))

    class Meta:
        model = TitleAlias
        fields = ["title", "source"]


IRM_FIELDS = [
    "report_kind",
    "pending",
    "verifiable",
    "relevant_access_to_information",
    "relevant_civic_participation",
    "relevant_public_accountability",
    "relevant_technology_innovation",
    "potential_impact",
    "ambition",
    "completion",
    "did_it_open_government",
    "early_results",
    "starred",
    "note",
]
IRM_HELP = {
    "pending": {"help_text": _("La fuente dice que la valoración del IRM está pendiente.")},
    **{
        name: {"help_text": _("Nulo o vacío: la fuente no lo dice (sin información).")}
        for name in IRM_FIELDS
        if name not in {"pending", "note", "report_kind"}
    },
}


class NestedIrmAssessmentSerializer(DescribedModelSerializer):
    source = SourceSerializer(help_text=_("Informe o página de OGP de donde viene."))

    class Meta:
        model = IrmAssessment
        fields = [*IRM_FIELDS, "source"]
        extra_kwargs = IRM_HELP


class StateSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = State
        fields = ["inegi_code", "short_name", "slug"]


class ParticipationSerializer(DescribedModelSerializer):
    source = SourceSerializer(help_text=_("Publicación que lo dice."))

    class Meta:
        model = StateParticipation
        fields = ["program", "status", "start_year", "end_year", "note", "source"]


class StateSerializer(DescribedModelSerializer):
    updated_at = serializers.DateTimeField(help_text=_("Última actualización."))
    standing = serializers.SerializerMethodField(
        help_text=_(
            "Participación en ejercicios locales según sus fuentes y planes registrados: "
            "participates, withdrew, conflicting (las fuentes discrepan), did_not_participate "
            "(solo si una fuente lo dice) o no_information (sin fuente: no es «no participó»)."
        )
    )
    participations = ParticipationSerializer(
        many=True, help_text=_("Registros de participación, cada uno con su fuente.")
    )

    class Meta:
        model = State
        fields = [
            "inegi_code",
            "official_name",
            "short_name",
            "abbreviation",
            "slug",
            "updated_at",
            "standing",
            "participations",
        ]

    def get_standing(self, state) -> str:
        return state_selectors.standing(state).value


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
    completion_level = StoredCompletionLevelField()
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
    title_es_source = SourceSerializer(
        allow_null=True,
        help_text=_("Fuente del título oficial en español; nula si es traducción del portal."),
    )
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
        extra_kwargs = {
            "title_es_origin": {
                "help_text": _(
                    "official: título oficial en español (con su fuente); translation: "
                    "traducción hecha para el portal, no oficial."
                )
            },
            "completion_percent": {
                "help_text": _("Avance (%); nulo sin información registrada (no es 0 %).")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "milestones" not in self.context.get("expand", ()):
            self.fields.pop("milestones")

    def get_aligned_with(self, commitment) -> list[str]:
        return [alignment.national_commitment.code for alignment in commitment.alignments.all()]


class IrmAssessmentSerializer(NestedIrmAssessmentSerializer):
    commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )

    class Meta(NestedIrmAssessmentSerializer.Meta):
        fields = ["id", "commitment", *IRM_FIELDS, "source", "updated_at"]


class IrmReportFigureSerializer(DescribedModelSerializer):
    class Meta:
        model = IrmReportFigure
        fields = ["metric", "value", "of_total"]


class IrmReportSerializer(DescribedModelSerializer):
    cycle_year = serializers.IntegerField(
        source="action_plan.cycle_year", help_text=_("Ciclo del plan de acción nacional.")
    )
    figures = IrmReportFigureSerializer(many=True, help_text=_("Cifras del plan completo."))
    source = SourceSerializer(help_text=_("El informe."))

    class Meta:
        model = IrmReport
        fields = ["id", "cycle_year", "kind", "title", "notes", "figures", "source", "updated_at"]


class StateParticipationSerializer(ParticipationSerializer):
    state = StateSummarySerializer(help_text=_("Entidad federativa."))

    class Meta(ParticipationSerializer.Meta):
        fields = ["id", "state", *ParticipationSerializer.Meta.fields, "updated_at"]


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
    """One history row of a commitment or a milestone (django-simple-history)."""

    id = serializers.CharField(
        help_text=_("Identificador del evento: `commitment-<n>` o `milestone-<n>`.")
    )
    occurred_at = serializers.DateTimeField(
        source="history_date", help_text=_("Momento del cambio.")
    )
    kind = serializers.ChoiceField(
        choices=[("commitment", _("Compromiso")), ("milestone", _("Hito"))],
        help_text=_("Qué cambió: el compromiso (commitment) o uno de sus hitos (milestone)."),
    )
    change = serializers.ChoiceField(
        choices=[("created", _("Alta")), ("changed", _("Cambio")), ("deleted", _("Baja"))],
        help_text=_("Tipo de cambio: created (alta), changed (cambio) o deleted (baja)."),
    )
    commitment = serializers.CharField(help_text=_("Clave del compromiso."))
    milestone = serializers.IntegerField(
        allow_null=True, help_text=_("Identificador del hito; nulo si cambió el compromiso.")
    )
    milestone_title = serializers.CharField(
        allow_null=True, help_text=_("Título del hito tras el cambio; nulo para el compromiso.")
    )
    status = serializers.ChoiceField(
        choices=Milestone.Status.choices,
        allow_null=True,
        help_text=_("Estado del hito tras el cambio; nulo para el compromiso."),
    )
    percent_complete = serializers.IntegerField(
        allow_null=True, help_text=_("Avance del hito tras el cambio; nulo para el compromiso.")
    )
    version = serializers.IntegerField(help_text=_("Versión del registro tras el cambio."))
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
        help_text=_(
            "Campos que cambiaron, cada uno como [antes, después] (fechas en ISO 8601; "
            "antes es nulo en un alta)."
        ),
    )
    editor_role = serializers.ChoiceField(
        choices=Role.choices,
        allow_null=True,
        help_text=_(
            "Rol de quien hizo el cambio; nulo en la carga de datos oficiales. Nunca se publica "
            "el nombre ni el correo de la persona."
        ),
    )
    editor_institution = serializers.CharField(
        allow_null=True,
        help_text=_("Institución de quien hizo el cambio, si pertenece a una."),
    )


class CoordinationSpaceSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = CoordinationSpace
        fields = ["slug", "name"]


class AgendaItemSerializer(DescribedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "description"]


class MeetingSerializer(DescribedModelSerializer):
    space = CoordinationSpaceSummarySerializer(help_text=_("Espacio de coordinación."))
    modality = serializers.ChoiceField(
        choices=Meeting.Modality.choices,
        help_text=_("Formato de la sesión: in_person (presencial), online (en línea) o hybrid."),
    )
    link = serializers.URLField(
        allow_blank=True, help_text=_("Enlace de la sesión en línea o híbrida; vacío si no hay.")
    )
    agenda_items = AgendaItemSerializer(
        many=True, help_text=_("Orden del día, en el orden de la sesión.")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "space",
            "date",
            "ends_at",
            "title",
            "modality",
            "place",
            "link",
            "agenda_items",
            "updated_at",
        ]


class AgreementSerializer(DescribedModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Identificador de la sesión que tomó el acuerdo.")
    )
    space = serializers.SlugRelatedField(
        source="meeting.space",
        slug_field="slug",
        read_only=True,
        help_text=_("Slug del espacio de coordinación."),
    )
    responsible = InstitutionSummarySerializer(help_text=_("Institución responsable."))
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        help_text=_("Estado: pending, in_progress, done o cancelled."),
    )
    is_overdue = serializers.BooleanField(
        help_text=_("Abierto (pending o in_progress) con la fecha compromiso ya vencida.")
    )
    commitments = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Claves de los compromisos relacionados."),
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "meeting",
            "space",
            "text",
            "responsible",
            "due_date",
            "status",
            "done_date",
            "is_overdue",
            "commitments",
            "updated_at",
        ]


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


class CommitmentIndicatorSerializer(DescribedModelSerializer):
    commitment = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )
    action_plan = serializers.IntegerField(
        source="commitment.action_plan_id", help_text=_("Identificador del plan de acción.")
    )
    state = serializers.CharField(
        source="commitment.action_plan.state.inegi_code",
        allow_null=True,
        help_text=_("Clave INEGI de la entidad del plan; nula en los planes nacionales."),
    )
    completion_level = serializers.ChoiceField(
        choices=CompletionLevel.choices, help_text=COMPLETION_LEVEL_HELP
    )
    # Derived from last_update_at and today's date (Mexico City) when the response is made.
    days_since_update = serializers.IntegerField(
        read_only=True, help_text=_("Días desde la última actualización, a la fecha de hoy.")
    )
    is_stale = serializers.BooleanField(
        read_only=True, help_text=_("Sin actualizar desde hace más de 90 días.")
    )

    class Meta:
        model = CommitmentIndicator
        fields = [
            "commitment",
            "action_plan",
            "state",
            "completion_percent",
            "completion_level",
            "milestones_total",
            "milestones_withdrawn",
            "milestones_on_time",
            "milestones_overdue",
            "last_update_at",
            "days_since_update",
            "is_stale",
            "is_on_time",
            "civil_society_agreement_share",
            "civil_society_dispute_share",
            "is_disputed",
            "replicating_states",
            "computed_at",
        ]
        extra_kwargs = {
            "is_on_time": {
                "help_text": _(
                    "Ninguno de sus hitos está vencido (un plan concluido nunca está a tiempo "
                    "con hitos abiertos); nulo sin información registrada."
                )
            },
            "completion_percent": {
                "help_text": _("Avance (%); nulo sin información registrada (no es 0 %).")
            },
            "is_disputed": {
                "help_text": _(
                    "La sociedad civil disputa el avance reportado; nulo sin valoraciones."
                )
            },
            "replicating_states": {
                "help_text": _(
                    "Solo compromisos nacionales: entidades cuyos compromisos locales lo replican."
                )
            },
        }


SCOPE_FIGURES = [
    "commitments_total",
    "commitments_not_started",
    "commitments_limited",
    "commitments_substantial",
    "commitments_complete",
    "commitments_withdrawn",
    "mean_completion",
    "share_on_time",
    "share_stale",
    "share_disputed",
    "commitments_no_information",
    "commitments_with_information",
]
SCOPE_FIGURES_HELP = {
    "commitments_no_information": _(
        "Compromisos sin información registrada (sin hitos ni avance en el portal)."
    ),
    "mean_completion": _(
        "Avance promedio (%) de los compromisos con información y no retirados; nulo si no "
        "hay ninguno. Su cobertura: commitments_with_information de commitments_total."
    ),
    "share_on_time": _(
        "Proporción (0 a 1) a tiempo de los compromisos con información y no retirados."
    ),
    "share_stale": _(
        "Proporción (0 a 1) sin actualizar de los compromisos con información y no retirados."
    ),
    "share_disputed": _("Proporción (0 a 1) de compromisos valorados que están en disputa."),
}


class ScopeFieldsMixin(serializers.Serializer):
    commitments_with_information = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Cobertura: compromisos con información registrada, sobre los que se calculan el "
            "avance promedio y las proporciones."
        ),
    )
    scope_kind = serializers.ChoiceField(
        choices=ScopeKind.choices,
        help_text=_("Tipo de ámbito: plan (plan de acción), state (entidad) o nation (país)."),
    )
    scope_id = serializers.IntegerField(
        help_text=_("Identificador del plan de acción o de la entidad; 0 para el ámbito nacional.")
    )
    scope_name = serializers.CharField(
        help_text=_("Nombre del ámbito: título del plan, nombre de la entidad o «México».")
    )
    state = serializers.CharField(
        source="scope_state",
        allow_null=True,
        help_text=_(
            "Clave INEGI de la entidad del ámbito (la entidad o la del plan estatal); "
            "nula para el país y los planes nacionales."
        ),
    )


class ScopeIndicatorSerializer(ScopeFieldsMixin, DescribedModelSerializer):
    class Meta:
        model = ScopeIndicator
        fields = ["scope_kind", "scope_id", "scope_name", "state", *SCOPE_FIGURES, "computed_at"]
        extra_kwargs = {name: {"help_text": text} for name, text in SCOPE_FIGURES_HELP.items()}


class IndicatorSnapshotSerializer(ScopeFieldsMixin, DescribedModelSerializer):
    class Meta:
        model = IndicatorSnapshot
        fields = ["id", "date", "scope_kind", "scope_id", "scope_name", "state", *SCOPE_FIGURES]
        extra_kwargs = {name: {"help_text": text} for name, text in SCOPE_FIGURES_HELP.items()}


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


# --- Civil-society review (issue 4) -------------------------------------------------

COMMENT_TARGETS = [
    ("commitment", _("Compromiso")),
    ("milestone", _("Hito")),
    ("meeting", _("Sesión")),
]
COMMENT_STATUSES = [
    (public_comments.VISIBLE, _("Visible")),
    (public_comments.DELETED, _("Eliminado por su autor o por el equipo del portal")),
    (public_comments.HIDDEN, _("Ocultado por moderación")),
]


class CommentSerializer(serializers.Serializer):
    """A public comment as the pages show it: never the text of a deleted or hidden one."""

    id = serializers.IntegerField(help_text=_("Identificador del comentario."))
    target_kind = serializers.SerializerMethodField(
        help_text=_("Sobre qué es el comentario: commitment, milestone o meeting.")
    )
    commitment = serializers.CharField(
        source="commitment_code",
        allow_null=True,
        help_text=_(
            "Clave del compromiso comentado o del compromiso del hito comentado; nula en los "
            "comentarios de una sesión."
        ),
    )
    milestone = serializers.IntegerField(
        source="milestone_id",
        allow_null=True,
        help_text=_("Identificador del hito comentado; nulo si es sobre otra cosa."),
    )
    meeting = serializers.IntegerField(
        source="meeting_id",
        allow_null=True,
        help_text=_("Identificador de la sesión comentada; nulo si es sobre otra cosa."),
    )
    parent = serializers.IntegerField(
        source="parent_id",
        allow_null=True,
        help_text=_("Comentario al que responde (las respuestas tienen un solo nivel); nulo."),
    )
    author_name = serializers.SerializerMethodField(
        help_text=_(
            "Nombre de quien lo escribió, como en la página; nulo si no registró su nombre. "
            "Nunca se publica el usuario ni el correo."
        )
    )
    author_organisation = InstitutionSummarySerializer(
        source="institution",
        allow_null=True,
        help_text=_("Organización o institución de la persona al escribirlo; nula si no tenía."),
    )
    status = serializers.SerializerMethodField(
        help_text=_(
            "visible; deleted (eliminado: sin texto) o hidden (ocultado por moderación: sin "
            "texto, con el motivo público en `moderation_reason`)."
        )
    )
    body_html = serializers.SerializerMethodField(
        help_text=_(
            "Texto en HTML, generado del Markdown y depurado (sin scripts, estilos ni "
            "imágenes); nulo si el comentario se eliminó o se ocultó."
        )
    )
    moderation_reason = serializers.SerializerMethodField(
        help_text=_(
            "Motivo público de la moderación: por qué se ocultó o, si está visible, la nota de "
            "su revisión; vacío si no hubo moderación o si se eliminó."
        )
    )
    created_at = serializers.DateTimeField(help_text=_("Momento de publicación."))
    edited_at = serializers.SerializerMethodField(
        help_text=_("Última edición por su autor; nula si no se editó o no está visible.")
    )
    updated_at = serializers.DateTimeField(
        help_text=_(
            "Último cambio visible: publicación, edición, eliminación u ocultación y restauración."
        )
    )

    def get_target_kind(self, comment) -> str:
        return public_comments.target_kind(comment)

    def get_author_name(self, comment) -> str | None:
        return public_comments.person_name(comment.author)

    def get_status(self, comment) -> str:
        return public_comments.status(comment)

    def get_body_html(self, comment) -> str | None:
        return public_comments.body_html(comment)

    def get_moderation_reason(self, comment) -> str:
        return public_comments.moderation_reason(comment)

    def get_edited_at(self, comment) -> datetime.datetime | None:
        return public_comments.edited_at(comment)


class AssessmentSerializer(serializers.Serializer):
    """An organisation's current assessment of reported progress, as the pages show it."""

    id = serializers.IntegerField(help_text=_("Identificador de la evaluación."))
    target_kind = serializers.SerializerMethodField(
        help_text=_("Qué se evalúa: progress_report (informe de avance) o milestone (hito).")
    )
    progress_report = serializers.IntegerField(
        source="progress_report_id",
        allow_null=True,
        help_text=_("Identificador del informe de avance evaluado; nulo si es un hito."),
    )
    milestone = serializers.IntegerField(
        source="milestone_id",
        allow_null=True,
        help_text=_("Identificador del hito evaluado; nulo si es un informe."),
    )
    milestone_version = serializers.IntegerField(
        allow_null=True,
        help_text=_("Versión del hito que se evaluó; nula si es un informe."),
    )
    about_earlier_version = serializers.SerializerMethodField(
        help_text=_(
            "true si el gobierno actualizó el hito después de la evaluación (la página lo "
            "señala); false en los informes."
        )
    )
    commitment = serializers.CharField(
        source="commitment.code", help_text=_("Clave del compromiso del informe o del hito.")
    )
    organisation = InstitutionSummarySerializer(
        help_text=_("Organización de la sociedad civil o académica que evalúa.")
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        help_text=_(
            "Valoración: agree (de acuerdo), dispute (en desacuerdo) o needs_evidence "
            "(requiere evidencia)."
        ),
    )
    justification = serializers.CharField(
        help_text=_("Justificación, en texto plano, como la escribió la organización.")
    )
    created_at = serializers.DateTimeField(
        help_text=_("Primera evaluación de la organización sobre este registro.")
    )
    updated_at = serializers.DateTimeField(
        help_text=_("Última vez que la organización registró su evaluación.")
    )

    def get_target_kind(self, assessment) -> str:
        return public_comments.assessment_target_kind(assessment)

    def get_about_earlier_version(self, assessment) -> bool:
        return public_comments.about_earlier_version(assessment)
