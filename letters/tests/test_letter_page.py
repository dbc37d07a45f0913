"""The letter page is bounded by what it shows: a block of questions and a block of answers, the
start of the letter's text, capped lists, and links that find question N on whichever page holds it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.tests import factories
from letters.choices import LetterKind
from letters.models import Letter, SourceDocument
from letters.views import QUESTIONS_PER_PAGE, REPLIES_SHOWN, TEXT_SHOWN
from questions.models import Answer, Question

staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db


def question_letter(count: int, **fields) -> Letter:
    letter = Letter.objects.create(
        kind=LetterKind.QUESTIONS, date=date(2025, 1, 6), subject="Veel vragen", **fields
    )
    Question.objects.bulk_create(
        Question(letter=letter, order=n, label=str(n), text=f"[vraag-{n}]") for n in range(1, count + 1)
    )
    return letter


def answer_letter(asked: Letter, covers: list[list[int]]) -> Letter:
    """An answer letter to `asked` whose answer n answers the questions numbered covers[n - 1]."""
    reply = Letter.objects.create(
        kind=LetterKind.ANSWER, date=date(2025, 2, 3), subject="Antwoorden", in_reply_to=asked
    )
    answers = Answer.objects.bulk_create(
        Answer(letter=reply, order=n, label=str(n), text=f"[antwoord-{n}]") for n in range(1, len(covers) + 1)
    )
    questions = dict(asked.questions.values_list("order", "pk"))
    Answer.covers.through.objects.bulk_create(
        Answer.covers.through(answer_id=answer.pk, question_id=questions[order])
        for answer, orders in zip(answers, covers, strict=True)
        for order in orders
    )
    return reply


def shown_questions(html: str, count: int) -> list[int]:
    return [n for n in range(1, count + 1) if f"[vraag-{n}]" in html]


def test_a_letter_with_many_questions_shows_one_block_of_them_with_a_link_to_the_next(staffer_client):
    letter = question_letter(120)
    html = staffer_client.get(letter.get_absolute_url()).content.decode()
    assert shown_questions(html, 120) == list(range(1, QUESTIONS_PER_PAGE + 1))
    assert 'href="?from=51#questions" rel="next"' in html

    html = staffer_client.get(f"{letter.get_absolute_url()}?from=51").content.decode()
    assert shown_questions(html, 120) == list(range(51, 101))
    assert 'href="?from=1#questions" rel="prev"' in html
    assert 'href="?from=101#questions" rel="next"' in html


def test_an_answer_letter_with_many_answers_shows_one_block_of_them(staffer_client):
    asked = question_letter(120)
    reply = answer_letter(asked, [[n] for n in range(1, 121)])
    html = staffer_client.get(f"{reply.get_absolute_url()}?answers_from=101").content.decode()
    assert [n for n in range(1, 121) if f"[antwoord-{n}]" in html] == list(range(101, 121))
    assert 'href="?answers_from=51#answers" rel="prev"' in html


@pytest.mark.parametrize("count", [60, 600])
def test_the_letter_page_reads_the_same_queries_and_rows_however_many_questions_it_has(staffer_client, count):
    asked = question_letter(count)
    answer_letter(asked, [[n] for n in range(1, count + 1)])
    staffer_client.get(asked.get_absolute_url())  # the session's first use
    with CaptureQueriesContext(connection) as queries:
        response = staffer_client.get(f"{asked.get_absolute_url()}?from=51")
    # session, user, the menu's permissions (two), the letter, its parties and members, the block
    # of questions, their answers, the last question before the block, the block of answers, the
    # replies, the corrections
    assert len(queries) == 13
    assert response.content.decode().count('class="qa-row"') == min(count - 50, QUESTIONS_PER_PAGE)


def test_a_link_to_question_n_lands_on_the_page_holding_it(staffer_client):
    letter = question_letter(120)
    question = letter.questions.get(order=87)
    url = question.get_letter_url()
    assert url == f"{letter.get_absolute_url()}?from=87#q{question.pk}"
    html = staffer_client.get(url).content.decode()
    assert f'id="q{question.pk}"' in html
    assert shown_questions(html, 120) == list(range(51, 101))


def test_go_to_question_finds_it_by_its_label_and_says_so_when_it_is_missing(staffer_client):
    letter = question_letter(120)
    Question.objects.filter(letter=letter, order=87).update(label="87a")
    question = letter.questions.get(order=87)
    response = staffer_client.get(f"{letter.get_absolute_url()}?goto=87a")
    assert response.status_code == 302
    assert response["Location"] == question.get_letter_url()

    response = staffer_client.get(f"{letter.get_absolute_url()}?goto=999", follow=True)
    assert "There is no number 999 in this letter." in response.content.decode()


def test_the_thread_page_links_to_the_question_on_the_page_holding_it(staffer_client):
    letter = question_letter(120)
    question = letter.questions.get(order=99)
    html = staffer_client.get(question.get_absolute_url()).content.decode()
    assert f'href="{letter.get_absolute_url()}?from=99#q{question.pk}"' in html


def test_an_answer_to_questions_on_two_pages_is_printed_once_and_referred_back_to(staffer_client):
    asked = question_letter(120)
    # Answer 1 answers questions 3 and 4 (one page), answer 2 answers 50 and 51 (two pages).
    answer_letter(asked, [[3, 4], [50, 51]])
    first, second = asked.questions.get(order=3), asked.questions.get(order=50)

    page_one = staffer_client.get(asked.get_absolute_url()).content.decode()
    assert page_one.count("[antwoord-1]") == 1
    assert f'href="#q{first.pk}">The same answer as above.' in page_one
    assert page_one.count("[antwoord-2]") == 1

    page_two = staffer_client.get(f"{asked.get_absolute_url()}?from=51").content.decode()
    assert "[antwoord-2]" not in page_two
    assert (
        f'href="{second.get_letter_url()}">The same answer as to question 50, on an earlier page.' in page_two
    )


def test_the_letter_page_reads_only_the_start_of_the_letters_text_and_none_it_does_not_print(staffer_client):
    source = SourceDocument.objects.create(
        original_name="groot.pdf", sha256="a" * 64, extracted_text="[uit-pdf]", parse_result={"x": "[parser]"}
    )
    asked = question_letter(3, text="begin " + "x" * TEXT_SHOWN + " [voorbij-het-begin]", source=source)
    answer_letter(asked, [[1], [2]])
    Letter.objects.filter(in_reply_to=asked).update(text="[antwoordbrief]")
    with CaptureQueriesContext(connection) as queries:
        html = staffer_client.get(asked.get_absolute_url()).content.decode()
    sql = "\n".join(query["sql"] for query in queries)
    assert sql.count('"letters_letter"."text"') == sql.count('SUBSTR("letters_letter"."text"') + sql.count(
        'SUBSTRING("letters_letter"."text"'
    )
    assert "extracted_text" not in sql and "parse_result" not in sql and "search_vector" not in sql
    assert "begin xxx" in html and "[voorbij-het-begin]" not in html
    assert f"Only the first {TEXT_SHOWN} characters are shown" in html


def test_the_letter_page_lists_at_most_its_cap_of_replies(staffer_client):
    asked = question_letter(1)
    Letter.objects.bulk_create(
        Letter(kind=LetterKind.OTHER, date=date(2025, 3, 1), subject=f"[reactie-{n}]", in_reply_to=asked)
        for n in range(REPLIES_SHOWN + 5)
    )
    html = staffer_client.get(asked.get_absolute_url()).content.decode()
    assert html.count("[reactie-") == REPLIES_SHOWN
    assert f"Only the first {REPLIES_SHOWN} replies are shown." in html
