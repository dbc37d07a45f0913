from datetime import date

import pytest
from django.db import IntegrityError, transaction

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline, Postponement
from letters.choices import LetterKind
from letters.models import Letter


@pytest.fixture
def letter(db) -> Letter:
    return Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 6, 24))


def test_days_late_only_for_a_late_answer(letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(letter=letter, term_days=28, grace_days=28, days_late=3)


def test_answered_deadline_needs_an_answer_date(letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(letter=letter, term_days=28, grace_days=28, status=DeadlineStatus.ANSWERED)


def test_term_must_be_positive(letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(letter=letter, term_days=0, grace_days=28)


def test_one_deadline_per_letter(letter):
    Deadline.objects.create(letter=letter, term_days=28, grace_days=28)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(letter=letter, term_days=21, grace_days=28)


def test_model_evaluates_its_stored_facts(letter):
    deadline = Deadline.objects.create(letter=letter, term_days=28, grace_days=28)
    notice = Letter.objects.create(kind=LetterKind.POSTPONEMENT, date=date(2025, 7, 9), in_reply_to=letter)
    Postponement.objects.create(deadline=deadline, letter=notice, received_on=date(2025, 7, 9))
    state = deadline.evaluate(now=date(2025, 7, 30))
    assert (state.status, state.due_date) == (DeadlineStatus.POSTPONED, date(2025, 8, 6))
    assert deadline.days_left(now=date(2025, 7, 30)) is None  # stored due_date not refreshed yet
