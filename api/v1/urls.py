from django.urls import path
from rest_framework.routers import DefaultRouter

from coordination.round_api import ReportingRoundViewSet, RoundEntryViewSet
from imports.api import ImportDetailView, ImportView
from search.api import SearchView

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = True
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("local-action-plans", views.LocalActionPlanViewSet, basename="local-action-plan")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("progress-history", views.ProgressHistoryViewSet, basename="progress-history")
router.register("states", views.StateViewSet, basename="state")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("policy-areas", views.PolicyAreaViewSet, basename="policy-area")
router.register("sdg-targets", views.SdgTargetViewSet, basename="sdg-target")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("alignments", views.AlignmentViewSet, basename="alignment")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("sources", views.SourceViewSet, basename="source")
router.register("irm/assessments", views.IrmAssessmentViewSet, basename="irm-assessment")
router.register("irm/reports", views.IrmReportViewSet, basename="irm-report")
router.register(
    "state-participation", views.StateParticipationViewSet, basename="state-participation"
)
router.register("metrica/editions", views.MetricaEditionViewSet, basename="metrica-edition")
router.register("metrica", views.MetricaScoreViewSet, basename="metrica-score")
router.register(
    "indicators/commitments", views.CommitmentIndicatorViewSet, basename="commitment-indicator"
)
router.register("indicators/scopes", views.ScopeIndicatorViewSet, basename="scope-indicator")
router.register(
    "indicators/snapshots", views.IndicatorSnapshotViewSet, basename="indicator-snapshot"
)
router.register("reporting-rounds", ReportingRoundViewSet, basename="reporting-round")
router.register("reporting-round-entries", RoundEntryViewSet, basename="reporting-round-entry")

app_name = "v1"

urlpatterns = [
    path("opendata/", views.OpenDataDownloadView.as_view(), name="opendata"),
    path("search/", SearchView.as_view(), name="search"),
    path("imports/", ImportView.as_view(), name="import-list"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import-detail"),
    *router.urls,
]
