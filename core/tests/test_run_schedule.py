"""The quick start's in-process beat runs the scheduled jobs, so alerts reach the console."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from deadlines.choices import DeadlineStatus, SubscriptionScope
from deadlines.models import Deadline, Subscription
from deadlines.services import sync_deadline
from letters.choices import LetterKind
from letters.models import Letter

pytestmark = pytest.mark.django_db


def test_run_schedule_once_runs_every_beat_task_and_mails_the_alerts(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = get_user_model().objects.create_user("griffier", "griffier@example.org", "pw")
    Subscription.objects.create(user=user, scope=SubscriptionScope.ALL)
    today = timezone.localdate()
    letter = Letter.objects.create(kind=LetterKind.QUESTIONS, chamber="EK", date=today - timedelta(days=27))
    sync_deadline(letter=letter, now=timezone.now() - timedelta(days=2))  # open when last looked at
    out = io.StringIO()

    call_command("run_schedule", "--once", stdout=out)

    assert Deadline.objects.get().status == DeadlineStatus.DUE_SOON
    assert [message.to for message in mail.outbox] == [["griffier@example.org"]]
    assert set(settings.CELERY_BEAT_SCHEDULE) <= {
        line.split()[1].rstrip(":") for line in out.getvalue().splitlines()
    }
