"""Alert email: new events become one digest per recipient, and digests are sent exactly once.

Two steps, each safe to run twice at once and after a crash:
1. `plan_deliveries` claims unplanned events with one conditional UPDATE (`planned_at IS NULL`) and, in
   the same transaction, creates one pending `Delivery` per recipient with the events it covers.
2. `send_pending` takes one pending digest at a time under `SELECT ... FOR UPDATE SKIP LOCKED`, sends
   it and marks it sent before committing. A worker killed mid-run leaves the digests it had not
   finished pending (its lock dies with its connection), so the next run sends exactly those.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.db import adapt_params

from . import rules
from .choices import ALERT_ORDER, AlertKind, DeadlineStatus, DeliveryStatus
from .models import AlertProfile, Deadline, DeadlineEvent, Delivery, Subscription
from .tokens import UNSUBSCRIBE, sign_id


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def plan_deliveries(*, now: datetime) -> int:
    """Claim every unplanned event and make one pending digest per recipient; returns digests made."""
    table = connection.ops.quote_name(DeadlineEvent._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET planned_at = %s WHERE planned_at IS NULL RETURNING id",
                adapt_params((now,)),
            )
            claimed = [row[0] for row in cursor.fetchall()]
        events = [
            event
            for event in DeadlineEvent.objects.filter(pk__in=claimed).select_related("deadline__letter")
            if event.alert is not None
        ]
        if not events:
            return 0
        per_user: dict[int, set[int]] = defaultdict(set)
        users: dict[int, AbstractBaseUser] = {}
        subscriptions = (
            Subscription.objects.filter(active=True, user__is_active=True)
            .exclude(user__email="")
            .select_related("user")
        )
        for subscription in subscriptions:
            for event in events:
                if event.alert in subscription.alerts and subscription.covers(event.deadline):
                    per_user[subscription.user_id].add(event.pk)
                    users[subscription.user_id] = subscription.user
        deliveries = Delivery.objects.bulk_create(
            Delivery(user=users[user_id], email=users[user_id].email, created_at=now) for user_id in per_user
        )
        Delivery.events.through.objects.bulk_create(
            Delivery.events.through(delivery_id=delivery.pk, deadlineevent_id=event_id)
            for delivery in deliveries
            for event_id in sorted(per_user[delivery.user_id])
        )
    return len(deliveries)


def send_pending(*, now: datetime) -> int:
    """Send every pending digest once; a digest the mail server refuses stays pending with its error."""
    if not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
        return 0
    sent = 0
    last_pk = 0
    with get_connection() as mail:
        while True:
            with transaction.atomic():
                delivery = (
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(status=DeliveryStatus.PENDING, pk__gt=last_pk)
                    .select_related("user")
                    .order_by("pk")
                    .first()
                )
                if delivery is None:
                    return sent
                last_pk = delivery.pk
                delivery.attempts += 1
                try:
                    digest_message(delivery, now=now, connection=mail).send()
                except (smtplib.SMTPException, OSError) as error:
                    # This recipient's server said no; the others still get theirs, this one retries.
                    delivery.last_error = f"{type(error).__name__}: {error}"
                    delivery.save(update_fields=["attempts", "last_error"])
                    continue
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = now
                delivery.last_error = ""
                delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
                sent += 1


@dataclass(frozen=True)
class DigestItem:
    """One alert line of a digest, with what a reader needs to act without opening the app."""

    alert: AlertKind
    event: DeadlineEvent
    deadline: Deadline
    days_left: int | None  # on the day the digest is sent; negative once overdue
    open_questions: int
    url: str
    age: int | None = None  # days since the letter's date, on the day the digest is sent

    @property
    def letter(self):
        return self.deadline.letter

    @property
    def days_overdue(self) -> int | None:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None

    @property
    def notice_days_late(self) -> int | None:
        return self.event.days if self.alert == AlertKind.POSTPONEMENT else None

    @property
    def answered_late(self) -> bool:
        return self.deadline.status == DeadlineStatus.ANSWERED_LATE


def digest_sections(delivery: Delivery, *, now: datetime) -> list[tuple[AlertKind, list[DigestItem]]]:
    """The digest's alerts grouped by kind, most urgent kind first, soonest due date first within."""
    today = rules.local_date(now)
    events = delivery.events.select_related(
        "letter",
        "deadline__letter__committee",
        "deadline__letter__dossier",
        "deadline__letter__minister",
    ).annotate(question_count=Count("deadline__letter__questions"))
    grouped: dict[AlertKind, list[DigestItem]] = defaultdict(list)
    for event in events:
        deadline = event.deadline
        alert = event.alert
        if alert is None:
            continue
        grouped[alert].append(
            DigestItem(
                alert=alert,
                event=event,
                deadline=deadline,
                days_left=deadline.days_left(now=today),
                open_questions=deadline.unanswered_questions
                if deadline.answered_on is not None
                else event.question_count,
                url=absolute_url(deadline.get_absolute_url()),
                age=rules.age_days(deadline.letter.date, now=today),
            )
        )
    return [
        (kind, sorted(grouped[kind], key=lambda item: (item.deadline.due_date or date.max, item.deadline.pk)))
        for kind in ALERT_ORDER
        if grouped[kind]
    ]


def recipient_language(user_id: int) -> str:
    language = AlertProfile.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def digest_message(delivery: Delivery, *, now: datetime, connection=None) -> EmailMultiAlternatives:
    """The digest email, rendered in the recipient's language, with a one-click unsubscribe link."""
    unsubscribe_url = absolute_url(
        reverse("deadlines:unsubscribe", args=[sign_id(delivery.user_id, purpose=UNSUBSCRIBE)])
    )
    with translation.override(recipient_language(delivery.user_id)):
        sections = digest_sections(delivery, now=now)
        context = {
            "user": delivery.user,
            "sections": sections,
            "count": sum(len(items) for _, items in sections),
            "today": rules.local_date(now),
            "site_url": settings.SITE_URL,
            "list_url": absolute_url(reverse("deadlines:list")),
            "manage_url": absolute_url(reverse("deadlines:subscriptions")),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = " ".join(render_to_string("deadlines/email/digest_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("deadlines/email/digest.txt", context),
            to=[delivery.email],
            connection=connection,
            headers={
                # RFC 8058: mail clients may offer a button that POSTs to this address.
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(render_to_string("deadlines/email/digest.html", context), "text/html")
    return message
