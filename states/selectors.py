"""Reads about the federal entities shared by pages and API."""

from django.db.models import Count, Q

from commitments.models import ActionPlan

from .models import State


def states_with_local_plan_counts():
    return State.objects.annotate(
        local_plan_count=Count("action_plans", filter=Q(action_plans__scope=ActionPlan.Scope.STATE))
    )
