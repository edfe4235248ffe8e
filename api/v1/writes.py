"""Progress writes through the API: the pages' forms check input, the pages' services write.

Nothing here decides a business rule. Each view: authenticate (token or session with
CSRF), ask `ogp_portal.permissions`, validate with the same form the page uses (so
percent 0-100, complete means 100 %, dates within the plan period, end not before
start and the evidence content checks are the pages' own), then call the same
service function. A milestone edit needs the version it started from, in
`If-Match: "<version>"` or a `version` field: missing is 428, stale is 412 with the
current version and representation.
"""

import re

from django import forms
from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.v1.parsers import StrictJSONParser
from api.v1.resources import reviews as api_selectors
from commitments import services
from commitments.forms_progress import MilestoneProgressForm, ProgressReportForm
from commitments.models import Commitment, Evidence, Milestone, ProgressReport
from commitments.rules import MILESTONE_PROGRESS_FIELDS
from coordination.models import Meeting
from ogp_portal import permissions
from reviews import services as review_services
from reviews.forms import AssessmentForm, CommentForm
from reviews.models import Verdict

from .resources.base import DescribedModelSerializer
from .resources.milestones import MilestoneSerializer
from .resources.reviews import AssessmentSerializer, CommentSerializer

JSON = "application/json"
MULTIPART = "multipart/form-data"
WRITE_ACTIONS = {"partial_update", "progress_reports", "create"}
EVIDENCE_FIELDS = ("evidence_title", "evidence_url", "evidence_file")
MILESTONE_FIELDS = ("version", *MILESTONE_PROGRESS_FIELDS, *EVIDENCE_FIELDS)
REPORT_FIELDS = ("date", "summary", *EVIDENCE_FIELDS)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        'Falta la versión: envíe el encabezado If-Match: "<versión>" o el campo `version` '
        "con la versión del hito que leyó."
    )
    default_code = "precondition_required"


def form_errors(form):
    """The form's errors as {field: [messages]}, non-field errors under non_field_errors."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


def json_type_error(value, field):
    """Why a JSON value does not have the type its schema field states, or None."""
    if value is None:
        return None if field.allow_null else _("No puede ser null.")
    if isinstance(field, drf_serializers.IntegerField):
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if integral and not isinstance(value, bool) else _("Debe ser un entero.")
    if isinstance(field, drf_serializers.CharField | drf_serializers.ChoiceField):
        return None if isinstance(value, str) else _("Debe ser texto.")
    if isinstance(field, drf_serializers.DateField):
        return None if isinstance(value, str) else _("Debe ser una fecha en texto (AAAA-MM-DD).")
    return None


def submitted(request, allowed, *, schema=None):
    """The request's fields as single values; unknown fields and lists/objects are a 400.

    With `schema` (the request serializer the OpenAPI schema shows), a JSON body's values
    must have the types it states: `true` or `5` where text is expected is a 400, as the
    schema says, not read as "True" or "5".
    """
    data = request.data
    if not hasattr(data, "keys"):
        raise ValidationError({"non_field_errors": [_("El cuerpo debe ser un objeto JSON.")]})
    keys = set(data.keys()) | set(request.FILES.keys())
    unknown = sorted(keys - set(allowed))
    if unknown:
        raise ValidationError({name: [_("Campo desconocido.")] for name in unknown})
    is_json = request.content_type.startswith("application/json")
    fields = schema().fields if schema is not None and is_json else {}
    values = {}
    for key in data:
        if key in request.FILES:
            continue
        value = data.get(key)
        if isinstance(value, list | dict):
            raise ValidationError({key: [_("Debe ser un solo valor.")]})
        if key in fields and (error := json_type_error(value, fields[key])):
            raise ValidationError({key: [error]})
        values[key] = "" if value is None else value
    return values


MAX_VERSION = 999_999_999
# ASCII digits only (int() would also read "٣" and "1_0"); the schema states the same.
VERSION_TEXT = re.compile(r"0*([1-9][0-9]{0,8})")


def parse_version(raw, name):
    version = 0
    if isinstance(raw, int) and not isinstance(raw, bool):
        version = raw
    elif isinstance(raw, float) and raw.is_integer():  # JSON Schema's integer includes 3.0
        version = int(raw)
    elif isinstance(raw, str) and (match := VERSION_TEXT.fullmatch(raw)):
        version = int(match[1])
    if version < 1 or version > MAX_VERSION:
        raise ValidationError({name: [_("Debe ser la versión del hito: un entero positivo.")]})
    return version


def requested_version(request, body):
    """The version from If-Match or the body (they must agree), or 428 when neither is sent."""
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None:
        tag = header.strip().removeprefix("W/").strip('"')
        from_header = parse_version(tag, "If-Match")
    from_body = parse_version(body["version"], "version") if "version" in body else None
    if from_header is None and from_body is None:
        raise PreconditionRequired()
    if from_header is not None and from_body is not None and from_header != from_body:
        raise ValidationError({"version": [_("No coincide con el encabezado If-Match.")]})
    return from_header or from_body


def milestone_form_data(milestone, values, version):
    """The page form's data: the milestone as it is, with the fields the client sent."""
    data = {
        "status": milestone.status,
        "percent_complete": milestone.percent_complete,
        "actual_start_date": milestone.actual_start_date or "",
        "actual_end_date": milestone.actual_end_date or "",
        "weight": milestone.weight,
        "narrative": milestone.narrative,
    }
    data.update(values)
    data["version"] = version
    return data


def stale_version_body(milestone, request):
    return {
        "detail": str(
            _(
                "El hito cambió desde la versión que envió; la versión actual es %(version)s. "
                "Revise los cambios y vuelva a enviar con esa versión."
            )
            % {"version": milestone.version}
        ),
        "current_version": milestone.version,
        "current": MilestoneSerializer(milestone, context={"request": request}).data,
    }


def version_tag(milestone):
    return {"ETag": f'"{milestone.version}"'}


# --- schema-only descriptions of the inputs (the forms validate) -------------


class EvidenceInput(drf_serializers.Serializer):
    evidence_title = drf_serializers.CharField(
        required=False, max_length=200, help_text=_("Título de la evidencia.")
    )
    evidence_url = drf_serializers.URLField(
        required=False, max_length=500, help_text=_("Enlace a la evidencia (https://…).")
    )


class EvidenceFileInput(EvidenceInput):
    evidence_file = drf_serializers.FileField(
        required=False,
        help_text=_(
            "Archivo de evidencia (solo con multipart/form-data): PDF, PNG, JPEG, WebP, DOCX, "
            "XLSX, PPTX, ODT, ODS o CSV; el tipo se comprueba por su contenido."
        ),
    )


def milestone_input_fields():
    return {
        "version": drf_serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_VERSION,
            help_text=_("Versión del hito que leyó; o bien el encabezado If-Match."),
        ),
        "status": drf_serializers.ChoiceField(
            choices=Milestone.Status.choices,
            required=False,
            help_text=_("Estado; complete exige un avance de 100."),
        ),
        "percent_complete": drf_serializers.IntegerField(
            required=False, min_value=0, max_value=100, help_text=_("Avance, entero de 0 a 100.")
        ),
        "actual_start_date": drf_serializers.DateField(
            required=False,
            allow_null=True,
            help_text=_("Inicio real, dentro del periodo del plan de acción."),
        ),
        "actual_end_date": drf_serializers.DateField(
            required=False,
            allow_null=True,
            help_text=_("Conclusión real, dentro del periodo del plan y no antes del inicio."),
        ),
        "weight": drf_serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=1000,
            help_text=_("Peso del hito en el avance del compromiso."),
        ),
        "narrative": drf_serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=5000,
            help_text=_("Descripción del avance."),
        ),
    }


MilestoneProgressInput = type("MilestoneProgressInput", (EvidenceInput,), milestone_input_fields())
MilestoneProgressUpload = type(
    "MilestoneProgressUpload", (EvidenceFileInput,), milestone_input_fields()
)


class ProgressReportInput(EvidenceInput):
    date = drf_serializers.DateField(
        help_text=_("Fecha del informe, dentro del periodo del plan de acción.")
    )
    summary = drf_serializers.CharField(max_length=10000, help_text=_("Resumen del avance."))


class ProgressReportUpload(EvidenceFileInput, ProgressReportInput):
    pass


class EvidenceSerializer(DescribedModelSerializer):
    kind = drf_serializers.ChoiceField(
        choices=Evidence.Kind.choices, help_text=_("link (enlace) o file (archivo).")
    )
    title = drf_serializers.CharField(help_text=_("Título."))
    url = drf_serializers.SerializerMethodField(
        help_text=_("El enlace, o la descarga del archivo (siempre como adjunto).")
    )

    class Meta:
        model = Evidence
        fields = ["id", "kind", "title", "url"]
        extra_kwargs = {"id": {"help_text": _("Identificador de la evidencia.")}}

    def get_url(self, evidence) -> str:
        if evidence.kind == Evidence.Kind.LINK:
            return evidence.url
        path = reverse("commitments:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressReportSerializer(DescribedModelSerializer):
    commitment = drf_serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Clave del compromiso.")
    )
    date = drf_serializers.DateField(help_text=_("Fecha del informe."))
    summary = drf_serializers.CharField(help_text=_("Resumen del avance."))
    evidence = EvidenceSerializer(many=True, help_text=_("Evidencias del informe."))
    created_at = drf_serializers.DateTimeField(help_text=_("Momento de publicación."))

    class Meta:
        model = ProgressReport
        fields = ["id", "commitment", "date", "summary", "evidence", "created_at"]
        extra_kwargs = {"id": {"help_text": _("Identificador del informe.")}}


class StaleVersionSerializer(drf_serializers.Serializer):
    detail = drf_serializers.CharField(help_text=_("Qué pasó y qué hacer."))
    current_version = drf_serializers.IntegerField(help_text=_("Versión actual del hito."))
    current = MilestoneSerializer(help_text=_("El hito tal como está ahora."))


def described(code, text):
    return {(code, JSON): OpenApiResponse(OpenApiTypes.OBJECT, description=text)}


WRITE_ERRORS = {
    **described(
        400,
        _(
            "Entrada no válida: cada clave nombra el campo rechazado con sus motivos "
            "(las mismas reglas que el formulario de la página)."
        ),
    ),
    **described(401, _("Sin autenticar: envíe `Authorization: Token <clave>` o inicie sesión.")),
    **described(
        403,
        _("Sin permiso sobre este compromiso (o, con sesión, sin la cabecera CSRF X-CSRFToken)."),
    ),
    **described(404, _("No existe.")),
    **described(415, _("Tipo de contenido no admitido: use JSON o multipart/form-data.")),
    **described(429, _("Demasiadas solicitudes; Retry-After dice cuántos segundos esperar.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    # What parse_version reads: an optional W/, an optional pair of quotes, a version.
    pattern=r'^(W/)?"?0*[1-9][0-9]{0,8}"?$',
    allow_blank=False,
    description=_(
        'Versión del hito que leyó, entre comillas (p. ej. "3"); alternativa al campo `version`.'
    ),
)


class WritePermissionsMixin:
    """Writes need an authenticated user; what they may change is decided per object."""

    def get_permissions(self):
        if self.action in WRITE_ACTIONS:
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_parsers(self):
        return [StrictJSONParser(), MultiPartParser()]


class MilestoneWriteMixin(WritePermissionsMixin):
    @extend_schema(
        summary=str(_("Registrar avance de un hito")),
        description=_(
            "Cambia el estado, el avance, las fechas reales, el peso o la descripción de un hito "
            "(solo los campos enviados) y puede adjuntar evidencia: un enlace o, con "
            "multipart/form-data, un archivo. Requiere la versión leída en `If-Match` o en "
            "`version`: sin ella responde 428; si el hito cambió entretanto, 412 con la versión "
            "y el hito actuales. Responde el hito guardado, con su nueva versión en ETag."
        ),
        parameters=[IF_MATCH],
        request={JSON: MilestoneProgressInput, MULTIPART: MilestoneProgressUpload},
        responses={
            200: MilestoneSerializer,
            (412, JSON): StaleVersionSerializer,
            **described(428, PreconditionRequired.default_detail),
            **WRITE_ERRORS,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        milestone = get_object_or_404(
            Milestone.objects.select_related("commitment__action_plan"), pk=kwargs["pk"]
        )
        if not permissions.can_edit_milestone(request.user, milestone):
            raise PermissionDenied(_("No puede registrar avance en este compromiso."))
        values = submitted(request, MILESTONE_FIELDS, schema=MilestoneProgressInput)
        version = requested_version(request, values)
        if version != milestone.version:
            # Stale before the form looks at it: 412, not a 400 about the old values.
            raise services.EditConflict(milestone_id=milestone.pk, started_version=version)
        form = MilestoneProgressForm(
            milestone_form_data(milestone, values, version),
            request.FILES,
            milestone=milestone,
            prefix=None,
        )
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.update_milestone_progress(
            milestone_id=milestone.pk, user=request.user, **form.progress()
        )
        saved = Milestone.objects.select_related("commitment").get(pk=milestone.pk)
        data = MilestoneSerializer(saved, context={"request": request}).data
        return Response(data, headers=version_tag(saved))

    def describe_conflict(self, conflict):
        """The 412's body and ETag: the milestone as it is now (api.v1.service_errors)."""
        milestone = Milestone.objects.select_related("commitment").get(pk=conflict.milestone_id)
        return stale_version_body(milestone, self.request), version_tag(milestone)


class CommitmentWriteMixin(WritePermissionsMixin):
    @extend_schema(
        summary=str(_("Publicar un informe de avance")),
        description=_(
            "Agrega un informe de avance fechado a un compromiso, con evidencia opcional: un "
            "enlace o, con multipart/form-data, un archivo (tipo comprobado por su contenido)."
        ),
        request={JSON: ProgressReportInput, MULTIPART: ProgressReportUpload},
        responses={201: ProgressReportSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="progress-reports")
    def progress_reports(self, request, *args, **kwargs):
        commitment = get_object_or_404(
            Commitment.objects.select_related("action_plan"), code=kwargs["code"]
        )
        if not permissions.can_add_progress_report(request.user, commitment):
            raise PermissionDenied(_("No puede registrar avance en este compromiso."))
        values = submitted(request, REPORT_FIELDS, schema=ProgressReportInput)
        form = ProgressReportForm(values, request.FILES, commitment=commitment, prefix=None)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        report = services.add_progress_report(
            commitment=commitment,
            user=request.user,
            date=form.cleaned_data["date"],
            summary=form.cleaned_data["summary"],
            **form.evidence(),
        )
        report = (
            ProgressReport.objects.select_related("commitment")
            .prefetch_related("evidence")
            .get(pk=report.pk)
        )
        data = ProgressReportSerializer(report, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


# --- Civil-society review: comments and assessments ---------------------------------
#
# The services own the rules (who may, which record, same-thread parent, rate limit,
# created or replaced); their refusals become responses in api.v1.service_errors.


MAX_ID = 2**31 - 1


class CommentTargetForm(forms.Form):
    """Which record a new comment is about: exactly one of the three."""

    commitment = forms.CharField(required=False, max_length=20)
    milestone = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    meeting = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.fields if cleaned.get(name) not in (None, "")]
        if len(given) != 1 and not self.errors:
            raise forms.ValidationError(
                _("Indique exactamente uno de `commitment`, `milestone` o `meeting`.")
            )
        return cleaned

    def target(self):
        """{"commitment": …} etc. for the service, or None after adding a 'no existe' error."""
        sources = {
            "commitment": (Commitment.objects, "code"),
            "milestone": (Milestone.objects.select_related("commitment"), "pk"),
            "meeting": (Meeting.objects, "pk"),
        }
        for name, (queryset, key) in sources.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            record = queryset.filter(**{key: value}).first()
            if record is None:
                self.add_error(name, _("No existe."))
                return None
            return {name: record}
        return None


class AssessmentTargetForm(forms.Form):
    """Which record an assessment is about: a progress report or a milestone."""

    progress_report = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    milestone = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.fields if cleaned.get(name) is not None]
        if len(given) != 1 and not self.errors:
            raise forms.ValidationError(
                _("Indique exactamente uno de `progress_report` o `milestone`.")
            )
        return cleaned

    def target(self):
        sources = {
            "progress_report": ProgressReport.objects.select_related("commitment"),
            "milestone": Milestone.objects.select_related("commitment"),
        }
        for name, queryset in sources.items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            record = queryset.filter(pk=value).first()
            if record is None:
                self.add_error(name, _("No existe."))
                return None
            return {name: record}
        return None


COMMENT_FIELDS = ("commitment", "milestone", "meeting", "body", "parent")
ASSESSMENT_FIELDS = ("progress_report", "milestone", "verdict", "justification")


# The request schemas below only document; CommentTargetForm/CommentForm (and their
# assessment twins) validate. They say what the forms enforce: exactly one target
# (oneOf, added by api.schema.exclusive_targets), ids up to MAX_ID, text that is not blank.
NOT_BLANK = RegexValidator(r"\S", _("No puede estar en blanco."))


class CommentInput(drf_serializers.Serializer):
    commitment = drf_serializers.CharField(
        required=False,
        min_length=1,
        max_length=20,
        help_text=_("Clave del compromiso comentado (o bien `milestone` o `meeting`)."),
    )
    milestone = drf_serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Identificador del hito comentado."),
    )
    meeting = drf_serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Identificador de la sesión comentada."),
    )
    body = drf_serializers.CharField(
        min_length=1,
        max_length=5000,
        validators=[NOT_BLANK],
        help_text=_(
            "Texto del comentario en Markdown sencillo (negritas, cursivas, listas y enlaces; "
            "sin imágenes, scripts ni estilos)."
        ),
    )
    parent = drf_serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "Comentario del mismo destino al que responde; una respuesta a una respuesta "
            "se agrega al comentario inicial."
        ),
    )


class AssessmentInput(drf_serializers.Serializer):
    progress_report = drf_serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Identificador del informe de avance evaluado (o bien `milestone`)."),
    )
    milestone = drf_serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Identificador del hito evaluado."),
    )
    verdict = drf_serializers.ChoiceField(
        choices=Verdict.choices,
        help_text=_("Valoración: agree, dispute o needs_evidence."),
    )
    justification = drf_serializers.CharField(
        min_length=1,
        max_length=5000,
        validators=[NOT_BLANK],
        help_text=_("Justificación obligatoria; puede enlazar fuentes."),
    )


REVIEW_WRITE_ERRORS = {
    **described(
        400,
        _(
            "Entrada no válida: cada clave nombra el campo rechazado con sus motivos "
            "(las mismas reglas que el formulario de la página)."
        ),
    ),
    **described(401, _("Sin autenticar: envíe `Authorization: Token <clave>` o inicie sesión.")),
    **described(
        403,
        _(
            "Su cuenta no puede hacerlo (p. ej. registro aún no aprobado) o, con sesión, "
            "falta la cabecera CSRF X-CSRFToken."
        ),
    ),
    **described(415, _("Tipo de contenido no admitido: use JSON o multipart/form-data.")),
}


def reject(*forms_):
    errors = {}
    for form in forms_:
        errors.update(form_errors(form))
    raise ValidationError(errors)


class CommentWriteMixin(WritePermissionsMixin):
    @extend_schema(
        summary=str(_("Publicar un comentario")),
        description=_(
            "Publica un comentario sobre un compromiso, un hito o una sesión, o una respuesta "
            "(`parent`). Pueden comentar las personas de organizaciones aprobadas, el "
            "gobierno, las personas analistas y el equipo del portal; una cuenta pendiente "
            "de aprobación recibe 403. "
            "Cada persona tiene un límite de comentarios por periodo: al alcanzarlo responde "
            "429 con el mensaje, `retry_after` y el encabezado Retry-After, y no guarda nada. "
            "Responde el comentario publicado."
        ),
        request={JSON: CommentInput, MULTIPART: CommentInput},
        responses={
            201: CommentSerializer,
            **REVIEW_WRITE_ERRORS,
            **described(
                429,
                _(
                    "Límite de comentarios alcanzado (o demasiadas solicitudes): `detail` lo "
                    "explica; Retry-After dice cuántos segundos esperar."
                ),
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        values = submitted(request, COMMENT_FIELDS, schema=CommentInput)
        target_form = CommentTargetForm(values)
        form = CommentForm(values)
        about = target_form.target() if target_form.is_valid() else None
        if not form.is_valid() or about is None:
            reject(target_form, form)
        comment = review_services.post_comment(
            user=request.user,
            body=form.cleaned_data["body"],
            parent_id=form.cleaned_data.get("parent"),
            **about,
        )
        comment = api_selectors.comments().get(pk=comment.pk)
        data = CommentSerializer(comment, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class AssessmentWriteMixin(WritePermissionsMixin):
    @extend_schema(
        summary=str(_("Registrar la evaluación de mi organización")),
        description=_(
            "Registra lo que la organización de quien escribe opina de un informe de avance o "
            "del avance de un hito: valoración y justificación. Solo pueden hacerlo las "
            "personas revisoras de organizaciones de la sociedad civil o académicas (403 para "
            "las demás). Cada organización tiene una evaluación vigente por registro: una "
            "nueva reemplaza la anterior (200) y el historial conserva las previas; la primera "
            "responde 201."
        ),
        request={JSON: AssessmentInput, MULTIPART: AssessmentInput},
        responses={
            201: AssessmentSerializer,
            200: AssessmentSerializer,
            **REVIEW_WRITE_ERRORS,
            **described(
                429, _("Demasiadas solicitudes; Retry-After dice cuántos segundos esperar.")
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        values = submitted(request, ASSESSMENT_FIELDS, schema=AssessmentInput)
        target_form = AssessmentTargetForm(values)
        form = AssessmentForm(values)
        about = target_form.target() if target_form.is_valid() else None
        if not form.is_valid() or about is None:
            reject(target_form, form)
        recorded = review_services.record_assessment(
            user=request.user, **form.cleaned_data, **about
        )
        assessment = api_selectors.assessments().get(pk=recorded.assessment.pk)
        data = AssessmentSerializer(assessment, context={"request": request}).data
        answer = status.HTTP_200_OK if recorded.replaced else status.HTTP_201_CREATED
        return Response(data, status=answer)
