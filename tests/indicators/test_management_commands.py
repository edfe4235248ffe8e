"""`generate_demo_data` and `recompute_indicators` as an operator sees them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from commitments.models import ActionPlan, Alignment, Commitment, Milestone
from indicators.models import CommitmentIndicator, IndicatorSnapshot, ScopeIndicator
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

AS_OF = "2026-06-15"


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    """generate_demo_data runs only in demo mode (here the test database stands in for
    the demo's); tests/demo/test_guard.py shows it refusing otherwise."""
    settings.PORTAL_DEMO = True


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def demo_fingerprint():
    return sorted(
        Milestone.objects.filter(commitment__code__startswith="DEMO-").values_list(
            "commitment__code", "position", "weight", "status", "percent_complete", "due_date"
        )
    )


def test_demo_data_has_the_documented_size_and_keeps_the_database_constraints():
    output = run("generate_demo_data", "--scale", "0.05", "--seed", "1", "--as-of", AS_OF)

    local = Commitment.objects.filter(action_plan__scope=ActionPlan.Scope.STATE)
    assert local.count() == 100  # 2,000 per unit of scale
    assert 500 <= Milestone.objects.filter(commitment__in=local).count() <= 1500  # 5 to 15 each
    assert Alignment.objects.exists()
    assert not Milestone.objects.filter(status="complete").exclude(percent_complete=100).exists()
    assert "100 compromisos" in output
    assert "12 compromisos nacionales creados" in output  # none existed, so a few were made


def test_demo_data_is_the_same_for_the_same_seed_and_different_for_another():
    run("generate_demo_data", "--scale", "0.02", "--seed", "5", "--as-of", AS_OF)
    first = demo_fingerprint()
    run("generate_demo_data", "--scale", "0.02", "--seed", "5", "--as-of", AS_OF, "--replace")
    again = demo_fingerprint()
    run("generate_demo_data", "--scale", "0.02", "--seed", "6", "--as-of", AS_OF, "--replace")

    assert first == again
    assert demo_fingerprint() != first


def test_demo_data_refuses_to_generate_twice_and_leaves_real_data_alone():
    real = CommitmentFactory(code="MX0087")
    run("generate_demo_data", "--scale", "0.01", "--seed", "1", "--as-of", AS_OF)
    count = Commitment.objects.count()

    with pytest.raises(CommandError, match="--replace"):
        run("generate_demo_data", "--scale", "0.01", "--seed", "1", "--as-of", AS_OF)

    assert Commitment.objects.count() == count
    assert Alignment.objects.filter(national_commitment=real).exists()  # aligned to real data
    assert "compromisos nacionales creados" in run(
        "generate_demo_data", "--scale", "0.01", "--seed", "1", "--replace"
    )
    assert Commitment.objects.filter(pk=real.pk).exists()


def test_demo_updates_are_spread_so_some_commitments_are_stale():
    run("generate_demo_data", "--scale", "0.05", "--seed", "3")
    run("recompute_indicators")

    stale = sum(indicator.is_stale for indicator in CommitmentIndicator.objects.all())
    assert 0 < stale < CommitmentIndicator.objects.count()


def test_recompute_indicators_shows_a_progress_bar_and_a_summary():
    run("generate_demo_data", "--scale", "0.02", "--seed", "1", "--as-of", AS_OF)

    output = run("recompute_indicators", "--chunk-size", "10")

    lines = output.splitlines()
    bars = [line for line in lines if line.startswith("Compromisos [")]
    assert bars[0].endswith("0/52   0%")
    assert bars[-1].endswith("52/52 100%")
    assert len(bars) == 7  # the start, then one per chunk of 10
    assert "52 compromisos" in lines[-1]
    scopes = ScopeIndicator.objects.count()
    assert f"{scopes} ámbitos, {scopes} instantáneas" in lines[-1]
    assert IndicatorSnapshot.objects.filter(date=timezone.localdate()).count() == scopes
