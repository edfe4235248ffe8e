"""Migration 0004 copies each indicator's plan from its commitment before making it required."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import CommitmentFactory, StateActionPlanFactory

BEFORE = ("indicators", "0003_commitment_indicator_fillfactor")
AFTER = ("indicators", "0004_commitment_indicator_facts")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_existing_indicators_get_their_commitments_plan():
    plan = StateActionPlanFactory()
    commitment = CommitmentFactory(action_plan=plan)
    old_apps = migrate(BEFORE)
    try:
        old_apps.get_model("indicators", "CommitmentIndicator").objects.create(
            commitment_id=commitment.pk,
            last_update_at=timezone.now() - datetime.timedelta(days=3),
            days_since_update=3,
            computed_at=timezone.now(),
        )
    finally:
        new_apps = migrate(AFTER)

    row = new_apps.get_model("indicators", "CommitmentIndicator").objects.get()
    assert row.action_plan_id == plan.pk
    assert (row.weighted_percent_sum, row.weight_sum) == (0, 0)  # the next recompute fills them
