"""Pagination that refuses bad input with 400 instead of guessing."""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 100


def positive_int(request, name, *, maximum=None):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" (1-{maximum})" if maximum else ""
        raise ValidationError({name: [_("Debe ser un entero positivo") + limit + "."]})
    return value


def check_page_parameters(paginator, request):
    """A download (CSV, XLSX) is not paged, but its page parameters are still held to the
    bounds the schema states, so what the JSON list refuses the download refuses too."""
    positive_int(request, paginator.page_size_query_param, maximum=paginator.max_page_size)
    if page_query_param := getattr(paginator, "page_query_param", None):
        positive_int(request, page_query_param)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, maximum=self.max_page_size) or (
            self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        positive_int(request, self.page_query_param)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [str(error.detail)]}) from error

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
                parameter["description"] = str(
                    _("Resultados por página (máximo %(max)s).") % {"max": self.max_page_size}
                )
        return parameters


class HistoryFeedPagination(pagination.BasePagination):
    """Keyset pagination over the merged history feed (see api.history_feed).

    Follow `next` for older changes; every page costs what the first costs.
    """

    page_size = 50
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    max_page_size = MAX_PAGE_SIZE

    def paginate_feed(self, querysets, request):
        from api.history_feed import Position, page

        self.request = request
        size = positive_int(request, self.page_size_query_param, maximum=self.max_page_size)
        raw = request.query_params.get(self.cursor_query_param)
        after = None
        if raw is not None:
            try:
                after = Position.decode(raw)
            except ValueError as error:
                raise ValidationError(
                    {self.cursor_query_param: [_("Cursor no válido.")]}
                ) from error
        events, more = page(querysets, after=after, size=size or self.page_size)
        self.next_position = events[-1].position if more and events else None
        return events

    def get_next_link(self):
        if self.next_position is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_position.encode())

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": str(_("Enlace a la página siguiente (cambios anteriores).")),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Cursor de paginación: el del enlace `next`.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Resultados por página (máximo %(max)s).") % {"max": self.max_page_size}
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]
