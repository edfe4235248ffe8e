"""The progress history feed: commitments' and milestones' history rows as one stream.

The two django-simple-history tables are read separately (each with its own
keyset condition, LIMIT and joins) and merged in Python, newest first, so a page
costs two queries whatever the length of the history. The order is
(history_date, kind, history_id), descending; a cursor is the position of the
last row served.

Who made a change is published only as their role and institution (from their
membership): never their name, user name or e-mail.
"""

import base64
import binascii
import datetime
import heapq
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Role

# The order of kinds at equal history_date (descending): milestones first.
KINDS = ("milestone", "commitment")
RANK = {"commitment": 0, "milestone": 1}
CHANGE = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Position:
    history_date: datetime.datetime
    kind: str
    history_id: int

    def encode(self):
        raw = urlencode({"d": self.history_date.isoformat(), "k": self.kind, "i": self.history_id})
        return base64.urlsafe_b64encode(raw.encode()).decode()

    @classmethod
    def decode(cls, text):
        """The position in a cursor, or ValueError."""
        try:
            raw = base64.urlsafe_b64decode(text.encode("ascii")).decode()
        except (binascii.Error, UnicodeError) as error:
            raise ValueError(text) from error
        values = dict(parse_qsl(raw, keep_blank_values=True))
        if set(values) != {"d", "k", "i"} or values["k"] not in RANK:
            raise ValueError(text)
        try:
            moment = parse_datetime(values["d"])
            history_id = int(values["i"])
        except (ValueError, OverflowError) as error:
            raise ValueError(text) from error
        if moment is None or not 0 < history_id < 2**63:
            raise ValueError(text)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
            moment = moment.astimezone(datetime.UTC)
        except (ValueError, OverflowError) as error:
            raise ValueError(text) from error
        return cls(moment, values["k"], history_id)

    def rows_after(self, kind):
        """A Q selecting the rows of `kind` that come after this position."""
        if RANK[kind] < RANK[self.kind]:
            return Q(history_date__lte=self.history_date)
        if RANK[kind] > RANK[self.kind]:
            return Q(history_date__lt=self.history_date)
        # The leading `lte` is implied by the rest; it is there for the database: a range
        # of the history_date index, where the OR alone filters every newer row (a cursor
        # 100,000 rows deep read 100,000 rows to skip them).
        return Q(history_date__lte=self.history_date) & (
            Q(history_date__lt=self.history_date)
            | Q(history_date=self.history_date, history_id__lt=self.history_id)
        )


def sort_key(event):
    return (event.history_date, RANK[event.kind], event.history_id)


@dataclass(frozen=True)
class ProgressEvent:
    """One history row, in the shape of the API and CSV."""

    kind: str
    history_id: int
    history_date: datetime.datetime
    change: str
    commitment: str
    milestone: int | None
    milestone_title: str | None
    status: str | None
    percent_complete: int | None
    version: int
    changes: dict
    editor_role: str | None
    editor_institution: str | None

    @property
    def id(self):
        return f"{self.kind}-{self.history_id}"

    @property
    def position(self):
        return Position(self.history_date, self.kind, self.history_id)


# The columns an event reads, as values() lookups: no model instances for a page.
EDITOR = (
    "history_user_id",
    "history_user__is_staff",
    "history_user__is_superuser",
    "history_user__membership__id",
    "history_user__membership__role",
    "history_user__membership__institution_id",
    "history_user__membership__institution__name",
)
COMMON = ("history_id", "history_date", "history_type", "version", "changes", *EDITOR)
LOOKUPS = {
    "milestone": (*COMMON, "id", "title", "status", "percent_complete", "commitment__code"),
    "commitment": (*COMMON, "code"),
}


def editor_of(row):
    """(role, institution name) of the person behind a history row, or (None, None)."""
    if row["history_user_id"] is None:
        return None, None
    if row["history_user__membership__id"] is None:
        staff = row["history_user__is_staff"] or row["history_user__is_superuser"]
        return (Role.STAFF if staff else None), None
    institution = row["history_user__membership__institution__name"]
    if row["history_user__membership__institution_id"] is None:
        institution = None
    return row["history_user__membership__role"], institution


def event_from(kind, row):
    role, institution = editor_of(row)
    if kind == "milestone":
        commitment = row["commitment__code"]
        milestone = (row["id"], row["title"], row["status"], row["percent_complete"])
    else:
        commitment = row["code"]
        milestone = (None, None, None, None)
    return ProgressEvent(
        kind,
        row["history_id"],
        row["history_date"],
        CHANGE.get(row["history_type"], "changed"),
        commitment,
        *milestone,
        row["version"],
        row["changes"],
        role,
        institution,
    )


def page(querysets, *, after=None, size):
    """The `size` newest events after a position, and whether more follow (one query per kind)."""
    events = []
    for kind in KINDS:
        queryset = querysets[kind]
        if after is not None:
            queryset = queryset.filter(after.rows_after(kind))
        rows = queryset.values(*LOOKUPS[kind])[: size + 1]
        events.extend(event_from(kind, row) for row in rows)
    events.sort(key=sort_key, reverse=True)
    return events[:size], len(events) > size


def stream(querysets, *, chunk_size=2000):
    """Every event, newest first, in constant memory (for CSV)."""

    def events(kind):
        for row in querysets[kind].values(*LOOKUPS[kind]).iterator(chunk_size=chunk_size):
            yield event_from(kind, row)

    return heapq.merge(*(events(kind) for kind in KINDS), key=sort_key, reverse=True)
