"""Two clerks correcting one letter: an old form never silently undoes a newer correction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.roles import CLERK
from dossiers.tests import factories
from dossiers.tests.factories import make_archive, make_user
from letters.models import Letter, LetterChange

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
