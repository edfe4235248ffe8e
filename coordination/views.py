from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def space(request):
    return render(request, "coordination/space.html", {})
