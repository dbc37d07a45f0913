"""Saving a big letter: its questions, answers and their links go in batches, and come out whole."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Member, Party
from intake import imports
from letters.parser.result import ParsedAnswer, ParsedLetter, ParsedQuestion, ParseResult
from questions.models import Answer, Question
from questions.search import search

from .conftest import NOW, upload

pytestmark = pytest.mark.django_db

MEMBERS = [("Van Dijk", "SP"), ("De Vries", "BBB"), ("Jansen", "SP")]


def kamervragen(count: int) -> ParseResult:
    """`count` numbered questions by three members, each answered; every fifth answer covers two
    questions and every seventh points to the first answer ("Zie antwoord op vraag 1")."""
    questions = [
        ParsedQuestion(
            letter=0,
            label=str(n),
            member=MEMBERS[n % 3][0],
            party=MEMBERS[n % 3][1],
            page=1 + n // 10,
            text=f"Hoeveel asielzoekers wachten in regio {n} langer dan een jaar?",
        )
        for n in range(1, count + 1)
    ]
    answers = [
        ParsedAnswer(
            letter=0,
            label=str(n),
            covers=[n - 1, n] if n % 5 == 0 and n < count else [n - 1],
            refers_to=[0] if n % 7 == 0 else [],
            page=1 + n // 10,
            text=f"In regio {n} wachten zij gemiddeld {n} weken.",
        )
        for n in range(1, count + 1)
    ]
    # Each size to a minister of its own, so no letter has an earlier round to link to.
    letter = ParsedLetter(
        kind="questions", date=date(2025, 3, 3), chamber="TK", recipient=f"de minister voor regio {count}"
    )
    return ParseResult(
        source="vragen.txt", pages=1 + count // 10, letters=[letter], questions=questions, answers=answers
    )


def import_counting_queries(parsed, count: int) -> tuple[int, imports.ImportSummary]:
    parsed(kamervragen(count))
    source, _ = upload(f"%PDF-1.4 {count}".encode(), f"vragen-{count}.pdf")
    with CaptureQueriesContext(connection) as queries:
        summary = imports.import_source(source_id=source.pk, now=NOW)
    return len(queries), summary


def test_saving_a_letter_takes_as_many_statements_for_a_hundred_and_twenty_questions_as_for_twenty(parsed):
    import_counting_queries(parsed, 10)  # the parties and members exist from here on
    small, _ = import_counting_queries(parsed, 20)
    # Within one INSERT of each kind even on SQLite (at most 999 parameters per statement).
    large, summary = import_counting_queries(parsed, 120)
    assert (summary.questions, summary.answers) == (120, 120)
    assert large == small


def test_a_batch_saved_letter_keeps_every_member_cover_reference_and_search_entry(parsed):
    import_counting_queries(parsed, 30)
    assert Party.objects.count() == 2 and Member.objects.count() == 3
    question = Question.objects.get(label="10")
    assert (question.member.name, question.party.name, question.page) == ("De Vries", "BBB", 2)
    assert [q.label for q in Answer.objects.get(label="10").covers.all()] == ["10", "11"]
    assert list(Answer.objects.get(label="14").refers_to.values_list("label", flat=True)) == ["1"]
    assert not Answer.objects.get(label="1").refers_to.exists()
    hits = search("regio 17", scope="questions").hits
    assert [hit.obj.label for hit in hits][:1] == ["17"]
