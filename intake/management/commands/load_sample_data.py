"""python manage.py load_sample_data — the quick start's sample letters and demo users.

The samples in fixtures/samples are our own texts; their dates are relative to today, so the
dashboard always has letters that are due soon, overdue, postponed and answered.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.management.base import BaseCommand
from django.utils import timezone

from deadlines.choices import SubscriptionScope
from deadlines.models import Subscription
from intake import imports
from letters.models import Letter
from letters.parser.dates import MONTHS

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"
DAYS_AGO = re.compile(r"\{d-(\d{1,4})\}")
MONTH_NAMES = {number: name for name, number in MONTHS.items()}
DEMO_USERS = (("griffier", "clerk"), ("medewerker", "staffer"))
DEMO_PASSWORD = "griffie-demo"


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def render(text: str, *, today: date) -> str:
    return DAYS_AGO.sub(lambda m: dutch_date(today - timedelta(days=int(m[1]))), text)


class Command(BaseCommand):
    help = "Load the sample letters (once) and, in DEBUG, demo users for the quick start."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="Date the samples are relative to.")

    def handle(self, *args, today: date | None = None, **options) -> None:
        # The events the import records happen now: a fixed hour would put them in the future
        # (or the past) beside the clerk's own corrections of the same morning.
        now = timezone.localtime()
        if today is not None:
            now = datetime.combine(today, now.time(), tzinfo=now.tzinfo)
        today = now.date()
        if settings.DEBUG:
            self.create_demo_users()
        if Letter.objects.exists():
            self.stdout.write("Letters already present; sample data not loaded again.")
            return
        for path in sorted(SAMPLES.glob("*.txt")):
            content = render(path.read_text(encoding="utf-8"), today=today).encode()
            source, _ = imports.store_upload(uploaded_file=File(io.BytesIO(content), name=path.name))
            summary = imports.import_source(source_id=source.pk, now=now)
            self.stdout.write(
                f"{path.name}: {summary.status}, {summary.letters} letters, {summary.questions} questions, "
                f"{summary.answers} answers, {summary.links} links"
            )

    def create_demo_users(self) -> None:
        users = get_user_model()
        if not users.objects.filter(username="admin").exists():
            users.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)
        for username, group in DEMO_USERS:
            user, created = users.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                # Every alert about every letter, so the console shows what subscribers receive.
                Subscription.objects.create(user=user, scope=SubscriptionScope.ALL)
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        self.stdout.write(
            f"Demo users (password '{DEMO_PASSWORD}'): "
            "admin (superuser), griffier (clerk), medewerker (staffer)."
        )
