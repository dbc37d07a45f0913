"""python manage.py run_schedule — the beat schedule, run in this process (the quick start's beat).

Without a broker the quick start runs tasks in-process; this runs the periodic ones the same way,
at the times `settings.CELERY_BEAT_SCHEDULE` gives, so a newcomer sees alert mails in the console.
With a broker, use `celery -A config beat` and a worker instead.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.celery import app


class Command(BaseCommand):
    help = "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (quick start, no broker)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every task once now, then stop.")

    def handle(self, *args, once: bool = False, **options) -> None:
        app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
        schedule = settings.CELERY_BEAT_SCHEDULE
        # The first run happens at once: a fresh quick start shows its alerts without waiting.
        last_run: dict[str, datetime | None] = dict.fromkeys(schedule)
        while True:
            for name, entry in schedule.items():
                previous = last_run[name]
                if previous is None or entry["schedule"].is_due(previous).is_due:
                    last_run[name] = timezone.now()
                    result = app.tasks[entry["task"]].apply().get()
                    self.stdout.write(f"{timezone.localtime():%H:%M} {name}: {result}")
            if once:
                return
            time.sleep(30)
