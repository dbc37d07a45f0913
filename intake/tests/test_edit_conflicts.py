"""Two clerks correcting one letter: an old form never silently undoes a newer correction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.roles import CLERK
from dossiers.tests import factories
from dossiers.tests.factories import make_archive, make_user
from letters.models import Letter, LetterChange
from letters.tests.test_letter_page import answer_letter, question_letter

from .test_correction_blocks import edit_url, unchanged_page
from .test_intake import letter_form_data

clerk, clerk_client = factories.clerk, factories.clerk_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client() -> Client:
    client = Client()
    client.force_login(make_user("collega", CLERK))
    return client


def save(client: Client, letter: Letter, data: dict):
    return client.post(reverse("intake:edit", args=[letter.pk]), {**data, "action": "save"})


def history(letter: Letter) -> dict[str, tuple[str, str]]:
    """Each field's last change: its new value and who made it."""
    changes = LetterChange.objects.filter(letter=letter).order_by("changed_at", "pk")
    return {change.field: (change.after, change.user.username) for change in changes}


def test_an_old_form_keeps_another_clerks_newer_change_to_a_field_it_left_alone(
    clerk_client, colleague_client
):
    letter = make_archive(1).question_letters[0]
    new_date = letter.date + timedelta(days=3)
    opened_earlier = letter_form_data(letter, date=new_date.isoformat())
    assert (
        save(colleague_client, letter, letter_form_data(letter, subject="Hun onderwerp")).status_code == 302
    )

    response = save(clerk_client, letter, opened_earlier)

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.date, letter.subject) == (new_date, "Hun onderwerp")
    assert history(letter) == {
        "subject": ("Hun onderwerp", "collega"),
        "date": (new_date.isoformat(), "clerk"),
    }


def test_two_clerks_changing_one_field_differently_see_both_values_and_choose(clerk_client, colleague_client):
    letter = make_archive(1).question_letters[0]
    opened_earlier = letter_form_data(letter, subject="Mijn onderwerp")
    assert (
        save(colleague_client, letter, letter_form_data(letter, subject="Hun onderwerp")).status_code == 302
    )

    response = save(clerk_client, letter, opened_earlier)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Hun onderwerp" in page and "Mijn onderwerp" in page and "collega" in page
    letter.refresh_from_db()
    assert letter.subject == "Hun onderwerp"  # nothing saved yet

    # The clerk keeps their own value and saves the form as shown again.
    again = response.context["form"].data.copy()
    assert save(clerk_client, letter, again).status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "Mijn onderwerp"
    assert history(letter)["subject"] == ("Mijn onderwerp", "clerk")


def test_the_same_change_made_by_both_clerks_is_no_conflict(clerk_client, colleague_client):
    letter = make_archive(1).question_letters[0]
    opened_earlier = letter_form_data(letter, subject="Hetzelfde onderwerp")
    save(colleague_client, letter, letter_form_data(letter, subject="Hetzelfde onderwerp"))

    assert save(clerk_client, letter, opened_earlier).status_code == 302


def item_key(page, noun: str, order: int, field: str) -> str:
    """The posted name of a field of the question (answer) numbered `order` on the correction page."""
    formset = page.context[f"{noun}_formset"]
    return next(form.add_prefix(field) for form in formset.forms if form.instance.order == order)


def correct(client: Client, letter: Letter, page, changes: dict[tuple[str, int, str], str]):
    """Post the correction page `page` as it was opened, with `changes` to its questions or answers."""
    data = {**unchanged_page(page), "action": "save"}
    for (noun, order, field), value in changes.items():
        data[item_key(page, noun, order, field)] = value
    return client.post(edit_url(letter), data)


def opened_before_their_correction(
    mine: Client, theirs: Client, letter: Letter, *corrections: dict[tuple[str, int, str], str]
):
    """The correction page as `mine` opened it, before `theirs` saved `corrections` one by one."""
    page = mine.get(edit_url(letter))
    for changes in corrections:
        assert correct(theirs, letter, theirs.get(edit_url(letter)), changes).status_code == 302
    return page


def test_an_old_form_keeps_another_clerks_newer_correction_of_a_question_it_left_alone(
    clerk_client, colleague_client
):
    letter = question_letter(6)
    opened_earlier = opened_before_their_correction(
        clerk_client, colleague_client, letter, {("question", 3, "text"): "Hun vraag 3"}
    )

    response = correct(clerk_client, letter, opened_earlier, {("question", 5, "text"): "Mijn vraag 5"})

    assert response.status_code == 302
    texts = dict(letter.questions.values_list("order", "text"))
    assert (texts[3], texts[5]) == ("Hun vraag 3", "Mijn vraag 5")
    assert history(letter) == {
        "question 3 text": ("Hun vraag 3", "collega"),
        "question 5 text": ("Mijn vraag 5", "clerk"),
    }


def test_two_clerks_correcting_one_question_differently_see_both_values_and_choose(
    clerk_client, colleague_client
):
    letter = question_letter(6)
    opened_earlier = opened_before_their_correction(
        clerk_client, colleague_client, letter, {("question", 3, "text"): "Hun vraag 3"}
    )

    response = correct(
        clerk_client,
        letter,
        opened_earlier,
        {("question", 3, "text"): "Mijn vraag 3", ("question", 4, "page"): "2"},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Hun vraag 3" in html and "Mijn vraag 3" in html and "collega" in html
    assert [str(conflict.label) for conflict in response.context["conflicts"]] == ["Question 3: text"]
    assert letter.questions.get(order=3).text == "Hun vraag 3"  # nothing saved yet
    assert letter.questions.get(order=4).page == 1

    # The clerk keeps their own value and saves the form as shown again.
    again = {**response.context["form"].data.dict(), "action": "save"}
    assert clerk_client.post(edit_url(letter), again).status_code == 302
    assert letter.questions.get(order=3).text == "Mijn vraag 3"
    assert letter.questions.get(order=4).page == 2
    assert history(letter)["question 3 text"] == ("Mijn vraag 3", "clerk")


def test_two_clerks_correcting_one_answer_differently_see_both_values_and_choose(
    clerk_client, colleague_client
):
    reply = answer_letter(question_letter(3), [[1], [2], [3]])
    opened_earlier = opened_before_their_correction(
        clerk_client, colleague_client, reply, {("answer", 2, "text"): "Hun antwoord"}
    )

    response = correct(clerk_client, reply, opened_earlier, {("answer", 2, "text"): "Mijn antwoord"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Hun antwoord" in html and "Mijn antwoord" in html and "collega" in html
    assert reply.answers.get(order=2).text == "Hun antwoord"

    again = {**response.context["form"].data.dict(), "action": "save"}
    assert clerk_client.post(edit_url(reply), again).status_code == 302
    assert reply.answers.get(order=2).text == "Mijn antwoord"


def test_an_old_form_follows_a_question_another_clerk_relabelled_and_corrected(
    clerk_client, colleague_client
):
    letter = question_letter(4)
    opened_earlier = opened_before_their_correction(
        clerk_client,
        colleague_client,
        letter,
        {("question", 3, "text"): "Hun vraag 3"},
        {("question", 3, "label"): "3a"},
    )

    response = correct(clerk_client, letter, opened_earlier, {("question", 1, "text"): "Mijn vraag 1"})

    assert response.status_code == 302
    assert list(letter.questions.filter(order__in=[1, 3]).values_list("label", "text")) == [
        ("1", "Mijn vraag 1"),
        ("3a", "Hun vraag 3"),
    ]


def test_a_question_correction_writes_only_its_columns_that_changed(clerk_client):
    letter = question_letter(3)
    page = clerk_client.get(edit_url(letter))

    with CaptureQueriesContext(connection) as queries:
        assert correct(clerk_client, letter, page, {("question", 2, "page"): "4"}).status_code == 302

    [update] = [query["sql"] for query in queries if query["sql"].startswith('UPDATE "questions_question"')]
    assert '"page"' in update and '"text"' not in update and '"label"' not in update


def test_a_form_opened_after_a_correction_may_undo_it_though_another_clerk_saved_in_between(
    clerk_client, colleague_client
):
    letter = make_archive(1).question_letters[0]
    first_subject = letter.subject
    assert (
        save(colleague_client, letter, letter_form_data(letter, subject="Hun onderwerp")).status_code == 302
    )
    letter.refresh_from_db()
    opened_after = letter_form_data(letter, subject=first_subject)
    new_date = letter.date + timedelta(days=3)
    assert (
        save(colleague_client, letter, letter_form_data(letter, date=new_date.isoformat())).status_code == 302
    )

    assert save(clerk_client, letter, opened_after).status_code == 302
    letter.refresh_from_db()
    assert (letter.subject, letter.date) == (first_subject, new_date)


def test_correcting_an_answer_with_the_longest_label_keeps_its_history(clerk_client):
    reply = answer_letter(question_letter(2), [[1], [2]])
    longest = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 en 18"[:60]
    reply.answers.filter(order=2).update(label=longest)

    response = correct(
        clerk_client, reply, clerk_client.get(edit_url(reply)), {("answer", 2, "text"): "Nieuw"}
    )

    assert response.status_code == 302
    assert history(reply)[f"answer {longest} text"] == ("Nieuw", "clerk")
