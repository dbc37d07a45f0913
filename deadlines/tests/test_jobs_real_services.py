"""The jobs against the real services: PostgreSQL, a Celery worker on the Redis broker, an SMTP server.

These tests commit (`transactional_db`): worker threads and subprocesses only see committed rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import close_old_connections, connection, connections
from django.db.models import Count
from django.utils import timezone

from deadlines import rules
from deadlines.choices import DeadlineStatus, DeliveryStatus, SubscriptionScope
from deadlines.models import Deadline, DeadlineEvent, Delivery, EventKind
from deadlines.services import refresh_deadlines
from deadlines.tasks import deliver_alerts
from deadlines.tasks import refresh_deadlines as refresh_task
from letters.choices import LetterKind
from letters.models import Letter

from .conftest import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REPO = settings.BASE_DIR


def open_deadlines(count: int, *, today) -> list[Deadline]:
    """`count` open deadlines due from 20 days ago to 20 days ahead, stored as if synced long ago."""
    letters = Letter.objects.bulk_create(
        Letter(kind=LetterKind.QUESTIONS, date=today - timedelta(days=28 + 20 - n % 41), subject=f"Brief {n}")
        for n in range(count)
    )
    return Deadline.objects.bulk_create(
        Deadline(
            letter=letter,
            term_days=28,
            grace_days=28,
            original_due_date=letter.date + timedelta(days=28),
            due_date=letter.date + timedelta(days=28),
            status=DeadlineStatus.OPEN,
        )
        for letter in letters
    )


def run_in_threads(target, count: int) -> list:
    """Run `target` in `count` threads released together; each thread has and closes its own connection."""
    barrier = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(target())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


def test_two_refreshes_at_once_record_each_transition_once():
    today = rules.local_date(timezone.now())
    open_deadlines(4000, today=today)
    now = at(today)
    results = run_in_threads(lambda: refresh_deadlines(now=now), 2)

    per_row = (
        DeadlineEvent.objects.values("deadline", "kind", "from_status", "to_status")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(per_row) == []
    expected = Counter()
    for deadline in Deadline.objects.select_related("letter"):
        state = rules.evaluate(letter_date=deadline.letter.date, term_days=28, now=now, grace_days=28)
        assert deadline.status == state.status
        if state.status != DeadlineStatus.OPEN:
            expected[f"open->{state.status}"] += 1
    merged = Counter()
    for result in results:
        merged.update(result.changes)
    status_changes = {label: n for label, n in merged.items() if "->" in label}
    assert status_changes == dict(expected)
    assert DeadlineEvent.objects.filter(kind=EventKind.STATUS).count() == sum(expected.values())
    # Each "due in N days" window alerted once per row, whichever run claimed it.
    assert DeadlineEvent.objects.filter(kind=EventKind.DUE_IN).count() == sum(
        n for label, n in merged.items() if label.startswith("due_in")
    )


def test_two_deliveries_at_once_send_each_digest_once(smtp_server, make_user, make_letter):
    today = rules.local_date(timezone.now())
    open_deadlines(300, today=today)
    for n in range(12):
        make_user(f"clerk{n}", scope=SubscriptionScope.ALL)
    refresh_deadlines(now=timezone.now())

    def deliver() -> dict[str, int]:
        close_old_connections()
        return deliver_alerts()

    results = run_in_threads(deliver, 2)
    assert sum(result["planned"] for result in results) == 12
    assert sum(result["sent"] for result in results) == 12
    assert sorted(smtp_server.recipients) == sorted(f"clerk{n}@example.org" for n in range(12))


@pytest.mark.redis
def test_worker_refreshes_and_delivers_on_the_broker(celery_worker, smtp_server, make_user):
    today = rules.local_date(timezone.now())
    open_deadlines(200, today=today)
    make_user("clerk", language="en", scope=SubscriptionScope.ALL)

    changes = refresh_task.delay().get(timeout=60)
    assert changes["open->overdue"] == Deadline.objects.filter(status=DeadlineStatus.OVERDUE).count() > 0
    assert refresh_task.delay().get(timeout=60) == {}  # nothing left to change today

    assert deliver_alerts.delay().get(timeout=60) == {"planned": 1, "sent": 1}
    assert deliver_alerts.delay().get(timeout=60) == {"planned": 0, "sent": 0}
    [message] = smtp_server.messages
    assert message["To"] == "clerk@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "Overdue (" in text and "Due in a few days (" in text


def database_url() -> str:
    """The test database's address, for a subprocess that must use the same rows."""
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    host = f"{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    return f"postgres://{conf['USER']}{password}@{host}/{conf['NAME']}"


@pytest.mark.redis
def test_delivery_killed_half_way_is_finished_by_the_next_run_without_repeats(
    celery_worker, smtp_server, make_user
):
    today = rules.local_date(timezone.now())
    open_deadlines(50, today=today)
    recipients = [f"clerk{n}@example.org" for n in range(6)]
    for n in range(6):
        make_user(f"clerk{n}", scope=SubscriptionScope.ALL)
    refresh_deadlines(now=timezone.now())

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_BACKEND": "deadlines.tests.slow_smtp.SlowEmailBackend",
        "SLOW_SMTP_SECONDS": "1.5",
    }
    code = "import django; django.setup(); from deadlines.tasks import deliver_alerts; deliver_alerts()"
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while len(smtp_server.messages) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the third digest is committed as sent; the fourth waits in the slow backend
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert len(smtp_server.messages) == 3
    time.sleep(0.5)  # PostgreSQL ends the dead session and frees its row lock

    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    assert deliver_alerts.delay().get(timeout=60) == {"planned": 0, "sent": 3}
    assert sorted(smtp_server.recipients) == recipients  # each exactly once
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
