"""The question list: every question with its answer status, filtered, paged by keyset, as CSV."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from questions.models import Question
from questions.views import QUESTIONS_PER_PAGE

staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db


def listed(client, **params) -> list:
    response = client.get(reverse("questions:list"), params)
    assert response.status_code == 200
    return response.context["rows"]


def test_the_list_shows_each_question_with_whether_an_answer_covers_it(staffer_client):
    archive = make_archive(4)  # the fourth round is answered
    rows = listed(staffer_client)
    assert len(rows) == 8
    answered = {row.url for row in rows if row.answered}
    assert answered == {
        reverse("questions:thread", args=[question.pk])
        for question in archive.question_letters[3].questions.all()
    }
    html = staffer_client.get(reverse("questions:list")).content.decode()
    assert "Not answered" in html and "Hoeveel asielzoekers wachten op opvang in ronde 0?" in html


def test_the_filters_narrow_by_answer_committee_and_period(staffer_client):
    archive = make_archive(8)
    assert {row.answered for row in listed(staffer_client, answered="false")} == {False}
    assert len(listed(staffer_client, answered="true")) == 4
    assert len(listed(staffer_client, committee=archive.committee.pk, dossier="36521")) == 16
    letter = archive.question_letters[0]
    day = letter.date.isoformat()
    rows = listed(staffer_client, date_after=day, date_before=day)
    assert {row.letter.pk for row in rows} == {letter.pk}


def test_pages_follow_each_other_newest_letter_first_questions_in_their_order(staffer_client):
    archive = make_archive(30)  # 60 questions: two pages
    first = staffer_client.get(reverse("questions:list"))
    page = first.context["page"]
    assert page.has_next and len(first.context["rows"]) == QUESTIONS_PER_PAGE
    second = staffer_client.get(reverse("questions:list"), {"after": page.next_cursor}).context["rows"]
    shown = [row.url for row in [*first.context["rows"], *second]]
    expected = [
        reverse("questions:thread", args=[pk])
        for pk in Question.objects.order_by("-letter__date", "-letter_id", "order").values_list(
            "pk", flat=True
        )
    ]
    assert shown == expected
    assert archive.question_letters  # made


@pytest.mark.parametrize("rounds", [3, 30])
def test_the_list_costs_the_same_queries_for_few_questions_or_many(staffer_client, rounds):
    make_archive(rounds)
    with CaptureQueriesContext(connection) as queries:
        staffer_client.get(reverse("questions:list"), {"answered": "false"})
    # session, user, menu permissions (2), committee, minister and party options, the page
    assert len(queries) == 8


def test_the_csv_holds_the_filtered_questions_with_their_answer_status(staffer_client):
    archive = make_archive(8)
    response = staffer_client.get(reverse("questions:list"), {"answered": "true", "export": "csv"})
    lines = b"".join(response.streaming_content).decode().removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("Label;Text;Party;Member;Answered;Answers;Date;")
    assert len(lines) == 1 + 4
    assert all(";yes;1;" in line for line in lines[1:])
    assert archive.party.name in lines[1]


def test_the_filter_bar_keeps_a_letter_filter_without_showing_it(staffer_client):
    page = staffer_client.get("/questions/", {"letter": "7"}).content.decode()
    assert '<input type="hidden" name="letter" value="7"' in page
    assert 'for="id_letter"' not in page
