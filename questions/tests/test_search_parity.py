"""The search finds the same texts on SQLite (the quick start) as on PostgreSQL.

The same queries over the same letters run on whichever database the tests use (SQLite in
`make test`, PostgreSQL in CI), and each must find exactly the texts listed: Dutch word forms,
member names, parties and dossier numbers, "or" and "-word"."""

from __future__ import annotations

from datetime import date

import pytest

from dossiers.choices import Chamber
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer, Question
from questions.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts() -> dict[str, object]:
    questions = Letter.objects.create(
        kind=LetterKind.QUESTIONS,
        chamber=Chamber.TK,
        date=date(2025, 6, 24),
        subject="de wachttijden bij de IND",
        sender="Van Dijk (SP)",
        recipient="Minister van Asiel en Migratie",
        dossier_document="36521, B",
        text="Vragen van het lid Van Dijk (SP) over de wachttijden.",
    )
    answer_letter = Letter.objects.create(
        kind=LetterKind.ANSWER,
        chamber=Chamber.TK,
        date=date(2025, 7, 10),
        subject="Antwoord op vragen over de financiën van gemeenten",
        sender="Minister Faber (Asiel en Migratie)",
        text="Antwoord van de minister, mede namens GroenLinks-PvdA gesteld.",
    )
    return {
        "letter": questions,
        "answer letter": answer_letter,
        "q delay": Question.objects.create(
            letter=questions, order=1, text="Hoeveel vertragingen zijn er bij de beslissingen van de IND?"
        ),
        "q municipalities": Question.objects.create(
            letter=questions, order=2, text="Welke gemeenten vangen asielzoekers op?"
        ),
        "a delay": Answer.objects.create(
            letter=answer_letter, order=1, text="De vertraging komt door een tekort aan medewerkers."
        ),
        "a finances": Answer.objects.create(
            letter=answer_letter, order=2, text="De financiële gevolgen voor de gemeente zijn beperkt."
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vertraging", {"q delay", "a delay"}),  # a plural finds the singular and back
        ("vertragingen", {"q delay", "a delay"}),
        ("gemeente", {"q municipalities", "a finances", "answer letter"}),
        ("asielzoeker", {"q municipalities"}),
        ("Van Dijk", {"letter"}),  # a member as printed on the letter
        ("SP", {"letter"}),  # a party
        ("GroenLinks-PvdA", {"answer letter"}),
        ("36521", {"letter"}),  # a dossier number
        ("vertraging or asielzoekers", {"q delay", "a delay", "q municipalities"}),
        ("vertraging -IND", {"a delay"}),
        ("de het een", set()),  # stop words alone find nothing
    ],
)
def test_the_search_finds_the_same_texts_on_every_database(texts, query, expected):
    names = {(type(obj).__name__, obj.pk): name for name, obj in texts.items()}
    found = {names[(type(hit.obj).__name__, hit.obj.pk)] for hit in search(query).hits}
    assert found == expected


def test_a_search_marks_the_word_forms_it_matched(texts):
    [hit] = search("vertragingen", scope="answers").hits
    assert ("vertraging", True) in hit.snippet
