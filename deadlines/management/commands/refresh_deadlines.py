"""Run the deadline refresh job once, for setups without Celery beat (cron, or by hand)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from deadlines.services import refresh_deadlines


class Command(BaseCommand):
    help = "Recompute deadline statuses and record alerts once; prints how many rows each step changed."

    def handle(self, *args, **options) -> None:
        result = refresh_deadlines(now=timezone.now())
        for label, count in sorted(result.changes.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"total: {result.total}")
