"""Writes to deadlines: open one for a question letter, record notices and answers, keep status true.

Every function takes the clock as `now=` so behaviour at any instant can be tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min

from core.db import adapt_params
from dossiers.choices import Chamber
from letters.choices import ANSWERING_KINDS, ASKING_KINDS, DELAYING_KINDS, LetterKind
from letters.models import Letter

from . import rules
from .choices import DeadlineStatus
from .models import Deadline, DeadlineEvent, EventKind, Postponement


def default_term_days(letter: Letter) -> int | None:
    """Kamervragen get three weeks, Eerste Kamer committee letters four (both configurable); a
    verslag on a bill none: it is open until the reply arrives (`rules.due_date`)."""
    if letter.kind == LetterKind.VERSLAG:
        return None
    if letter.chamber == Chamber.TK:
        return settings.GRIFFIE_TERM_DAYS_TK
    return settings.GRIFFIE_TERM_DAYS_EK


def default_grace_days(letter: Letter) -> int:
    if letter.chamber == Chamber.TK:
        return settings.GRIFFIE_POSTPONEMENT_GRACE_DAYS_TK
    return settings.GRIFFIE_POSTPONEMENT_GRACE_DAYS_EK


def as_instant(now: date | datetime) -> datetime:
    if isinstance(now, datetime):
        return now
    return datetime(now.year, now.month, now.day, 12, tzinfo=rules.AMSTERDAM)


def open_deadline(*, letter: Letter) -> Deadline:
    """The question letter's deadline row, locked; created with the letter's term if it has none."""
    deadline, _ = Deadline.objects.select_for_update().get_or_create(
        letter=letter,
        defaults={
            "term_days": letter.term_days or default_term_days(letter),
            "grace_days": default_grace_days(letter),
        },
    )
    deadline.letter = letter
    return deadline


def sync_deadline(*, letter: Letter, now: date | datetime) -> Deadline:
    """Create or update the deadline of one question letter from what is stored (`settle_deadlines`
    for that letter alone). Safe to call any number of times: it writes an event only when the
    status really changes."""
    if letter.kind not in ASKING_KINDS:
        raise ValueError(
            f"letter {letter.pk} is a {letter.kind} letter; only question letters and verslagen"
            " have deadlines"
        )
    return settle_deadlines(questions=[letter], now=now)[letter.pk]


def _evaluate(deadline: Deadline, *, now: date | datetime) -> Deadline:
    """Bring an open (locked) deadline to what its letter's facts say at `now`."""
    letter = deadline.letter
    if letter.term_days:
        deadline.term_days = letter.term_days
    elif letter.kind == LetterKind.VERSLAG or deadline.term_days is None:
        # corrected to or from a verslag: its term is none, a question letter's the default
        deadline.term_days = default_term_days(letter)
    answers = letter.replies.filter(kind__in=ANSWERING_KINDS)
    first_answer = answers.aggregate(first=Min("date"))["first"]
    deadline.answered_on = first_answer
    deadline.unanswered_questions = (
        letter.questions.filter(answers__isnull=True).count() if first_answer else 0
    )
    apply_state(deadline, deadline.evaluate(now=now, due_soon_days=settings.GRIFFIE_DUE_SOON_DAYS), now=now)
    return deadline


def apply_state(deadline: Deadline, state: rules.DeadlineState, *, now: date | datetime) -> None:
    """Store what the rules say, and record a status change as an event row."""
    previous = deadline.status if deadline.pk and deadline.status_changed_at else ""
    if state.due_date != deadline.due_date:
        # A new due date deserves its own "due in N days" alerts.
        deadline.alerted_days_before = None
    deadline.original_due_date = state.original_due_date
    deadline.due_date = state.due_date
    deadline.days_late = state.days_late
    deadline.late_postponements = state.late_postponements
    changed = previous != state.status
    deadline.status = state.status
    if changed:
        deadline.status_changed_at = as_instant(now)
        # Flagged overdue now: the overdue alert is this event; the weekly reminders start a week on.
        deadline.next_reminder_on = (
            rules.local_date(now) + timedelta(days=settings.GRIFFIE_OVERDUE_REMINDER_DAYS)
            if state.status == DeadlineStatus.OVERDUE
            else None
        )
    if deadline.next_reminder_on is None and rules.waits_open_ended(
        state.status, due_date=state.due_date, term_days=deadline.term_days
    ):
        deadline.next_reminder_on = rules.next_waiting_reminder(
            deadline.letter.date, now=now, every_days=settings.GRIFFIE_WAITING_REMINDER_DAYS
        )
    deadline.save()
    if changed:
        DeadlineEvent.objects.create(
            deadline=deadline,
            kind=EventKind.STATUS,
            from_status=previous,
            to_status=state.status,
            due_date=state.due_date,
            days=state.days_late if state.days_late is not None else state.days_left,
            created_at=as_instant(now),
        )


@transaction.atomic
def settle_deadlines(
    *, questions: Iterable[Letter] = (), replies: Iterable[Letter] = (), now: date | datetime
) -> dict[int, Deadline]:
    """Decide, once, what one import or correction did to the deadlines it touched.

    `questions` are question letters whose facts may have changed (new, corrected); `replies` are
    notices and answers that were recorded or (re)linked, each replying to its `in_reply_to`.
    Facts are written first (a postponement row per notice), then each affected deadline is
    evaluated exactly once, so its one status event goes from the state it had before to the state
    its facts give now: no event records a state that never held, such as "overdue" for a letter
    whose postponement came in the same file. Last, each reply is announced once; a reply recorded
    long after its date is history, not news (`rules.is_news`), and is not mailed.
    Returns the deadlines by question letter id.
    """
    targets: dict[int, Letter] = {letter.pk: letter for letter in questions if letter.kind in ASKING_KINDS}
    arrived = [
        reply
        for reply in replies
        if reply.in_reply_to is not None
        and reply.in_reply_to.kind in ASKING_KINDS
        and reply.kind in (*ANSWERING_KINDS, *DELAYING_KINDS)
    ]
    for reply in arrived:
        targets.setdefault(reply.in_reply_to_id, reply.in_reply_to)
    deadlines = {pk: open_deadline(letter=targets[pk]) for pk in sorted(targets)}
    notice_days_late = {
        reply.pk: _record_postponement(deadline=deadlines[reply.in_reply_to_id], notice=reply, now=now)
        for reply in arrived
        if reply.kind in DELAYING_KINDS
    }
    for deadline in deadlines.values():
        _evaluate(deadline, now=now)
    for reply in arrived:
        _announce(
            deadline=deadlines[reply.in_reply_to_id],
            reply=reply,
            days=notice_days_late.get(reply.pk),
            now=now,
        )
    return deadlines


def _record_postponement(*, deadline: Deadline, notice: Letter, now: date | datetime) -> int | None:
    """The notice as a fact the rules read: when it came, what it promises, whether it came late.

    Returns how many days after the due date then in force the notice came, if it came late."""
    received_on = notice.received_on or notice.date or rules.local_date(now)
    others = [
        rules.PostponementFact(p.received_on, p.promised_date)
        for p in deadline.postponements.exclude(letter=notice)
    ]
    # The due date in force when the notice arrived: a notice after it is a late notice.
    due_then = rules.evaluate(
        letter_date=deadline.letter.date or deadline.letter.received_on,
        term_days=deadline.term_days,
        expected_on=deadline.letter.expected_reply_on,
        postponements=others,
        now=received_on,
        grace_days=deadline.grace_days,
    ).due_date
    late = due_then is not None and received_on > due_then
    Postponement.objects.update_or_create(
        letter=notice,
        defaults={
            "deadline": deadline,
            "received_on": received_on,
            "promised_date": rules.promised_date(
                received_on=received_on,
                promised_date=notice.promised_date,
                promised_term_days=notice.promised_term_days,
            ),
            "late": late,
        },
    )
    return (received_on - due_then).days if late else None


def _announce(*, deadline: Deadline, reply: Letter, days: int | None, now: date | datetime) -> None:
    """One event per notice or answer, however often it is recorded; old news is kept, not mailed."""
    happened_on = reply.received_on or reply.date
    news = rules.is_news(happened_on, now=now, news_days=settings.GRIFFIE_NEWS_DAYS)
    if reply.kind in DELAYING_KINDS:
        # A late notice is both a postponement and late: keep how late it was.
        kind, due_date = EventKind.POSTPONEMENT, reply.postponement.promised_date
    else:
        kind, due_date = EventKind.ANSWER, deadline.due_date
    DeadlineEvent.objects.get_or_create(
        deadline=deadline,
        kind=kind,
        letter=reply,
        defaults={
            "due_date": due_date,
            "days": days,
            "created_at": as_instant(now),
            "planned_at": None if news else as_instant(now),
        },
    )


@dataclass(frozen=True)
class Claim:
    """One conditional UPDATE of the refresh job and the event each row it changes gets.

    `where`/`assign` are SQL over the deadline table with %s placeholders. The UPDATE both claims and
    changes its rows: a row matches only while it is still in the old state, so of two runs at the
    same time only one can change a row (PostgreSQL re-checks the WHERE after waiting for the row
    lock; SQLite has one writer at a time) and only that run records the event.
    """

    kind: EventKind
    where: str
    where_params: tuple
    assign: str
    assign_params: tuple
    from_status: str = ""
    to_status: str = ""


@dataclass(frozen=True)
class RefreshResult:
    changes: dict[str, int]  # "open->overdue": 12, "due_in:7": 3, "reminder": 2

    @property
    def total(self) -> int:
        return sum(self.changes.values())


def refresh_claims(*, now: datetime) -> list[Claim]:
    """The time-driven transitions of `rules.evaluate`, as claims on the stored status and due date.

    Facts (postponements, answers) change only through `settle_deadlines`; what time alone changes is:
    open/due soon/postponed -> overdue after the due date, open <-> due soon around the due-soon
    window. Each source status has its own statement so every event knows its `from` status; their
    WHERE clauses are disjoint, so no row moves twice in one run.

    Alerts use the same mechanism (one conditional UPDATE per kind, no extra lock table):
    - "due in N days" for N in GRIFFIE_ALERT_DAYS_BEFORE: the row is claimed by lowering
      `alerted_days_before` to N while its due date is within N days but further than the next
      smaller N, so each window alerts once per due date and a missed run catches up;
      `settle_deadlines` clears the field when a postponement moves the due date.
    - the weekly reminder while overdue: claimed by moving `next_reminder_on` a period forward once
      it has come; `settle_deadlines`/this job set it a period after the row became overdue.
    """
    today = rules.local_date(now)
    soon = today + timedelta(days=settings.GRIFFIE_DUE_SOON_DAYS)
    next_reminder = today + timedelta(days=settings.GRIFFIE_OVERDUE_REMINDER_DAYS)
    touched = "status_changed_at = %s, updated_at = %s"
    to_overdue = f"status = %s, next_reminder_on = %s, {touched}"
    claims = [
        Claim(
            EventKind.STATUS,
            "status = %s AND due_date < %s",
            (source, today),
            to_overdue,
            (DeadlineStatus.OVERDUE, next_reminder, now, now),
            source,
            DeadlineStatus.OVERDUE,
        )
        for source in (DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON, DeadlineStatus.POSTPONED)
    ]
    claims += [
        Claim(
            EventKind.STATUS,
            "status = %s AND due_date >= %s AND due_date <= %s",
            (DeadlineStatus.OPEN, today, soon),
            f"status = %s, {touched}",
            (DeadlineStatus.DUE_SOON, now, now),
            DeadlineStatus.OPEN,
            DeadlineStatus.DUE_SOON,
        ),
        # Only when GRIFFIE_DUE_SOON_DAYS was lowered: the rules would say open again.
        Claim(
            EventKind.STATUS,
            "status = %s AND due_date > %s",
            (DeadlineStatus.DUE_SOON, soon),
            f"status = %s, {touched}",
            (DeadlineStatus.OPEN, now, now),
            DeadlineStatus.DUE_SOON,
            DeadlineStatus.OPEN,
        ),
    ]
    thresholds = sorted(set(settings.GRIFFIE_ALERT_DAYS_BEFORE), reverse=True)
    for days, smaller in pairwise([*thresholds, -1]):
        claims.append(
            Claim(
                EventKind.DUE_IN,
                "status IN (%s, %s, %s) AND due_date > %s AND due_date <= %s"
                " AND (alerted_days_before IS NULL OR alerted_days_before > %s)",
                (
                    DeadlineStatus.OPEN,
                    DeadlineStatus.DUE_SOON,
                    DeadlineStatus.POSTPONED,
                    today + timedelta(days=smaller),
                    today + timedelta(days=days),
                    days,
                ),
                "alerted_days_before = %s, updated_at = %s",
                (days, now),
            )
        )
    # An open-ended verslag still waiting: announced every GRIFFIE_WAITING_REMINDER_DAYS.
    claims.append(
        Claim(
            EventKind.WAITING,
            "status = %s AND due_date IS NULL AND term_days IS NULL AND next_reminder_on <= %s",
            (DeadlineStatus.OPEN, today),
            "next_reminder_on = %s, updated_at = %s",
            (today + timedelta(days=settings.GRIFFIE_WAITING_REMINDER_DAYS), now),
        )
    )
    claims.append(
        Claim(
            EventKind.REMINDER,
            "status = %s AND next_reminder_on <= %s",
            (DeadlineStatus.OVERDUE, today),
            "next_reminder_on = %s, updated_at = %s",
            (next_reminder, now),
        )
    )
    return claims


def refresh_deadlines(*, now: datetime) -> RefreshResult:
    """The periodic job: apply every claim, each with its events in one transaction.

    Safe to run twice at once (see `Claim`) and after a crash: a claim and its events commit together,
    so a run that dies leaves rows in their old state for the next run to claim.
    """
    today = rules.local_date(now)
    changes: dict[str, int] = {}
    for claim in refresh_claims(now=now):
        with transaction.atomic():
            count = apply_claim(claim, today=today, now=now)
        if count:
            label = (
                f"{claim.from_status}->{claim.to_status}" if claim.kind == EventKind.STATUS else claim.kind
            )
            if claim.kind == EventKind.DUE_IN:
                label = f"{label}:{claim.assign_params[0]}"
            changes[label] = changes.get(label, 0) + count
    return RefreshResult(changes)


def apply_claim(claim: Claim, *, today: date, now: datetime) -> int:
    """Run one claim and insert one event per claimed row; returns the number of rows claimed.

    On PostgreSQL the UPDATE feeds the INSERT inside one statement (a data-modifying CTE), so no ids
    travel to Python; SQLite has no such CTE, so there the returned rows are inserted in bulk.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    update = f"UPDATE {table} SET {claim.assign} WHERE {claim.where} RETURNING id, due_date"
    params = adapt_params((*claim.assign_params, *claim.where_params))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            events = connection.ops.quote_name(DeadlineEvent._meta.db_table)
            cursor.execute(
                f"WITH claimed AS ({update}) INSERT INTO {events}"
                " (deadline_id, kind, from_status, to_status, due_date, days, created_at)"
                " SELECT id, %s, %s, %s, due_date, due_date - %s::date, %s FROM claimed",
                (*params, *adapt_params((claim.kind, claim.from_status, claim.to_status, today, now))),
            )
            return cursor.rowcount
        cursor.execute(update, params)
        rows = cursor.fetchall()
    DeadlineEvent.objects.bulk_create(
        DeadlineEvent(
            deadline_id=pk,
            kind=claim.kind,
            from_status=claim.from_status,
            to_status=claim.to_status,
            due_date=due,
            days=(due - today).days,
            created_at=now,
        )
        for pk, due in rows
    )
    return len(rows)
