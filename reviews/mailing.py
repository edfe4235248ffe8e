"""Mail the notification outbox: each unsent row once, immediate ones alone, daily as a digest.

Rows are claimed inside a transaction with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL,
so two workers never take the same row, and marked sent in that same transaction. A
retried or duplicated task finds nothing unsent and mails nothing. (A crash between the
mail leaving and the commit can still send one twice: at-least-once, never lost.)
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.outbox import claim, portal_url
from ogp_portal.user_text import single_line

from .models import Delivery, Notification

BATCH_SIZE = 500


def _unsent(delivery):
    rows = (
        Notification.objects.filter(delivery=delivery, sent_at__isnull=True)
        .select_related("event", "recipient")
        .order_by("recipient_id", "event__created_at", "pk")
    )
    return claim(rows)


def send_immediate(*, batch_size=BATCH_SIZE):
    """Mail every unsent immediate notice, one e-mail each; returns how many were sent."""
    sent = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        rows = list(_unsent(Delivery.IMMEDIATE)[:batch_size])
        for row in rows:
            event = row.event
            body = render_to_string(
                "reviews/email/notification.txt",
                {"event": event, "url": portal_url(event.path), "recipient": row.recipient},
            )
            send_mail(
                subject=_("[Estado Abierto] %(title)s") % {"title": single_line(event.title)},
                message=body,
                from_email=None,
                recipient_list=[row.recipient.email],
            )
            sent += 1
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return sent


def send_daily_digests(*, batch_size=BATCH_SIZE * 10):
    """Mail each person who chose the daily digest one e-mail with all their unsent notices."""
    sent = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        rows = list(_unsent(Delivery.DAILY)[:batch_size])
        by_recipient = defaultdict(list)
        for row in rows:
            by_recipient[row.recipient].append(row.event)
        for recipient, events in by_recipient.items():
            body = render_to_string(
                "reviews/email/digest.txt",
                {
                    "events": [(event, portal_url(event.path)) for event in events],
                    "recipient": recipient,
                },
            )
            send_mail(
                subject=_("[Estado Abierto] Resumen diario: %(count)d avisos")
                % {"count": len(events)},
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
            sent += 1
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return sent
