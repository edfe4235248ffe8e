"""drf-spectacular hooks for the public API schema."""

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
