"""Property-based run over the whole OpenAPI schema, in process (WSGI).

Bounded and derandomized so it stays fast and repeatable: 10 examples per
operation. Every response must be a non-5xx that the schema documents
(status code, content type, headers and body).

The writes are fuzzed too, authenticated with the token of a staff user (who may
change every commitment) who is also a reviewer of a civil-society organisation (so
comments and assessments reach their services too), so generated bodies reach the
forms and services rather than stopping at 401 or 403; anonymous and per-role writes
are tested explicitly in test_write_permission_matrix.py and test_writes.py.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ReviewerFactory, UserFactory

from .conftest import HIGH_RATES, build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded at collection: generating the schema needs settings, not the database.
# The throttle counters may live in a shared Redis, so lift the rates here too.
with override_settings(
    REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": HIGH_RATES}
):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Like Django's test client: the WSGI app must not close the connection
    # that holds the test's transaction at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    staff = ReviewerFactory(user=UserFactory(username="fuzz", is_staff=True)).user
    try:
        yield {**build_world(2), "token": Token.objects.create(user=staff).key}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, world):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {world['token']}"})
