"""The Métrica de Gobierno Abierto: national averages shipped as data, state scores by staff."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from ogp_data.loaders import load_mexico_ogp
from states.models import MetricaEdition, MetricaScore
from states.services import record_metrica_score
from tests.factories import (
    MetricaEditionFactory,
    MetricaScoreFactory,
    SourceFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def test_the_loader_ships_the_published_national_figures_with_their_sources():
    call_command("load_mexico_ogp", stdout=StringIO())

    averages = dict(MetricaEdition.objects.values_list("year", "national_average"))

    # 2017 and 2019 are also in the MX0087 record; 2021 and 2023 from the press reports.
    assert averages == {
        2017: Decimal("0.390"),
        2019: Decimal("0.520"),
        2021: Decimal("0.480"),
        2023: Decimal("0.460"),
    }
    edition_2019 = MetricaEdition.objects.get(year=2019)
    assert edition_2019.bodies_assessed == 1243
    assert edition_2019.transparency == Decimal("0.640")
    assert all(edition.source.url.startswith("http") for edition in MetricaEdition.objects.all())


def test_the_loader_ships_state_scores_each_with_its_source():
    load_mexico_ogp()

    guanajuato_2021 = MetricaScore.objects.get(state__slug="guanajuato", edition__year=2021)
    assert guanajuato_2021.score == Decimal("0.650")
    assert guanajuato_2021.source.url
    assert MetricaScore.objects.filter(edition__year=2017, score__isnull=False).count() >= 5
    # A state the sources say nothing about has no row, not a zero.
    assert not MetricaScore.objects.filter(state__slug="yucatan").exists()


def test_loading_the_metrica_again_changes_nothing():
    load_mexico_ogp()

    report = load_mexico_ogp()

    for model in (MetricaEdition, MetricaScore):
        assert (report[model].created, report[model].updated) == (0, 0)
    assert report[MetricaEdition].unchanged == 4


def test_staff_record_and_correct_a_state_score():
    state, edition = StateFactory(), MetricaEditionFactory(year=2019)
    source = SourceFactory()

    record_metrica_score(state=state, edition=edition, score=Decimal("0.41"), source=source)
    corrected = record_metrica_score(
        state=state,
        edition=edition,
        score=Decimal("0.43"),
        transparency_government=Decimal("0.6"),
        source=source,
    )

    assert MetricaScore.objects.get() == corrected
    assert corrected.score == Decimal("0.43")
    assert corrected.transparency_government == Decimal("0.6")


def test_a_score_above_one_is_refused_by_the_service():
    with pytest.raises(ValidationError):
        record_metrica_score(
            state=StateFactory(),
            edition=MetricaEditionFactory(),
            score=Decimal("1.2"),
            source=SourceFactory(),
        )


def test_the_database_refuses_a_score_without_a_source():
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.filter(pk=score.pk).update(source=None)


def test_the_database_refuses_a_row_that_says_nothing():
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.filter(pk=score.pk).update(score=None)


@pytest.mark.parametrize("field", ["score", "participation_citizen"])
def test_the_database_refuses_scores_outside_zero_to_one(field):
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.filter(pk=score.pk).update(**{field: Decimal("-0.1")})


def test_one_score_per_state_and_edition():
    score = MetricaScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricaScore.objects.create(
            state=score.state, edition=score.edition, score=Decimal("0.1"), source=score.source
        )
