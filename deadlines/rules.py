"""Deadline rules as pure functions of stored facts and the clock.

Nothing here touches the database or reads the time: `now` is a parameter, so every rule can be
tested at a fixed instant. The periodic job (`deadlines.services.refresh_statuses`) applies the
same rules as set-based SQL; tests check that both agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .choices import DeadlineStatus

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class PostponementFact:
    """A postponement notice as far as the rules care: when it came, and what it promises."""

    received_on: date
    promised_date: date | None = None


@dataclass(frozen=True)
class DeadlineState:
    status: DeadlineStatus
    original_due_date: date | None
    due_date: date | None  # the date that counts now: after postponements, the promised/grace date
    days_left: int | None  # until due_date; negative when overdue; None when closed or undated
    days_late: int | None  # for answered_late: days after the due date that counted
    late_postponements: int  # notices that arrived after the due date they postponed


def local_date(now: date | datetime) -> date:
    """The calendar day in The Hague for an instant (deadlines are counted in Dutch days)."""
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(AMSTERDAM).date()
    return now


def due_date(letter_date: date | None, term_days: int | None, expected_on: date | None = None) -> date | None:
    """When the reply is due, before any postponement.

    'Binnen vier weken na dagtekening': the term counts from the letter's date. A verslag on a bill
    has no term (`term_days` None): it is due when the clerk expects the reply (`expected_on`), and
    while nobody expects it, never: it stays open until the reply arrives, growing older.
    """
    if term_days is None:
        return expected_on
    if letter_date is None:
        return None
    return letter_date + timedelta(days=term_days)


def age_days(letter_date: date | None, *, now: date | datetime) -> int | None:
    """How long a letter has waited for its reply: what an open verslag is listed by."""
    if letter_date is None:
        return None
    return (local_date(now) - letter_date).days


def waits_open_ended(status: str, *, due_date: date | None, term_days: int | None) -> bool:
    """A verslag without a term or an expected date, still waiting for its reply."""
    return status == DeadlineStatus.OPEN and due_date is None and term_days is None


def next_waiting_reminder(letter_date: date | None, *, now: date | datetime, every_days: int) -> date:
    """The next day an open-ended verslag is announced as still waiting: every `every_days` counted
    from its date, the first such day after today (a period from today when it is undated)."""
    today = local_date(now)
    if letter_date is None:
        return today + timedelta(days=every_days)
    periods = max((today - letter_date).days // every_days + 1, 1)
    return letter_date + timedelta(days=periods * every_days)


def promised_date(
    *, received_on: date, promised_date: date | None, promised_term_days: int | None
) -> date | None:
    """What a notice promises: a date, or a term ('binnen drie weken') counted from the notice."""
    if promised_date is not None:
        return promised_date
    if promised_term_days:
        return received_on + timedelta(days=promised_term_days)
    return None


def is_news(happened_on: date | None, *, now: date | datetime, news_days: int) -> bool:
    """A notice or answer is news while it is recent; one recorded long after its date (a backlog
    import) is history: subscribers hear the present state, not old events."""
    return happened_on is None or (local_date(now) - happened_on).days <= news_days


@dataclass(frozen=True)
class AttentionWindows:
    """What "needs attention" means on a given day, for the dashboard and its counts.

    Coming up: open letters due within two due-soon windows (so the week after next is seen before
    it is due soon); recently answered: answers of the last `answered_days` days.
    """

    today: date
    due_until: date
    answered_since: date


def attention_windows(
    now: date | datetime, *, due_soon_days: int, answered_days: int = 30
) -> AttentionWindows:
    today = local_date(now)
    return AttentionWindows(
        today=today,
        due_until=today + timedelta(days=2 * due_soon_days),
        answered_since=today - timedelta(days=answered_days),
    )


def calendar_since(now: date | datetime, *, past_days: int) -> date:
    """The earliest due date a calendar feed shows.

    A subscribed calendar is read around today: the weeks ahead and the recent past. Its client
    fetches the whole feed again every few hours, for every subscriber, so a deadline overdue for
    longer than `past_days` leaves the feed; it stays on the dashboard, in the deadline list and
    in the weekly reminder mail until it is answered.
    """
    return local_date(now) - timedelta(days=past_days)


def days_left(due_date: date | None, answered_on: date | None, *, now: date | datetime) -> int | None:
    """Days until a deadline's due date at `now`: negative when it is overdue (by that many days);
    None once answered or without a due date. Every page and export that says "days late" or
    "days left" counts them here."""
    if due_date is None or answered_on is not None:
        return None
    return (due_date - local_date(now)).days


def is_partial(answered_on: date | None, unanswered_questions: int) -> bool:
    """An answer came, and some questions it did not answer."""
    return answered_on is not None and unanswered_questions > 0


def days_overdue(days_left: int | None) -> int | None:
    """How many days late an unanswered deadline is, from its `days_left`; None while not late."""
    return -days_left if days_left is not None and days_left < 0 else None


def reply_days(asked: date | None, replied: date | None) -> int | None:
    """How long an answer took, counted from the letter's date."""
    if asked is None or replied is None:
        return None
    return (replied - asked).days


def postponed_due_date(postponement: PostponementFact, grace_days: int) -> date:
    """A notice promising a date moves the deadline there; 'zo spoedig mogelijk' gives a grace period."""
    if postponement.promised_date is not None:
        return postponement.promised_date
    return postponement.received_on + timedelta(days=grace_days)


def evaluate(
    *,
    letter_date: date | None,
    term_days: int | None,
    postponements: Sequence[PostponementFact] = (),
    answered_on: date | None = None,
    now: date | datetime,
    grace_days: int,
    due_soon_days: int = 7,
    expected_on: date | None = None,
) -> DeadlineState:
    """The status of a reply deadline at `now`.

    - An answer closes the deadline: on time when it came on or before the due date that counted
      (the postponed one, if the minister sent notice), late by N days otherwise.
    - A postponement makes the letter "postponed" (not "overdue without notice") until its promised
      date, or until `grace_days` after the notice when it promises none; after that it is overdue.
      The last notice received counts; each one that arrived after the due date it postponed is late.
    - Without notice: overdue the day after the due date, due soon within `due_soon_days` of it.
    - Without a term (a verslag on a bill) the due date is the one the clerk expects the reply by,
      if any (`due_date`); without that the letter stays open, never due soon or overdue, until
      the reply closes it, then always on time.
    Facts dated after `now` are ignored: the rules never look into the future.
    """
    today = local_date(now)
    original = due_date(letter_date, term_days, expected_on)
    due = original
    late_notices = 0
    known = sorted((p for p in postponements if p.received_on <= today), key=lambda p: p.received_on)
    for notice in known:
        if due is not None and notice.received_on > due:
            late_notices += 1
        due = postponed_due_date(notice, grace_days)

    if answered_on is not None and answered_on <= today:
        if due is not None and answered_on > due:
            return DeadlineState(
                DeadlineStatus.ANSWERED_LATE, original, due, None, (answered_on - due).days, late_notices
            )
        return DeadlineState(DeadlineStatus.ANSWERED, original, due, None, None, late_notices)

    if due is None:
        # An undated letter has no term to count (the clerk is asked for the date); a verslag
        # nobody expects a reply to by a date waits, open, for its reply.
        return DeadlineState(DeadlineStatus.OPEN, None, None, None, None, late_notices)

    days_left = (due - today).days
    if days_left < 0:
        status = DeadlineStatus.OVERDUE
    elif known:
        status = DeadlineStatus.POSTPONED
    elif days_left <= due_soon_days:
        status = DeadlineStatus.DUE_SOON
    else:
        status = DeadlineStatus.OPEN
    return DeadlineState(status, original, due, days_left, None, late_notices)
