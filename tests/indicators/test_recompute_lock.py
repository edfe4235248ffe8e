"""Two recomputes on PostgreSQL never interleave: the later one reads what the earlier wrote."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from commitments.models import Milestone
from indicators.models import CommitmentIndicator
from indicators.services import recompute_all, recompute_commitments
from tests.factories import CommitmentFactory

from .helpers import Status, milestone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def waiting_on_the_recompute_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND wait_event = 'advisory' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_a_recompute_waits_for_the_one_in_progress_then_reads_the_newer_milestones():
    commitment = CommitmentFactory()
    step = milestone(commitment, status=Status.IN_PROGRESS, percent=10)
    recompute_all()
    first_has_written, release_first = threading.Event(), threading.Event()
    outcome = {}

    def first():  # a recompute that read the milestones before the edit below
        try:
            with transaction.atomic():
                recompute_commitments(commitment_ids=[commitment.pk])
                first_has_written.set()
                release_first.wait(10)
            outcome["first"] = "done"
        finally:
            connections.close_all()

    def second():  # the recompute requested by the edit
        try:
            outcome["second"] = recompute_commitments(commitment_ids=[commitment.pk])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first)]
    threads[0].start()
    assert first_has_written.wait(10)
    Milestone.objects.filter(pk=step.pk).update(percent_complete=70)
    threads.append(threading.Thread(target=second))
    threads[1].start()
    deadline, waited = time.monotonic() + 5, False
    while not waited and time.monotonic() < deadline:
        waited = waiting_on_the_recompute_lock() > 0
        time.sleep(0.05)
    release_first.set()
    for thread in threads:
        thread.join(15)

    assert waited, "the second recompute should wait for the first to commit"
    assert outcome == {"first": "done", "second": 1}
    assert CommitmentIndicator.objects.get(commitment=commitment).completion_percent == 70
