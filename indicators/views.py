from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from states.mexico_map import mexico_map

from . import selectors
from .forms import DashboardForm


@require_safe
def dashboard(request):
    """The national dashboard: levels per cycle, a trend, the map and a card per state."""
    form = DashboardForm(request.GET or None, scopes=selectors.trend_scopes())
    scope, map_mode = form.choices()
    cycles = selectors.national_plans_by_cycle()
    snapshots = selectors.trend(kind=scope.kind, scope_id=scope.scope_id)
    states = selectors.state_figures(mode=map_mode)
    outlines = mexico_map()
    for row in states:
        row.outline = outlines.outlines.get(row.state.inegi_code)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "form": form,
            "nation": selectors.nation_indicator(),
            "cycles": cycles,
            "levels": selectors.levels(),
            "cycles_chart": selectors.levels_chart(
                cycles,
                id="grafica-ciclos",
                caption=_("Compromisos nacionales por nivel de cumplimiento y ciclo"),
                row_header=_("Ciclo"),
                label_of=lambda row: str(row.plan.cycle_year),
            ),
            "scope": scope,
            "snapshots": snapshots,
            "trend_chart": selectors.trend_chart(
                snapshots,
                id="grafica-tendencia",
                caption=_("Tendencia: %(scope)s") % {"scope": scope.label},
            ),
            "states": states,
            "map_mode": map_mode,
            "map_view_box": outlines.view_box,
            "legend": selectors.legend(states, mode=map_mode),
        },
    )
