"""The refresh job: set-based transitions that agree with the rules, alerts claimed once."""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from deadlines.choices import DeadlineStatus as S
from deadlines.models import Deadline, DeadlineEvent, EventKind
from deadlines.services import refresh_deadlines, settle_deadlines, sync_deadline
from letters.choices import LetterKind
from letters.models import Letter

from .conftest import at

D = date


def build_random_deadlines(make_letter, rng: random.Random, count: int, *, known_on: date) -> None:
    """Letters with random dates, terms, notices and answers, all known (and synced) on `known_on`."""
    for n in range(count):
        letter_date = known_on - timedelta(days=rng.randint(0, 70))
        letter = make_letter(letter_date, term_days=rng.choice([None, 21, 28]), subject=f"Brief {n}")
        sync_deadline(letter=letter, now=at(known_on))
        for _ in range(rng.choice([0, 0, 1, 2])):
            received = letter_date + timedelta(days=rng.randint(1, 60))
            if received > known_on:
                break
            promised = received + timedelta(days=rng.randint(5, 40)) if rng.random() < 0.5 else None
            notice = Letter.objects.create(
                kind=LetterKind.POSTPONEMENT, date=received, in_reply_to=letter, promised_date=promised
            )
            settle_deadlines(replies=[notice], now=at(known_on))
        if rng.random() < 0.2:
            answered = letter_date + timedelta(days=rng.randint(5, 60))
            if answered <= known_on:
                reply = Letter.objects.create(kind=LetterKind.ANSWER, date=answered, in_reply_to=letter)
                settle_deadlines(replies=[reply], now=at(known_on))


def assert_job_agrees_with_rules(today: date) -> None:
    mismatches = []
    for deadline in Deadline.objects.select_related("letter").prefetch_related("postponements"):
        state = deadline.evaluate(now=at(today))
        if (deadline.status, deadline.due_date) != (state.status, state.due_date):
            mismatches.append((deadline.letter.subject, deadline.status, state.status, state.due_date))
    assert mismatches == []


def test_refreshed_statuses_equal_the_rules_at_every_later_day(make_letter):
    known_on = D(2025, 9, 1)
    build_random_deadlines(make_letter, random.Random(20250901), 120, known_on=known_on)
    for offset in (0, 1, 3, 7, 8, 14, 21, 30, 45, 90):
        today = known_on + timedelta(days=offset)
        refresh_deadlines(now=at(today))
        assert_job_agrees_with_rules(today)


def test_each_transition_is_recorded_once_with_from_and_to(make_letter):
    letter = make_letter(D(2025, 6, 24))  # due 22 July
    deadline = sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    for day in (D(2025, 7, 14), D(2025, 7, 15), D(2025, 7, 15), D(2025, 7, 23), D(2025, 7, 24)):
        refresh_deadlines(now=at(day))
    transitions = list(
        deadline.events.filter(kind=EventKind.STATUS)
        .order_by("pk")
        .values_list("from_status", "to_status", "due_date", "days")
    )
    assert transitions == [
        ("", S.OPEN, D(2025, 7, 22), 27),
        (S.OPEN, S.DUE_SOON, D(2025, 7, 22), 7),
        (S.DUE_SOON, S.OVERDUE, D(2025, 7, 22), -1),
    ]


def test_a_job_that_missed_days_moves_open_straight_to_overdue(make_letter):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 6, 25)))
    result = refresh_deadlines(now=at(D(2025, 8, 1)))
    deadline.refresh_from_db()
    assert deadline.status == S.OVERDUE
    assert result.changes["open->overdue"] == 1
    assert deadline.events.filter(kind=EventKind.STATUS, from_status=S.OPEN, to_status=S.OVERDUE).count() == 1


def test_postponed_deadline_becomes_overdue_after_the_grace_period(make_letter):
    letter = make_letter(D(2025, 6, 24))
    deadline = sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    notice = Letter.objects.create(kind=LetterKind.POSTPONEMENT, date=D(2025, 7, 9), in_reply_to=letter)
    settle_deadlines(replies=[notice], now=at(D(2025, 7, 10)))  # zo spoedig mogelijk
    refresh_deadlines(now=at(D(2025, 8, 6)))
    deadline.refresh_from_db()
    assert (deadline.status, deadline.due_date) == (S.POSTPONED, D(2025, 8, 6))
    refresh_deadlines(now=at(D(2025, 8, 7)))
    deadline.refresh_from_db()
    assert deadline.status == S.OVERDUE


def test_late_notice_is_recorded_as_late_and_postpones(make_letter):
    letter = make_letter(D(2025, 6, 24))
    deadline = sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    refresh_deadlines(now=at(D(2025, 7, 25)))
    notice = Letter.objects.create(
        kind=LetterKind.POSTPONEMENT, date=D(2025, 7, 25), in_reply_to=letter, promised_term_days=21
    )
    settle_deadlines(replies=[notice], now=at(D(2025, 7, 26)))
    postponement = notice.postponement
    deadline.refresh_from_db()
    event = deadline.events.get(kind=EventKind.POSTPONEMENT)
    assert postponement.late and deadline.late_postponements == 1
    assert (deadline.status, deadline.due_date, deadline.next_reminder_on) == (
        S.POSTPONED,
        D(2025, 8, 15),
        None,
    )
    assert (event.due_date, event.days) == (D(2025, 8, 15), 3)  # promised date; notice three days late


@override_settings(GRIFFIE_ALERT_DAYS_BEFORE=[7, 1])
def test_due_in_alerts_fire_once_per_window_and_again_for_a_new_due_date(make_letter):
    letter = make_letter(D(2025, 6, 24))  # due 22 July
    deadline = sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    for day in (D(2025, 7, 14), D(2025, 7, 15), D(2025, 7, 16), D(2025, 7, 21), D(2025, 7, 21)):
        refresh_deadlines(now=at(day))
    due_in = list(
        deadline.events.filter(kind=EventKind.DUE_IN).order_by("pk").values_list("due_date", "days")
    )
    assert due_in == [(D(2025, 7, 22), 7), (D(2025, 7, 22), 1)]

    notice = Letter.objects.create(
        kind=LetterKind.POSTPONEMENT, date=D(2025, 7, 21), in_reply_to=letter, promised_date=D(2025, 8, 1)
    )
    settle_deadlines(replies=[notice], now=at(D(2025, 7, 21)))
    refresh_deadlines(now=at(D(2025, 7, 31)))
    refresh_deadlines(now=at(D(2025, 7, 31)))
    due_in = list(
        deadline.events.filter(kind=EventKind.DUE_IN).order_by("pk").values_list("due_date", "days")
    )
    # The run on 31 July is inside both windows for 1 August: only the nearer alert is made.
    assert due_in[2:] == [(D(2025, 8, 1), 1)]


@override_settings(GRIFFIE_ALERT_DAYS_BEFORE=[])
def test_due_in_alerts_can_be_switched_off(make_letter):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 6, 25)))
    refresh_deadlines(now=at(D(2025, 7, 21)))
    assert not deadline.events.filter(kind=EventKind.DUE_IN).exists()


def test_a_late_first_run_alerts_only_the_nearest_window(make_letter):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 6, 25)))
    refresh_deadlines(now=at(D(2025, 7, 21)))
    assert list(deadline.events.filter(kind=EventKind.DUE_IN).values_list("days", flat=True)) == [1]


@override_settings(GRIFFIE_OVERDUE_REMINDER_DAYS=7)
def test_overdue_reminder_repeats_weekly_and_a_missed_week_collapses(make_letter):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 6, 25)))
    days = [D(2025, 7, 23), D(2025, 7, 29), D(2025, 7, 30), D(2025, 7, 30), D(2025, 8, 6), D(2025, 8, 30)]
    for day in days:
        refresh_deadlines(now=at(day))
    reminders = list(
        deadline.events.filter(kind=EventKind.REMINDER).order_by("pk").values_list("created_at", "days")
    )
    assert [(created.date(), days) for created, days in reminders] == [
        (D(2025, 7, 30), -8),
        (D(2025, 8, 6), -15),
        (D(2025, 8, 30), -39),
    ]


def test_answered_deadline_gets_no_further_alerts(make_letter):
    letter = make_letter(D(2025, 6, 24))
    sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    reply = Letter.objects.create(kind=LetterKind.ANSWER, date=D(2025, 7, 1), in_reply_to=letter)
    settle_deadlines(replies=[reply], now=at(D(2025, 7, 1)))
    before = DeadlineEvent.objects.count()
    for day in (D(2025, 7, 21), D(2025, 8, 30)):
        assert refresh_deadlines(now=at(day)).total == 0
    assert DeadlineEvent.objects.count() == before


def test_second_run_at_the_same_instant_changes_nothing(make_letter):
    for offset in range(30):
        sync_deadline(letter=make_letter(D(2025, 6, 1) + timedelta(days=offset)), now=at(D(2025, 6, 30)))
    first = refresh_deadlines(now=at(D(2025, 7, 10)))
    events = DeadlineEvent.objects.count()
    assert first.total > 0
    assert refresh_deadlines(now=at(D(2025, 7, 10))).total == 0
    assert DeadlineEvent.objects.count() == events


def test_management_command_runs_the_job_once_and_prints_counts(make_letter):
    sync_deadline(letter=make_letter(D(2020, 1, 6)), now=at(D(2020, 1, 7)))
    out = StringIO()
    call_command("refresh_deadlines", stdout=out)
    assert out.getvalue().splitlines() == ["open->overdue: 1", "total: 1"]


@override_settings(GRIFFIE_ALERT_DAYS_BEFORE=[7, 1], GRIFFIE_DUE_SOON_DAYS=7)
def test_a_row_entering_due_soon_and_a_window_in_one_run_gets_both_events_once(make_letter):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 6, 25)))  # due 22 July
    result = refresh_deadlines(now=at(D(2025, 7, 15)))
    assert result.changes == {"open->due_soon": 1, "due_in:7": 1}
    events = list(
        deadline.events.exclude(from_status="", kind=EventKind.STATUS)
        .order_by("pk")
        .values_list("kind", "from_status", "to_status", "due_date", "days")
    )
    assert events == [
        (EventKind.STATUS, S.OPEN, S.DUE_SOON, D(2025, 7, 22), 7),
        (EventKind.DUE_IN, "", "", D(2025, 7, 22), 7),
    ]
    deadline.refresh_from_db()
    assert (deadline.status, deadline.alerted_days_before, deadline.next_reminder_on) == (S.DUE_SOON, 7, None)
    assert deadline.status_changed_at == at(D(2025, 7, 15))
    assert refresh_deadlines(now=at(D(2025, 7, 15))).total == 0
    assert refresh_deadlines(now=at(D(2025, 7, 16))).total == 0
    assert refresh_deadlines(now=at(D(2025, 7, 21))).changes == {"due_in:1": 1}
    assert deadline.events.filter(kind=EventKind.DUE_IN).count() == 2


@override_settings(GRIFFIE_ALERT_DAYS_BEFORE=[7, 1])
def test_a_lowered_due_soon_setting_moves_back_to_open_and_still_alerts(make_letter, settings):
    deadline = sync_deadline(letter=make_letter(D(2025, 6, 24)), now=at(D(2025, 7, 16)))  # due soon
    settings.GRIFFIE_DUE_SOON_DAYS = 3
    assert refresh_deadlines(now=at(D(2025, 7, 16))).changes == {"due_soon->open": 1, "due_in:7": 1}
    deadline.refresh_from_db()
    assert (deadline.status, deadline.alerted_days_before) == (S.OPEN, 7)


@override_settings(GRIFFIE_WAITING_REMINDER_DAYS=28)
def test_open_verslag_is_announced_as_waiting_every_four_weeks_until_answered(make_letter):
    verslag = make_letter(D(2025, 3, 1), kind=LetterKind.VERSLAG)
    deadline = sync_deadline(letter=verslag, now=at(D(2025, 3, 10)))
    assert (deadline.status, deadline.due_date, deadline.next_reminder_on) == (S.OPEN, None, D(2025, 3, 29))
    for day in (D(2025, 3, 28), D(2025, 3, 29), D(2025, 3, 30), D(2025, 4, 26), D(2025, 5, 20)):
        refresh_deadlines(now=at(day))
    waiting = deadline.events.filter(kind=EventKind.WAITING).order_by("pk")
    assert [event.created_at.date() for event in waiting] == [D(2025, 3, 29), D(2025, 4, 26)]
    assert all(event.alert == "waiting" for event in waiting)
    # never overdue, however old; the nota closes it and the reminders stop
    assert Deadline.objects.get(pk=deadline.pk).status == S.OPEN
    nota = Letter.objects.create(kind=LetterKind.NOTA, date=D(2025, 5, 21), in_reply_to=verslag)
    settle_deadlines(replies=[nota], now=at(D(2025, 5, 21)))
    assert refresh_deadlines(now=at(D(2025, 8, 1))).total == 0


def test_verslag_with_an_expected_date_gets_due_and_overdue_alerts_not_waiting_ones(make_letter):
    verslag = make_letter(D(2025, 3, 1), kind=LetterKind.VERSLAG, expected_reply_on=D(2025, 4, 15))
    deadline = sync_deadline(letter=verslag, now=at(D(2025, 3, 10)))
    for day in (D(2025, 4, 8), D(2025, 4, 16), D(2025, 5, 1)):
        refresh_deadlines(now=at(day))
    kinds = set(deadline.events.values_list("kind", flat=True))
    assert EventKind.WAITING not in kinds and EventKind.DUE_IN in kinds
    assert Deadline.objects.get(pk=deadline.pk).status == S.OVERDUE
