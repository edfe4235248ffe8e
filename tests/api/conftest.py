import datetime
import uuid

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient, APIRequestFactory

from api.v1 import replay, response_cache
from api.v1.resources import base
from commitments import services
from indicators.services import recompute_all
from tests.factories import (
    ActionPlanFactory,
    AgendaItemFactory,
    AgreementFactory,
    AlignmentFactory,
    AssessmentFactory,
    CommentFactory,
    CommitmentFactory,
    InstitutionFactory,
    MeetingFactory,
    MetricaEditionFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    OrganisationFactory,
    PolicyAreaFactory,
    ProgressReportFactory,
    ReviewerFactory,
    SdgTargetFactory,
    StateActionPlanFactory,
    StateFactory,
    UserFactory,
)

HIGH_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def _api_throttles_and_response_cache_out_of_the_way(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": HIGH_RATES}
    # Each test rolls its data back, but a cache would outlive it: off unless a test turns it on.
    settings.API_RESPONSE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """The comment rate limit counts per user id in the cache, and ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plan_years_in_range():
    # ActionPlanFactory's cycle_year sequence (2030 + n) leaves the allowed
    # 2011-2100 range after 70 plans in one session; restart it per test.
    ActionPlanFactory.reset_sequence()


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def cache_on(request, settings):
    """The API response cache on, in local memory and (marked redis) on Redis, emptied,
    with no content negotiation remembered from an earlier test."""
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    settings.API_RESPONSE_CACHE_SECONDS = 60
    response_cache.bump_generation()
    base._negotiated.clear()
    replay.forget_all()
    yield request.param
    caches["default"].clear()
    replay.forget_all()


@pytest.fixture
def api():
    return APIClient()


def build_world(size):
    """A national plan and `size` state plans, each with `size` commitments of 2 milestones.

    Every commitment has lead and support institutions, policy areas and SDG
    targets, and each local commitment aligns with a national one, so any N+1
    shows up as a growing query count.
    """
    areas = PolicyAreaFactory.create_batch(size)
    targets = [SdgTargetFactory(code=f"16.{n + 1}") for n in range(size)]
    national_plan = ActionPlanFactory(cycle_year=2019)
    national = []
    for _ in range(size):
        commitment = CommitmentFactory(action_plan=national_plan)
        national.append(commitment)
    plans = [
        StateActionPlanFactory(cycle_year=2022, state=StateFactory(inegi_code=f"{n + 1:02d}"))
        for n in range(size)
    ]
    commitments = list(national)
    for plan in plans:
        for n in range(size):
            local = CommitmentFactory(action_plan=plan)
            AlignmentFactory(local_commitment=local, national_commitment=national[n])
            commitments.append(local)
    for commitment in commitments:
        commitment.lead_institutions.set(InstitutionFactory.create_batch(2))
        commitment.support_institutions.set([InstitutionFactory(state=plans[0].state)])
        commitment.policy_areas.set(areas)
        commitment.sdg_targets.set(targets)
        MilestoneFactory(
            commitment=commitment, position=1, percent_complete=40, status="in_progress"
        )
        MilestoneFactory(commitment=commitment, position=2)
    editor = UserFactory(is_staff=True)
    for commitment in commitments:
        record_progress(commitment.milestones.get(position=2), editor, percent_complete=10)
    meetings = []
    for n in range(size):
        meeting = MeetingFactory()
        meetings.append(meeting)
        for position in (1, 2):
            AgendaItemFactory(meeting=meeting, position=position)
        agreement = AgreementFactory(
            meeting=meeting,
            responsible=InstitutionFactory(),
            due_date=datetime.date(2000, 1, 1) if n % 2 else datetime.date(2100, 1, 1),
        )
        agreement.commitments.set(commitments[:2])
    for n, state_plan in enumerate(plans):
        edition = MetricaEditionFactory(year=2017 + n)
        MetricaScoreFactory(state=state_plan.state, edition=edition)
    build_reviews(commitments, meetings)
    recompute_all()
    return {"commitments": commitments, "plans": [national_plan, *plans]}


def build_reviews(commitments, meetings):
    """Comments (with replies, on milestones and meetings, one deleted, one hidden) and
    assessments of reports and milestones by two organisations."""
    reviewers = [ReviewerFactory(institution=OrganisationFactory()).user for _ in range(2)]
    for n, commitment in enumerate(commitments):
        author = reviewers[n % 2]
        institution = author.membership.institution
        root = CommentFactory(commitment=commitment, author=author, institution=institution)
        CommentFactory(commitment=commitment, parent=root, author=reviewers[(n + 1) % 2])
        milestone = commitment.milestones.get(position=1)
        CommentFactory(commitment=None, milestone=milestone, author=author, institution=institution)
        report = ProgressReportFactory(commitment=commitment)
        AssessmentFactory(
            progress_report=report, organisation=institution, reviewer=author, verdict="agree"
        )
        AssessmentFactory(
            progress_report=None,
            milestone=milestone,
            milestone_version=milestone.version,
            commitment=commitment,
            organisation=institution,
            reviewer=author,
            verdict="dispute",
        )
    for meeting in meetings:
        CommentFactory(commitment=None, meeting=meeting, author=reviewers[0])
    first = commitments[0].comments.first()
    first.deleted_at = first.created_at
    first.save()
    second = commitments[1].comments.first()
    second.hidden_at = second.created_at
    second.moderation_reason = "Lenguaje ofensivo."
    second.save()


def record_progress(milestone, user, *, percent_complete, status="in_progress", **fields):
    """Record progress through the same service as the pages (writes a history row)."""
    milestone.refresh_from_db()
    return services.update_milestone_progress(
        milestone_id=milestone.pk,
        user=user,
        version=milestone.version,
        status=status,
        percent_complete=percent_complete,
        weight=milestone.weight,
        **fields,
    )


@pytest.fixture
def rates(settings):
    """Set the anonymous and user throttle rates, e.g. rates("3/min", "5/min")."""

    def set_rates(anon, user):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def fresh_address():
    """A client address no other test has used (throttle counters are per address)."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def list_view(viewset, query=""):
    """A list view of the viewset set up for GET /api/v1/x/<query>, as DRF's dispatch would."""
    request = APIRequestFactory().get(f"/api/v1/x/{query}")
    view = viewset(action_map={"get": "list"})
    view.setup(request)
    view.request = view.initialize_request(request)
    view.action = "list"
    view.format_kwarg = None
    return view
