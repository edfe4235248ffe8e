"""The import through the API: the same batches, services and permissions as the page.

POST /api/v1/imports/ (multipart: `kind`, `file`, `apply`): a dry run, or with
`apply=true` the dry run and, when it finds no error, the apply. A small file answers
200 with the outcome; a large one answers 202 and runs in a task, followed at
GET /api/v1/imports/<id>/. A file refused as a whole answers 400; someone who may not
import, 403.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ogp_portal import permissions

from . import batches
from .columns import KINDS
from .models import ImportBatch, ImportStatus
from .services import may_import


class ImportRequest(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        help_text=_(
            "Qué contiene el archivo: action_plans, commitments, milestones, progress_reports "
            "o metrica_scores."
        ),
    )
    file = serializers.FileField(
        help_text=_("CSV (UTF-8 o Windows-1252) o XLSX, con las columnas de la plantilla.")
    )
    apply = serializers.BooleanField(
        default=False,
        help_text=_("true: aplicar el archivo completo si la revisión no encuentra errores."),
    )


def batch_body(request, batch):
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "file_name": batch.file_name,
        "status": batch.status,
        "refusal": batch.refusal,
        "rows_done": batches.rows_done(batch) if batch.running else batch.rows_done,
        "rows_expected": batch.rows_expected,
        "outcome": batch.outcome or None,
        "url": request.build_absolute_uri(reverse("api:v1:import-detail", args=[batch.pk])),
    }


OUTCOME = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "Estado de la importación y su resultado: filas, creados, actualizados, sin cambios "
        "y errores por fila y columna."
    ),
)


class ImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary=str(_("Importar un CSV o XLSX")),
        description=str(
            _(
                "Revisa el archivo (sin cambiar nada) y, con `apply=true` y sin errores, lo "
                "aplica completo en una transacción. Personal: todo; editores de una entidad: "
                "solo los planes locales de su entidad."
            )
        ),
        request={"multipart/form-data": ImportRequest},
        responses={200: OUTCOME, 202: OUTCOME, 400: OUTCOME, 403: OUTCOME},
    )
    def post(self, request):
        if not permissions.can_import(request.user):
            raise PermissionDenied(_("No puede importar datos."))
        data = ImportRequest(data=request.data)
        data.is_valid(raise_exception=True)
        kind = data.validated_data["kind"]
        if not may_import(request.user, KINDS[kind]):
            raise PermissionDenied(_("No puede importar este contenido."))
        upload = data.validated_data["file"]
        background = batches.runs_in_background(upload.size)
        batch = batches.submit_file(
            user=request.user,
            kind=kind,
            upload=upload,
            background=background,
            # Large files: the task goes on to the apply when the check finds no error.
            apply_after_check=background and data.validated_data["apply"],
        )
        if background:
            batch.refresh_from_db()
            return Response(batch_body(request, batch), status=status.HTTP_202_ACCEPTED)
        if batch.status == ImportStatus.REFUSED:
            raise ValidationError({"file": [batch.refusal]})
        if data.validated_data["apply"]:
            batches.confirm_batch(batch=batch, user=request.user, background=False)
            batch.refresh_from_db()
        code = status.HTTP_400_BAD_REQUEST if batch.outcome.get("error_count") else 200
        return Response(batch_body(request, batch), status=code)


class ImportDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=str(_("Estado de una importación")),
        description=str(
            _("El avance y el resultado de una importación propia (para archivos grandes).")
        ),
        responses={
            200: OUTCOME,
            403: OpenApiResponse(description=_("La importación es de otra persona.")),
            404: OpenApiResponse(description=_("No existe esa importación.")),
        },
    )
    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        if batch.user_id != request.user.pk or not permissions.can_import(request.user):
            raise PermissionDenied(_("No puede ver esta importación."))
        return Response(batch_body(request, batch))
