from datetime import date, timedelta

import pytest

from deadlines.choices import DeadlineStatus as S
from deadlines.models import DeadlineEvent, EventKind
from deadlines.services import settle_deadlines, sync_deadline
from dossiers.choices import Chamber
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer, Question


@pytest.fixture
def letter(db) -> Letter:
    letter = Letter.objects.create(kind=LetterKind.QUESTIONS, chamber=Chamber.EK, date=date(2025, 6, 24))
    for n in (1, 2):
        Question.objects.create(letter=letter, order=n, label=str(n), text="Waarom?")
    return letter


def status_events(deadline) -> list[tuple[str, str]]:
    return list(
        deadline.events.filter(kind=EventKind.STATUS).order_by("pk").values_list("from_status", "to_status")
    )


def test_question_letter_gets_a_deadline_with_the_chamber_default_term(letter):
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 25))
    assert (deadline.term_days, deadline.due_date, deadline.status) == (28, date(2025, 7, 22), S.OPEN)
    assert status_events(deadline) == [("", S.OPEN)]


def test_term_stated_in_the_letter_wins_over_the_default(letter):
    letter.term_days = 21
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 25))
    assert deadline.due_date == date(2025, 7, 15)


def test_syncing_twice_records_one_event(letter):
    sync_deadline(letter=letter, now=date(2025, 6, 25))
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 26))
    assert status_events(deadline) == [("", S.OPEN)]


def test_only_question_letters_have_deadlines(db):
    answer = Letter.objects.create(kind=LetterKind.ANSWER, date=date(2025, 6, 24))
    with pytest.raises(ValueError, match="only question letters"):
        sync_deadline(letter=answer, now=date(2025, 6, 25))


def test_postponement_then_late_partial_answer(letter):
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 25))
    notice = Letter.objects.create(kind=LetterKind.POSTPONEMENT, date=date(2025, 7, 9), in_reply_to=letter)
    settle_deadlines(replies=[notice], now=date(2025, 7, 10))
    settle_deadlines(replies=[notice], now=date(2025, 7, 10))  # re-import: no new rows
    deadline.refresh_from_db()
    assert (deadline.status, deadline.due_date) == (S.POSTPONED, date(2025, 8, 6))
    assert deadline.postponements.count() == 1

    reply = Letter.objects.create(kind=LetterKind.ANSWER, date=date(2025, 11, 19), in_reply_to=letter)
    Answer.objects.create(letter=reply, order=1, text="Antwoord 1").covers.add(letter.questions.first())
    deadline = settle_deadlines(replies=[reply], now=date(2025, 11, 20))[letter.pk]
    assert (deadline.status, deadline.days_late, deadline.unanswered_questions) == (S.ANSWERED_LATE, 105, 1)
    assert deadline.is_partial
    assert status_events(deadline) == [("", S.OPEN), (S.OPEN, S.POSTPONED), (S.POSTPONED, S.ANSWERED_LATE)]
    kinds = DeadlineEvent.objects.exclude(kind=EventKind.STATUS).values_list("kind", flat=True)
    assert sorted(kinds) == [EventKind.ANSWER, EventKind.POSTPONEMENT]


def test_a_verslag_has_an_open_ended_deadline_closed_by_its_nota(db):
    verslag = Letter.objects.create(kind=LetterKind.VERSLAG, date=date(2024, 3, 1), chamber="TK")
    deadline = sync_deadline(letter=verslag, now=date(2025, 3, 1))
    assert (deadline.term_days, deadline.due_date, deadline.status) == (None, None, S.OPEN)
    nota = Letter.objects.create(kind=LetterKind.NOTA, date=date(2025, 3, 5), in_reply_to=verslag)
    deadline = settle_deadlines(replies=[nota], now=date(2025, 3, 6))[verslag.pk]
    assert (deadline.status, deadline.answered_on, deadline.days_late) == (
        S.ANSWERED,
        date(2025, 3, 5),
        None,
    )


def test_a_letter_corrected_from_verslag_to_questions_gets_its_default_term_back(db, settings):
    letter = Letter.objects.create(kind=LetterKind.VERSLAG, date=date(2025, 6, 2), chamber="TK")
    sync_deadline(letter=letter, now=date(2025, 6, 3))
    letter.kind = LetterKind.QUESTIONS
    letter.save()
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 3))
    assert deadline.term_days == settings.GRIFFIE_TERM_DAYS_TK
    assert deadline.due_date == date(2025, 6, 2) + timedelta(days=settings.GRIFFIE_TERM_DAYS_TK)
