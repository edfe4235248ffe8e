"""`make demo`'s preparation: reference data, synthetic data, indicators and accounts."""

from io import StringIO

import pytest
from django.core.management import call_command

from commitments.models import ActionPlan, Commitment
from indicators.models import CommitmentIndicator

pytestmark = pytest.mark.django_db


def prepare(*args):
    out = StringIO()
    call_command("prepare_demo", "--scale", "0.02", *args, stdout=out)
    return out.getvalue()


def test_prepare_demo_fills_the_demo_database_and_prints_the_accounts(settings):
    settings.PORTAL_DEMO = True

    output = prepare("--address", "127.0.0.1:8123")

    assert Commitment.objects.filter(code="MX0087").exists()  # the real reference data
    synthetic = Commitment.objects.filter(
        action_plan__scope=ActionPlan.Scope.STATE, code__startswith="DEMO-"
    )
    assert synthetic.count() == 40  # beside the local plans' real commitments
    assert CommitmentIndicator.objects.count() == Commitment.objects.count()
    assert "http://127.0.0.1:8123/" in output
    for username in ("demo-gobierno", "demo-estado", "demo-sociedad", "demo-analista"):
        assert f"usuario: {username}" in output
    assert "contraseña: " in output


def test_prepare_demo_again_keeps_the_data_and_sets_new_passwords(settings):
    settings.PORTAL_DEMO = True
    first = prepare()
    commitments = Commitment.objects.count()

    second = prepare()

    assert Commitment.objects.count() == commitments
    assert "Se conservan los 40 compromisos sintéticos" in second

    def passwords(output):
        return [
            line.split("contraseña: ")[1] for line in output.splitlines() if "contraseña: " in line
        ]

    assert len(passwords(first)) == 5
    assert set(passwords(first)).isdisjoint(passwords(second))
