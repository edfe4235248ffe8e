"""The open-data package download."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import opendata
from api.v1.resources.base import ERRORS, NOT_FOUND


class OpenDataDownloadView(APIView):
    """The latest bulk open-data package, as a file download."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary=str(_("Descarga de datos abiertos")),
        description=_(
            "El paquete más reciente de datos abiertos: un zip con un CSV por recurso (las "
            "mismas columnas que `?format=csv` de cada lista) y un `datapackage.json` de "
            "Frictionless que describe cada campo. Se regenera cada día. Responde 404 con un "
            "mensaje si todavía no se ha generado."
        ),
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            **NOT_FOUND,
            **{key: value for key, value in ERRORS.items() if key[0] == 429},
        },
    )
    def get(self, request):
        name = opendata.latest_package_name()
        if name is None:
            return Response(
                {"detail": _("El paquete de datos abiertos todavía no se ha generado.")},
                status=404,
            )
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )
