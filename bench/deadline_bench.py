"""The deadline refresh job against hand-written SQL that does the same work, in one run.

    DATABASE_URL=postgres://... .venv/bin/python bench/deadline_bench.py [--letters 100000] [--rounds 5]

Builds that many open question letters with deadlines due from 33 days ago to 27 days ahead in a
throwaway test database, then, on identical data (reset between runs), times
- the job: `deadlines.services.refresh_deadlines` (claims, status changes, one event row per change,
  "due in N days" alert claims),
- the same job with the "due in N days" alerts switched off (status changes and their events only),
- the same work written by hand: one statement that sets the same statuses and inserts one event
  row per change (`WITH claimed AS (UPDATE ... RETURNING ...) INSERT ...`, the events' foreign key
  kept), and one such statement claiming the same "due in N days" alerts with their events,
and prints each (the best of the rounds: the machine is shared, and noise only ever adds time),
checks that both leave the same statuses and events, and ends with the ratio (target: at most 1.3).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def build(count: int, *, today) -> None:
    """`count` letters (bulk insert through the ORM, so new Letter columns keep working) and deadlines."""
    from django.db import connection

    from letters.choices import LetterKind
    from letters.models import Letter

    Letter.objects.bulk_create(
        (
            Letter(
                kind=LetterKind.QUESTIONS,
                chamber="EK",
                date=today - timedelta(days=n % 61 + 1),
                subject=f"B{n}",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO deadlines_deadline (letter_id, term_days, grace_days, original_due_date, due_date,"
            " status, late_postponements, unanswered_questions, updated_at)"
            " SELECT id, 28, 28, date + 28, date + 28, 'open', 0, 0, now() FROM letters_letter"
        )


def reset() -> None:
    """Every deadline open again, no events, and no dead rows left to slow the next run down."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE deadlines_delivery_events, deadlines_deadlineevent")
        cursor.execute(
            "UPDATE deadlines_deadline SET status = 'open', status_changed_at = NULL,"
            " alerted_days_before = NULL, next_reminder_on = NULL"
        )
        cursor.execute("VACUUM ANALYZE deadlines_deadline")
        cursor.execute("VACUUM ANALYZE deadlines_deadlineevent")


def run_job(now: datetime, *, alert_days: list[int]) -> tuple[float, dict[str, int]]:
    from django.test import override_settings

    from deadlines.services import refresh_deadlines

    with override_settings(GRIFFIE_ALERT_DAYS_BEFORE=alert_days):
        started = time.perf_counter()
        result = refresh_deadlines(now=now)
        return time.perf_counter() - started, result.changes


def run_same_work_sql(now: datetime, *, today, soon, next_reminder, alert_days: list[int]) -> float:
    """What the job does, as few hand-written statements as the work allows."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH claimed AS (UPDATE deadlines_deadline SET"
            " status = CASE WHEN due_date < %(today)s THEN 'overdue' ELSE 'due_soon' END,"
            " next_reminder_on = CASE WHEN due_date < %(today)s THEN %(reminder)s::date END,"
            " status_changed_at = %(now)s, updated_at = %(now)s"
            " WHERE status = 'open' AND due_date <= %(soon)s RETURNING id, status, due_date)"
            " INSERT INTO deadlines_deadlineevent"
            " (deadline_id, kind, from_status, to_status, due_date, days, created_at)"
            " SELECT id, 'status', 'open', status, due_date, due_date - %(today)s::date, %(now)s"
            " FROM claimed",
            {"today": today, "soon": soon, "reminder": next_reminder, "now": now},
        )
        if alert_days:
            # Each row is claimed for the smallest window it is in, as the job's claims do.
            windows = sorted(set(alert_days))
            level = " ".join(f"WHEN due_date <= %(today)s::date + {days} THEN {days}" for days in windows)
            cursor.execute(
                "WITH claimed AS (UPDATE deadlines_deadline SET"
                f" alerted_days_before = CASE {level} END, updated_at = %(now)s"
                " WHERE status IN ('open', 'due_soon', 'postponed')"
                " AND due_date >= %(today)s AND due_date <= %(today)s::date + %(widest)s"
                f" AND (alerted_days_before IS NULL OR alerted_days_before > CASE {level} END)"
                " RETURNING id, due_date)"
                " INSERT INTO deadlines_deadlineevent"
                " (deadline_id, kind, from_status, to_status, due_date, days, created_at)"
                " SELECT id, 'due_in', '', '', due_date, due_date - %(today)s::date, %(now)s FROM claimed",
                {"today": today, "now": now, "widest": windows[-1]},
            )
    return time.perf_counter() - started


def outcome() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The statuses, and the events by kind and new status: what both sides must leave behind."""
    from django.db.models import Count

    from deadlines.models import DeadlineEvent

    events = DeadlineEvent.objects.values_list("kind", "to_status").annotate(n=Count("id")).order_by()
    return status_counts(), {(kind, to): n for kind, to, n in events}


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    from deadlines.models import Deadline

    return dict(Deadline.objects.values_list("status").annotate(n=Count("id")).order_by())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "deadline_bench needs PostgreSQL: set DATABASE_URL=postgres://... (a test database is created)."
        )

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from deadlines import rules

    setup_test_environment()
    # Its own database, so a test run on the same server is not disturbed (nor disturbs this).
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_griffie_deadline_bench"
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        now = datetime.now(UTC)
        today = rules.local_date(now)
        soon = today + timedelta(days=settings.GRIFFIE_DUE_SOON_DAYS)
        next_reminder = today + timedelta(days=settings.GRIFFIE_OVERDUE_REMINDER_DAYS)
        started = time.perf_counter()
        build(args.letters, today=today)
        elapsed = time.perf_counter() - started
        print(f"built {args.letters} open letters with deadlines in {elapsed:.1f}s ({test_db})")

        alert_days = list(settings.GRIFFIE_ALERT_DAYS_BEFORE)
        times: dict[str, list[float]] = {"job": [], "sql": [], "status": [], "status_sql": []}
        events: dict[str, int] = {}
        for _ in range(args.rounds):
            for name, days in (("job", alert_days), ("status", [])):
                reset()
                seconds, changes = run_job(now, alert_days=days)
                times[name].append(seconds)
                job_outcome = outcome()
                events[name] = sum(job_outcome[1].values())
                reset()
                times[f"{name}_sql" if name == "status" else "sql"].append(
                    run_same_work_sql(
                        now, today=today, soon=soon, next_reminder=next_reminder, alert_days=days
                    )
                )
                if outcome() != job_outcome:
                    sys.exit(f"the job and the SQL disagree: {job_outcome} != {outcome()}")
        print(f"status changes: {dict(sorted(changes.items()))}; events recorded: {events}")
        best = {name: min(values) for name, values in times.items()}
        labels = {
            "job": "refresh job (statuses + alerts)",
            "sql": "the same work in SQL",
            "status": "refresh job, statuses only",
            "status_sql": "statuses and events in SQL",
        }
        for name, label in labels.items():
            rounds = ", ".join(f"{t:.3f}" for t in times[name])
            print(f"{label:<33} {best[name]:.3f}s  (rounds: {rounds})")
        print(f"ratio statuses-only job / same-work SQL: {best['status'] / best['status_sql']:.2f}")
        print(f"ratio job / same-work SQL: {best['job'] / best['sql']:.2f} (target <= 1.3)")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
