"""Pages other than the letter page that show a letter's questions, answers or letter: bounded by
what they print, and never reading a text they do not print (a big file's letter text, its
extracted text and the parser's output each run to megabytes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from intake.views import REVIEW_ITEMS
from letters.choices import ImportStatus, LetterKind
from letters.models import Letter, SourceDocument
from questions.models import Question

clerk, clerk_client = factories.clerk, factories.clerk_client
staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db

UNPRINTED = ('"letters_letter"."text"', "extracted_text", "parse_result", "search_vector")


def sql_of(client, url: str) -> tuple[str, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), "\n".join(query["sql"] for query in queries)


def test_an_imports_review_lists_the_first_questions_of_a_big_letter_and_reads_no_text_it_does_not_print(
    clerk_client,
):
    source = SourceDocument.objects.create(
        original_name="groot.pdf",
        sha256="b" * 64,
        status=ImportStatus.IMPORTED,
        extracted_text="[uit-pdf]",
        parse_result={"x": "[parser]"},
    )
    letter = Letter.objects.create(kind=LetterKind.QUESTIONS, source=source, text="[brieftekst]")
    count = REVIEW_ITEMS + 20
    Question.objects.bulk_create(
        Question(letter=letter, order=n, label=str(n), text=f"[vraag-{n}] " + "x" * 400)
        for n in range(1, count + 1)
    )
    html, sql = sql_of(clerk_client, source.get_absolute_url())
    assert [n for n in range(1, count + 1) if f"[vraag-{n}]" in html] == list(range(1, REVIEW_ITEMS + 1))
    assert f"{count} questions" in html
    assert f"The first {REVIEW_ITEMS} are listed; the letter page shows them all." in html
    assert not [column for column in UNPRINTED if column in sql]
    assert '"questions_question"."text"' not in sql.replace('SUBSTR("questions_question"."text"', "").replace(
        'SUBSTRING("questions_question"."text"', ""
    )


def test_thread_and_deadline_pages_do_not_read_the_letters_text(staffer_client):
    letter = make_archive(4).question_letters[3]  # the fourth round is answered
    question = letter.questions.get(order=1)
    _html, thread_sql = sql_of(staffer_client, question.get_absolute_url())
    _html, deadline_sql = sql_of(staffer_client, reverse("deadlines:detail", args=[letter.deadline.pk]))
    assert not [column for column in UNPRINTED if column in thread_sql]
    assert not [column for column in UNPRINTED if column in deadline_sql]
