"""The correction page and an import's review page are bounded like the letter page: a letter is
corrected a block of questions and answers at a time, an import's letters are reviewed a page at a time."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.roles import CLERK
from dossiers.tests import factories
from dossiers.tests.factories import make_user
from intake.forms import unchanged_data
from intake.views import REVIEW_LETTERS
from letters.choices import ImportStatus, LetterKind
from letters.models import Letter, LetterChange, SourceDocument
from letters.tests.test_letter_page import answer_letter, question_letter
from letters.views import QUESTIONS_PER_PAGE
from questions.models import Question, QuestionLink

clerk, clerk_client = factories.clerk, factories.clerk_client

pytestmark = pytest.mark.django_db


def edit_url(letter: Letter, query: str = "") -> str:
    return f"{reverse('intake:edit', args=[letter.pk])}{query}"


def corrected_orders(response) -> list[int]:
    return [form.instance.order for form in response.context["question_formset"].forms]


def unchanged_page(response) -> dict:
    """What the correction page posts when the clerk changes nothing."""
    context = response.context
    return unchanged_data(context["form"], context["question_formset"], context["answer_formset"])


def form_of(response, order: int) -> str:
    """The prefix of the question form numbered `order` on the page."""
    formset = response.context["question_formset"]
    return next(form.prefix for form in formset.forms if form.instance.order == order)


def test_the_correction_page_of_a_long_letter_has_forms_for_one_block_of_its_questions(clerk_client):
    letter = question_letter(120)

    first = clerk_client.get(edit_url(letter))
    second = clerk_client.get(edit_url(letter, "?from=51"))

    assert corrected_orders(first) == list(range(1, QUESTIONS_PER_PAGE + 1))
    assert corrected_orders(second) == list(range(51, 101))
    html = second.content.decode()
    assert "[vraag-51]" in html and "[vraag-50]" not in html and "[vraag-101]" not in html
    assert 'href="?from=101#questions" rel="next"' in html
    assert f'action="{edit_url(letter)}?from=51&amp;answers_from=1"' in html


@pytest.mark.parametrize("count", [60, 600])
def test_the_correction_page_costs_the_same_queries_however_many_questions_and_reads_no_text_it_does_not_edit(
    clerk_client, count
):
    source = SourceDocument.objects.create(
        original_name="groot.pdf", sha256="b" * 64, extracted_text="[uit-pdf]", parse_result={"x": "[parser]"}
    )
    asked = question_letter(count, text="[brieftekst]", source=source)
    answer_letter(asked, [[n] for n in range(1, count + 1)])
    clerk_client.get(edit_url(asked))  # the session's first use
    with CaptureQueriesContext(connection) as queries:
        response = clerk_client.get(edit_url(asked, "?from=51"))

    assert len(response.context["question_formset"].forms) == min(count - 50, QUESTIONS_PER_PAGE)
    # session, user, the menu's permissions (two) and its count of letters to confirm, the letter,
    # its parties, the numbers of the blocks (questions: the block and the number before it;
    # answers: the block), their rows (two), the reply candidates, the committees, the ministers,
    # the parties, the corrections
    assert len(queries) == 17
    sql = "\n".join(query["sql"] for query in queries)
    assert '"letters_letter"."text"' not in sql
    assert "extracted_text" not in sql and "parse_result" not in sql and "search_vector" not in sql


def test_posting_a_correction_of_the_second_block_changes_only_its_questions_and_keeps_the_history(
    clerk_client,
):
    letter = question_letter(120)
    page = clerk_client.get(edit_url(letter, "?from=51"))
    data = {**unchanged_page(page), "action": "save"}
    data[f"{form_of(page, 60)}-text"] = "Hoeveel vragen passen er op één pagina?"

    response = clerk_client.post(edit_url(letter, "?from=51"), data)

    assert response.status_code == 302
    assert response["Location"] == f"{letter.get_absolute_url()}?from=51&answers_from=1"
    texts = dict(letter.questions.values_list("order", "text"))
    assert texts[60] == "Hoeveel vragen passen er op één pagina?"
    assert {order: text for order, text in texts.items() if order != 60} == {
        n: f"[vraag-{n}]" for n in range(1, 121) if n != 60
    }
    change = LetterChange.objects.get(letter=letter)
    assert (change.field, change.before, change.user.username) == ("question 60 text", "[vraag-60]", "clerk")


def test_a_form_posted_to_another_block_than_its_own_changes_nothing(clerk_client):
    letter = question_letter(120)
    first_block = clerk_client.get(edit_url(letter))
    data = {**unchanged_page(first_block), "action": "save"}
    data[f"{form_of(first_block, 3)}-text"] = "[verkeerd blok]"

    response = clerk_client.post(edit_url(letter, "?from=51"), data)

    assert response.status_code == 400
    assert not letter.questions.filter(text="[verkeerd blok]").exists()
    assert not LetterChange.objects.filter(letter=letter).exists()


def test_two_clerks_correcting_a_later_block_still_see_each_others_change_and_choose(clerk_client):
    letter = question_letter(120)
    opened_earlier = clerk_client.get(edit_url(letter, "?from=101"))
    colleague = Client()
    colleague.force_login(make_user("collega", CLERK))
    theirs = colleague.get(edit_url(letter))
    prefix = f"l{letter.pk}"
    assert (
        colleague.post(
            edit_url(letter),
            {**unchanged_page(theirs), f"{prefix}-subject": "Hun onderwerp", "action": "save"},
        ).status_code
        == 302
    )
    mine = {**unchanged_page(opened_earlier), f"{prefix}-subject": "Mijn onderwerp", "action": "save"}
    mine[f"{form_of(opened_earlier, 110)}-text"] = "Mijn vraag 110"

    response = clerk_client.post(edit_url(letter, "?from=101"), mine)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Hun onderwerp" in html and "Mijn onderwerp" in html and "collega" in html
    assert corrected_orders(response) == list(range(101, 121))
    assert f'action="{edit_url(letter)}?from=101&amp;answers_from=1"' in html
    assert letter.questions.get(order=110).text == "[vraag-110]"  # nothing saved yet
    assert Letter.objects.get(pk=letter.pk).subject == "Hun onderwerp"

    # The clerk keeps their own value and saves the form as shown again.
    again = {**response.context["form"].data.dict(), "action": "save"}
    assert clerk_client.post(edit_url(letter, "?from=101"), again).status_code == 302
    assert Letter.objects.get(pk=letter.pk).subject == "Mijn onderwerp"
    assert letter.questions.get(order=110).text == "Mijn vraag 110"


def test_the_letter_pages_block_of_questions_links_to_the_same_block_of_the_correction_page(clerk_client):
    letter = question_letter(120)

    html = clerk_client.get(f"{letter.get_absolute_url()}?from=51").content.decode()

    link = f'href="{edit_url(letter)}?from=51&amp;answers_from=1#questions">Correct these questions'
    assert link in html
    assert corrected_orders(clerk_client.get(edit_url(letter, "?from=51&answers_from=1"))) == list(
        range(51, 101)
    )


def test_a_correction_measures_only_the_corrected_questions_for_threads_not_the_whole_letter(clerk_client):
    repeated = "Hoeveel asielzoekers wachten in Ter Apel op een opvangplek?"
    earlier = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2024, 6, 3), reference="[k]")
    Question.objects.create(letter=earlier, order=1, label="1", text=repeated)
    letter = question_letter(120)
    Letter.objects.filter(pk=letter.pk).update(cites_reference="[k]")
    # Question 10 repeats it too, but is not corrected: a correction of block 2 leaves it unmeasured.
    Question.objects.filter(letter=letter, order=10).update(text=repeated)
    page = clerk_client.get(edit_url(letter, "?from=51"))
    data = {**unchanged_page(page), "action": "save"}
    data[f"{form_of(page, 70)}-text"] = repeated

    assert clerk_client.post(edit_url(letter, "?from=51"), data).status_code == 302
    assert list(QuestionLink.objects.values_list("later__order", flat=True)) == [70]

    # A change to a field threads do not read measures nothing again.
    page = clerk_client.get(edit_url(letter))
    data = {**unchanged_page(page), f"l{letter.pk}-subject": "Ander onderwerp", "action": "save"}
    assert clerk_client.post(edit_url(letter), data).status_code == 302
    assert list(QuestionLink.objects.values_list("later__order", flat=True)) == [70]


def test_an_import_with_many_letters_shows_one_page_of_them_each_with_its_checkbox(clerk_client):
    source = SourceDocument.objects.create(
        original_name="bundel.pdf", sha256="d" * 64, status=ImportStatus.IMPORTED
    )
    count = REVIEW_LETTERS * 2 + 5
    Letter.objects.bulk_create(
        Letter(kind=LetterKind.OTHER, subject=f"[brief-{n}]", source=source, order_in_source=n)
        for n in range(count)
    )

    first = clerk_client.get(source.get_absolute_url())
    last = clerk_client.get(f"{source.get_absolute_url()}?page=3")

    html = first.content.decode()
    assert [letter.order_in_source for letter in first.context["letters"]] == list(range(REVIEW_LETTERS))
    assert html.count('form="confirm-checked"') == REVIEW_LETTERS
    assert f"{count} letters recognised" in html and f"{count} still to confirm" in html
    assert 'href="?page=2" rel="next"' in html
    assert [letter.order_in_source for letter in last.context["letters"]] == list(
        range(REVIEW_LETTERS * 2, count)
    )
    assert f'name="next" value="{source.get_absolute_url()}?page=3"' in last.content.decode()


def test_a_correction_writes_only_the_letters_columns_that_changed(clerk_client):
    letter = question_letter(3, text="[brieftekst]", sender="Commissie")
    page = clerk_client.get(edit_url(letter))
    data = {**unchanged_page(page), f"l{letter.pk}-subject": "Nieuw onderwerp", "action": "save"}

    with CaptureQueriesContext(connection) as queries:
        assert clerk_client.post(edit_url(letter), data).status_code == 302

    [update] = [query["sql"] for query in queries if query["sql"].startswith('UPDATE "letters_letter"')]
    assert '"subject"' in update and '"updated_at"' in update
    assert '"text"' not in update and '"sender"' not in update
