"""GET /api/v1/search/: the results of /buscar/ as JSON, with each hit's snippet and rank."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.v1.resources.base import refuse_empty_parameters
from states.models import State

from . import selectors
from .models import EntryKind
from .text import MAX_QUERY_CHARS


class SearchParameters(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS,
        allow_blank=True,
        required=False,
        default="",
        help_text=_(
            'Texto a buscar, sin importar acentos: palabras, "frase exacta", -excluida, or.'
        ),
    )
    type = serializers.ChoiceField(
        choices=EntryKind.choices, required=False, help_text=_("Solo resultados de este tipo.")
    )
    plan = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Identificador de un plan de acción."),
    )
    state = serializers.SlugField(
        required=False, help_text=_("Slug de una entidad federativa (p. ej. `jalisco`).")
    )
    cycle = serializers.IntegerField(
        required=False, min_value=2011, max_value=2100, help_text=_("Año del ciclo.")
    )
    cursor = serializers.CharField(
        required=False, max_length=500, help_text=_("El `next_cursor` de la respuesta anterior.")
    )
    lang = serializers.ChoiceField(
        choices=[("es", "es"), ("en", "en")],
        required=False,
        help_text=_("Idioma de la búsqueda (por omisión, el de la solicitud)."),
    )


class SearchHit(serializers.Serializer):
    kind = serializers.CharField(help_text=_("Tipo de resultado."))
    id = serializers.IntegerField(source="object_id", help_text=_("Identificador del registro."))
    code = serializers.CharField(help_text=_("Clave del compromiso o siglas, si las hay."))
    title = serializers.CharField(source="heading", help_text=_("Título del resultado."))
    url = serializers.SerializerMethodField(help_text=_("Página del portal que lo muestra."))
    date = serializers.DateField(
        allow_null=True, help_text=_("Fecha del informe, la sesión, el hito o el acuerdo.")
    )
    rank = serializers.FloatField(help_text=_("Relevancia: mayor es mejor."))
    snippet = serializers.CharField(
        help_text=_("Fragmento del texto en HTML escapado; las palabras halladas van en <mark>.")
    )

    def get_url(self, hit) -> str | None:
        return self.context["request"].build_absolute_uri(hit.url) if hit.url else None


class SearchResponse(serializers.Serializer):
    query = serializers.CharField(help_text=_("La búsqueda tal como se ejecutó."))
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Resultados por tipo (todos los tipos).")
    )
    typo_fallback = serializers.BooleanField(
        help_text=_("Verdadero si se muestran nombres y claves parecidos (posible errata).")
    )
    next_cursor = serializers.CharField(
        allow_null=True, help_text=_("Cursor de la página siguiente; nulo en la última.")
    )
    results = SearchHit(many=True, help_text=_("Resultados de esta página, por relevancia."))


class SearchView(APIView):
    """One search over commitments, milestones, reports, meetings, agreements and more."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary=str(_("Búsqueda en todo el portal")),
        description=_(
            "Los mismos resultados que la página /buscar/, ordenados por relevancia, con el "
            "conteo por tipo y paginación por cursor. Si ningún texto contiene las palabras, "
            "se buscan nombres y claves parecidos (`typo_fallback`)."
        ),
        parameters=[SearchParameters],
        responses={
            200: SearchResponse,
            400: OpenApiResponse(description=_("Parámetro no válido (p. ej. un cursor ajeno).")),
        },
    )
    def get(self, request):
        refuse_empty_parameters(request)  # `?type=` is refused, as the schema says
        parameters = SearchParameters(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        state = None
        if data.get("state"):
            state = State.objects.filter(slug=data["state"]).values_list("pk", flat=True).first()
            if state is None:
                raise ValidationError({"state": [_("Entidad federativa desconocida.")]})
        try:
            results = selectors.search(
                data["q"],
                kinds=(data["type"],) if data.get("type") else (),
                plan=data.get("plan"),
                state=state,
                cycle=data.get("cycle"),
                cursor=data.get("cursor"),
                language=data.get("lang") or selectors.current_language(),
            )
        except selectors.BadCursor as error:
            raise ValidationError({"cursor": [_("Cursor no válido.")]}) from error
        body = SearchResponse(
            {
                "query": results.query,
                "counts": results.counts,
                "typo_fallback": results.typo_fallback,
                "next_cursor": results.next_cursor,
                "results": results.hits,
            },
            context={"request": request},
        )
        return Response(body.data)
