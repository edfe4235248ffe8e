"""Civil society's public comments and assessments (reads; writes in api.v1.writes)."""

import datetime

import django_filters as filters
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    COMMENT,
    COMMITMENT,
    INSTITUTION,
    MEETING,
    MILESTONE,
    Fields,
    ListAndDetailResource,
    Projection,
    Resource,
    StrictBooleanFilter,
    UpdatedSinceFilter,
    cycle_year_filter,
    documented,
    institution_name,
    ordering,
    state_filter,
)
from api.v1.resources.institutions import InstitutionSummarySerializer
from commitments.models import Commitment, Institution, Milestone, ProgressReport
from coordination.models import Meeting
from reviews import public as public_comments
from reviews.models import Assessment, Comment, Verdict


def comments() -> QuerySet[Comment]:
    """Every comment, deleted and hidden ones too: serializers show only what the pages show.

    The author's name and the organisation they wrote for come with the row; the
    commitment's code is the commitment's own or, for a milestone, its commitment's.
    """
    return (
        Comment.objects.select_related("author", "institution")
        .annotate(commitment_code=Coalesce(F("commitment__code"), F("milestone__commitment__code")))
        .order_by("created_at", "pk")
    )


def assessments() -> QuerySet[Assessment]:
    """Civil-society assessments (the current one of each organisation per record)."""
    return Assessment.objects.select_related("organisation", "commitment", "milestone").order_by(
        "-updated_at", "pk"
    )


class CommentFilter(filters.FilterSet):
    """No text search: it would reveal words of deleted and hidden comments."""

    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_(
            "Clave del compromiso: sus comentarios y los de sus hitos (combine con "
            "`target_kind` para separarlos)."
        ),
    )
    milestone = filters.ModelChoiceFilter(
        queryset=Milestone.objects.all(), help_text=_("Identificador del hito comentado.")
    )
    meeting = filters.ModelChoiceFilter(
        queryset=Meeting.objects.all(), help_text=_("Identificador de la sesión comentada.")
    )
    target_kind = filters.ChoiceFilter(
        choices=[
            ("commitment", _("Compromiso")),
            ("milestone", _("Hito")),
            ("meeting", _("Sesión")),
        ],
        method="filter_target_kind",
        help_text=_("Solo comentarios sobre compromisos, hitos o sesiones."),
    )
    parent = filters.ModelChoiceFilter(
        queryset=Comment.objects.all(),
        help_text=_("Identificador de un comentario: solo sus respuestas."),
    )
    is_reply = StrictBooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("true: solo respuestas; false: solo comentarios iniciales."),
    )
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_(
            "Solo comentarios publicados o cambiados (editados, eliminados, moderados) en o "
            "después de esta fecha y hora ISO 8601."
        ),
    )
    ordering = ordering("created_at", "updated_at")

    class Meta:
        model = Comment
        fields = []

    def filter_commitment(self, queryset, name, value: str):  # hint = query type
        return queryset.filter(Q(commitment=value) | Q(milestone__commitment=value))

    def filter_target_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class AssessmentFilter(filters.FilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso del informe o del hito evaluado."),
    )
    verdict = filters.ChoiceFilter(
        choices=Verdict.choices, help_text=_("Valoración: agree, dispute o needs_evidence.")
    )
    organisation = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        help_text=_("Identificador de la organización que evalúa."),
    )
    target_kind = filters.ChoiceFilter(
        choices=[("progress_report", _("Informe de avance")), ("milestone", _("Hito"))],
        method="filter_target_kind",
        help_text=_("Solo evaluaciones de informes de avance o de hitos."),
    )
    progress_report = filters.ModelChoiceFilter(
        queryset=ProgressReport.objects.all(),
        help_text=_("Identificador del informe de avance evaluado."),
    )
    milestone = filters.ModelChoiceFilter(
        queryset=Milestone.objects.all(), help_text=_("Identificador del hito evaluado.")
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    state = state_filter("commitment__action_plan__state")
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Solo evaluaciones registradas en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering("updated_at", "created_at", "verdict", "organisation__name")

    class Meta:
        model = Assessment
        fields = []

    def filter_target_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


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


# One description per field, for the JSON (schema) and the CSV alike. Where the JSON has
# null, the CSV has an empty cell.
COMMENT_FIELDS = Fields(
    id=_("Identificador del comentario."),
    target_kind=_("Sobre qué es el comentario: commitment, milestone o meeting."),
    commitment=_(
        "Clave del compromiso comentado o del compromiso del hito comentado; nula en los "
        "comentarios de una sesión."
    ),
    milestone=_("Identificador del hito comentado; nulo si es sobre otra cosa."),
    milestone_id=_("Identificador del hito comentado."),
    meeting=_("Identificador de la sesión comentada; nulo si es sobre otra cosa."),
    meeting_id=_("Identificador de la sesión comentada."),
    parent=_("Comentario al que responde (las respuestas tienen un solo nivel); nulo."),
    parent_id=_("Comentario al que responde."),
    author_name=_(
        "Nombre de quien lo escribió, como en la página; nulo si no registró su nombre. "
        "Nunca se publica el usuario ni el correo."
    ),
    author_organisation=_(
        "Organización o institución de la persona al escribirlo (en el CSV, su nombre); "
        "nula si no tenía."
    ),
    status=_(
        "visible; deleted (eliminado: sin texto) o hidden (ocultado por moderación: sin "
        "texto, con el motivo público en `moderation_reason`)."
    ),
    body_html=_(
        "Texto en HTML, generado del Markdown y depurado (sin scripts, estilos ni "
        "imágenes); nulo si el comentario se eliminó o se ocultó."
    ),
    moderation_reason=_(
        "Motivo público de la moderación: por qué se ocultó o, si está visible, la nota de "
        "su revisión; vacío si no hubo moderación o si se eliminó."
    ),
    created_at=_("Momento de publicación."),
    edited_at=_("Última edición por su autor; nula si no se editó o no está visible."),
    updated_at=_(
        "Último cambio visible: publicación, edición, eliminación u ocultación y restauración."
    ),
)
comment_column = COMMENT_FIELDS.column

ASSESSMENT_FIELDS = Fields(
    id=_("Identificador de la evaluación."),
    target_kind=_("Qué se evalúa: progress_report (informe de avance) o milestone (hito)."),
    progress_report=_("Identificador del informe de avance evaluado; nulo si es un hito."),
    progress_report_id=_("Identificador del informe de avance evaluado."),
    milestone=_("Identificador del hito evaluado; nulo si es un informe."),
    milestone_id=_("Identificador del hito evaluado."),
    milestone_version=_("Versión del hito que se evaluó; nula si es un informe."),
    about_earlier_version=_(
        "true si el gobierno actualizó el hito después de la evaluación (la página lo "
        "señala); false en los informes."
    ),
    commitment=_("Clave del compromiso del informe o del hito."),
    organisation_id=_("Identificador de la organización."),
    organisation=_(
        "Organización de la sociedad civil o académica que evalúa (en el CSV, su nombre)."
    ),
    verdict=_(
        "Valoración: agree (de acuerdo), dispute (en desacuerdo) o needs_evidence "
        "(requiere evidencia)."
    ),
    justification=_("Justificación, en texto plano, como la escribió la organización."),
    created_at=_("Primera evaluación de la organización sobre este registro."),
    updated_at=_("Última vez que la organización registró su evaluación."),
)
assessment_column = ASSESSMENT_FIELDS.column


class CommentSerializer(serializers.Serializer):
    """A public comment as the pages show it: never the text of a deleted or hidden one."""

    id = serializers.IntegerField(help_text=COMMENT_FIELDS["id"])
    target_kind = serializers.SerializerMethodField(help_text=COMMENT_FIELDS["target_kind"])
    commitment = serializers.CharField(
        source="commitment_code",
        allow_null=True,
        help_text=COMMENT_FIELDS["commitment"],
    )
    milestone = serializers.IntegerField(
        source="milestone_id",
        allow_null=True,
        help_text=COMMENT_FIELDS["milestone"],
    )
    meeting = serializers.IntegerField(
        source="meeting_id",
        allow_null=True,
        help_text=COMMENT_FIELDS["meeting"],
    )
    parent = serializers.IntegerField(
        source="parent_id",
        allow_null=True,
        help_text=COMMENT_FIELDS["parent"],
    )
    author_name = serializers.SerializerMethodField(help_text=COMMENT_FIELDS["author_name"])
    author_organisation = InstitutionSummarySerializer(
        source="institution",
        allow_null=True,
        help_text=COMMENT_FIELDS["author_organisation"],
    )
    status = serializers.SerializerMethodField(help_text=COMMENT_FIELDS["status"])
    body_html = serializers.SerializerMethodField(help_text=COMMENT_FIELDS["body_html"])
    moderation_reason = serializers.SerializerMethodField(
        help_text=COMMENT_FIELDS["moderation_reason"]
    )
    created_at = serializers.DateTimeField(help_text=COMMENT_FIELDS["created_at"])
    edited_at = serializers.SerializerMethodField(help_text=COMMENT_FIELDS["edited_at"])
    updated_at = serializers.DateTimeField(help_text=COMMENT_FIELDS["updated_at"])

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

    id = serializers.IntegerField(help_text=ASSESSMENT_FIELDS["id"])
    target_kind = serializers.SerializerMethodField(help_text=ASSESSMENT_FIELDS["target_kind"])
    progress_report = serializers.IntegerField(
        source="progress_report_id",
        allow_null=True,
        help_text=ASSESSMENT_FIELDS["progress_report"],
    )
    milestone = serializers.IntegerField(
        source="milestone_id",
        allow_null=True,
        help_text=ASSESSMENT_FIELDS["milestone"],
    )
    milestone_version = serializers.IntegerField(
        allow_null=True,
        help_text=ASSESSMENT_FIELDS["milestone_version"],
    )
    about_earlier_version = serializers.SerializerMethodField(
        help_text=ASSESSMENT_FIELDS["about_earlier_version"]
    )
    commitment = serializers.CharField(
        source="commitment.code", help_text=ASSESSMENT_FIELDS["commitment"]
    )
    organisation = InstitutionSummarySerializer(help_text=ASSESSMENT_FIELDS["organisation"])
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        help_text=ASSESSMENT_FIELDS["verdict"],
    )
    justification = serializers.CharField(help_text=ASSESSMENT_FIELDS["justification"])
    created_at = serializers.DateTimeField(help_text=ASSESSMENT_FIELDS["created_at"])
    updated_at = serializers.DateTimeField(help_text=ASSESSMENT_FIELDS["updated_at"])

    def get_target_kind(self, assessment) -> str:
        return public_comments.assessment_target_kind(assessment)

    def get_about_earlier_version(self, assessment) -> bool:
        return public_comments.about_earlier_version(assessment)


COMMENTS = Resource(
    name="comments",
    title=_("Comentarios públicos"),
    queryset=comments,
    primary_key=("id",),
    columns=(
        comment_column("id", "integer", lambda o: o.pk),
        comment_column(
            "target_kind",
            "string",
            public_comments.target_kind,
            required=True,
        ),
        comment_column(
            "commitment",
            "string",
            lambda o: o.commitment_code,
            references=COMMITMENT,
        ),
        comment_column(
            "milestone_id",
            "integer",
            lambda o: o.milestone_id,
            references=MILESTONE,
        ),
        comment_column(
            "meeting_id",
            "integer",
            lambda o: o.meeting_id,
            references=MEETING,
        ),
        comment_column(
            "parent_id",
            "integer",
            lambda o: o.parent_id,
            references=COMMENT,
        ),
        comment_column(
            "author_name",
            "string",
            lambda o: public_comments.person_name(o.author),
        ),
        comment_column(
            "author_organisation",
            "string",
            institution_name("institution"),
        ),
        comment_column(
            "status",
            "string",
            public_comments.status,
            required=True,
        ),
        comment_column(
            "body_html",
            "string",
            public_comments.body_html,
        ),
        comment_column(
            "moderation_reason",
            "string",
            public_comments.moderation_reason,
        ),
        comment_column(
            "created_at",
            "datetime",
            lambda o: o.created_at,
            required=True,
        ),
        comment_column(
            "edited_at",
            "datetime",
            public_comments.edited_at,
        ),
        comment_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

ASSESSMENTS = Resource(
    name="assessments",
    title=_("Evaluaciones de la sociedad civil"),
    queryset=assessments,
    primary_key=("id",),
    columns=(
        assessment_column("id", "integer", lambda o: o.pk),
        assessment_column(
            "target_kind",
            "string",
            public_comments.assessment_target_kind,
            required=True,
        ),
        assessment_column(
            "progress_report_id",
            "integer",
            lambda o: o.progress_report_id,
        ),
        assessment_column(
            "milestone_id",
            "integer",
            lambda o: o.milestone_id,
            references=MILESTONE,
        ),
        assessment_column(
            "milestone_version",
            "integer",
            lambda o: o.milestone_version,
        ),
        assessment_column(
            "about_earlier_version",
            "boolean",
            lambda o: (
                "true" if o.milestone_id and o.milestone_version != o.milestone.version else "false"
            ),
        ),
        assessment_column(
            "commitment",
            "string",
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        assessment_column(
            "organisation_id",
            "integer",
            lambda o: o.organisation_id,
            required=True,
            references=INSTITUTION,
        ),
        assessment_column(
            "organisation",
            "string",
            lambda o: o.organisation.name,
            required=True,
        ),
        assessment_column(
            "verdict",
            "string",
            lambda o: o.verdict,
            required=True,
        ),
        assessment_column(
            "justification",
            "string",
            lambda o: o.justification,
        ),
        assessment_column(
            "created_at",
            "datetime",
            lambda o: o.created_at,
            required=True,
        ),
        assessment_column(
            "updated_at",
            "datetime",
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)


@documented(
    serializer=CommentSerializer,
    export=COMMENTS,
    name=_("comentarios públicos"),
    description=_(
        "Comentarios públicos sobre compromisos, hitos y sesiones, y sus respuestas, tal como "
        "los muestran las páginas: el nombre y la organización de quien escribe (nunca su "
        "usuario ni su correo) y el texto en HTML depurado. De un comentario eliminado queda "
        "su lugar sin texto; de uno ocultado por moderación, el motivo público en lugar del "
        "texto. Del más antiguo al más reciente."
    ),
)
class CommentReadViewSet(ListAndDetailResource):
    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    export = COMMENTS
    lookup_value_regex = r"[0-9]+"
    # The list page read as values(): the serializer's method fields as the same rules of
    # reviews.public over the columns; the HTML is the one stored when the comment was written.
    projection = Projection(
        CommentSerializer,
        computed={
            "target_kind": (
                ("commitment_id", "milestone_id"),
                lambda row: public_comments.target_kind_of(
                    row["commitment_id"], row["milestone_id"]
                ),
            ),
            "author_name": (
                ("author__first_name", "author__last_name"),
                lambda row: public_comments.person_name_of(
                    row["author__first_name"], row["author__last_name"]
                ),
            ),
            "status": (
                ("deleted_at", "hidden_at"),
                lambda row: public_comments.status_of(row["deleted_at"], row["hidden_at"]),
            ),
            "body_html": (
                ("deleted_at", "hidden_at", "body_html"),
                lambda row: public_comments.shown(
                    row["deleted_at"], row["hidden_at"], row["body_html"]
                ),
            ),
            "moderation_reason": (
                ("deleted_at", "moderation_reason"),
                lambda row: public_comments.moderation_reason_of(
                    row["deleted_at"], row["moderation_reason"]
                ),
            ),
            "edited_at": (
                ("deleted_at", "hidden_at", "edited_at"),
                lambda row: public_comments.shown(
                    row["deleted_at"], row["hidden_at"], row["edited_at"]
                ),
            ),
        },
        stamps=("updated_at", "institution__updated_at"),
    )

    def get_queryset(self):
        return comments()

    def modified_at(self, obj):
        institution = obj.institution
        return max(obj.updated_at, institution.updated_at) if institution else obj.updated_at


@documented(
    serializer=AssessmentSerializer,
    export=ASSESSMENTS,
    name=_("evaluaciones de la sociedad civil"),
    description=_(
        "La evaluación vigente de cada organización de la sociedad civil o académica sobre "
        "un informe de avance o el avance de un hito: valoración, justificación, "
        "organización, registro evaluado y fechas. No se publica quién de la organización la "
        "registró. Las más recientes primero."
    ),
)
class AssessmentReadViewSet(ListAndDetailResource):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    export = ASSESSMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return assessments()

    def modified_at(self, obj):
        stamps = [obj.updated_at, obj.organisation.updated_at, obj.commitment.updated_at]
        if obj.milestone is not None:
            stamps.append(obj.milestone.updated_at)
        return max(stamps)
