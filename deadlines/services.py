"""Writes to deadlines: open one for a question letter, record notices and answers, keep status true.

Every function takes the clock as `now=` so behaviour at any instant can be tested.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min

from dossiers.choices import Chamber
from letters.choices import LetterKind
from letters.models import Letter

from . import rules
from .models import Deadline, DeadlineEvent, EventKind, Postponement


def default_term_days(letter: Letter) -> int:
    """Kamervragen get three weeks, Eerste Kamer committee letters four (both configurable)."""
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


@transaction.atomic
def sync_deadline(*, letter: Letter, now: date | datetime) -> Deadline:
    """Create or update the deadline of a question letter from what is stored, recording any change.

    Safe to call any number of times: it derives everything from the letter, its postponements and
    the answer letters that reply to it, and writes an event only when the status really changes.
    """
    if letter.kind != LetterKind.QUESTIONS:
        raise ValueError(
            f"letter {letter.pk} is a {letter.kind} letter; only question letters have deadlines"
        )
    deadline, _ = Deadline.objects.select_for_update().get_or_create(
        letter=letter,
        defaults={
            "term_days": letter.term_days or default_term_days(letter),
            "grace_days": default_grace_days(letter),
        },
    )
    deadline.letter = letter
    if letter.term_days and letter.term_days != deadline.term_days:
        deadline.term_days = letter.term_days
    answers = letter.replies.filter(kind=LetterKind.ANSWER)
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
    deadline.original_due_date = state.original_due_date
    deadline.due_date = state.due_date
    deadline.days_late = state.days_late
    deadline.late_postponements = state.late_postponements
    changed = previous != state.status
    deadline.status = state.status
    if changed:
        deadline.status_changed_at = as_instant(now)
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
def record_postponement(
    *,
    deadline: Deadline,
    notice: Letter,
    now: date | datetime,
    promised_date: date | None = None,
    promised_term_days: int | None = None,
) -> Postponement:
    """A notice that the answer will take longer; 'binnen drie weken' counts from the notice's date."""
    received_on = notice.received_on or notice.date or rules.local_date(now)
    if promised_date is None and promised_term_days:
        promised_date = received_on + timedelta(days=promised_term_days)
    due_before = deadline.due_date
    postponement, _ = Postponement.objects.update_or_create(
        letter=notice,
        defaults={
            "deadline": deadline,
            "received_on": received_on,
            "promised_date": promised_date,
            "late": due_before is not None and received_on > due_before,
        },
    )
    DeadlineEvent.objects.get_or_create(
        deadline=deadline,
        kind=EventKind.POSTPONEMENT,
        letter=notice,
        defaults={"due_date": promised_date, "created_at": as_instant(now)},
    )
    sync_deadline(letter=deadline.letter, now=now)
    return postponement


@transaction.atomic
def record_answer(*, deadline: Deadline, answer: Letter, now: date | datetime) -> Deadline:
    """An answer letter arrived for this deadline's letter (answer.in_reply_to is already set)."""
    DeadlineEvent.objects.get_or_create(
        deadline=deadline,
        kind=EventKind.ANSWER,
        letter=answer,
        defaults={"due_date": deadline.due_date, "created_at": as_instant(now)},
    )
    return sync_deadline(letter=deadline.letter, now=now)
