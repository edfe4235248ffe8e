"""Pagination that refuses bad input with 400 instead of guessing."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

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


class HistoryCursorPagination(pagination.CursorPagination):
    """Keyset pagination: page 5,000 costs what page 1 costs."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-updated_at", "-pk")

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, maximum=self.max_page_size) or (
            self.page_size
        )

    def decode_cursor(self, request):
        invalid = ValidationError({self.cursor_query_param: [_("Cursor no válido.")]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise invalid from error
        # The position is compared with updated_at: a forged one must not reach the database.
        if cursor is not None and cursor.position is not None:
            try:
                moment = parse_datetime(cursor.position)
                if moment is None:
                    raise ValueError(cursor.position)
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment)
                # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
                moment = moment.astimezone(datetime.UTC)
            except (ValueError, OverflowError) as error:
                raise invalid from error
            cursor = cursor._replace(position=moment.isoformat())
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
        return parameters
