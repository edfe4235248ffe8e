"""`make demo` on PostgreSQL creates its database beside the real one when it is missing."""

import uuid

import pytest
from django.db import connection

from demo.database import ensure_database

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_the_demo_database_is_created_once_when_missing():
    name = f"ogp_demo_ensure_{uuid.uuid4().hex[:8]}"
    try:
        assert ensure_database(name=name) is True
        assert ensure_database(name=name) is False  # there already: left as it is
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_an_existing_database_is_left_alone():
    # PostgreSQL: the test database is there; SQLite makes its file on connecting.
    assert ensure_database() is False
