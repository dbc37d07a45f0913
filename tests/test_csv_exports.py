"""Every list downloads as CSV: streamed, filtered as its page is, headed in the user's language."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import csv_export
from deadlines import rules
from deadlines.models import Deadline
from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from letters.models import Letter

staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db


def download(client, url: str, params: dict | None = None) -> tuple[list[list[str]], int, int]:
    """The CSV's rows (header first), the queries run before the first byte is read and the
    queries run while it streams."""
    with CaptureQueriesContext(connection) as before:
        response = client.get(url, {**(params or {}), "export": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    with CaptureQueriesContext(connection) as streaming:
        body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    return rows, len(before), len(streaming)


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_the_letter_csv_holds_the_filtered_letters_in_the_lists_order(staffer_client):
    archive = make_archive(8)
    rows, _before, _streaming = download(staffer_client, reverse("letters:list"), {"status": "postponed"})
    postponed = Letter.objects.filter(deadline__status="postponed").order_by("-date", "-pk")
    assert column(rows, "Subject") == [letter.subject for letter in postponed]
    assert set(column(rows, "Deadline status")) == {"Postponed"}
    assert column(rows, "Committee")[0] == archive.committee.name
    assert column(rows, "Letter page")[0] == f"http://testserver/letters/{postponed[0].pk}/"


def test_the_letter_csv_is_headed_in_the_users_language(staffer_client, settings):
    make_archive(3)
    staffer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    rows, _before, _streaming = download(staffer_client, reverse("letters:list"), {"status": "postponed"})
    assert rows[0][:3] == ["Dagtekening", "Soort", "Onderwerp"]
    assert column(rows, "Status termijn") == ["Uitgesteld"]
    assert column(rows, "Soort") == ["Vragenbrief"]


@pytest.mark.parametrize("rounds", [2, 12])
def test_the_letter_csv_streams_in_chunks_with_one_query_whatever_its_size(
    staffer_client, monkeypatch, rounds
):
    make_archive(rounds)
    monkeypatch.setattr(csv_export, "CHUNK_ROWS", 3)
    rows, before, streaming = download(staffer_client, reverse("letters:list"))
    assert len(rows) == 1 + Letter.objects.count()
    # The rows are read while the response streams, not before: one query, chunk after chunk.
    assert streaming == 1
    assert before <= 4  # session, user and nothing of the list


def test_the_deadline_csv_holds_the_filtered_deadlines_by_due_date_with_days_late(staffer_client):
    archive = make_archive(8)
    rows, _before, _streaming = download(staffer_client, reverse("deadlines:list"), {"status": "overdue"})
    overdue = Deadline.objects.filter(status="overdue").order_by("due_date", "pk")
    today = rules.local_date(timezone.now())
    assert column(rows, "Subject") == [deadline.letter.subject for deadline in overdue]
    assert column(rows, "Days late") == [str((today - deadline.due_date).days) for deadline in overdue]
    assert set(column(rows, "Questions")) == {"2"}
    assert column(rows, "Minister")[0] == archive.minister.portfolio


@pytest.mark.parametrize("rounds", [2, 12])
def test_the_deadline_csv_costs_one_query_whatever_its_size(staffer_client, monkeypatch, rounds):
    make_archive(rounds)
    monkeypatch.setattr(csv_export, "CHUNK_ROWS", 3)
    rows, _before, streaming = download(staffer_client, reverse("deadlines:list"))
    assert len(rows) == 1 + Deadline.objects.count()
    assert streaming == 1


def test_the_search_csv_holds_the_hits_of_the_same_search_and_filters(staffer_client):
    archive = make_archive(6)
    params = {"q": "asielzoekers", "scope": "questions", "status": "postponed"}
    page = staffer_client.get(reverse("search"), params)
    rows, _before, _streaming = download(staffer_client, reverse("search"), params)
    shown = [f"http://testserver/questions/{hit.obj.pk}/" for hit in page.context["results"].hits]
    assert column(rows, "Link") == shown
    assert len(shown) == 1  # the postponed round's first question
    assert column(rows, "Found in") == ["Questions"]
    assert column(rows, "Committee") == [archive.committee.name]
    assert column(rows, "Deadline status") == ["Postponed"]
