"""Reads shared by the pages (and later the API): querysets whose query count
does not grow with the number of rows."""

from django.db.models import Count, Prefetch, Q

from states.models import State

from .models import ActionPlan, Commitment, Milestone, PolicyArea


def portal_counts():
    """The headline figures of the home page."""
    return {
        "national_plans": ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).count(),
        "commitments": Commitment.objects.count(),
        "states": State.objects.count(),
        "milestones": Milestone.objects.count(),
    }


def action_plans_with_commitment_counts():
    return ActionPlan.objects.select_related("state").annotate(
        commitment_count=Count("commitments")
    )


def national_action_plans_with_commitment_counts():
    return action_plans_with_commitment_counts().filter(scope=ActionPlan.Scope.NATIONAL)


def commitments_of_plan(plan):
    return plan.commitments.prefetch_related("policy_areas")


def commitment_cycles():
    """Cycle years that have at least one action plan, newest first."""
    return list(
        ActionPlan.objects.order_by("-cycle_year").values_list("cycle_year", flat=True).distinct()
    )


def policy_areas_by_name():
    """Policy areas sorted by the name the reader sees (which depends on the language)."""
    return sorted(PolicyArea.objects.all(), key=lambda area: area.name.casefold())


def search_commitments(*, cycle=None, area=None, q=""):
    """Commitments filtered by cycle year, policy area slug and a code or title search."""
    commitments = Commitment.objects.select_related("action_plan").prefetch_related("policy_areas")
    if cycle:
        commitments = commitments.filter(action_plan__cycle_year=cycle)
    if area:
        # The slug is unique, so this join yields each commitment at most once.
        commitments = commitments.filter(policy_areas__slug=area)
    if q:
        commitments = commitments.filter(
            Q(code__icontains=q) | Q(title_es__icontains=q) | Q(title_en__icontains=q)
        )
    return commitments


def commitments_with_full_record():
    """Commitments with everything the detail page shows, in a fixed number of queries."""
    return Commitment.objects.select_related("action_plan", "action_plan__state").prefetch_related(
        "lead_institutions",
        "support_institutions",
        "policy_areas",
        "sdg_targets",
        Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk")),
    )
