"""What each minister owes: the unanswered letters, overdue first, per minister and for all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deadlines import rules
from deadlines.choices import PENDING_STATUSES
from deadlines.models import Deadline
from dossiers.models import Minister
from dossiers.tests import factories
from dossiers.tests.factories import make_archive

staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db


def test_the_page_lists_the_unanswered_letters_overdue_first_with_days_late(staffer_client):
    make_archive(8)
    response = staffer_client.get(reverse("deadlines:owed"))
    assert response.status_code == 200
    rows = response.context["rows"]
    pending = Deadline.objects.filter(status__in=PENDING_STATUSES)
    assert [row.deadline.pk for row in rows] == list(
        pending.order_by("due_date", "pk").values_list("pk", flat=True)
    )
    assert len(rows) == 6  # of 8 rounds, every fourth is answered
    today = rules.local_date(timezone.now())
    overdue = [row for row in rows if row.deadline.status == "overdue"]
    assert overdue and rows[: len(overdue)] == overdue
    for row in overdue:
        assert row.days_late == (today - row.deadline.due_date).days
        assert f"{row.days_late} days late" in response.content.decode()
    postponed = [row for row in rows if row.deadline.status == "postponed"]
    assert postponed and all(row.postponements == 1 for row in postponed)
    assert all(row.open_questions == 2 for row in rows)
    assert (
        "vaste commissie voor Binnenlandse Zaken" in response.content.decode()
        or "BiZa" in response.content.decode()
    )


def test_a_ministers_page_lists_only_what_that_minister_owes(staffer_client):
    archive = make_archive(4)
    other = Minister.objects.create(portfolio="minister van Financiën")
    owed_elsewhere = archive.question_letters[0]
    owed_elsewhere.minister = other
    owed_elsewhere.save(update_fields=["minister"])
    everyone = staffer_client.get(reverse("deadlines:owed"))
    assert {row["letter__minister"]: row["pending"] for row in everyone.context["per_minister"]} == {
        archive.minister.pk: 2,
        other.pk: 1,
    }
    response = staffer_client.get(reverse("deadlines:owed_by", args=[other.pk]))
    assert [row.letter.pk for row in response.context["rows"]] == [owed_elsewhere.pk]
    assert "What the minister van Financiën owes" in response.content.decode()
    assert "minister" not in response.context["filter"].form.fields


def test_a_letter_and_its_deadline_link_to_what_their_minister_owes(staffer_client):
    letter = make_archive(1).question_letters[0]
    owed = reverse("deadlines:owed_by", args=[letter.minister_id])
    assert owed in staffer_client.get(letter.get_absolute_url()).content.decode()
    assert owed in staffer_client.get(letter.deadline.get_absolute_url()).content.decode()
    assert reverse("deadlines:owed") in staffer_client.get(reverse("deadlines:list")).content.decode()


@pytest.mark.parametrize("rounds", [4, 24])
def test_the_page_costs_the_same_queries_for_few_letters_or_many(staffer_client, rounds):
    committee = make_archive(rounds).committee
    with CaptureQueriesContext(connection) as queries:
        response = staffer_client.get(reverse("deadlines:owed"), {"committee": committee.pk})
    assert response.status_code == 200
    # session, user, menu permissions (2), committee and minister options, the rows, their
    # questions and postponements, the count per minister
    assert len(queries) == 10
    assert len(response.context["rows"]) == rounds - rounds // 4


def test_the_csv_has_the_pages_rows_and_filters(staffer_client):
    archive = make_archive(8)
    response = staffer_client.get(
        reverse("deadlines:owed_by", args=[archive.minister.pk]), {"status": "postponed", "export": "csv"}
    )
    body = b"".join(response.streaming_content).decode()
    lines = body.removeprefix("\ufeff").splitlines()
    postponed = Deadline.objects.filter(status="postponed").order_by("due_date", "pk")
    assert len(lines) == 1 + postponed.count()
    assert lines[0].startswith("Due date;Status;Days late;Days left;Original due date;Postponements;")
    assert all(";Postponed;" in line for line in lines[1:])
    assert response["Content-Disposition"].startswith('attachment; filename="owed-minister-van-asiel')


def test_the_page_says_what_it_is_filtered_by_so_a_printed_copy_does(staffer_client):
    archive = make_archive(4)
    html = staffer_client.get(
        reverse("deadlines:owed"), {"committee": archive.committee.pk, "status": ["overdue", "postponed"]}
    ).content.decode()
    assert f"Committee: {archive.committee}" in html
    assert "Status: Overdue, Postponed" in html
