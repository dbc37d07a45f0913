import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline, DeadlineEvent
from intake.management.commands.load_sample_data import dutch_date, render
from letters.choices import ImportStatus
from letters.models import Letter, SourceDocument

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


def test_sample_dates_are_written_the_dutch_way_relative_to_today():
    assert dutch_date(date(2024, 2, 29)) == "29 februari 2024"
    assert render("Den Haag, {d-2}", today=TODAY) == "Den Haag, 28 februari 2026"


def test_sample_data_shows_every_kind_of_deadline(settings):
    settings.DEBUG = True
    call_command("load_sample_data", today=TODAY)
    assert set(SourceDocument.objects.values_list("status", flat=True)) == {ImportStatus.IMPORTED}
    statuses = {
        source.original_name: Deadline.objects.get(letter__source=source).status
        for source in SourceDocument.objects.all()
    }
    assert statuses == {
        "ek-brief-defensie.txt": DeadlineStatus.OVERDUE,
        "ek-brief-klimaat.txt": DeadlineStatus.DUE_SOON,
        "ek-bundel-jeugdzorg.txt": DeadlineStatus.POSTPONED,
        "ek-bundel-wonen.txt": DeadlineStatus.ANSWERED,
        "tk-kamervragen-asiel.txt": DeadlineStatus.ANSWERED,
    }
    assert get_user_model().objects.get(username="griffier").groups.filter(name="clerk").exists()


def test_sample_data_is_loaded_once(settings):
    call_command("load_sample_data", today=TODAY)
    letters = Letter.objects.count()
    call_command("load_sample_data", today=TODAY)
    assert Letter.objects.count() == letters > 0


def test_the_sample_imports_events_happen_when_the_samples_are_loaded_not_at_a_fixed_hour():
    before = timezone.now()
    call_command("load_sample_data", stdout=io.StringIO())
    after = timezone.now()

    times = set(DeadlineEvent.objects.values_list("created_at", flat=True))
    assert times and all(before <= moment <= after for moment in times)


def test_the_quick_starts_demo_clerk_gets_the_sample_alerts_on_the_first_scheduled_run(settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_sample_data", stdout=io.StringIO())

    call_command("run_schedule", "--once", stdout=io.StringIO())

    recipients = {address for message in mail.outbox for address in message.to}
    assert {"griffier@example.org", "medewerker@example.org"} <= recipients
