"""The Métrica de Gobierno Abierto: national averages shipped as data, state scores by staff."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from commitments.loaders import load_mexico_ogp
from states.models import MetricaEdition, MetricaScore
from states.services import record_metrica_score
from tests.factories import MetricaEditionFactory, MetricaScoreFactory, StateFactory

pytestmark = pytest.mark.django_db


def test_the_loader_ships_the_two_national_averages_of_the_seed_document():
    call_command("load_mexico_ogp", stdout=StringIO())

    averages = dict(MetricaEdition.objects.values_list("year", "national_average"))

    assert averages == {2017: Decimal("0.390"), 2019: Decimal("0.520")}
    assert all(
        edition.source_url.startswith("https://micrositios.inai.org.mx/")
        for edition in MetricaEdition.objects.all()
    )


def test_the_loader_ships_no_state_scores():
    load_mexico_ogp()

    assert not MetricaScore.objects.exists()


def test_loading_the_averages_again_changes_nothing():
    load_mexico_ogp()

    report = load_mexico_ogp()

    assert (report[MetricaEdition].created, report[MetricaEdition].updated) == (0, 0)
    assert report[MetricaEdition].unchanged == 2


def test_staff_record_and_correct_a_state_score():
    state, edition = StateFactory(), MetricaEditionFactory(year=2019)

    record_metrica_score(state=state, edition=edition, score=Decimal("0.41"))
    corrected = record_metrica_score(
        state=state,
        edition=edition,
        score=Decimal("0.43"),
        transparency_government=Decimal("0.6"),
    )

    assert MetricaScore.objects.get() == corrected
    assert corrected.score == Decimal("0.43")
    assert corrected.transparency_government == Decimal("0.6")


def test_a_score_above_one_is_refused_by_the_service():
    with pytest.raises(ValidationError):
        record_metrica_score(
            state=StateFactory(), edition=MetricaEditionFactory(), score=Decimal("1.2")
        )


@pytest.mark.parametrize("field", ["score", "participation_citizen"])
def test_the_database_refuses_scores_outside_zero_to_one(field):
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.filter(pk=score.pk).update(**{field: Decimal("-0.1")})


def test_one_score_per_state_and_edition():
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.create(state=score.state, edition=score.edition, score=Decimal("0.1"))
