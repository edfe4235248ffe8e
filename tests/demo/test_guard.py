"""Synthetic data never reaches the real database: the commands refuse outside demo mode."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from commitments.models import ActionPlan, Alignment, Commitment, Milestone
from states.models import State

pytestmark = pytest.mark.django_db


def everything():
    models = (State, ActionPlan, Commitment, Milestone, Alignment, get_user_model())
    return {model.__name__: model.objects.count() for model in models}


def test_generate_demo_data_refuses_outside_demo_mode_and_writes_nothing(settings):
    settings.PORTAL_DEMO = False
    before = everything()

    with pytest.raises(CommandError, match="modo de demostración está apagado"):
        call_command("generate_demo_data", "--scale", "0.01", stdout=StringIO())

    assert everything() == before


def test_prepare_demo_refuses_outside_demo_mode_and_creates_no_account(settings):
    settings.PORTAL_DEMO = False
    before = everything()

    with pytest.raises(CommandError, match="make demo"):
        call_command("prepare_demo", stdout=StringIO())

    assert everything() == before
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_a_bench_on_its_own_throwaway_database_says_so_explicitly(settings):
    # bench/indicators/run.py makes and drops its own database and passes this.
    settings.PORTAL_DEMO = False

    call_command(
        "generate_demo_data", scale=0.01, seed=1, allow_real_database=True, stdout=StringIO()
    )

    assert Commitment.objects.filter(action_plan__scope=ActionPlan.Scope.STATE).count() == 20
