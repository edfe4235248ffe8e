"""Many editors saving progress at once, each their own milestone, for tests and the bench."""

import contextlib
import random
import threading
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from commitments.models import Milestone
from tests.commitments.worlds import PLAN_END, PLAN_START, progress_data
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MembershipFactory,
    MilestoneFactory,
    UserFactory,
)


def editors_with_a_milestone_each(count, *, prefix=""):
    """`count` government editors of one ministry, each with a commitment of their own."""
    ministry = InstitutionFactory(name=f"Secretaría con muchas personas editoras {prefix}")
    # One national plan per cycle: a second group of editors gets a plan of its own.
    plan = ActionPlanFactory(
        cycle_year=2031 if prefix else 2030, start_date=PLAN_START, end_date=PLAN_END
    )
    pairs = []
    for number in range(count):
        commitment = CommitmentFactory(code=f"MXE{prefix}{number:03d}", action_plan=plan)
        commitment.lead_institutions.add(ministry)
        milestone = MilestoneFactory(commitment=commitment, position=1, weight=1)
        user = MembershipFactory(
            user=UserFactory(username=f"editora{prefix}{number:02d}"),
            role=Role.GOVERNMENT_EDITOR,
            institution=ministry,
        ).user
        pairs.append((user, milestone))
    return pairs


@dataclass
class EditorRun:
    saves: int = 0
    statuses: list = field(default_factory=list)
    slowest: float = 0.0
    latencies: list = field(default_factory=list)
    last_percent: int | None = None
    errors: list = field(default_factory=list)


# The in-memory SQLite database of the test suite is shared between threads with
# table locks that do not wait: there, one request at a time (SQLite has one writer
# anyway). PostgreSQL takes the requests truly at once.
_one_at_a_time = threading.Lock()


def _turn():
    return _one_at_a_time if connection.vendor == "sqlite" else contextlib.nullcontext()


def edit_for(user, milestone, *, seconds, run):
    """Save the milestone's progress again and again for `seconds`, as a browser would."""
    client = Client()
    with _turn():
        client.force_login(user)
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])
    version = milestone.version
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            percent = random.randint(1, 99)
            data = progress_data(
                Milestone(pk=milestone.pk, version=version, weight=milestone.weight),
                percent_complete=percent,
            )
            started = time.monotonic()
            with _turn():
                response = client.post(url, data)
            run.latencies.append(time.monotonic() - started)
            run.slowest = max(run.slowest, run.latencies[-1])
            run.statuses.append(response.status_code)
            if response.status_code == 302:
                run.saves += 1
                run.last_percent = percent
                version += 1
    except Exception as error:  # noqa: BLE001 - reported by the caller
        run.errors.append(repr(error))
    finally:
        connection.close()


def editors_save_at_once(pairs, *, seconds):
    """All the editors save for `seconds` in threads of their own; one EditorRun each."""
    runs = [EditorRun() for _ in pairs]
    threads = [
        threading.Thread(
            target=edit_for, args=(user, milestone), kwargs={"seconds": seconds, "run": run}
        )
        for (user, milestone), run in zip(pairs, runs, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return runs
