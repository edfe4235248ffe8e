"""The states' pages and the portal-wide pages over plans and states (home, diagnostic,
alignment, SDG): a face over the commitments, states and indicators apps (the `apps`
contract puts `states.views` and `states.urls` above indicators), so they may read all three."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from commitments import selectors as commitment_selectors
from indicators import selectors as indicator_selectors
from indicators.models import ScopeKind

from . import selectors


@require_safe
def home(request):
    return render(
        request,
        "commitments/home.html",
        {
            "counts": selectors.portal_counts(),
            "national_plans": commitment_selectors.national_action_plans_with_commitment_counts(),
        },
    )


@require_safe
def state_list(request):
    return render(
        request,
        "states/state_list.html",
        {"states": selectors.states_with_local_plan_counts()},
    )


@require_safe
def state_detail(request, slug):
    page = selectors.state_page(slug=slug)
    figures = indicator_selectors.plan_indicators(plan.pk for plan in page.plans)
    for plan in page.plans:
        plan.indicators = figures[plan.pk]  # for the template
    plans = indicator_selectors.plan_levels(sorted(page.plans, key=lambda plan: plan.cycle_year))
    snapshots = indicator_selectors.trend(kind=ScopeKind.STATE, scope_id=page.state.pk)
    name = page.state.short_name
    return render(
        request,
        "states/state_detail.html",
        {
            "page": page,
            "plans_chart": indicator_selectors.plans_chart(
                plans,
                id="grafica-planes",
                caption=_("Avance promedio de cada plan de acción local de %(state)s")
                % {"state": name},
            ),
            "trend_chart": indicator_selectors.trend_chart(
                snapshots,
                id="grafica-tendencia",
                caption=_("Tendencia de los compromisos locales de %(state)s") % {"state": name},
            ),
        },
    )


@require_safe
def diagnostic(request):
    states = selectors.with_standing(
        indicator_selectors.with_state_mean_completion(selectors.state_diagnostic())
    )
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
