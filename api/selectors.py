"""Reads behind the public API and the open-data export.

Each function returns a queryset shaped so that serializing any number of
rows costs a fixed number of queries (select_related for foreign keys,
prefetch_related for many-to-many), whatever the page size.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    IrmAssessment,
    IrmReport,
    IrmReportFigure,
    Milestone,
    PolicyArea,
    SdgTarget,
    Source,
    TitleAlias,
)
from coordination.models import AgendaItem, Agreement, Meeting
from indicators.models import (
    CommitmentIndicator,
    IndicatorSnapshot,
    ScopeIndicator,
    ScopeKind,
)
from reviews.models import Assessment, Comment
from states.models import MetricaEdition, MetricaScore, State, StateParticipation


def count_of(model, link):
    """A correlated COUNT(*) of `model` rows whose `link` is the outer row.

    Unlike Count() it needs no GROUP BY over the outer table, so PostgreSQL
    counts only for the rows of the page, not for the whole table.
    """
    counted = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def action_plans():
    return (
        ActionPlan.objects.select_related("state", "source")
        .annotate(commitment_count=count_of(Commitment, "action_plan"))
        .order_by("-cycle_year", "title", "pk")
    )


def commitments(*, with_milestones=False):
    queryset = (
        Commitment.objects.select_related("action_plan__state", "indicator", "title_es_source")
        .prefetch_related(
            Prefetch("title_aliases", queryset=TitleAlias.objects.select_related("source")),
            Prefetch(
                "irm_assessments",
                queryset=IrmAssessment.objects.select_related("source").order_by(
                    "report_kind", "pk"
                ),
            ),
            Prefetch("lead_institutions", queryset=Institution.objects.order_by("name")),
            Prefetch("support_institutions", queryset=Institution.objects.order_by("name")),
            Prefetch("policy_areas", queryset=PolicyArea.objects.order_by("slug")),
            Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("goal", "code")),
            Prefetch(
                "alignments",
                queryset=Alignment.objects.select_related("national_commitment").order_by(
                    "national_commitment__code"
                ),
            ),
        )
        .annotate(milestone_count=count_of(Milestone, "commitment"))
        .order_by("code")
    )
    if with_milestones:
        queryset = queryset.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
        )
    return queryset


def milestones():
    return Milestone.objects.select_related("commitment__action_plan__state").order_by(
        "commitment__code", "position", "pk"
    )


def _history(history, *, commitment_path):
    """History rows a reader sees on the public timeline, newest first.

    Rows without a change and creation rows written by the data load (no
    user) are left out, as on the commitment page.
    """
    return (
        history.exclude(changes={})
        .exclude(history_type="+", history_user__isnull=True)
        .select_related(commitment_path, "history_user__membership__institution")
        .order_by("-history_date", "-history_id")
    )


def commitment_history():
    """History rows of commitments (the commitment is the row itself)."""
    return _history(Commitment.history, commitment_path="action_plan")


def milestone_history():
    return _history(Milestone.history, commitment_path="commitment")


def progress_events():
    """The progress history feed: one queryset per kind of row, merged by api.history_feed."""
    return {"commitment": commitment_history(), "milestone": milestone_history()}


def states():
    """States with their participation records (and sources) and local plans on record."""
    return (
        State.objects.prefetch_related(
            Prefetch(
                "participations",
                queryset=StateParticipation.objects.select_related("source").order_by(
                    "program", "start_year", "pk"
                ),
            )
        )
        .annotate(plan_count=Count("action_plans", filter=Q(action_plans__scope="state")))
        .order_by("inegi_code")
    )


def sources():
    return Source.objects.order_by("key")


def irm_assessments():
    return IrmAssessment.objects.select_related("commitment", "source").order_by(
        "commitment__code", "report_kind", "pk"
    )


def irm_reports():
    return (
        IrmReport.objects.select_related("action_plan", "source")
        .prefetch_related(Prefetch("figures", queryset=IrmReportFigure.objects.order_by("pk")))
        .order_by("action_plan__cycle_year", "kind")
    )


def irm_report_figures():
    return IrmReportFigure.objects.order_by("report_id", "pk")


def state_participations():
    return StateParticipation.objects.select_related("state", "source").order_by(
        "state__inegi_code", "program", "pk"
    )


def institutions():
    return Institution.objects.select_related("state").order_by("name")


def policy_areas():
    return PolicyArea.objects.order_by("name_es", "name_en", "pk")


def sdg_targets():
    return SdgTarget.objects.order_by("goal", "code")


def meetings():
    return (
        Meeting.objects.select_related("space")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
        )
        .order_by("-date", "pk")
    )


def agreements():
    """Agreements; `is_overdue` is the model's own property (no query)."""
    return (
        Agreement.objects.select_related("meeting__space", "responsible")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("code")))
        .order_by("due_date", "pk")
    )


def metrica_editions():
    return MetricaEdition.objects.select_related("source").order_by("year")


def metrica_scores():
    return MetricaScore.objects.select_related("state", "edition", "source").order_by(
        "edition__year", "state__inegi_code", "pk"
    )


def commitment_indicators():
    return CommitmentIndicator.objects.select_related("commitment__action_plan__state").order_by(
        "commitment__code"
    )


NATION_NAME = "México"


def _with_scope_names(queryset):
    """Name and state code of each row's scope, as correlated subqueries (no N+1)."""
    plans = ActionPlan.objects.filter(pk=OuterRef("scope_id"))
    states_ = State.objects.filter(pk=OuterRef("scope_id"))
    return queryset.annotate(
        scope_name=Case(
            When(scope_kind=ScopeKind.PLAN, then=Subquery(plans.values("title")[:1])),
            When(scope_kind=ScopeKind.STATE, then=Subquery(states_.values("short_name")[:1])),
            default=Value(NATION_NAME),
            output_field=CharField(),
        ),
        scope_state=Case(
            When(
                scope_kind=ScopeKind.PLAN,
                then=Subquery(plans.values("state__inegi_code")[:1]),
            ),
            When(scope_kind=ScopeKind.STATE, then=Subquery(states_.values("inegi_code")[:1])),
            default=Value(None),
            output_field=CharField(),
        ),
    )


def scope_indicators():
    return _with_scope_names(ScopeIndicator.objects.all()).order_by("scope_kind", "scope_id", "pk")


def indicator_snapshots():
    return _with_scope_names(IndicatorSnapshot.objects.all()).order_by(
        "-date", "scope_kind", "scope_id", "pk"
    )


def alignments():
    return Alignment.objects.select_related(
        "local_commitment__action_plan__state", "national_commitment"
    ).order_by("local_commitment__code", "national_commitment__code")


def comments():
    """Every comment, deleted and hidden ones too: serializers show only what the pages show.

    The author's name and the organisation they wrote for come with the row; the
    commitment's code is the commitment's own or, for a milestone, its commitment's.
    """
    return (
        Comment.objects.select_related("author", "institution")
        .annotate(commitment_code=Coalesce(F("commitment__code"), F("milestone__commitment__code")))
        .order_by("created_at", "pk")
    )


def assessments():
    """Civil-society assessments (the current one of each organisation per record)."""
    return Assessment.objects.select_related("organisation", "commitment", "milestone").order_by(
        "-updated_at", "pk"
    )
