"""Linking a letter of thousands of questions measures each one against a bounded set of candidates.

The candidates come from the text index (PostgreSQL's search vectors, SQLite's FTS5 tables), so the
same tests run on both databases; what is asserted is the shape of the work, never its time.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from letters.choices import LetterKind
from letters.models import Letter
from questions import candidates, services
from questions.choices import LinkKind
from questions.models import Answer, Question, QuestionLink
from questions.services import MAX_CANDIDATES, detect_links

pytestmark = pytest.mark.django_db

QUESTIONS = 2000
QUOTED = QUESTIONS * 2 // 3  # the answer the later round quotes
SYLLABLES = [
    "be",
    "ver",
    "ont",
    "ge",
    "aan",
    "af",
    "uit",
    "op",
    "over",
    "door",
    "na",
    "om",
    "toe",
    "wacht",
    "raam",
    "werk",
    "zorg",
    "stel",
    "huis",
    "plan",
]
ENDINGS = ["ing", "heid", "er", "ning", "lijk", "baar", "schap", "king"]


def made_up_words(count: int) -> list[str]:
    rng = random.Random(5)
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choice(SYLLABLES) for _ in range(3)) + rng.choice(ENDINGS))
    return sorted(found)


@pytest.fixture
def big_rounds():
    """An earlier round of 2000 answered questions and a later one of 2000 that asks every tenth again
    (a word added) and quotes one answer."""
    rng = random.Random(11)
    vocabulary = made_up_words(3000)

    def sentence(count: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(count))

    first = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 2, 1), recipient="minister")
    answer_letter = Letter.objects.create(kind=LetterKind.ANSWER, date=date(2025, 3, 1), in_reply_to=first)
    earlier = Question.objects.bulk_create(
        Question(letter=first, order=n, label=str(n), text=f"Hoe staat het met de {sentence(10)}?")
        for n in range(1, QUESTIONS + 1)
    )
    answers = Answer.objects.bulk_create(
        Answer(letter=answer_letter, order=n, label=str(n), text=f"De {sentence(12)}. Verder {sentence(6)}.")
        for n in range(1, QUESTIONS + 1)
    )
    Answer.covers.through.objects.bulk_create(
        Answer.covers.through(answer_id=answer.pk, question_id=question.pk)
        for answer, question in zip(answers, earlier, strict=True)
    )
    later = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 9, 1), recipient="minister")
    texts = [f"Wat is de stand van de {sentence(10)}?" for _ in range(QUESTIONS)]
    for n in range(0, QUESTIONS, 10):
        texts[n] = earlier[n].text.replace("de ", "de huidige ", 1)
    quoted = answers[QUOTED].text.split(". ")[0]
    texts[7] = f"U schreef: ‘{quoted}’. Waarom is dat zo?"
    asked = Question.objects.bulk_create(
        Question(letter=later, order=n, text=text) for n, text in enumerate(texts, start=1)
    )
    # Both letters go to the same minister, so the first is an earlier round of the second.
    Letter.objects.filter(pk__in=[first.pk, answer_letter.pk, later.pk]).update(minister=_minister())
    later.refresh_from_db()
    return {"earlier": earlier, "later": later, "asked": asked}


def _minister():
    from dossiers.models import Minister

    return Minister.objects.create(portfolio="minister van Asiel en Migratie")


def test_a_letter_of_thousands_of_questions_is_linked_against_a_bounded_candidate_set(
    big_rounds, monkeypatch
):
    measured = []
    searched = []
    real_similarity, real_candidates = services.similarity, candidates.ranked_candidates

    def counting_similarity(a, b):
        measured.append(1)
        return real_similarity(a, b)

    def recording_candidates(pool, texts, *, limit):
        found = real_candidates(pool, texts, limit=limit)
        searched.append((limit, max(map(len, found.values()), default=0)))
        return found

    monkeypatch.setattr(services, "similarity", counting_similarity)
    monkeypatch.setattr(services, "ranked_candidates", recording_candidates)

    detect_links(letter=big_rounds["later"])

    earlier, asked = big_rounds["earlier"], big_rounds["asked"]
    repeats = set(QuestionLink.objects.filter(kind=LinkKind.REPEATS).values_list("earlier_id", "later_id"))
    assert repeats == {(earlier[n].pk, asked[n].pk) for n in range(0, QUESTIONS, 10)}
    follow_up = QuestionLink.objects.get(kind=LinkKind.FOLLOW_UP)
    assert (follow_up.earlier_id, follow_up.later_id, follow_up.score) == (
        earlier[QUOTED].pk,
        asked[7].pk,
        0.9,
    )
    # Each later question is measured against at most MAX_CANDIDATES earlier ones, not all 2000.
    assert searched and all(limit == MAX_CANDIDATES and most <= limit for limit, most in searched)
    assert len(measured) <= MAX_CANDIDATES * QUESTIONS
