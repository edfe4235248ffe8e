from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def state_list(request):
    return render(
        request,
        "states/state_list.html",
        {"states": selectors.states_with_local_plan_counts()},
    )


@require_safe
def state_detail(request, slug):
    return render(request, "states/state_detail.html", {"page": selectors.state_page(slug=slug)})


@require_safe
def diagnostic(request):
    states = list(selectors.state_diagnostic())
    return render(
        request,
        "states/diagnostic.html",
        {
            "states": states,
            "summary": selectors.diagnostic_summary(states),
            "editions": selectors.metrica_editions(),
        },
    )


@require_safe
def alignment_matrix(request):
    all_national = request.GET.get("todos") == "1"
    return render(
        request,
        "states/alignment_matrix.html",
        {
            "matrix": selectors.alignment_matrix(all_national=all_national),
            "all_national": all_national,
        },
    )


@require_safe
def sdg_targets(request):
    return render(
        request, "states/sdg_targets.html", {"targets": selectors.sdg_targets_with_commitments()}
    )
