"""drf-spectacular hooks for the public API schema."""

import re

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

LOOKUPS = {
    "id": (_("Identificador numérico."), {"type": "integer", "minimum": 1}),
    "code": (_("Clave (de compromiso o de meta ODS)."), None),
    "inegi_code": (_("Clave INEGI de dos dígitos."), None),
    "slug": (_("Slug."), None),
}


def describe_path_parameters(result, generator, request, public):
    """Give every path parameter a description (and ids an integer type)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path" or parameter.get("description"):
                    continue
                description, schema = LOOKUPS.get(parameter["name"], (_("Identificador."), None))
                parameter["description"] = description
                if schema:
                    parameter["schema"] = schema
    return result


def refuse_empty_query_values(result, generator, request, public):
    """Every query parameter needs a value: strings get minLength 1, as the server demands.

    An empty `?status=` or `?ordering=` is a 400 (api.v1.resources.base.refuse_empty_parameters);
    the schema says so instead of letting clients believe it is ignored.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] != "query":
                    continue
                if schema.get("type") == "string" and "enum" not in schema:
                    schema["minLength"] = max(schema.get("minLength", 0), 1)
                if "enum" in schema:
                    schema["enum"] = [value for value in schema["enum"] if value != ""]
                if schema.get("type") == "array":
                    items = schema.setdefault("items", {})
                    if items.get("type") == "string" and "enum" not in items:
                        items["minLength"] = max(items.get("minLength", 0), 1)
    return result


def _view_class(path):
    """The view class behind a schema path such as /api/v1/commitments/{code}/."""
    try:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    except Resolver404:
        return None
    return getattr(match.func, "cls", None)


def _field_bounds(form_field):
    """The bounds a filter's form field enforces, as JSON Schema keywords."""
    bounds = {}
    if isinstance(form_field, forms.ModelChoiceField) and form_field.to_field_name is None:
        bounds.update(type="integer", minimum=1)  # a primary key: 0 never names a row
    if isinstance(form_field, forms.IntegerField):
        bounds["type"] = "integer"
        if form_field.min_value is not None:
            bounds["minimum"] = form_field.min_value
        if form_field.max_value is not None:
            bounds["maximum"] = form_field.max_value
    is_text = isinstance(form_field, forms.CharField)
    if is_text and getattr(form_field, "max_length", None) is not None:
        bounds["maxLength"] = form_field.max_length
    return bounds


def state_filter_bounds(result, generator, request, public):
    """Query parameters say the bounds their filters enforce (years, ids, lengths).

    Read from each list's FilterSet, so the schema cannot promise what the server refuses
    (a `cycle_year` of 0, an `institution` of 0) nor hide a limit it applies.
    """
    for path, operations in result.get("paths", {}).items():
        view = _view_class(path)
        filterset = getattr(view, "filterset_class", None)
        if filterset is None:
            continue
        filters_ = filterset.base_filters
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] != "query" or name not in filters_:
                    continue
                schema = parameter.setdefault("schema", {})
                if schema.get("type") == "array":
                    schema["minItems"] = max(schema.get("minItems", 0), 1)
                    continue
                schema.update(_field_bounds(filters_[name].field))
    return result


def bound_path_ids(result, generator, request, public):
    """Integer ids in paths start at 1 (0 never names a row)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and schema.get("type") == "integer":
                    schema["minimum"] = max(schema.get("minimum", 1), 1)
    return result


# Request bodies that name exactly one target (CommentTargetForm, AssessmentTargetForm).
EXCLUSIVE_TARGETS = {
    "CommentInput": ("commitment", "milestone", "meeting"),
    "AssessmentInput": ("progress_report", "milestone"),
}


def exclusive_targets(result, generator, request, public):
    """Say with oneOf that a comment or an assessment names exactly one target."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, fields in EXCLUSIVE_TARGETS.items():
        if name in schemas:
            schemas[name]["oneOf"] = [{"required": [field]} for field in fields]
    return result
