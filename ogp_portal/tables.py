"""Flat tables: a queryset's rows as CSV columns, and their Frictionless descriptors.

Plain machinery shared by every app that publishes tables (the API's CSV/XLSX downloads
and open-data package, the reporting rounds' board and dated releases), so it sits in
the foundation. A `Resource` is a named table of `Column`s over a queryset, with its keys:
a resource's `primary_key`, and on a column `required`, `unique` and `references` (the
column holds the key of a row of another resource); `table_schema` turns them into the
Table Schema's constraints. Declare only what the database guarantees.
"""

import csv
import datetime
import io
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal

from .user_text import csv_cell

# The licence of every table the portal publishes.
LICENSE_NAME = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

CSV_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Reference:
    """The key (primary key column) of a resource whose rows a column refers to."""

    resource: str  # a Resource's name
    field: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type
    description: str
    value: object  # callable(obj) -> value
    _: KW_ONLY
    required: bool = False  # never empty in any row
    unique: bool = False  # no two rows share a value
    references: Reference | None = None

    def render(self, obj):
        value = self.value(obj)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            # Frictionless' default datetime format: UTC, whole seconds, "Z".
            return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return format(value, "f")
        if self.type == "string":
            return csv_cell(str(value))  # people's text: never a spreadsheet formula
        return str(value)


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    columns: tuple
    queryset: object  # callable() -> queryset
    primary_key: tuple = ()  # column names; their values identify a row
    # Prefetches only the flat file needs (the JSON list does not show them).
    prefetch: tuple = ()

    def rows(self, queryset=None, *, chunk_size=CSV_CHUNK_SIZE):
        """Yield rendered rows; prefetches run once per chunk, memory stays flat."""
        queryset = self.queryset() if queryset is None else queryset
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        for obj in queryset.iterator(chunk_size=chunk_size):
            yield [column.render(obj) for column in self.columns]

    def header(self):
        return [column.name for column in self.columns]

    def describe_columns(self):
        """Markdown list of the columns, for the OpenAPI description."""
        return "\n".join(f"- `{c.name}` ({c.type}): {c.description}" for c in self.columns)


class Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value):
        return value


def csv_lines(resource, queryset=None):
    """Yield the CSV text of a resource line by line (header first)."""
    writer = csv.writer(Echo())
    yield writer.writerow(resource.header())
    for row in resource.rows(queryset):
        yield writer.writerow(row)


def csv_text(resource, queryset=None):
    buffer = io.StringIO()
    for line in csv_lines(resource, queryset):
        buffer.write(line)
    return buffer.getvalue()


class Fields(dict):
    """One description per field of a resource, by name: the serializer's help_text (the
    OpenAPI schema) and the CSV/XLSX column's description (and datapackage.json) are both
    read from here, so the two cannot drift apart. Where the JSON and the flat file show a
    field differently (a nested list, joined with «; » in the CSV), the text says both."""

    def column(self, name, type, value, **keys):
        """The flat-file column `name`, described by this table."""
        return Column(name, type, self[name], value, **keys)


# --- Frictionless descriptors ----------------------------------------------------------


def package_name(resource_name):
    return resource_name.replace("_", "-")


def table_schema(resource):
    """The Frictionless Table Schema of a resource, keys included."""
    single_key = resource.primary_key if len(resource.primary_key) == 1 else ()
    fields = []
    for column in resource.columns:
        field = {"name": column.name, "type": column.type, "description": str(column.description)}
        constraints = {}
        if column.required or column.name in resource.primary_key:
            constraints["required"] = True
        if column.unique or column.name in single_key:
            constraints["unique"] = True
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema = {"fields": fields}
    if resource.primary_key:
        schema["primaryKey"] = list(resource.primary_key)
    foreign_keys = [
        {
            "fields": [column.name],
            "reference": {
                # "" is the Table Schema's name for the resource itself.
                "resource": (
                    ""
                    if column.references.resource == resource.name
                    else package_name(column.references.resource)
                ),
                "fields": [column.references.field],
            },
        }
        for column in resource.columns
        if column.references
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def resource_descriptor(resource):
    """A CSV table of a data package, as Frictionless describes it."""
    return {
        "profile": "tabular-data-resource",
        "name": package_name(resource.name),
        "path": f"{resource.name}.csv",
        "title": str(resource.title),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(resource),
    }
