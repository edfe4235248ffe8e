"""Reads behind the public API and the open-data export.

Each function returns a queryset shaped so that serializing any number of
rows costs a fixed number of queries (select_related for foreign keys,
prefetch_related for many-to-many), whatever the page size.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    Milestone,
    PolicyArea,
    SdgTarget,
)
from coordination.models import Meeting
from states.models import State


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
        ActionPlan.objects.select_related("state")
        .annotate(commitment_count=count_of(Commitment, "action_plan"))
        .order_by("-cycle_year", "title", "pk")
    )


def commitments(*, with_milestones=False):
    queryset = (
        Commitment.objects.select_related("action_plan__state")
        .prefetch_related(
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


def progress_events():
    """The progress history feed.

    Until issue 3 adds history rows, each milestone's latest state is one
    event dated by its `updated_at`; the feed's shape stays the same when the
    source switches to the history table.
    """
    return milestones().order_by("-updated_at", "-pk")


def states():
    return State.objects.order_by("inegi_code")


def institutions():
    return Institution.objects.select_related("state").order_by("name")


def policy_areas():
    return PolicyArea.objects.order_by("name_es", "name_en", "pk")


def sdg_targets():
    return SdgTarget.objects.order_by("goal", "code")


def meetings():
    return Meeting.objects.select_related("space").order_by("-date", "pk")


def alignments():
    return Alignment.objects.select_related(
        "local_commitment__action_plan__state", "national_commitment"
    ).order_by("local_commitment__code", "national_commitment__code")
