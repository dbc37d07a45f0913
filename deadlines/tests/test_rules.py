"""The deadline rules at fixed instants, at their edges."""

from datetime import UTC, date, datetime

import pytest

from deadlines import rules
from deadlines.choices import DeadlineStatus as S
from deadlines.rules import PostponementFact, due_date, evaluate, local_date

D = date


@pytest.mark.parametrize(
    ("letter_date", "term", "expected"),
    [
        (D(2025, 6, 24), 28, D(2025, 7, 22)),  # seed 000: vier weken na 24 juni
        (D(2025, 1, 31), 28, D(2025, 2, 28)),  # across a month end
        (D(2024, 2, 1), 28, D(2024, 2, 29)),  # leap day is a real day
        (D(2023, 2, 1), 28, D(2023, 3, 1)),  # no leap day
        (D(2024, 12, 20), 21, D(2025, 1, 10)),  # across the year end, Kamervragen term
        (D(2025, 7, 1), 28, D(2025, 7, 29)),  # summer recess does not stop the clock
        (None, 28, None),  # undated letter: no guess
    ],
)
def test_due_date_counts_calendar_days_from_the_letter_date(letter_date, term, expected):
    assert due_date(letter_date, term) == expected


LETTER = D(2025, 6, 24)  # due 2025-07-22 with a 28-day term

# (case, postponements, answered_on, today, status, due, days_left, days_late, late_notices)
CASES = [
    ("well before the due date", [], None, D(2025, 6, 25), S.OPEN, D(2025, 7, 22), 27, None, 0),
    ("eight days before is still open", [], None, D(2025, 7, 14), S.OPEN, D(2025, 7, 22), 8, None, 0),
    ("seven days before is due soon", [], None, D(2025, 7, 15), S.DUE_SOON, D(2025, 7, 22), 7, None, 0),
    (
        "on the due date is due soon, not overdue",
        [],
        None,
        D(2025, 7, 22),
        S.DUE_SOON,
        D(2025, 7, 22),
        0,
        None,
        0,
    ),
    (
        "the day after the due date is overdue",
        [],
        None,
        D(2025, 7, 23),
        S.OVERDUE,
        D(2025, 7, 22),
        -1,
        None,
        0,
    ),
    (
        "answer on the due date is on time",
        [],
        D(2025, 7, 22),
        D(2025, 8, 1),
        S.ANSWERED,
        D(2025, 7, 22),
        None,
        None,
        0,
    ),
    ("answer a day late", [], D(2025, 7, 23), D(2025, 8, 1), S.ANSWERED_LATE, D(2025, 7, 22), None, 1, 0),
    (
        "answer not yet known at now is ignored",
        [],
        D(2025, 7, 20),
        D(2025, 7, 19),
        S.DUE_SOON,
        D(2025, 7, 22),
        3,
        None,
        0,
    ),
    (
        "notice without a date: postponed until the grace period ends",
        [PostponementFact(D(2025, 7, 9))],
        None,
        D(2025, 7, 30),
        S.POSTPONED,
        D(2025, 8, 6),
        7,
        None,
        0,
    ),
    (
        "notice without a date: overdue again after the grace period",
        [PostponementFact(D(2025, 7, 9))],
        None,
        D(2025, 8, 7),
        S.OVERDUE,
        D(2025, 8, 6),
        -1,
        None,
        0,
    ),
    (
        "notice with a promised date moves the due date there",
        [PostponementFact(D(2025, 7, 9), D(2025, 9, 30))],
        None,
        D(2025, 9, 30),
        S.POSTPONED,
        D(2025, 9, 30),
        0,
        None,
        0,
    ),
    (
        "notice after the due date is late and still postpones",
        [PostponementFact(D(2025, 7, 25))],
        None,
        D(2025, 7, 26),
        S.POSTPONED,
        D(2025, 8, 22),
        27,
        None,
        1,
    ),
    (
        "the last of several notices counts",
        [PostponementFact(D(2025, 7, 9), D(2025, 8, 1)), PostponementFact(D(2025, 7, 31), D(2025, 9, 1))],
        None,
        D(2025, 8, 15),
        S.POSTPONED,
        D(2025, 9, 1),
        17,
        None,
        0,
    ),
    (
        "a notice not yet received at now does not count",
        [PostponementFact(D(2025, 7, 30))],
        None,
        D(2025, 7, 29),
        S.OVERDUE,
        D(2025, 7, 22),
        -7,
        None,
        0,
    ),
    (
        "answer within the postponed date is on time",
        [PostponementFact(D(2025, 7, 9))],
        D(2025, 8, 6),
        D(2025, 11, 24),
        S.ANSWERED,
        D(2025, 8, 6),
        None,
        None,
        0,
    ),
    (
        "seed 000: notice 9 July, answer 19 November is late",
        [PostponementFact(D(2025, 7, 9))],
        D(2025, 11, 19),
        D(2025, 11, 24),
        S.ANSWERED_LATE,
        D(2025, 8, 6),
        None,
        105,
        0,
    ),
]


@pytest.mark.parametrize(
    ("postponements", "answered_on", "today", "status", "due", "days_left", "days_late", "late_notices"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_evaluate_at_fixed_instants(
    postponements, answered_on, today, status, due, days_left, days_late, late_notices
):
    state = evaluate(
        letter_date=LETTER,
        term_days=28,
        postponements=postponements,
        answered_on=answered_on,
        now=today,
        grace_days=28,
        due_soon_days=7,
    )
    assert (state.status, state.due_date, state.days_left, state.days_late, state.late_postponements) == (
        status,
        due,
        days_left,
        days_late,
        late_notices,
    )
    assert state.original_due_date == D(2025, 7, 22)


def test_undated_letter_stays_open_without_a_due_date():
    state = evaluate(letter_date=None, term_days=28, now=D(2025, 1, 1), grace_days=28)
    assert (state.status, state.due_date, state.days_left) == (S.OPEN, None, None)


def test_leap_day_due_date_is_overdue_on_first_of_march():
    kwargs = {"letter_date": D(2024, 2, 1), "term_days": 28, "grace_days": 28}
    assert evaluate(now=D(2024, 2, 29), **kwargs).status == S.DUE_SOON
    assert evaluate(now=D(2024, 3, 1), **kwargs).status == S.OVERDUE


def test_now_as_instant_uses_the_dutch_calendar_day():
    # 23:30 UTC on 22 July is already 23 July in The Hague (CEST, UTC+2).
    late_evening = datetime(2025, 7, 22, 23, 30, tzinfo=UTC)
    assert local_date(late_evening) == D(2025, 7, 23)
    state = evaluate(letter_date=LETTER, term_days=28, now=late_evening, grace_days=28)
    assert state.status == S.OVERDUE


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2025, 7, 22, 12, 0))


def test_attention_windows_look_two_due_soon_windows_ahead_across_a_month_end():
    windows = rules.attention_windows(date(2028, 2, 20), due_soon_days=7)
    assert (windows.today, windows.due_until, windows.answered_since) == (
        date(2028, 2, 20),
        date(2028, 3, 5),  # 2028 is a leap year: 29 February counts
        date(2028, 1, 21),
    )


def test_a_promise_is_a_date_or_a_term_counted_from_the_notice():
    received = date(2025, 7, 9)
    assert rules.promised_date(
        received_on=received, promised_date=date(2025, 8, 1), promised_term_days=21
    ) == (date(2025, 8, 1))
    assert rules.promised_date(received_on=received, promised_date=None, promised_term_days=21) == date(
        2025, 7, 30
    )
    assert rules.promised_date(received_on=received, promised_date=None, promised_term_days=None) is None


def test_a_reply_is_news_for_the_news_window_after_its_date_and_history_after():
    now = datetime(2025, 7, 23, 9, tzinfo=rules.AMSTERDAM)
    assert rules.is_news(date(2025, 7, 9), now=now, news_days=14)
    assert not rules.is_news(date(2025, 7, 8), now=now, news_days=14)
    assert rules.is_news(None, now=now, news_days=14)  # undated: the clerk's entry is the news


def test_calendar_feeds_start_their_window_on_a_dutch_day():
    # 23:30 UTC on 24 June is already 25 June in The Hague.
    assert rules.calendar_since(datetime(2025, 6, 24, 23, 30, tzinfo=UTC), past_days=90) == D(2025, 3, 27)


# --- a verslag on a bill: no term, open until the reply arrives -------------------------------

VERSLAG = D(2024, 3, 1)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2024, 3, 1), S.OPEN),  # the day it is vastgesteld
        (D(2025, 3, 1), S.OPEN),  # a year later: older, never due soon or overdue
        (D(2030, 1, 1), S.OPEN),
    ],
)
def test_verslag_without_expected_date_stays_open_however_old(today, status):
    state = evaluate(letter_date=VERSLAG, term_days=None, now=today, grace_days=14)
    assert (state.status, state.due_date, state.days_left) == (status, None, None)


def test_verslag_answered_without_expected_date_is_answered_on_time_however_late():
    state = evaluate(
        letter_date=VERSLAG, term_days=None, answered_on=D(2025, 3, 1), now=D(2025, 3, 2), grace_days=14
    )
    assert (state.status, state.days_late) == (S.ANSWERED, None)


@pytest.mark.parametrize(
    ("today", "answered_on", "status", "days_left", "days_late"),
    [
        (D(2024, 4, 1), None, S.OPEN, 14, None),  # expected 15 April: open until the window
        (D(2024, 4, 8), None, S.DUE_SOON, 7, None),
        (D(2024, 4, 15), None, S.DUE_SOON, 0, None),  # on the expected day: not yet overdue
        (D(2024, 4, 16), None, S.OVERDUE, -1, None),
        (D(2024, 4, 20), D(2024, 4, 15), S.ANSWERED, None, None),
        (D(2024, 4, 20), D(2024, 4, 17), S.ANSWERED_LATE, None, 2),
    ],
)
def test_verslag_with_an_expected_date_is_due_on_it(today, answered_on, status, days_left, days_late):
    state = evaluate(
        letter_date=VERSLAG,
        term_days=None,
        expected_on=D(2024, 4, 15),
        answered_on=answered_on,
        now=today,
        grace_days=14,
    )
    assert (state.status, state.due_date, state.days_left, state.days_late) == (
        status,
        D(2024, 4, 15),
        days_left,
        days_late,
    )


def test_a_term_wins_over_an_expected_date_and_an_undated_verslag_may_still_be_expected():
    assert due_date(VERSLAG, 28, D(2024, 12, 1)) == D(2024, 3, 29)
    assert due_date(None, None, D(2024, 12, 1)) == D(2024, 12, 1)
    assert due_date(None, None) is None


def test_age_of_an_open_verslag_counts_dutch_days():
    assert rules.age_days(VERSLAG, now=datetime(2024, 3, 31, 23, 30, tzinfo=UTC)) == 31  # 1 April in NL
    assert rules.age_days(None, now=D(2024, 3, 31)) is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 3, 1), D(2024, 3, 29)),  # the day it is vastgesteld: four weeks on
        (D(2024, 3, 28), D(2024, 3, 29)),
        (D(2024, 3, 29), D(2024, 4, 26)),  # on a reminder day the next one is four weeks on
        (D(2024, 6, 1), D(2024, 6, 21)),  # imported late: the next four-week mark after today
    ],
)
def test_next_waiting_reminder_counts_periods_from_the_verslag(today, expected):
    assert rules.next_waiting_reminder(VERSLAG, now=today, every_days=28) == expected


def test_only_an_open_verslag_without_a_due_date_waits():
    assert rules.waits_open_ended(S.OPEN, due_date=None, term_days=None)
    assert not rules.waits_open_ended(S.OPEN, due_date=D(2024, 4, 15), term_days=None)
    assert not rules.waits_open_ended(S.OPEN, due_date=None, term_days=28)  # an undated question letter
    assert not rules.waits_open_ended(S.ANSWERED, due_date=None, term_days=None)
