from django.shortcuts import render
from django.views.decorators.http import require_safe

from commitments.models import ActionPlan
from commitments.selectors import commitment_cycles
from states.models import State

from . import selectors
from .forms import SearchForm


@require_safe
def search_page(request):
    form = SearchForm(
        request.GET,
        plans=ActionPlan.objects.select_related("state").order_by("-cycle_year", "scope", "title"),
        states=State.objects.order_by("short_name"),
        cycles=commitment_cycles(),
    )
    results = None
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    if form.is_valid() and query:
        arguments = form.search_arguments()
        try:
            results = selectors.search(
                query,
                cursor=request.GET.get("cursor"),
                language=selectors.current_language(),
                **arguments,
            )
        except selectors.BadCursor:
            results = selectors.search(query, language=selectors.current_language(), **arguments)
    return render(request, "search/search.html", {"form": form, "results": results})
