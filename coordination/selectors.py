"""Reads about the coordination space shared by pages, calendar and feed.

Query counts are fixed whatever the number of members, meetings or agreements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from commitments.models import Institution

from .models import (
    AgendaItem,
    Agreement,
    CoordinationSpace,
    Meeting,
    Member,
    overdue_agreement,
)


def national_space() -> CoordinationSpace:
    """The national coordination space (MX0087 key action 2): the first one registered."""
    space = CoordinationSpace.objects.select_related("commitment").order_by("pk").first()
    if space is None:
        raise Http404("No coordination space has been registered.")
    return space


class _Overdue(TypedDict):
    overdue: bool


type FlaggedAgreement = WithAnnotations[Agreement, _Overdue]


def agreements_with_overdue_flag(*, today: date | None = None) -> QuerySet[FlaggedAgreement]:
    """Agreements with `overdue`: still open (pending or in progress) and past their due date."""
    today = today or timezone.localdate()
    return Agreement.objects.select_related("responsible", "meeting").annotate(
        overdue=Case(
            When(overdue_agreement(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@dataclass
class SpacePage:
    space: CoordinationSpace
    members: list[Member]
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]
    open_agreements: list[FlaggedAgreement]


def space_page(*, space: CoordinationSpace) -> SpacePage:
    """Current members with their representatives, upcoming and past meetings, open agreements."""
    today, now = timezone.localdate(), timezone.now()
    members = (
        Member.objects.filter(space=space)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("institution", "institution__state")
        .prefetch_related("representatives")
        .order_by("institution__name")
    )
    meetings = Meeting.objects.filter(space=space)
    return SpacePage(
        space=space,
        members=list(members),
        upcoming_meetings=list(meetings.filter(date__gte=now).order_by("date")),
        past_meetings=list(meetings.filter(date__lt=now).order_by("-date")),
        open_agreements=list(
            agreements_with_overdue_flag(today=today)
            .open()  # type: ignore[attr-defined]  # the stubs drop the custom QuerySet after annotate()
            .filter(meeting__space=space)
            .prefetch_related("commitments")
            .order_by("due_date", "pk")
        ),
    )


def meeting_with_record(pk: int) -> Meeting:
    """A meeting with its agenda, attendance, documents and agreements, in fixed queries."""
    return get_object_or_404(
        Meeting.objects.select_related("space").prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
            "attendees",
            "documents",
            Prefetch(
                "agreements",
                queryset=agreements_with_overdue_flag()
                .prefetch_related("commitments")
                .order_by("due_date", "pk"),
            ),
        ),
        pk=pk,
    )


def search_agreements(
    *, status: str = "", overdue: bool = False, responsible: Institution | None = None
) -> QuerySet[FlaggedAgreement]:
    """Agreements filtered by status, overdue-only and responsible institution."""
    agreements = agreements_with_overdue_flag().prefetch_related("commitments")
    if status:
        agreements = agreements.filter(status=status)
    if overdue:
        agreements = agreements.filter(overdue=True)
    if responsible:
        agreements = agreements.filter(responsible=responsible)
    return agreements.order_by("due_date", "pk")


def responsible_institutions() -> QuerySet[Institution]:
    """Institutions answering for at least one agreement, for the list's filter."""
    return Institution.objects.filter(coordination_agreements__isnull=False).distinct()


def calendar_meetings() -> QuerySet[Meeting]:
    """Every meeting with its agenda, for the iCal export."""
    return (
        Meeting.objects.select_related("space")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position"))
        )
        .order_by("date")
    )
