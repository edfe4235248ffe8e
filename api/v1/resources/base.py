"""Shared bases of the API's resources: the list/detail viewsets (CSV/XLSX downloads,
conditional GETs, the response cache), the schema text around them, the flat-file
columns and the filters every resource uses.

CSV consumers rely on the column order: append new columns at the end of a resource,
never rename or reorder. Keys live beside the columns: a resource's `primary_key`, and on
a column `required`, `unique` and `references` (the column holds the key of a row of
another resource); ogp_portal.tables turns them into the Table Schema's constraints. Declare
only what the database guarantees. Many-to-many values are joined with "; ".

Filters validate every value through a form, so an invalid value is a 400 naming the
parameter, never a silent no-op; ordering uses an allow-list and ends with the primary key.
"""

import datetime
from dataclasses import KW_ONLY, dataclass
from operator import itemgetter

import django_filters as filters
from django import forms
from django.conf import settings
from django.db import connections
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.tree import Node
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import ISO_8601, mixins, serializers, viewsets
from rest_framework.authentication import (
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api import history_feed
from api.v1 import replay, response_cache, throttling
from api.v1.conditional import body_etag, conditional
from api.v1.pagination import check_page_parameters
from api.v1.renderers import CSVRenderer, FastJSONRenderer, XLSXRenderer
from commitments.models import ActionPlan, Commitment, Institution, PlanScope, PolicyArea, SdgTarget
from indicators.models import CompletionLevel
from ogp_portal.prepared import generic_plans, prepared_statements
from ogp_portal.spreadsheets import XLSX_CONTENT_TYPE, export_file
from ogp_portal.tables import (
    CSV_CHUNK_SIZE,
    Column,
    Reference,
    Resource,
    csv_lines,
)
from ogp_portal.tables import Fields as Fields
from ogp_portal.tables import csv_text as csv_text
from search import selectors as search_selectors
from states.models import State

# --- Querysets ---------------------------------------------------------------------------


def count_of(model, link):
    """A correlated COUNT(*) of `model` rows whose `link` is the outer row.

    Unlike Count() it needs no GROUP BY over the outer table, so PostgreSQL
    counts only for the rows of the page, not for the whole table.
    """
    counted = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Filters -----------------------------------------------------------------------------


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time that the database can store (years 1900-9000)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
        try:
            value = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            value = None
        if value is None or not 1900 <= value.year <= 9000:
            raise forms.ValidationError(_("Fecha fuera del intervalo admitido."))
        return value


class UpdatedSinceFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (also 1/0); anything else is an error, not a silent no-op."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput  # NullBooleanSelect would read an unknown value as "unknown"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Debe ser true o false.")) from None

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StableOrderingFilter(filters.OrderingFilter):
    """Orders by the given fields, then by pk so that pages never overlap.

    A field may map to a descending model field (``("-last_update_at", "days_since_update")``):
    ordering by that parameter follows the reverse of the model field. Rows without a value
    (a commitment without information has no percent) come last either way, on PostgreSQL
    as on SQLite: no data never heads a list.
    """

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param).removeprefix("--")
        if value.startswith("-"):
            return F(value[1:]).desc(nulls_last=True)
        return F(value).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


def ordering(*fields):
    return StableOrderingFilter(
        fields=fields,
        help_text=_(
            "Orden de los resultados: uno o más campos separados por comas; "
            "un guion delante invierte el orden."
        ),
    )


def state_filter(field_name):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=State.objects.all(),
        to_field_name="inegi_code",
        help_text=_("Clave INEGI de dos dígitos de la entidad federativa (p. ej. 09)."),
    )


def cycle_year_filter(field_name):
    return IntegerFilter(
        field_name=field_name,
        min_value=2011,
        max_value=2100,
        help_text=_("Año de inicio del ciclo del plan de acción (p. ej. 2019)."),
    )


def action_plan_filter(field_name):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=ActionPlan.objects.all(),
        help_text=_("Identificador del plan de acción."),
    )


def scope_filter(field_name):
    return filters.ChoiceFilter(
        field_name=field_name,
        choices=PlanScope.choices,
        help_text=_("Ámbito del plan: nacional (national) o estatal (state)."),
    )


def completion_level_filter(field_name):
    """The level stored by the indicators recompute (commitments not yet computed match none)."""
    return filters.ChoiceFilter(
        field_name=field_name,
        choices=CompletionLevel.choices,
        help_text=_(
            "Nivel de cumplimiento guardado por el cálculo de indicadores: no_information "
            "(nadie registró hitos ni avance), not_started (0 %), limited (más de 0 y menos "
            "de 50 %), substantial (50 % a menos de 100 %), complete (100 %) o withdrawn "
            "(todos sus hitos retirados)."
        ),
    )


def commitments_through(through, field, value, commitment_pk):
    """Rows whose commitment is linked to `value` through an M2M table (no duplicates)."""
    ids = through.objects.filter(**{field: value}).values("commitment_id")
    return Q(**{f"{commitment_pk}__in": ids})


class ApiFilterSet(filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Solo registros actualizados en o después de esta fecha y hora ISO 8601."),
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text=_(
            "Texto a buscar (sin distinguir mayúsculas) en claves y títulos; en compromisos, "
            "hitos, planes, sesiones, acuerdos e instituciones también en sus textos, sin "
            "importar acentos ni plurales (el buscador del portal). Sin `ordering`, del "
            "resultado más pertinente al menos; si el texto no se encuentra, una o dos "
            "palabras se buscan también con erratas en nombres y claves."
        ),
    )
    search_fields = ()
    # The portal search's kind for this resource (search.models.EntryKind), if indexed.
    search_kind = None

    def filter_search(self, queryset, name, value):
        """Rows whose search fields contain the text or that the portal search finds; for
        an indexed resource without `ordering`, best match first (then the usual order)."""
        if not self.search_kind:
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": value})
            return queryset.filter(query)
        return search_selectors.ranked_by_search(
            queryset,
            value,
            self.search_kind,
            own_lookups=self.search_fields,
            reorder=not self.form.cleaned_data.get("ordering"),
        )


class CommitmentLinkFilters(ApiFilterSet):
    """Filters on a commitment's classification, for commitments and their children."""

    commitment_prefix = ""

    @property
    def commitment_pk(self):
        """The lookup of the commitment's primary key on the filtered rows."""
        return f"{self.commitment_prefix}pk"

    institution = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        method="filter_institution",
        help_text=_("Identificador de una institución responsable o de apoyo."),
    )
    policy_area = filters.ModelChoiceFilter(
        queryset=PolicyArea.objects.all(),
        to_field_name="slug",
        method="filter_policy_area",
        help_text=_("Slug del área de política."),
    )
    sdg_target = filters.ModelChoiceFilter(
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        method="filter_sdg_target",
        help_text=_("Clave de la meta ODS (p. ej. 16.10)."),
    )

    def filter_institution(self, queryset, name, value: int):  # hint = query type
        pk = self.commitment_pk
        return queryset.filter(
            commitments_through(Commitment.lead_institutions.through, "institution", value, pk)
            | commitments_through(Commitment.support_institutions.through, "institution", value, pk)
        )

    def filter_policy_area(self, queryset, name, value: str):  # hint = query type
        through = Commitment.policy_areas.through
        return queryset.filter(
            commitments_through(through, "policyarea", value, self.commitment_pk)
        )

    def filter_sdg_target(self, queryset, name, value: str):  # hint = query type
        through = Commitment.sdg_targets.through
        return queryset.filter(commitments_through(through, "sdgtarget", value, self.commitment_pk))


def boolean_filter(field_name, help_text):
    return StrictBooleanFilter(field_name=field_name, help_text=help_text)


class BoundedDateField(forms.DateField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not 1900 <= value.year <= 9000:
            raise forms.ValidationError(_("Fecha fuera del intervalo admitido."))
        return value


class BoundedDateFilter(filters.DateFilter):
    field_class = BoundedDateField


# --- Serializers and the one description per field ---------------------------------------


def describe(kwargs, model_field):
    if not kwargs.get("help_text") and model_field is not None:
        kwargs["help_text"] = capfirst(str(model_field.verbose_name))
    return kwargs


# Every field carries a description for the schema: the resource's field table
# (`Meta.descriptions`, shared with its CSV columns), else the field's own help_text, else
# the model field's verbose name. (No docstring: drf-spectacular would publish it as the
# description of every serializer built on this one.)
class DescribedModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for name, text in getattr(self.Meta, "descriptions", {}).items():
            if name in fields:
                fields[name].help_text = text
        return fields

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return field_class, describe(kwargs, model_field)

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        return field_class, describe(kwargs, relation_info.model_field)


# --- Projections: a list page's JSON without model instances --------------------------


@dataclass(frozen=True)
class Many:
    """A nested list of a projected row, read for the whole page in one values() query.

    `queryset` is a callable of the page's keys returning the related rows, ordered as the
    JSON lists them, with the owner's key under `owner`. Each item is either an object of
    `serializer` read under `prefix` (``institution__``), or the one lookup `value` (a list
    of codes). `stamp` names the related timestamp that counts for the row's Last-Modified.
    """

    queryset: object  # callable(keys) -> queryset
    owner: str
    _: KW_ONLY
    serializer: object = None
    prefix: str = ""
    value: str | None = None
    stamp: str | None = None


def converter(field, tz):
    """A serializer field's representation of a plain (not None) value, or None when the
    database's value is the representation (a slug or a key of a related field).

    The common cases skip the serializer field's own call: a string of a CharField, an int
    of an IntegerField, and an aware date-time in ISO 8601 converted to `tz`, the request's
    current time zone, as DateTimeField does (it asks for the zone per value); any other
    value goes through to_representation.
    """
    if isinstance(field, serializers.RelatedField):
        return None
    to_representation = field.to_representation
    method = type(field).to_representation
    native = native_type(field)
    if native is not None:
        return lambda value: value if value.__class__ is native else to_representation(value)
    if (
        method is serializers.DateTimeField.to_representation
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    ):

        def iso_datetime(value):
            if value.__class__ is not datetime.datetime or value.utcoffset() is None:
                return to_representation(value)
            try:
                text = value.astimezone(tz).isoformat()
            except OverflowError:
                return to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return iso_datetime
    return to_representation


def native_type(field):
    """The type whose values the field writes as they are (str for a CharField, int for an
    IntegerField, bool for a BooleanField), or None."""
    method = type(field).to_representation
    if method is serializers.CharField.to_representation:
        return str
    if method is serializers.BooleanField.to_representation:
        return bool
    if method is serializers.IntegerField.to_representation or (
        method is serializers.BigIntegerField.to_representation
        and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return int
    return None


def value_step(name, lookup, field, tz):
    """A plan's step for a flat value: "plain" (written as read), "str", "int" or "bool" (as
    read when of that type, else the field's own call) or "value" (converted)."""
    convert = converter(field, tz)
    if convert is None:
        return (name, "plain", lookup, None)
    native = native_type(field)
    if native is not None:
        return (name, native.__name__, lookup, field.to_representation)
    return (name, "value", lookup, convert)


# Keys no row has: the stand-ins a nested list's SQL is compiled with (see Projection.nested).
STAND_IN = -(2**62)


# The kinds of a plan's steps that read one lookup of the row (see value_step).
FLAT = frozenset({"plain", "str", "int", "bool", "value"})


class Projection:
    """The JSON rows of a list page read as values() and built with plain code.

    Built once from the list's serializer: its flat fields (and a nested single object's,
    e.g. a plan summary) become values() lookups converted by the serializer field's own
    to_representation, so dates, decimals and choices read as the serializer writes them;
    nested lists come from `many` (one query per list for the whole page). A field with a
    lookup of its own (an annotation, a reverse one-to-one) goes in `lookups`. The
    serializer stays what the schema describes and what the detail and writes use; the
    golden tests hold both paths to the same output.

    A field derived from other columns (days since an update) goes in `computed`: its
    lookups and a function of the row's values. `stamps` are the lookups whose newest value
    is the row's Last-Modified.
    """

    def __init__(
        self, serializer_class, *, many=None, lookups=None, computed=None, stamps=("updated_at",)
    ):
        self.serializer_class = serializer_class
        self.many = many or {}
        self.lookups = lookups or {}
        self.computed = computed or {}
        self.stamps = stamps
        self.compiled = {}  # by time zone (see converter)
        self.builders = {}  # the rows' builder functions, by time zone
        self.prepared = {}  # unfiltered pages' SQL (see prepared_values)
        self.items = {}
        self.sql = {}

    def compile(self, tz=None):
        """The steps of a row for the current time zone (or `tz`)."""
        if tz is None:
            tz = timezone.get_current_timezone()
        steps = self.compiled.get(tz)
        if steps is None:
            fields = self.serializer_class(context={}).fields
            steps = self.compiled[tz] = self.plan(fields, prefix="", top=True, tz=tz)
        return steps

    def plan(self, fields, *, prefix, tz, top=False):
        """[(name, kind, lookup or sub-plan, convert)] for the serializer's fields."""
        steps = []
        for name, field in fields.items():
            if top and name in self.many:
                steps.append((name, "many", self.many[name], None))
                continue
            if top and name in self.computed:
                steps.append((name, "computed", self.computed[name], None))
                continue
            if top and name in self.lookups:
                steps.append(value_step(name, self.lookups[name], field, tz))
                continue
            path = prefix + "__".join(field.source_attrs)
            if isinstance(field, serializers.SlugRelatedField):
                steps.append((name, "plain", f"{path}__{field.slug_field}", None))
            elif isinstance(field, serializers.Serializer):
                # A nested single object: null when its key is null.
                sub = self.plan(field.fields, prefix=path + "__", tz=tz)
                steps.append((name, "object", (path, sub), None))
            elif isinstance(
                field,
                (
                    serializers.ListSerializer,
                    serializers.ManyRelatedField,
                    serializers.SerializerMethodField,
                    serializers.RelatedField,
                ),
            ):
                raise TypeError(f"{self.serializer_class.__name__}.{name} needs a `many` entry")
            else:
                steps.append(value_step(name, path, field, tz))
        return steps

    def values(self, queryset):
        """The page's queryset as dicts of every lookup the rows need."""
        lookups = self.lookups_of(self.compile())
        return queryset.prefetch_related(None).values(*lookups, *self.stamps)

    def prepared_values(self, view, queryset):
        """What values(queryset) gives the paginator (its COUNT(*), its slices), from SQL
        compiled once per view, database and time zone: for an unfiltered list, whose
        queryset is the view's alone. The page's SQL takes LIMIT and OFFSET as parameters;
        the COUNT's is the one queryset.count() ran first. SQL with a date or time parameter
        (now, today) is never kept: a later request would read the past (False is kept
        instead: values() as it is, compiled per request)."""
        key = (view, queryset.db, timezone.get_current_timezone())
        prepared = self.prepared.get(key)
        if prepared is None:
            prepared = self.prepared[key] = self.prepare(self.values(queryset))
        if prepared is False:
            return self.counted_values(queryset)
        return prepared.reading(queryset)

    def counted_values(self, queryset):
        """values(queryset) whose count() is the paginator's COUNT(*) of the rows themselves:
        values() only adds single-valued lookups (Projection.plan), whose joins would make
        PostgreSQL read every row's plan to count them."""
        values = self.values(queryset)
        values.count = queryset.count
        return values

    def prepare(self, values):
        """The PreparedPage of a values() queryset, or False when its SQL cannot be kept."""
        query = values.query
        if query.is_sliced or query.combinator or query.select_for_update or holds_time(query):
            return False
        compiler = query.get_compiler(values.db)
        sql, params = compiler.as_sql()
        sql += " LIMIT %s OFFSET %s"
        page = self.compiled_sql(values, compiler, sql, params, [], False)
        if not page or not timeless(params):
            return False
        return PreparedPage(page, None)

    def lookups_of(self, steps):
        found = ["pk"]
        for _name, kind, lookup, _convert in steps:
            if kind in FLAT:
                found.append(lookup)
            elif kind == "computed":
                found.extend(lookup[0])
            elif kind == "object":
                path, sub = lookup
                found.append(path)
                found.extend(look for look in self.lookups_of(sub) if look != "pk")
        return list(dict.fromkeys(found))

    def rows(self, page):
        """(JSON rows, the newest of their Last-Modified stamps or None) for a page of
        values() dicts. Only the page's newest stamp is kept: the response's Last-Modified
        is the newest of its rows', so no row needs its own."""
        tz = timezone.get_current_timezone()
        steps = self.compile(tz)
        keys = [row["pk"] for row in page]
        stamps = [row[stamp] for row in page for stamp in self.stamps]
        nested = {}
        for name, kind, many, _convert in steps:
            if kind != "many":
                continue
            by_owner = {key: [] for key in keys}
            lookups, item = self.item_reader(name, many, tz)
            extra = (many.stamp,) if many.stamp else ()
            related = self.nested(name, many, keys, (many.owner, *lookups, *extra))
            owner = itemgetter(many.owner)
            for each in related:
                by_owner[owner(each)].append(item(each))
            if many.stamp:
                stamps += map(itemgetter(many.stamp), related)
            nested[name] = by_owner
        build = self.builders.get(tz)
        if build is None:
            build = self.builders[tz] = builder(steps)
        rows = [build(row, nested) for row in page]
        return rows, max(filter(None, stamps), default=None)

    def nested(self, name, many, keys, lookups):
        """The values() dicts of the nested list `name` for the page's keys.

        Its SQL is compiled once (Django's query building was most of the cost of seven
        small queries) with stand-in keys, then run with the page's keys in their place, the
        rows converted by Django's own converters, as values() would. On PostgreSQL the keys
        are one array parameter (`= ANY`), so one SQL serves every page length and psycopg2
        adapts one string instead of a hundred keys; elsewhere the SQL is per page length.
        """
        if not keys:
            return []  # as values() of an empty `__in`: no query
        compiled = self.sql.get((name, None)) or self.sql.get((name, len(keys)))
        if compiled is None:
            compiled = self.template(many, len(keys), lookups)
            self.sql[name, None if compiled and compiled[-1] else len(keys)] = compiled
        if not compiled:  # not each key once, as a parameter: values() as it is
            return many.queryset(keys).values(*lookups)
        compiler, sql, params, slots, names, converters, arrayed = compiled
        params = list(params)
        if arrayed:  # one array parameter (see array_template)
            params[slots[0]] = "{" + ",".join(map(str, keys)) + "}"
        else:
            for slot, key in zip(slots, keys, strict=True):
                params[slot] = key
        # The rows of a page's keys: the best plan is the same for any page (an index on
        # the owner), so PostgreSQL makes it once instead of at every run.
        with generic_plans():
            return fetch_dicts(compiler, sql, params, names, converters)

    @staticmethod
    def template(many, length, lookups):
        """(compiler, SQL, parameters, the keys' parameter slots, column names, the columns'
        converters, whether the keys are one array parameter), or ()."""
        arrayed = Projection.array_template(many, lookups)
        if arrayed:
            return arrayed
        stand_ins = [STAND_IN - n for n in range(length)]
        template = many.queryset(stand_ins).values(*lookups)
        compiler = template.query.get_compiler(template.db)
        sql, params = compiler.as_sql()
        slots = [n for value in stand_ins for n, param in enumerate(params) if param == value]
        if len(slots) != length:
            return ()
        return Projection.compiled_sql(template, compiler, sql, list(params), slots, False)

    @staticmethod
    def array_template(many, lookups):
        """On PostgreSQL, the compiled nested list with its `IN (%s)` of one stand-in key
        rewritten as `= ANY(%s::bigint[])`, the array in the key's slot; or () when the SQL
        is not that plain (the key not once, an IN list of anything else)."""
        template = many.queryset([STAND_IN]).values(*lookups)
        connection = connections[template.db]
        owner = template.model._meta.get_field(many.owner)
        cast = owner.db_type(connection)
        if connection.vendor != "postgresql" or cast not in ("bigint", "integer", "smallint"):
            return ()
        compiler = template.query.get_compiler(template.db)
        sql, params = compiler.as_sql()
        slots = [n for n, param in enumerate(params) if param == STAND_IN]
        pieces = sql.split("%s")
        if "%%" in sql or len(slots) != 1 or len(pieces) != len(params) + 1:
            return ()
        slot = slots[0]
        before, after = pieces[slot], pieces[slot + 1]
        if not before.endswith(" IN (") or not after.startswith(")"):
            return ()
        pieces[slot : slot + 2] = [f"{before[: -len(' IN (')]} = ANY(", f"::{cast}[]){after[1:]}"]
        sql = "%s".join(pieces)
        return Projection.compiled_sql(template, compiler, sql, list(params), slots, True)

    @staticmethod
    def compiled_sql(template, compiler, sql, params, slots, arrayed):
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            return ()
        query = template.query
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return compiler, sql, params, slots, names, compiler.get_converters(columns), arrayed

    def item_reader(self, name, many, tz):
        """(lookups, dict -> JSON value) for the items of the nested list `name`."""
        if many.value:
            return (many.value,), itemgetter(many.value)
        reader = self.items.get((name, tz))
        if reader is None:
            fields = many.serializer(context={}).fields
            steps = self.plan(fields, prefix=many.prefix, tz=tz)
            lookups = [look for look in self.lookups_of(steps) if look != "pk"]
            reader = self.items[name, tz] = lookups, builder(steps)
        return reader


def timeless(params):
    """Whether none of the SQL's parameters is a date or a time (the request's now)."""
    return not any(isinstance(param, (datetime.date, datetime.time)) for param in params)


def holds_time(node):
    """Whether a query (its filters, annotations and subqueries) compares with a date or a
    time: on SQLite the SQL's parameters hold them as strings, which timeless() misses."""
    if isinstance(node, (datetime.date, datetime.time)):
        return True
    if isinstance(node, (list, tuple, set, frozenset)):
        return any(holds_time(item) for item in node)
    if isinstance(node, Query):
        return holds_time(node.where) or holds_time(list(node.annotations.values()))
    if isinstance(node, QuerySet):
        return holds_time(node.query)
    if isinstance(node, Lookup):
        return holds_time(node.lhs) or holds_time(node.rhs)
    if isinstance(node, Node):
        return holds_time(node.children)
    if isinstance(node, Value):
        return holds_time(node.value)
    if isinstance(node, BaseExpression):
        return holds_time(node.get_source_expressions()) or holds_time(getattr(node, "query", None))
    return False


@dataclass
class PreparedPage:
    """An unfiltered list's compiled page SQL and, once run, its COUNT(*)'s SQL."""

    page: tuple  # as Projection.compiled_sql, the SQL ending in LIMIT %s OFFSET %s
    count: tuple | None  # (SQL, parameters)

    def reading(self, queryset):
        return PreparedRows(self, queryset)


class PreparedRows:
    """What the paginator reads of a values() queryset (count(), a slice), from a
    PreparedPage: the same queries, none compiled."""

    ordered = True  # the paginator warns of an unordered list

    def __init__(self, prepared, queryset):
        self.prepared = prepared
        self.queryset = queryset

    def count(self):
        prepared = self.prepared
        if prepared.count is None:
            return self.record_count()
        sql, params = prepared.count
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def record_count(self):
        """queryset.count(), keeping its SQL when it was one query without a date or time."""
        ran = []

        def record(execute, sql, params, many, context):
            ran.append((sql, params))
            return execute(sql, params, many, context)

        # Outermost of the connection's wrappers: the SQL as compiled, before
        # prepared_statements() makes it an EXECUTE of a statement only this session has.
        wrappers = connections[self.queryset.db].execute_wrappers
        wrappers.insert(0, record)
        try:
            total = self.queryset.count()
        finally:
            wrappers.remove(record)
        if len(ran) == 1 and timeless(ran[0][1] or ()) and not holds_time(self.queryset.query):
            self.prepared.count = (ran[0][0], tuple(ran[0][1] or ()))
        return total

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        if stop <= start:
            return []  # as an empty slice of a queryset: no query
        compiler, sql, params, _slots, names, converters, _arrayed = self.prepared.page
        # An unfiltered list in its one order: PostgreSQL re-planned it for each LIMIT and
        # OFFSET (1.3 ms of planning for a commitments page, 2.8 for comments) and chose
        # the same index walk; planned once, it also keeps that walk for deep pages, where
        # a custom plan sorted the table (bench/api/README.md, Session 8).
        with generic_plans():
            return fetch_dicts(compiler, sql, [*params, stop - start, start], names, converters)


def fetch_dicts(compiler, sql, params, names, converters):
    """The rows of SQL a values() query compiled to, as values() gives them: the selected
    columns as dicts, converted by Django's converters (found once, with the SQL)."""
    with connections[compiler.using].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    width = compiler.col_count
    rows = [row[:width] for row in fetched]
    if converters:  # as results_iter() would
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]


def builder(steps):
    """A function (row, nested) -> the JSON row of a plan's steps: generated source, a dict
    display of the row's lookups, so that a page of a hundred rows and their nested items
    makes one call per row or item instead of walking the steps for each value."""
    names: dict = {}
    source = f"def build(row, nested=None):\n    return {display(steps, names)}\n"
    exec(compile(source, "<projection>", "exec"), names)  # noqa: S102 (source built here)
    return names["build"]


def display(steps, names):
    """The source of a dict display building `steps`' JSON from `row` (see builder);
    `names` receives the functions it calls."""
    items = []
    for name, kind, lookup, convert in steps:
        if kind == "plain":
            value = f"row[{lookup!r}]"
        elif kind in ("str", "int", "bool"):
            # As read when None or of the native type, else the field's own call.
            call = f"c{len(names)}"
            names[call] = convert
            value = f"(v if (v := row[{lookup!r}]) is None or v.__class__ is {kind} else {call}(v))"
        elif kind == "value":
            call = f"c{len(names)}"
            names[call] = convert
            value = f"(None if (v := row[{lookup!r}]) is None else {call}(v))"
        elif kind == "computed":
            call = f"c{len(names)}"
            names[call] = lookup[1]
            value = f"{call}(row)"
        elif kind == "object":
            path, sub = lookup
            value = f"(None if row[{path!r}] is None else {display(sub, names)})"
        else:
            value = f"nested[{name!r}][row['pk']]"
        items.append(f"{name!r}: {value}")
    return "{" + ", ".join(items) + "}"


# --- CSV/XLSX columns --------------------------------------------------------------------

# Reference, Column, Resource, Fields and csv_lines are ogp_portal.tables' (the apps below
# api publish tables too); the resources import them from here.

JOIN = "; "


def joined(attribute, field):
    return lambda obj: JOIN.join(
        str(getattr(item, field)) for item in getattr(obj, attribute).all()
    )


def state_code(path):
    def value(obj):
        for part in path.split("."):
            obj = getattr(obj, part)
            if obj is None:
                return None
        return obj.inegi_code

    return value


@dataclass(frozen=True)
class FeedResource(Resource):
    """The history feed: two querysets merged newest first (see api.history_feed)."""

    def rows(self, queryset=None, *, chunk_size=CSV_CHUNK_SIZE):
        querysets = self.queryset() if queryset is None else queryset
        for event in history_feed.stream(querysets, chunk_size=chunk_size):
            yield [column.render(event) for column in self.columns]


def source_column(*, required=False, description=None):
    """The key of the row's source in the `sources` table (every fact from outside has one).

    `description`: the resource's own text for its `source` field (its `Fields` table)."""
    return Column(
        "source",
        "string",
        description or _("Clave de la fuente (tabla sources)."),
        lambda o: o.source.key if o.source_id else None,
        required=required,
        references=SOURCE,
    )


C = Column


# The keys that columns of other resources refer to.
ACTION_PLAN = Reference("action_plans", "id")
COMMITMENT = Reference("commitments", "code")
MILESTONE = Reference("milestones", "id")
STATE = Reference("states", "inegi_code")
INSTITUTION = Reference("institutions", "id")
MEETING = Reference("meetings", "id")
METRICA_EDITION = Reference("metrica_editions", "year")
COMMENT = Reference("comments", "id")
SOURCE = Reference("sources", "key")
IRM_REPORT = Reference("irm_reports", "id")


def institution_name(attribute):
    def value(obj):
        institution = getattr(obj, attribute)
        return institution.name if institution else None

    return value


# --- Viewsets, downloads and their schema text -------------------------------------------


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
        csv_lines(export, queryset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.name}.csv"'
    return response


def xlsx_response(export, queryset):
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


# perform_content_negotiation's answers: (renderer classes, format suffix, ?format=,
# Accept) -> (index of the chosen renderer, media type).
_negotiated: dict[tuple, tuple[int, str]] = {}
NEGOTIATED_ENTRIES = 512


def negotiation_key(renderers, format_kwarg, query, meta):
    """_negotiated's key: the renderers, the format suffix, ?format= and the Accept header."""
    return (
        tuple(type(renderer) for renderer in renderers),
        format_kwarg,
        query.get(api_settings.URL_FORMAT_OVERRIDE),
        meta.get("HTTP_ACCEPT"),
    )


# Authenticators that find no user in a request without an Authorization header or a
# session cookie, and permissions that let every anonymous GET through.
NO_USER_WITHOUT_CREDENTIALS = frozenset(
    {TokenAuthentication, SessionAuthentication, BasicAuthentication}
)
ANONYMOUS_GET_ALLOWED = frozenset({AllowAny, IsAuthenticatedOrReadOnly})


def plainly_anonymous(view, request):
    """Whether DRF's dispatch of this Django request would find no user and let it through:
    no credentials for its authenticators, permissions that allow any anonymous GET, no
    versioning (ListResource.cached_hit)."""
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and view.versioning_class is None
        # The user DRF's test clients force on a request (APIClient.force_authenticate).
        and getattr(request, "_force_auth_user", None) is None
        and getattr(request, "_force_auth_token", None) is None
        and all(type(each) in NO_USER_WITHOUT_CREDENTIALS for each in view.get_authenticators())
        and all(type(each) in ANONYMOUS_GET_ALLOWED for each in view.get_permissions())
        # As SessionAuthentication reads it (which marks the session accessed: Vary: Cookie).
        and not request.user.is_authenticated
    )


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


# FilterSet class -> its filters' names, or None when an unfiltered request must build it.
FILTER_NAMES = {}


def unfiltered_names(view):
    """The names of the view's filters when a query string naming none of them (nor a name
    that extends one: a range's `_min`) filters nothing, else None.

    Only for django-filter's backend alone and a FilterSet with no required filter that
    filters as django-filter does (each filter skips an empty value)."""
    if list(view.filter_backends) != [DjangoFilterBackend]:
        return None
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return None
    if filterset_class not in FILTER_NAMES:
        plain = (
            filterset_class.filter_queryset is filters.FilterSet.filter_queryset
            and filterset_class.qs is filters.FilterSet.qs
            and not any(f.extra.get("required") for f in filterset_class.base_filters.values())
        )
        FILTER_NAMES[filterset_class] = tuple(filterset_class.base_filters) if plain else None
    return FILTER_NAMES[filterset_class]


class ListResource(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public list of one resource, with CSV lists and conditional GETs."""

    permission_classes = [AllowAny]
    export = None  # the flat-file Resource behind ?format=csv and ?format=xlsx
    # The JSON list page read as values() (see Projection); None: through the serializer.
    projection = None

    def filter_queryset(self, queryset):
        """As DRF's, without building the filter form when the query string names no filter:
        an empty form's filters all let the queryset through (tests/api/test_unfiltered.py),
        and building the form is most of django-filter's cost on an unfiltered page."""
        if self.unfiltered():
            return queryset.all()  # the FilterSet's qs when no filter has a value
        return super().filter_queryset(queryset)

    def unfiltered(self):
        """Whether the query string names no filter (nor ordering, nor search) of the view;
        found once a request (filter_queryset and list_page both ask)."""
        found = self.__dict__.get("_unfiltered")
        if found is None:
            names = unfiltered_names(self)
            found = self._unfiltered = names is not None and not any(
                parameter.startswith(name)
                for parameter in self.request.query_params
                for name in names
            )
        return found

    def get_renderers(self):
        if self.action == "list" and self.export is not None:
            return [FastJSONRenderer(), CSVRenderer(), XLSXRenderer()]
        return [FastJSONRenderer()]

    def list_projection(self):
        """The projection of this request's list page, or None to use the serializer."""
        return self.projection

    def projected_modified_at(self, stamp):
        """A projected row's Last-Modified from its newest stamp (see Projection)."""
        return stamp

    def perform_content_negotiation(self, request, force=False):
        # The choice depends only on the renderers, the format asked for and the Accept
        # header: remembered (a few hundred combinations at most), not parsed per request.
        renderers = self.get_renderers()
        key = negotiation_key(renderers, self.format_kwarg, request.query_params, request.META)
        known = _negotiated.get(key)
        if known is not None:
            index, media_type = known
            return renderers[index], media_type
        try:
            renderer, media_type = super().perform_content_negotiation(request, force)
        except Http404 as error:
            raise ValidationError({"format": [_("Formato no disponible aquí.")]}) from error
        if not force:  # forced: the first renderer whatever was asked
            if len(_negotiated) >= NEGOTIATED_ENTRIES:
                _negotiated.clear()
            index = [type(each) for each in renderers].index(type(renderer))
            _negotiated[key] = (index, media_type)
        return renderer, media_type

    def handle_exception(self, exc):
        # Errors are always JSON, even when the client asked for CSV.
        self.request.accepted_renderer = FastJSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    # (refused throttles, data generation) when cached_hit counted this request already.
    counted = None

    def dispatch(self, request, *args, **kwargs):
        response = self.cached_hit(request, kwargs)
        if response is not None:
            self.response = response
            return response
        return super().dispatch(request, *args, **kwargs)

    def cached_hit(self, request, kwargs):
        """The cached response of a plainly anonymous GET, before DRF builds its Request and
        runs authenticators and permissions (which would let it through, user anonymous), or
        None for the full path: format not in the negotiation memo, not cached, refused.

        Same throttles in the same round trip as check_throttles, whose answer the full path
        then reuses (no second count; a refusal is its 429). No refuse_empty_parameters: a
        path it refuses is never stored. Same headers as the full path (finalize_response).
        """
        action = self.action_map.get("get")
        if request.method != "GET" or action not in ("list", "retrieve"):
            return None  # other actions do not answer from the cache
        if response_cache.timeout() <= 0:
            return None
        self.action = action  # as initialize_request sets it: renderers, permissions
        if not plainly_anonymous(self, request):
            return None
        format_kwarg = self.get_format_suffix(**kwargs)
        known = _negotiated.get(
            negotiation_key(self.get_renderers(), format_kwarg, request.GET, request.META)
        )
        if known is None:
            return None
        throttles = self.get_throttles()
        self.counted = self.counted_before(request) or response_cache.counted(
            throttles, request, self
        )
        refused, generation = self.counted
        if refused:
            return None
        key = response_cache.key_of(generation, request.get_full_path(), known[1])
        self.cached = response_cache.lookup(key)
        if self.cached is None:
            return None
        self.headers = self.default_response_headers
        replay.served(request, throttles, generation, key)  # its answer may be replayed
        return self.finalize_response(request, self.cached_response())

    @staticmethod
    def counted_before(request):
        """(refused throttles, data generation) when the replay middleware counted this
        request already and let it through to the full path (api.v1.replay)."""
        return getattr(request, "api_counted", None)

    def check_throttles(self, request):
        if self.counted is None:  # cached_hit did not count it: maybe the replay did
            self.counted = self.counted_before(request._request)
        if self.counted is not None:  # by cached_hit or the replay, for this very request
            refused, request.api_generation = self.counted
        else:
            refused = self.count_throttles(request)
        if refused:
            durations = [wait for wait in (t.wait() for t in refused) if wait is not None]
            self.throttled(request, max(durations, default=None))

    def count_throttles(self, request):
        """The throttles refusing this request; on Redis, counted and the response cache's
        data generation read in one round trip."""
        also_read = ()
        if request.method == "GET" and response_cache.timeout() > 0:
            also_read = (response_cache.GENERATION_KEY,)
        refused, read = throttling.check_all(
            self.get_throttles(), request, self, also_read=also_read
        )
        if read and read.get(response_cache.GENERATION_KEY) is not None:
            request.api_generation = read[response_cache.GENERATION_KEY]
        return refused

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
        with prepared_statements():  # planned once per connection (ogp_portal.prepared)
            return self.list_page(request, *args, **kwargs)

    def list_page(self, request, *args, **kwargs):
        if request.accepted_renderer.format != JSONRenderer.format:
            check_page_parameters(self.paginator, request)
            queryset = self.filter_queryset(self.get_queryset())
            return flat_file_response(request, self.export, queryset)
        projection = self.list_projection()
        if projection is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if self.unfiltered():  # the same SQL for every such request: compiled once
            values = projection.prepared_values(type(self), queryset)
        else:
            values = projection.counted_values(queryset)
        rows, newest = projection.rows(self.paginate_queryset(values))
        self.stamps = [] if newest is None else [self.projected_modified_at(newest)]
        return self.get_paginated_response(rows)

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
            stamps = getattr(self, "stamps", None)
            if stamps is None:
                stamps = map(self.modified_at, getattr(self, "served", None) or [])
            stamps = [stamp for stamp in stamps if stamp is not None]
            last_modified = max(stamps, default=None)
            etag = body_etag(response.content)
            response_cache.put(
                request, response.content, response["Content-Type"], etag, last_modified
            )
            return conditional(request, response, last_modified, etag=etag)
        return response


class ListAndDetailResource(mixins.RetrieveModelMixin, ListResource):
    """Public list and detail of one resource."""

    def retrieve(self, request, *args, **kwargs):
        if self.cached:
            return self.cached_response()
        with prepared_statements():
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


@csrf_exempt  # a 404 changes nothing; without this an unknown PATCH would get the HTML CSRF page
def not_found(request, *args, **kwargs):
    """JSON 404 for any unknown path under /api/, so API clients never get an HTML page."""
    return JsonResponse({"detail": str(_("No existe."))}, status=404)
