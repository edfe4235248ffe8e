from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from ogp_portal import permissions

from . import selectors
from .forms import CommitmentFilterForm

COMMITMENTS_PER_PAGE = 25


@require_safe
def action_plan_list(request):
    return render(
        request,
        "commitments/action_plan_list.html",
        {"action_plans": selectors.action_plans_with_commitment_counts()},
    )


@require_safe
def action_plan_detail(request, pk):
    plan = get_object_or_404(selectors.action_plans_with_commitment_counts(), pk=pk)
    return render(
        request,
        "commitments/action_plan_detail.html",
        {
            "plan": plan,
            "commitments": selectors.commitments_of_plan(plan),
            "irm_reports": selectors.irm_reports_of(plan),
        },
    )


@require_safe
def commitment_list(request):
    form = CommitmentFilterForm(
        request.GET,
        cycles=selectors.commitment_cycles(),
        areas=selectors.policy_areas_by_name(),
    )
    commitments = selectors.search_commitments(**form.filters())
    page = Paginator(commitments, COMMITMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "commitments": page.object_list,
        },
    )


@require_safe
def commitment_detail(request, code):
    commitment = get_object_or_404(selectors.commitments_with_full_record(), code=code)
    try:
        before = parse_datetime(request.GET.get("historial_antes", ""))
    except ValueError:
        before = None
    timeline, next_cursor = selectors.commitment_timeline(commitment, before=before)
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            # Stored by the recompute; None until it has run for this commitment.
            "indicator": getattr(commitment, "indicator", None),
            "can_edit": permissions.can_edit_commitment(request.user, commitment),
            "progress_reports": selectors.progress_reports_of(commitment),
            "timeline": timeline,
            "timeline_cursor": next_cursor,
            "timeline_is_older_page": before is not None,
        },
    )
