from collections.abc import Sequence

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from .resources import (
    classifications,
    commitments,
    coordination,
    history,
    indicators,
    institutions,
    irm,
    metrica,
    plans,
    rounds,
    sources,
    states,
    writable,
)
from .resources.downloads import OpenDataDownloadView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = True
router.register("action-plans", plans.ActionPlanViewSet, basename="action-plan")
router.register("local-action-plans", plans.LocalActionPlanViewSet, basename="local-action-plan")
router.register("commitments", writable.CommitmentViewSet, basename="commitment")
router.register("milestones", writable.MilestoneViewSet, basename="milestone")
router.register("progress-history", history.ProgressHistoryViewSet, basename="progress-history")
router.register("states", states.StateViewSet, basename="state")
router.register("institutions", institutions.InstitutionViewSet, basename="institution")
router.register("policy-areas", classifications.PolicyAreaViewSet, basename="policy-area")
router.register("sdg-targets", classifications.SdgTargetViewSet, basename="sdg-target")
router.register("meetings", coordination.MeetingViewSet, basename="meeting")
router.register("alignments", commitments.AlignmentViewSet, basename="alignment")
router.register("agreements", coordination.AgreementViewSet, basename="agreement")
router.register("comments", writable.CommentViewSet, basename="comment")
router.register("assessments", writable.AssessmentViewSet, basename="assessment")
router.register("sources", sources.SourceViewSet, basename="source")
router.register("irm/assessments", irm.IrmAssessmentViewSet, basename="irm-assessment")
router.register("irm/reports", irm.IrmReportViewSet, basename="irm-report")
router.register(
    "state-participation", states.StateParticipationViewSet, basename="state-participation"
)
router.register("metrica/editions", metrica.MetricaEditionViewSet, basename="metrica-edition")
router.register("metrica", metrica.MetricaScoreViewSet, basename="metrica-score")
router.register(
    "indicators/commitments",
    indicators.CommitmentIndicatorViewSet,
    basename="commitment-indicator",
)
router.register("indicators/scopes", indicators.ScopeIndicatorViewSet, basename="scope-indicator")
router.register(
    "indicators/snapshots", indicators.IndicatorSnapshotViewSet, basename="indicator-snapshot"
)
router.register("reporting-rounds", rounds.ReportingRoundViewSet, basename="reporting-round")
router.register(
    "reporting-round-entries", rounds.RoundEntryViewSet, basename="reporting-round-entry"
)

app_name = "v1"


def v1_urlpatterns(
    *, extra: Sequence[URLPattern | URLResolver] = ()
) -> list[URLPattern | URLResolver]:
    """/api/v1/'s URLs, with the endpoints of apps built on the API (search, imports) that the
    root URLconf adds: the API imports no app above it."""
    return [
        path("opendata/", OpenDataDownloadView.as_view(), name="opendata"),
        *extra,
        *router.urls,
    ]
