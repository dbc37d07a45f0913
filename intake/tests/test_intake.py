import threading
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from intake import imports, tasks
from letters.choices import ImportStatus, LetterKind, LinkConfidence
from letters.models import Letter, LetterChange, SourceDocument

# The web tests' shared fixtures (this app's conftest belongs to the import pipeline's tests).
clerk, clerk_client, staffer, staffer_client = (
    factories.clerk,
    factories.clerk_client,
    factories.staffer,
    factories.staffer_client,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def letter_form_data(letter: Letter, **changes) -> dict:
    """What the review form posts for `letter`, with `changes` applied."""
    from intake.forms import LetterForm

    form = LetterForm(instance=letter, prefix=f"l{letter.pk}")
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[f"l{letter.pk}-{name}"] = value
        elif hasattr(value, "isoformat"):
            data[f"l{letter.pk}-{name}"] = value.isoformat()
        else:
            data[f"l{letter.pk}-{name}"] = str(value) if not hasattr(field, "queryset") else value
    for name, value in changes.items():
        data[f"l{letter.pk}-{name}"] = value
    return data


def test_upload_refuses_files_that_are_not_pdf(clerk_client, media):
    upload = SimpleUploadedFile("brief.pdf", b"hello, not a pdf", content_type="application/pdf")
    response = clerk_client.post(reverse("intake:upload"), {"files": [upload]})
    assert response.status_code == 400
    assert "brief.pdf is not a PDF file" in response.content.decode()
    assert not SourceDocument.objects.exists()


def test_upload_refuses_files_over_the_size_limit(clerk_client, media, settings):
    settings.GRIFFIE_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    response = clerk_client.post(reverse("intake:upload"), {"files": [upload]})
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()


def test_upload_needs_a_csrf_token(clerk, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n")
    assert client.post(reverse("intake:upload"), {"files": [upload]}).status_code == 403


def test_staffers_cannot_upload(staffer_client, media):
    assert staffer_client.get(reverse("intake:upload")).status_code == 403


@pytest.mark.corpus
def test_uploaded_pdf_is_imported_and_shown_for_review(
    clerk_client, media, imports_inline, corpus_dir, django_capture_on_commit_callbacks
):
    pdf = sorted((corpus_dir / "kamervragen").glob("*.pdf"))[0]
    upload = SimpleUploadedFile(pdf.name, pdf.read_bytes(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("intake:upload"), {"files": [upload]})
    source = SourceDocument.objects.get()
    assert response["Location"] == source.get_absolute_url()
    source.refresh_from_db()
    assert source.status in (ImportStatus.IMPORTED, ImportStatus.FAILED)
    review = clerk_client.get(source.get_absolute_url())
    assert review.status_code == 200
    html = review.content.decode()
    assert reverse("letters:source_pdf", args=[source.pk]) in html
    if source.status == ImportStatus.IMPORTED:
        assert source.letters.exists()
        assert 'name="action" value="confirm"' in html
    status = clerk_client.get(reverse("intake:source_status", args=[source.pk])).json()
    assert status["status"] == source.status


def test_correcting_a_date_keeps_history_and_moves_the_deadline(clerk_client):
    letter = make_archive(1).question_letters[0]
    due_before = Deadline.objects.get(letter=letter).due_date
    new_date = letter.date + timedelta(days=7)
    data = letter_form_data(letter, date=new_date.isoformat(), subject="Vragen over de opvang")
    data["action"] = "save"
    response = clerk_client.post(reverse("intake:edit", args=[letter.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = {
        c.field: (c.before, c.after, c.user.username) for c in LetterChange.objects.filter(letter=letter)
    }
    assert changes["date"] == (letter.date.isoformat(), new_date.isoformat(), "clerk")
    assert changes["subject"][1] == "Vragen over de opvang"
    assert Deadline.objects.get(letter=letter).due_date == due_before + timedelta(days=7)
    page = clerk_client.get(letter.get_absolute_url()).content.decode()
    assert "Correction history" in page or "Correctiegeschiedenis" in page or "Vragen over de opvang" in page


def test_confirming_records_who_and_when(clerk_client):
    letter = make_archive(1).question_letters[0]
    data = letter_form_data(letter)
    data["action"] = "confirm"
    clerk_client.post(reverse("intake:edit", args=[letter.pk]), data)
    letter.refresh_from_db()
    assert letter.confirmed_by.username == "clerk"
    assert letter.confirmed_at is not None
    assert not LetterChange.objects.filter(letter=letter).exists()


def test_linking_a_notice_by_hand_postpones_the_deadline(clerk_client):
    archive = make_archive(1)
    asked = archive.question_letters[0]
    notice = Letter.objects.create(
        kind=LetterKind.POSTPONEMENT, date=timezone.localdate(), chamber="EK", minister=archive.minister
    )
    data = letter_form_data(notice, in_reply_to=str(asked.pk))
    data["action"] = "save"
    response = clerk_client.post(reverse("intake:edit", args=[notice.pk]), data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.in_reply_to, notice.link_confidence) == (asked, LinkConfidence.MANUAL)
    assert Deadline.objects.get(letter=asked).status == DeadlineStatus.POSTPONED
    assert LetterChange.objects.get(letter=notice, field="in_reply_to").before == ""


def test_correcting_question_text_is_kept_in_the_history(clerk_client):
    letter = make_archive(1).question_letters[0]
    questions = list(letter.questions.order_by("order"))
    data = letter_form_data(letter)
    data.update(
        {
            "questions-TOTAL_FORMS": "2",
            "questions-INITIAL_FORMS": "2",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
        }
    )
    for i, question in enumerate(questions):
        data.update(
            {
                f"questions-{i}-id": question.pk,
                f"questions-{i}-label": question.label,
                f"questions-{i}-page": question.page,
                f"questions-{i}-text": question.text,
            }
        )
    data["questions-0-text"] = "Hoeveel asielzoekers wachten er nu?"
    data["action"] = "save"
    response = clerk_client.post(reverse("intake:edit", args=[letter.pk]), data)
    assert response.status_code == 302
    change = LetterChange.objects.get(letter=letter)
    assert change.field == "question 1 text"
    assert change.after == "Hoeveel asielzoekers wachten er nu?"


def test_invalid_correction_is_shown_with_its_error(clerk_client):
    letter = make_archive(1).question_letters[0]
    data = letter_form_data(letter, first_page="3", last_page="1")
    response = clerk_client.post(reverse("intake:edit", args=[letter.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["last_page"]


def test_manual_entry_creates_a_question_letter_with_its_deadline(clerk_client):
    archive = make_archive(0)
    response = clerk_client.post(
        reverse("intake:create"),
        {
            "kind": "questions",
            "date": date.today().isoformat(),
            "chamber": "EK",
            "committee": archive.committee.pk,
            "subject": "Vragen over de opvang",
            "dossier_number": "36600-VI",
            "questions_text": "Hoeveel plekken zijn er?\n\nWanneer komen er meer?",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get(subject="Vragen over de opvang")
    assert [q.text for q in letter.questions.order_by("order")] == [
        "Hoeveel plekken zijn er?",
        "Wanneer komen er meer?",
    ]
    assert letter.dossier.number == "36600-VI"
    assert Deadline.objects.get(letter=letter).status in (DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON)
    assert letter.confirmed_by.username == "clerk"


pytestmark = pytest.mark.django_db


def test_review_page_words_stored_warnings_and_errors_in_dutch_by_default(clerk_client, settings):
    settings.LANGUAGE_CODE = "nl"  # the project's default, which the root conftest sets to English
    imported = SourceDocument.objects.create(
        original_name="bundel.pdf",
        sha256="a" * 64,
        status=ImportStatus.IMPORTED,
        warnings=[
            {"code": "letter_undated", "params": {"letter": 2, "letter_kind": "questions", "letters": 3}},
            "Pagina 3: geen datum gevonden",
        ],
    )
    html = clerk_client.get(imported.get_absolute_url()).content.decode()
    assert (
        "<li>Vragenbrief (brief 2 van 3) heeft geen dagtekening in de tekst; vul de datum zelf in.</li>"
        in html
    )
    assert "<li>Pagina 3: geen datum gevonden</li>" in html
    failed = SourceDocument.objects.create(
        original_name="scan.pdf",
        sha256="b" * 64,
        status=ImportStatus.FAILED,
        error_code="no_text",
        error_message="The PDF contains no readable text, probably because it is a scan.",
    )
    dutch = "De pdf bevat geen tekst"
    assert dutch in clerk_client.get(failed.get_absolute_url()).content.decode()
    status = clerk_client.get(reverse("intake:source_status", args=[failed.pk])).json()
    assert status["error"].startswith(dutch)


@pytest.mark.corpus
@pytest.mark.django_db(transaction=True)
def test_a_batch_upload_says_how_many_files_were_imported_and_how_many_failed(
    clerk_client, media, imports_inline, corpus_dir
):
    pdfs = sorted((corpus_dir / "kamervragen").glob("*.pdf"))[:2]
    uploads = [SimpleUploadedFile(pdf.name, pdf.read_bytes(), content_type="application/pdf") for pdf in pdfs]
    uploads.append(
        SimpleUploadedFile("kapot.pdf", b"%PDF-1.4\nnot really a pdf", content_type="application/pdf")
    )

    response = clerk_client.post(reverse("intake:upload"), {"files": uploads}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "3 files: 2 imported, 0 being imported, 1 failed."
    ]


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_quick_start_imports_in_a_thread_so_the_upload_answers_at_once(
    clerk_client, media, settings, fixtures_dir
):
    settings.GRIFFIE_IMPORT_IN_THREAD = True
    done = threading.Event()
    original = tasks._import_in_thread

    def import_then_signal(source_id: int) -> None:
        original(source_id)
        done.set()

    with mock.patch.object(tasks, "_import_in_thread", import_then_signal):
        pdf = fixtures_dir / "parser" / "lone_answer_letter.txt"
        source, _ = imports.store_path(path=pdf)
        tasks.queue_import(source.pk)
        assert done.wait(timeout=60)

    source.refresh_from_db()
    assert source.status == ImportStatus.IMPORTED and source.letters.exists()
