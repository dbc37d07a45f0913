"""The clerk's writes through the API: upload -> 202 -> poll -> letters; corrections; confirmation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deadlines.models import Deadline
from dossiers.tests.factories import make_archive
from intake.tests.test_duplicate_letters import FIRST, pdf
from letters.choices import ImportStatus
from letters.models import Letter, LetterChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(clerk_client, settings, tmp_path, imports_inline, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path

    def send(content: bytes, name: str = "brief.pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            return clerk_client.post(
                "/api/v1/imports/",
                {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
            )

    return send


def patch(client, url: str, payload: dict):
    return client.patch(url, json.dumps(payload), content_type="application/json")


def test_an_upload_is_accepted_then_polled_then_its_letters_are_listed(upload, clerk_client):
    response = upload(pdf(FIRST))
    assert response.status_code == 202
    status_url = response["Location"]
    assert status_url == response.json()["url"]
    imported = clerk_client.get(status_url).json()
    assert imported["status"] == ImportStatus.IMPORTED
    letters = clerk_client.get(imported["letters_url"]).json()["results"]
    assert [letter["kind"] for letter in letters] == ["questions"]
    assert letters[0]["deadline"]["due_date"]


def test_the_same_file_uploaded_again_answers_with_the_earlier_import(upload):
    first = upload(pdf(FIRST)).json()
    again = upload(pdf(FIRST), name="nogmaals.pdf")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_an_upload_that_is_not_a_pdf_is_a_400_with_the_intake_pages_message(upload):
    response = upload(b"hello, not a pdf")
    assert response.status_code == 400
    assert "is not a PDF file" in response.json()["errors"]["file"][0]


def test_staffers_read_but_may_not_upload_correct_or_confirm(staffer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = make_archive(1).question_letters[0]
    assert staffer_client.get(f"/api/v1/letters/{letter.pk}/").status_code == 200
    upload = SimpleUploadedFile("brief.pdf", pdf(FIRST), content_type="application/pdf")
    refused = [
        staffer_client.post("/api/v1/imports/", {"file": upload}),
        patch(staffer_client, f"/api/v1/letters/{letter.pk}/", {"version": "x", "subject": "Nee"}),
        staffer_client.post(
            "/api/v1/letters/confirm/", {"letters": [letter.pk]}, content_type="application/json"
        ),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert refused[0].json()["code"] == "permission_denied"


def test_a_correction_moves_the_deadline_and_keeps_the_history(clerk_client):
    letter = make_archive(1).question_letters[0]
    read = clerk_client.get(f"/api/v1/letters/{letter.pk}/").json()
    new_date = letter.date + timedelta(days=7)
    response = patch(
        clerk_client, read["url"], {"version": read["version"], "date": new_date.isoformat(), "confirm": True}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["changed"] == ["date"]
    assert body["letter"]["date"] == new_date.isoformat() and body["letter"]["confirmed_at"]
    change = LetterChange.objects.get(letter=letter)
    assert (change.field, change.after) == ("date", new_date.isoformat())
    assert Deadline.objects.get(letter=letter).due_date == new_date + timedelta(days=28)


def test_a_correction_needs_the_version_and_known_fields(clerk_client):
    letter = make_archive(1).question_letters[0]
    missing = patch(clerk_client, f"/api/v1/letters/{letter.pk}/", {"subject": "Nieuw"})
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    version = clerk_client.get(f"/api/v1/letters/{letter.pk}/").json()["version"]
    misspelt = patch(clerk_client, f"/api/v1/letters/{letter.pk}/", {"version": version, "subjekt": "Nieuw"})
    assert misspelt.status_code == 400 and "subjekt" in misspelt.json()["errors"]
    invalid = patch(clerk_client, f"/api/v1/letters/{letter.pk}/", {"version": version, "kind": "poem"})
    assert invalid.status_code == 400 and "kind" in invalid.json()["errors"]


def test_a_correction_on_an_old_version_of_the_same_field_is_a_409_with_both_values(clerk_client):
    letter = make_archive(1).question_letters[0]
    url = f"/api/v1/letters/{letter.pk}/"
    old_version = clerk_client.get(url).json()["version"]
    assert patch(clerk_client, url, {"version": old_version, "subject": "Van de ander"}).status_code == 200
    response = patch(clerk_client, url, {"version": old_version, "subject": "Van mij"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "edit_conflict"
    assert body["version"] == clerk_client.get(url).json()["version"] != old_version
    [conflict] = body["conflicts"]
    assert (conflict["field"], conflict["theirs"], conflict["mine"]) == ("subject", "Van de ander", "Van mij")
    assert Letter.objects.get(pk=letter.pk).subject == "Van de ander"


def test_an_old_version_keeps_the_other_clerks_change_to_another_field(clerk_client):
    letter = make_archive(1).question_letters[0]
    url = f"/api/v1/letters/{letter.pk}/"
    old_version = clerk_client.get(url).json()["version"]
    patch(clerk_client, url, {"version": old_version, "subject": "Van de ander"})
    response = patch(clerk_client, url, {"version": old_version, "reference": "2026-123"})
    assert response.status_code == 200
    letter.refresh_from_db()
    assert (letter.subject, letter.reference) == ("Van de ander", "2026-123")


def test_a_question_is_corrected_with_its_letters_version(clerk_client):
    letter = make_archive(1).question_letters[0]
    question = letter.questions.order_by("order").first()
    version = clerk_client.get(f"/api/v1/letters/{letter.pk}/").json()["version"]
    response = patch(
        clerk_client, f"/api/v1/questions/{question.pk}/", {"version": version, "text": "Nieuwe tekst"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == ["questions"]
    question.refresh_from_db()
    assert question.text == "Nieuwe tekst"
    assert LetterChange.objects.get(letter=letter).field == f"question {question.label} text"


def test_confirming_letters_counts_those_still_to_confirm(clerk_client):
    letters = make_archive(2).question_letters
    ids = [letter.pk for letter in letters]
    confirm = {"path": "/api/v1/letters/confirm/", "content_type": "application/json"}
    assert clerk_client.post(data={"letters": ids}, **confirm).json() == {"confirmed": 2}
    assert clerk_client.post(data={"letters": ids}, **confirm).json() == {"confirmed": 0}
    assert not Letter.objects.filter(pk__in=ids, confirmed_at=None).exists()


def test_a_session_write_needs_the_csrf_token_and_a_token_write_does_not(clerk):
    from django.test import Client

    from api.services import create_token

    letter = make_archive(1).question_letters[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    confirm = {"path": "/api/v1/letters/confirm/", "data": {"letters": [letter.pk]}}
    refused = browser.post(content_type="application/json", **confirm)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    _, secret = create_token(user=clerk, name="script", now=letter.created_at)
    program = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {secret}")
    assert program.post(content_type="application/json", **confirm).json() == {"confirmed": 1}
