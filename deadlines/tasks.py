"""Celery tasks, scheduled in `settings.CELERY_BEAT_SCHEDULE`: thin wrappers passing the clock."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import delivery, services


@shared_task
def refresh_deadlines() -> dict[str, int]:
    """Move deadlines on as time passes and record each change and alert as an event (safe to overlap)."""
    return services.refresh_deadlines(now=timezone.now()).changes


@shared_task
def deliver_alerts() -> dict[str, int]:
    """Turn new events into digests and send the pending ones (safe to overlap and to re-run)."""
    now = timezone.now()
    planned = delivery.plan_deliveries(now=now)
    return {"planned": planned, "sent": delivery.send_pending(now=now)}
