import pytest
from django.db import IntegrityError, transaction

from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer, Question, QuestionLink


@pytest.fixture
def letter(db) -> Letter:
    return Letter.objects.create(kind=LetterKind.QUESTIONS)


def test_question_order_is_unique_per_letter(letter):
    Question.objects.create(letter=letter, order=1, text="Waarom?")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(letter=letter, order=1, text="Hoe?")


def test_question_page_starts_at_one(letter):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(letter=letter, order=1, text="Waarom?", page=0)


def test_one_answer_covers_several_questions_and_points_to_another(letter):
    q3, q4 = (Question.objects.create(letter=letter, order=n, label=str(n), text="?") for n in (3, 4))
    reply = Letter.objects.create(kind=LetterKind.ANSWER, in_reply_to=letter)
    joint = Answer.objects.create(letter=reply, order=1, label="3 en 4", text="Antwoord.")
    joint.covers.set([q3, q4])
    pointer = Answer.objects.create(letter=reply, order=2, text="Zie antwoord op vraag 3.")
    pointer.refers_to.add(joint)
    assert set(q3.answers.all()) == {joint}
    assert list(joint.referred_by.all()) == [pointer]
    assert list(pointer.refers_to.all()) == [joint]
    assert not joint.refers_to.exists()


def test_question_cannot_follow_up_on_itself(letter):
    question = Question.objects.create(letter=letter, order=1, text="?")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionLink.objects.create(earlier=question, later=question)
