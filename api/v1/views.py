"""Viewsets of the public API: parse, filter, render; no business rules.

Querysets come from api.selectors; CSV columns from api.exports. The progress
writes (api.v1.writes) call the same forms, services and permission module as
the pages.
"""

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import exports, opendata, selectors
from commitments.models import Milestone
from indicators.models import local_midnight

from . import filters, response_cache, serializers
from .conditional import body_etag, conditional
from .pagination import HistoryFeedPagination
from .renderers import CSVRenderer, XLSXRenderer
from .writes import (
    AssessmentWriteMixin,
    CommentWriteMixin,
    CommitmentWriteMixin,
    MilestoneWriteMixin,
)

JSON = "application/json"
ERRORS = {
    (400, JSON): OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "Entrada no válida: cada clave nombra el parámetro rechazado "
            "(p. ej. `page`, `ordering`, `cycle_year`) con la lista de motivos."
        ),
    ),
    (429, JSON): OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "Demasiadas solicitudes; el encabezado Retry-After dice cuántos segundos esperar."
        ),
    ),
}
NOT_FOUND = {(404, JSON): OpenApiResponse(OpenApiTypes.OBJECT, description=_("No existe."))}


def csv_response(export, queryset):
    response = StreamingHttpResponse(
        exports.csv_lines(export, queryset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.name}.csv"'
    return response


def xlsx_response(export, queryset):
    from imports.spreadsheets import XLSX_CONTENT_TYPE, export_file

    return FileResponse(
        export_file(export, queryset),
        as_attachment=True,
        filename=f"{export.name}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def flat_file_response(request, export, queryset):
    """The CSV or XLSX download of a list, or None for the JSON list."""
    if request.accepted_renderer.format == CSVRenderer.format:
        return csv_response(export, queryset)
    if request.accepted_renderer.format == XLSXRenderer.format:
        return xlsx_response(export, queryset)
    return None


def refuse_empty_parameters(request):
    """What the schema refuses in a query string is a 400 naming the parameter, not ignored.

    `?status=` (every value has minLength 1), a parameter given twice (`?page=1&page=2`: the
    schema describes one value; lists such as `ordering` are comma-separated) and an
    ordering with an empty item (`?ordering=,`).
    """
    errors = {}
    for name, values in request.query_params.lists():
        if "" in values:
            errors[name] = [_("No puede estar vacío.")]
        elif len(values) > 1:
            errors[name] = [_("Debe aparecer una sola vez (separe varios valores con comas).")]
        elif name == "ordering" and "" in (part.strip() for part in values[0].split(",")):
            errors[name] = [_("No puede estar vacío.")]
    if errors:
        raise ValidationError(errors)


class ListResource(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public list of one resource, with CSV lists and conditional GETs."""

    permission_classes = [AllowAny]
    export = None  # the api.exports.Resource behind ?format=csv

    def get_renderers(self):
        if self.action == "list" and self.export is not None:
            return [JSONRenderer(), CSVRenderer(), XLSXRenderer()]
        return [JSONRenderer()]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            raise ValidationError({"format": [_("Formato no disponible aquí.")]}) from error

    def handle_exception(self, exc):
        # Errors are always JSON, even when the client asked for CSV.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            # Before content negotiation: TRACE with ?format=csv is a 405, not a format 400.
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)  # authentication, throttles, negotiation
        refuse_empty_parameters(request)
        self.cached = response_cache.get(request)

    def list(self, request, *args, **kwargs):
        if self.cached:
            return self.cached_response()
        if request.accepted_renderer.format != JSONRenderer.format:
            queryset = self.filter_queryset(self.get_queryset())
            return flat_file_response(request, self.export, queryset)
        return super().list(request, *args, **kwargs)

    # --- conditional GET -------------------------------------------------
    def modified_at(self, obj):
        """Newest timestamp of an object and the nested objects it shows."""
        return obj.updated_at

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.served = page
        return page

    def get_object(self):
        obj = super().get_object()
        self.served = [obj]
        return obj

    def cached_response(self):
        content, content_type, etag, last_modified = self.cached
        response = HttpResponse(content, content_type=content_type)
        response.cache_validators = (etag, last_modified)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "cache_validators"):
            etag, last_modified = response.cache_validators
            return conditional(request, response, last_modified, etag=etag)
        if isinstance(response, Response):
            response.render()
            served = getattr(self, "served", None) or []
            stamps = [stamp for stamp in map(self.modified_at, served) if stamp is not None]
            last_modified = max(stamps, default=None)
            etag = body_etag(response.content)
            response_cache.put(
                request, response.content, response["Content-Type"], etag, last_modified
            )
            return conditional(request, response, last_modified, etag=etag)
        return response


class ReadOnlyResource(mixins.RetrieveModelMixin, ListResource):
    """Public list and detail of one resource."""

    def retrieve(self, request, *args, **kwargs):
        if self.cached:
            return self.cached_response()
        return super().retrieve(request, *args, **kwargs)


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description=str(
        _(
            "`csv` descarga la lista completa filtrada como CSV (columnas en la descripción); "
            "`xlsx`, como hoja de cálculo con las mismas columnas."
        )
    ),
)
EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=list(serializers.EXPANDABLE),
    description=str(_("Datos relacionados que se incluyen anidados: `milestones` (hitos).")),
)


def documented(
    *,
    serializer,
    export,
    name,
    description,
    detail=True,
    detail_serializer=None,
    extra_list_parameters=(),
):
    """Schema text for a resource: list with its CSV columns, and detail."""
    list_description = (
        f"{description}\n\n"
        + str(
            _(
                "Con `?format=csv` la lista completa filtrada se descarga como CSV "
                "(sin paginar) con estas columnas; los valores múltiples van separados por «; »:"
            )
        )
        + "\n\n"
        + export.describe_columns()
    )
    views = {
        "list": extend_schema(
            summary=str(_("Lista: %(name)s") % {"name": name}),
            description=list_description,
            parameters=[FORMAT_PARAMETER, *extra_list_parameters],
            responses={
                (200, "application/json"): serializer,
                (200, "text/csv"): OpenApiTypes.STR,
                (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
                **ERRORS,
            },
        )
    }
    if detail:
        views["retrieve"] = extend_schema(
            summary=str(_("Detalle: %(name)s") % {"name": name}),
            description=description,
            responses={200: detail_serializer or serializer, **NOT_FOUND, **ERRORS},
        )
    return extend_schema_view(**views)


@documented(
    serializer=serializers.ActionPlanSerializer,
    export=exports.ACTION_PLANS,
    name=_("planes de acción"),
    description=_("Planes de acción nacionales y estatales (filtre por `scope`)."),
)
class ActionPlanViewSet(ReadOnlyResource):
    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filters.ActionPlanFilter
    export = exports.ACTION_PLANS

    def get_queryset(self):
        return selectors.action_plans()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at) if obj.state else obj.updated_at


@documented(
    serializer=serializers.ActionPlanSerializer,
    export=exports.ACTION_PLANS,
    name=_("planes de acción locales"),
    description=_("Solo los planes de acción estatales (ámbito local)."),
    detail=False,
)
class LocalActionPlanViewSet(ListResource):
    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filters.ActionPlanFilter
    export = exports.ACTION_PLANS
    modified_at = ActionPlanViewSet.modified_at

    def get_queryset(self):
        return selectors.action_plans().filter(scope="state")


@documented(
    serializer=serializers.CommitmentSerializer,
    export=exports.COMMITMENTS,
    name=_("compromisos"),
    description=_(
        "Compromisos de los planes de acción, con su plan, instituciones, áreas de política, "
        "metas ODS y alineaciones; `?expand=milestones` añade los hitos."
    ),
    detail_serializer=serializers.CommitmentDetailSerializer,
    extra_list_parameters=[EXPAND_PARAMETER],
)
@extend_schema_view(retrieve=extend_schema(parameters=[EXPAND_PARAMETER]))
class CommitmentViewSet(CommitmentWriteMixin, ReadOnlyResource):
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilter
    export = exports.COMMITMENTS
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def expand(self):
        raw = self.request.query_params.get("expand", "")
        requested = {part.strip() for part in raw.split(",") if part.strip()}
        unknown = requested - set(serializers.EXPANDABLE)
        if unknown:
            raise ValidationError(
                {"expand": [_("Valor no admitido: %(v)s.") % {"v": ", ".join(sorted(unknown))}]}
            )
        return requested

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CommitmentDetailSerializer
        return serializers.CommitmentSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expand": self.expand()}

    def get_queryset(self):
        return selectors.commitments(with_milestones="milestones" in self.expand())

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
    serializer=serializers.MilestoneSerializer,
    export=exports.MILESTONES,
    name=_("hitos"),
    description=_("Hitos de los compromisos con su estado y avance."),
)
class MilestoneViewSet(MilestoneWriteMixin, ReadOnlyResource):
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    export = exports.MILESTONES
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.milestones()


@documented(
    serializer=serializers.ProgressEventSerializer,
    export=exports.PROGRESS_EVENTS,
    name=_("historial de avance"),
    description=_(
        "Historial de cambios de los compromisos y de sus hitos, del más reciente al más "
        "antiguo, con paginación por cursor: siga `next` para continuar; el costo de cada "
        "página no crece con la historia. Cada evento dice qué campos cambiaron (`changes`) y, "
        "de quien lo hizo, solo su rol y su institución. No incluye la carga de datos oficiales."
    ),
    detail=False,
)
class ProgressHistoryViewSet(ListResource):
    serializer_class = serializers.ProgressEventSerializer
    # The milestone filters document the parameters; both kinds of row get the same ones.
    filterset_class = filters.MilestoneHistoryFilter
    filtersets = {
        "commitment": filters.CommitmentHistoryFilter,
        "milestone": filters.MilestoneHistoryFilter,
    }
    pagination_class = HistoryFeedPagination
    export = exports.PROGRESS_EVENTS
    queryset = Milestone.history.none()  # for the schema only: list() reads both tables

    def filtered_feed(self):
        if "ordering" in self.request.query_params:
            raise ValidationError(
                {"ordering": [_("El historial siempre va del cambio más reciente al más antiguo.")]}
            )
        querysets = selectors.progress_events()
        for kind, filterset_class in self.filtersets.items():
            filterset = filterset_class(
                self.request.query_params, queryset=querysets[kind], request=self.request
            )
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            querysets[kind] = filterset.qs
        return querysets

    def list(self, request, *args, **kwargs):
        if self.cached:
            return self.cached_response()
        querysets = self.filtered_feed()
        if request.accepted_renderer.format != JSONRenderer.format:
            return flat_file_response(request, self.export, querysets)
        events = self.paginator.paginate_feed(querysets, request)
        self.served = events
        return self.paginator.get_paginated_response(self.get_serializer(events, many=True).data)

    def modified_at(self, event):
        return event.history_date


@documented(
    serializer=serializers.StateSerializer,
    export=exports.STATES,
    name=_("entidades federativas"),
    description=_("Las 32 entidades federativas."),
)
class StateViewSet(ReadOnlyResource):
    serializer_class = serializers.StateSerializer
    filterset_class = filters.StateFilter
    export = exports.STATES
    lookup_field = "inegi_code"
    lookup_value_regex = r"[0-9]{2}"

    def get_queryset(self):
        return selectors.states()


@documented(
    serializer=serializers.InstitutionSerializer,
    export=exports.INSTITUTIONS,
    name=_("instituciones"),
    description=_("Instituciones responsables y de apoyo de los compromisos."),
)
class InstitutionViewSet(ReadOnlyResource):
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filters.InstitutionFilter
    export = exports.INSTITUTIONS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.institutions()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at) if obj.state else obj.updated_at


@documented(
    serializer=serializers.PolicyAreaSerializer,
    export=exports.POLICY_AREAS,
    name=_("áreas de política"),
    description=_("Áreas de política de AGA."),
)
class PolicyAreaViewSet(ReadOnlyResource):
    serializer_class = serializers.PolicyAreaSerializer
    filterset_class = filters.PolicyAreaFilter
    export = exports.POLICY_AREAS
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return selectors.policy_areas()


@documented(
    serializer=serializers.SdgTargetSerializer,
    export=exports.SDG_TARGETS,
    name=_("metas ODS"),
    description=_("Metas de los Objetivos de Desarrollo Sostenible de la Agenda 2030."),
)
class SdgTargetViewSet(ReadOnlyResource):
    serializer_class = serializers.SdgTargetSerializer
    filterset_class = filters.SdgTargetFilter
    export = exports.SDG_TARGETS
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}\.[0-9a-z]{1,2}"

    def get_queryset(self):
        return selectors.sdg_targets()


@documented(
    serializer=serializers.MeetingSerializer,
    export=exports.MEETINGS,
    name=_("sesiones"),
    description=_("Sesiones de los espacios de coordinación."),
)
class MeetingViewSet(ReadOnlyResource):
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    export = exports.MEETINGS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.meetings()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.space.updated_at)


@documented(
    serializer=serializers.AlignmentSerializer,
    export=exports.ALIGNMENTS,
    name=_("alineaciones"),
    description=_("Alineaciones de compromisos locales con compromisos nacionales."),
)
class AlignmentViewSet(ReadOnlyResource):
    serializer_class = serializers.AlignmentSerializer
    filterset_class = filters.AlignmentFilter
    export = exports.ALIGNMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.alignments()


@documented(
    serializer=serializers.AgreementSerializer,
    export=exports.AGREEMENTS,
    name=_("acuerdos"),
    description=_(
        "Acuerdos de las sesiones de coordinación: institución responsable, fecha compromiso, "
        "estado, si está vencido y los compromisos relacionados."
    ),
)
class AgreementViewSet(ReadOnlyResource):
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    export = exports.AGREEMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.agreements()

    def modified_at(self, obj):
        return max(
            obj.updated_at,
            obj.meeting.updated_at,
            obj.responsible.updated_at,
            *(commitment.updated_at for commitment in obj.commitments.all()),
        )


@documented(
    serializer=serializers.MetricaScoreSerializer,
    export=exports.METRICA_SCORES,
    name=_("calificaciones de la Métrica de Gobierno Abierto"),
    description=_(
        "Calificación de cada entidad en cada edición de la Métrica de Gobierno Abierto "
        "(escala de 0 a 1), con el promedio nacional de la edición y sus cuatro componentes."
    ),
)
class MetricaScoreViewSet(ReadOnlyResource):
    serializer_class = serializers.MetricaScoreSerializer
    filterset_class = filters.MetricaScoreFilter
    export = exports.METRICA_SCORES
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.metrica_scores()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.state.updated_at, obj.edition.updated_at)


@documented(
    serializer=serializers.MetricaEditionSerializer,
    export=exports.METRICA_EDITIONS,
    name=_("ediciones de la Métrica de Gobierno Abierto"),
    description=_("Ediciones de la Métrica de Gobierno Abierto con su promedio nacional."),
)
class MetricaEditionViewSet(ReadOnlyResource):
    serializer_class = serializers.MetricaEditionSerializer
    filterset_class = filters.MetricaEditionFilter
    export = exports.METRICA_EDITIONS
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"

    def get_queryset(self):
        return selectors.metrica_editions()


@documented(
    serializer=serializers.CommitmentIndicatorSerializer,
    export=exports.COMMITMENT_INDICATORS,
    name=_("indicadores por compromiso"),
    description=_(
        "Los indicadores guardados de cada compromiso (avance ponderado, nivel de "
        "cumplimiento, hitos a tiempo y vencidos, días sin actualizar). Los calcula una tarea "
        "después de cada cambio de avance; un compromiso recién creado aparece tras su primer "
        "cálculo."
    ),
    detail=False,
)
class CommitmentIndicatorViewSet(ListResource):
    serializer_class = serializers.CommitmentIndicatorSerializer
    filterset_class = filters.CommitmentIndicatorFilter
    export = exports.COMMITMENT_INDICATORS

    def get_queryset(self):
        return selectors.commitment_indicators()

    def modified_at(self, obj):
        # Days since the update and "stale" move at local midnight without a recompute.
        return max(obj.computed_at, local_midnight(timezone.localdate()))


@documented(
    serializer=serializers.ScopeIndicatorSerializer,
    export=exports.SCOPE_INDICATORS,
    name=_("indicadores por ámbito"),
    description=_(
        "Los indicadores más recientes de cada ámbito: cada plan de acción (plan), cada "
        "entidad (state, sus planes estatales) y el país (nation, todos los compromisos)."
    ),
    detail=False,
)
class ScopeIndicatorViewSet(ListResource):
    serializer_class = serializers.ScopeIndicatorSerializer
    filterset_class = filters.ScopeIndicatorFilter
    export = exports.SCOPE_INDICATORS

    def get_queryset(self):
        return selectors.scope_indicators()

    def modified_at(self, obj):
        return obj.computed_at


@documented(
    serializer=serializers.IndicatorSnapshotSerializer,
    export=exports.INDICATOR_SNAPSHOTS,
    name=_("instantáneas de indicadores"),
    description=_(
        "Los indicadores de cada ámbito al cierre de cada día, para series de tiempo; "
        "de la más reciente a la más antigua (`date_from`, `date_to` acotan las fechas)."
    ),
    detail=False,
)
class IndicatorSnapshotViewSet(ListResource):
    serializer_class = serializers.IndicatorSnapshotSerializer
    filterset_class = filters.IndicatorSnapshotFilter
    export = exports.INDICATOR_SNAPSHOTS

    def get_queryset(self):
        return selectors.indicator_snapshots()

    def modified_at(self, obj):
        return None


@documented(
    serializer=serializers.CommentSerializer,
    export=exports.COMMENTS,
    name=_("comentarios públicos"),
    description=_(
        "Comentarios públicos sobre compromisos, hitos y sesiones, y sus respuestas, tal como "
        "los muestran las páginas: el nombre y la organización de quien escribe (nunca su "
        "usuario ni su correo) y el texto en HTML depurado. De un comentario eliminado queda "
        "su lugar sin texto; de uno ocultado por moderación, el motivo público en lugar del "
        "texto. Del más antiguo al más reciente."
    ),
)
class CommentViewSet(CommentWriteMixin, ReadOnlyResource):
    serializer_class = serializers.CommentSerializer
    filterset_class = filters.CommentFilter
    export = exports.COMMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.comments()

    def modified_at(self, obj):
        institution = obj.institution
        return max(obj.updated_at, institution.updated_at) if institution else obj.updated_at


@documented(
    serializer=serializers.AssessmentSerializer,
    export=exports.ASSESSMENTS,
    name=_("evaluaciones de la sociedad civil"),
    description=_(
        "La evaluación vigente de cada organización de la sociedad civil o académica sobre "
        "un informe de avance o el avance de un hito: valoración, justificación, "
        "organización, registro evaluado y fechas. No se publica quién de la organización la "
        "registró. Las más recientes primero."
    ),
)
class AssessmentViewSet(AssessmentWriteMixin, ReadOnlyResource):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    export = exports.ASSESSMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.assessments()

    def modified_at(self, obj):
        stamps = [obj.updated_at, obj.organisation.updated_at, obj.commitment.updated_at]
        if obj.milestone is not None:
            stamps.append(obj.milestone.updated_at)
        return max(stamps)


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


@csrf_exempt  # a 404 changes nothing; without this an unknown PATCH would get the HTML CSRF page
def not_found(request, *args, **kwargs):
    """JSON 404 for any unknown path under /api/, so API clients never get an HTML page."""
    return JsonResponse({"detail": str(_("No existe."))}, status=404)


@documented(
    serializer=serializers.SourceSerializer,
    export=exports.SOURCES,
    name=_("fuentes"),
    description=_(
        "Las publicaciones de donde vienen los datos externos (valoraciones del IRM, cifras "
        "de la Métrica, participación de las entidades, títulos oficiales, planes locales)."
    ),
)
class SourceViewSet(ReadOnlyResource):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    export = exports.SOURCES
    lookup_field = "key"

    def get_queryset(self):
        return selectors.sources()


@documented(
    serializer=serializers.IrmAssessmentSerializer,
    export=exports.IRM_ASSESSMENTS,
    name=_("valoraciones del IRM"),
    description=_(
        "Lo que el Mecanismo de Revisión Independiente (IRM) de la Alianza publicó de cada "
        "compromiso nacional, con su fuente. Un compromiso sin fila no tiene una valoración "
        "encontrada (sin información); un campo vacío es un dato que la fuente no da."
    ),
)
class IrmAssessmentViewSet(ReadOnlyResource):
    serializer_class = serializers.IrmAssessmentSerializer
    filterset_class = filters.IrmAssessmentFilter
    export = exports.IRM_ASSESSMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.irm_assessments()


@documented(
    serializer=serializers.IrmReportSerializer,
    export=exports.IRM_REPORTS,
    name=_("informes del IRM"),
    description=_(
        "Los informes del IRM sobre cada plan nacional, con las cifras del plan completo "
        "(en el CSV van en la tabla irm_report_figures del paquete de datos abiertos)."
    ),
)
class IrmReportViewSet(ReadOnlyResource):
    serializer_class = serializers.IrmReportSerializer
    filterset_class = filters.IrmReportFilter
    export = exports.IRM_REPORTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.irm_reports()


@documented(
    serializer=serializers.StateParticipationSerializer,
    export=exports.STATE_PARTICIPATION,
    name=_("participación de las entidades"),
    description=_(
        "La participación de cada entidad en los ejercicios locales de gobierno abierto "
        "(«Cocreación desde lo local» del INAI y OGP Local), cada registro con su fuente. "
        "Dos fuentes pueden discrepar: cada una tiene su fila."
    ),
)
class StateParticipationViewSet(ReadOnlyResource):
    serializer_class = serializers.StateParticipationSerializer
    filterset_class = filters.StateParticipationFilter
    export = exports.STATE_PARTICIPATION
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.state_participations()
