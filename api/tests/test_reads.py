"""The read endpoints: the pages' FilterSets, cursor pages, a constant number of queries per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier
from dossiers.tests.factories import make_archive, make_source
from letters.choices import LetterKind
from letters.models import Letter
from questions.choices import LinkKind, LinkSource
from questions.models import QuestionLink

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/dossiers/",
    "/api/v1/letters/",
    "/api/v1/questions/",
    "/api/v1/answers/",
    "/api/v1/deadlines/",
    "/api/v1/imports/",
]


def archive_in_one_file(rounds: int):
    """`rounds` rounds of letters, all found in one uploaded file (so the import lists have rows)."""
    archive = make_archive(rounds)
    source = make_source(f"archief-{rounds}.pdf")
    for place, letter in enumerate(Letter.objects.order_by("pk")):
        Letter.objects.filter(pk=letter.pk).update(source=source, order_in_source=place)
    for n in range(rounds):
        make_source(f"los-{rounds}-{n}.pdf")
        Dossier.objects.create(number=f"{rounds}00{n}", title=f"Dossier {n}")
    return archive, source


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("url", [*LISTS, "import-letters"])
def test_a_list_costs_the_same_queries_for_4_and_24_rounds(staffer_client, url):
    counts, rows = [], []
    for rounds in (4, 24):
        Letter.objects.all().delete()
        _, source = archive_in_one_file(rounds)
        target = f"/api/v1/imports/{source.pk}/letters/" if url == "import-letters" else url
        rows.append(len(staffer_client.get(target).json()["results"]))
        counts.append(queries(staffer_client, target))
    assert 0 < rows[0] < rows[1]
    assert counts[0] == counts[1]


def test_lists_are_paged_by_a_cursor(staffer_client):
    make_archive(3)
    seen, url = [], "/api/v1/letters/?limit=2"
    while url:
        page = staffer_client.get(url).json()
        assert "count" not in page  # nothing is counted
        seen += [letter["id"] for letter in page["results"]]
        url = page["next"]
    assert seen == sorted(Letter.objects.values_list("pk", flat=True), reverse=True)


def test_the_letter_list_filters_with_the_letter_pages_filterset(staffer_client):
    archive = make_archive(2)
    answers = staffer_client.get("/api/v1/letters/", {"kind": LetterKind.ANSWER}).json()["results"]
    assert {letter["id"] for letter in answers} == {letter.pk for letter in archive.answer_letters}
    unanswered = staffer_client.get("/api/v1/letters/", {"answered": "false", "kind": "questions"}).json()
    assert all(letter["deadline"]["answered_on"] is None for letter in unanswered["results"])
    by_dossier = staffer_client.get("/api/v1/letters/", {"dossier": archive.dossier.number}).json()
    assert len(by_dossier["results"]) == Letter.objects.filter(dossier=archive.dossier).count()


def test_an_invalid_filter_is_a_400_naming_the_field(staffer_client):
    response = staffer_client.get("/api/v1/letters/", {"committee": "999999"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "committee" in body["errors"]


def test_the_deadline_list_filters_with_the_deadline_pages_filterset(staffer_client):
    archive = make_archive(4)
    overdue = staffer_client.get("/api/v1/deadlines/", {"status": "overdue"}).json()["results"]
    assert overdue and all(deadline["status"] == "overdue" for deadline in overdue)
    assert {d["letter"]["id"] for d in overdue} <= {letter.pk for letter in archive.question_letters}


def test_a_questions_thread_lists_the_linked_questions_and_their_answers(staffer_client):
    archive = make_archive(4)
    earlier = archive.answer_letters[0].in_reply_to.questions.order_by("order").first()
    later = next(letter for letter in archive.question_letters if letter != earlier.letter).questions.first()
    QuestionLink.objects.create(
        earlier=earlier, later=later, kind=LinkKind.FOLLOW_UP, source=LinkSource.MANUAL
    )
    thread = staffer_client.get(f"/api/v1/questions/{later.pk}/thread/").json()
    assert {q["id"] for q in thread["questions"]} == {earlier.pk, later.pk}
    assert thread["links"][0]["earlier"] == earlier.pk
    answered = [q for q in thread["questions"] if q["answers"]]
    assert answered and answered[0]["answers"][0]["text"]


def test_an_unknown_api_address_is_a_json_404(staffer_client):
    response = staffer_client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert staffer_client.get("/api/v1/letters/999999/").json()["code"] == "not_found"


def test_each_letter_links_to_itself_in_the_api_and_on_the_site(staffer_client):
    archive_in_one_file(2)
    results = staffer_client.get("/api/v1/letters/").json()["results"]
    for row in results:
        assert row["url"] == f"http://testserver/api/v1/letters/{row['id']}/"
        assert row["web_url"] == f"/letters/{row['id']}/"
    assert staffer_client.get(results[0]["url"]).json()["id"] == results[0]["id"]


def test_brief_rows_nested_in_a_list_are_written_as_the_model_fields_would_be(staffer_client):
    from rest_framework.renderers import JSONRenderer
    from rest_framework.serializers import ModelSerializer

    from api.serializers import (
        CommitteeBriefSerializer,
        DeadlineBriefSerializer,
        DossierBriefSerializer,
        MinisterBriefSerializer,
    )

    archive_in_one_file(2)
    letter = Letter.objects.exclude(deadline=None).exclude(committee=None).exclude(minister=None).first()
    letter.dossier = Dossier.objects.first()
    for serializer, row in (
        (CommitteeBriefSerializer, letter.committee),
        (MinisterBriefSerializer, letter.minister),
        (DossierBriefSerializer, letter.dossier),
        (DeadlineBriefSerializer, letter.deadline),
    ):
        converted = ModelSerializer.to_representation(serializer(row), row)
        assert JSONRenderer().render(serializer(row).data) == JSONRenderer().render(converted)
