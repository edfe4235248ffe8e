"""A fact from outside the portal cannot be stored without its source, and a translation
made for the portal cannot pass for an official title."""

import pytest
from django.db import IntegrityError, transaction

from commitments.models import (
    Commitment,
    IrmAssessment,
    IrmReport,
    IrmReportFigure,
    Source,
)
from states.models import Standing, StateParticipation, standing_of
from tests.factories import ActionPlanFactory, CommitmentFactory, SourceFactory, StateFactory

pytestmark = pytest.mark.django_db


def refused(model, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


def test_an_irm_assessment_without_a_source_is_refused():
    refused(IrmAssessment, **{"commitment": CommitmentFactory(), "early_results": "marginal"})


def test_an_irm_report_without_a_source_is_refused():
    refused(IrmReport, **{"action_plan": ActionPlanFactory(), "kind": "design", "title": "X"})


def test_a_participation_record_without_a_source_is_refused():
    refused(StateParticipation, state=StateFactory(), program="ogp_local", status="participates")


def test_a_source_needs_a_publication_and_an_address():
    refused(Source, **{"key": "sin-direccion", "publication": "Informe", "url": ""})
    refused(Source, **{"key": "sin-titulo", "publication": "", "url": "https://x.org/"})


def test_a_source_date_is_as_precise_as_the_publication_and_never_invented():
    for published in ("2019", "2019-12", "2019-12-04", ""):
        SourceFactory(key=f"fecha-{published or 'ninguna'}", published=published)
    refused(
        Source,
        **{"key": "mala", "publication": "P", "url": "https://x.org", "published": "dic 2019"},
    )


def test_an_irm_figure_cannot_exceed_its_total():
    report = IrmReport.objects.create(
        action_plan=ActionPlanFactory(), kind="design", title="Informe", source=SourceFactory()
    )
    refused(
        IrmReportFigure, **{"report": report, "metric": "relevant", "value": 14, "of_total": 13}
    )


def test_an_irm_rating_outside_its_scale_is_refused():
    refused(
        IrmAssessment, commitment=CommitmentFactory(), source=SourceFactory(), completion="partial"
    )


def test_a_portal_translation_cannot_claim_a_source():
    commitment = CommitmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(
            title_es_origin=Commitment.TitleOrigin.TRANSLATION, title_es_source=SourceFactory()
        )


@pytest.mark.parametrize(
    ("statuses", "local_plans", "standing"),
    [
        ([], 0, Standing.NO_INFORMATION),
        ([], 1, Standing.PARTICIPATES),  # a plan on record is a fact of participation
        (["participates"], 0, Standing.PARTICIPATES),
        (["withdrew"], 0, Standing.WITHDREW),
        (["withdrew", "participates"], 0, Standing.PARTICIPATES),  # still in another exercise
        (["did_not_participate"], 0, Standing.DID_NOT_PARTICIPATE),
        (["did_not_participate", "participates"], 0, Standing.CONFLICTING),
        (["did_not_participate"], 2, Standing.CONFLICTING),
    ],
)
def test_a_states_standing_follows_its_sources(statuses, local_plans, standing):
    assert standing_of(statuses=statuses, local_plans=local_plans) == standing
