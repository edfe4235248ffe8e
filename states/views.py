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
