"""Issue 16, item 1: one description per field. A field that the JSON list and the CSV
both show is described by the same text in the OpenAPI schema and in the CSV columns
(which also feed the list's description and the open-data datapackage.json)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.v1.resources.commitments import COMMITMENT_FIELDS, COMMITMENTS, CommitmentSerializer
from api.v1.resources.indicators import COMMITMENT_INDICATORS
from api.v1.urls import router


@pytest.fixture(scope="module")
def components():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]


def described(schema_property):
    """A property's description without the list of choices drf-spectacular appends."""
    return schema_property.get("description", "").split(ENUM_LIST)[0]


ENUM_LIST = "\n\n* `"


def flat_resources():
    # A list: pytest deprecates a generator as parametrize's values.
    return [
        pytest.param(viewset, id=prefix)
        for prefix, viewset, _basename in router.registry
        if getattr(viewset, "export", None) is not None
    ]


@pytest.mark.parametrize("viewset", flat_resources())
def test_schema_and_csv_describe_a_shared_field_with_one_text(components, viewset):
    component = viewset.serializer_class.__name__.removesuffix("Serializer")
    properties = components[component]["properties"]
    shared = [column for column in viewset.export.columns if column.name in properties]
    assert shared, "the JSON and the CSV share no field"
    in_schema = {column.name: described(properties[column.name]) for column in shared}
    in_csv = {column.name: str(column.description) for column in shared}
    assert in_schema == in_csv


def test_every_commitment_column_and_field_reads_the_one_table():
    serializer = CommitmentSerializer(context={"expand": set()})
    for column in COMMITMENTS.columns:
        assert column.description is COMMITMENT_FIELDS[column.name]
        if column.name in serializer.fields:
            assert serializer.fields[column.name].help_text is COMMITMENT_FIELDS[column.name]


def test_the_on_time_share_reads_the_same_in_the_schema_and_the_csv(components):
    """The drift that started issue 16: the CSV said one thing, the serializer another."""
    schema_text = described(components["CommitmentIndicator"]["properties"]["is_on_time"])
    (column,) = [c for c in COMMITMENT_INDICATORS.columns if c.name == "is_on_time"]
    assert schema_text == str(column.description)
    assert "todo hito abierto está vencido" in schema_text
