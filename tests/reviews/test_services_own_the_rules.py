"""The review services own their rules: any channel that calls them gets the same refusals.

These call the services directly, as a future channel (a command, another API) would,
and see the typed errors of `ogp_portal.service_errors`.
"""

import pytest

from ogp_portal.service_errors import InvalidInput, NotAllowed, RateLimited
from reviews import services
from reviews.models import Assessment, Comment, Flag
from tests.factories import MilestoneFactory, ProgressReportFactory, UserFactory

from .helpers import commitment, reviewer

pytestmark = pytest.mark.django_db


def test_a_person_who_may_not_comment_is_refused_with_not_allowed():
    with pytest.raises(NotAllowed):
        services.post_comment(user=UserFactory(), body="Hola", commitment=commitment())

    assert not Comment.objects.exists()


def test_the_comment_limit_holds_without_any_page_or_api(settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (2, 600), "flag": (20, 3600)}
    record, author = commitment(), reviewer()
    services.post_comment(user=author, body="Uno", commitment=record)
    services.post_comment(user=author, body="Dos", commitment=record)

    with pytest.raises(RateLimited) as refused:
        services.post_comment(user=author, body="Tres", commitment=record)

    assert refused.value.action == "comment"
    assert 0 < refused.value.retry_after <= 600
    assert "demasiados comentarios" in str(refused.value.reason)
    assert Comment.objects.count() == 2


def test_the_flag_limit_holds_without_any_page_or_api(settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (100, 600), "flag": (1, 3600)}
    record = commitment()
    first, second = (
        services.post_comment(user=reviewer(f"autora{n}"), body="C", commitment=record)
        for n in range(2)
    )
    reader = reviewer("lectora")
    services.flag_comment(comment_id=first.pk, user=reader, reason="Motivo")

    with pytest.raises(RateLimited):
        services.flag_comment(comment_id=second.pk, user=reader, reason="Motivo")

    assert Flag.objects.count() == 1


def test_a_reply_to_a_comment_of_another_record_is_invalid_input():
    record, other = commitment(), commitment()
    root = services.post_comment(user=reviewer("una"), body="Raíz", commitment=record)
    replier = reviewer("otra")

    for parent in ({"parent_id": root.pk}, {"parent": root}):
        with pytest.raises(InvalidInput) as refused:
            services.post_comment(user=replier, body="R", commitment=other, **parent)
        assert set(refused.value.message_dict) == {"parent"}

    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_that_does_not_exist_is_invalid_input():
    with pytest.raises(InvalidInput):
        services.post_comment(user=reviewer(), body="R", commitment=commitment(), parent_id=999)


def test_a_reply_to_a_reply_of_the_same_record_hangs_from_the_root():
    record = commitment()
    root = services.post_comment(user=reviewer("una"), body="Raíz", commitment=record)
    reply = services.post_comment(user=reviewer("dos"), body="R", parent_id=root.pk)

    nested = services.post_comment(
        user=reviewer("tres"), body="RR", commitment=record, parent_id=reply.pk
    )

    assert nested.parent == root


def test_only_reviewers_assess():
    report = ProgressReportFactory()

    with pytest.raises(NotAllowed):
        services.record_assessment(
            user=UserFactory(), verdict="agree", justification="Sí.", progress_report=report
        )

    assert not Assessment.objects.exists()


def test_the_service_says_whether_an_assessment_was_created_or_replaced():
    milestone = MilestoneFactory()
    person = reviewer()

    first = services.record_assessment(
        user=person, verdict="agree", justification="Sí.", milestone=milestone
    )
    second = services.record_assessment(
        user=person, verdict="dispute", justification="No.", milestone=milestone
    )

    assert (first.replaced, second.replaced) == (False, True)
    assert first.assessment.pk == second.assessment.pk
    assert Assessment.objects.get().verdict == "dispute"
