"""The same letter uploaded again as another PDF (re-saved, re-scanned): held for a clerk, never
counted twice."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from deadlines.models import Deadline, DeadlineEvent
from dossiers.tests import factories
from letters.choices import ImportStatus, LetterKind
from letters.models import Letter, SourceDocument
from letters.tests.pdfs import build_pdf, text_op

pytestmark = pytest.mark.django_db

clerk, clerk_client = factories.clerk, factories.clerk_client

FIRST_QUESTIONS = [
    "Kan de minister toelichten hoe de maatregel wordt gefinancierd?",
    "Welke gevolgen heeft de maatregel voor gemeenten?",
]
OTHER_QUESTIONS = [
    "Hoeveel aanvragen voor de toeslag zijn er sinds januari afgewezen?",
    "Waarom duurt de behandeling van een bezwaar langer dan de wettelijke termijn?",
    "Is de minister bereid de uitvoeringsorganisatie extra capaciteit te geven?",
]


def committee_letter(subject: str, questions: list[str]) -> str:
    numbered = "\n\n".join(f"{n}. {text}" for n, text in enumerate(questions, start=1))
    return f""" BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN

Aan de minister van Financiën

Den Haag, 3 maart 2026

De leden van de vaste commissie voor Financiën hebben kennisgenomen van uw brief over
{subject}. De leden van de fractie van de SGP hebben de volgende vragen.

{numbered}

De leden van de vaste commissie zien uw reactie met belangstelling tegemoet en ontvangen deze
graag binnen vier weken na dagtekening van deze brief.

P. Smit
Voorzitter van de vaste commissie voor Financiën"""


def pdf(text: str, *, compress: bool = False) -> bytes:
    """The text as a one-page PDF; `compress` stores the same page deflated, as another tool saving
    the same letter would: the same text in other bytes."""
    rows = enumerate(text.split("\n"))
    page = b"".join(text_op(72, 780 - 14 * row, 10, line.strip()) for row, line in rows if line.strip())
    return build_pdf([page], compress=compress)


FIRST = committee_letter("de regeling voor de fictieve toeslagen", FIRST_QUESTIONS)
OTHER = committee_letter("de uitvoering van de huurtoeslag in het afgelopen jaar", OTHER_QUESTIONS)


def decide(client, source: SourceDocument, action: str, django_capture_on_commit_callbacks) -> SourceDocument:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:source_duplicate", args=[source.pk]), {"action": action})
    assert response["Location"] == source.get_absolute_url()
    source.refresh_from_db()
    return source


def test_a_resaved_pdf_of_a_stored_letter_is_held_as_a_probable_duplicate_and_opens_no_second_deadline(
    post_upload,
):
    original = post_upload(pdf(FIRST), "vragen.pdf")
    events = DeadlineEvent.objects.count()
    resaved = post_upload(pdf(FIRST, compress=True), "vragen (opnieuw opgeslagen).pdf")
    assert original.sha256 != resaved.sha256
    assert resaved.status == ImportStatus.DUPLICATE
    assert list(resaved.duplicate_of.all()) == list(original.letters.all())
    assert not resaved.letters.exists()
    assert Letter.objects.count() == 1 and Deadline.objects.count() == 1
    assert DeadlineEvent.objects.count() == events


def test_the_review_page_asks_the_clerk_in_dutch_which_letter_it_repeats(post_upload, clerk_client):
    original = post_upload(pdf(FIRST), "vragen.pdf")
    resaved = post_upload(pdf(FIRST, compress=True), "vragen-2.pdf")
    with translation.override("nl"), override_settings(LANGUAGE_CODE="nl"):
        html = clerk_client.get(resaved.get_absolute_url()).content.decode()
    assert "Dit lijkt dezelfde brief als" in html
    assert original.letters.get().get_absolute_url() in html
    assert "Toch importeren" in html and "Als duplicaat verwerpen" in html


def test_importing_a_probable_duplicate_anyway_saves_its_letters_like_any_upload(
    post_upload,
    clerk,
    clerk_client,
    django_capture_on_commit_callbacks,
):
    post_upload(pdf(FIRST), "vragen.pdf")
    resaved = decide(
        clerk_client,
        post_upload(pdf(FIRST, compress=True), "vragen-2.pdf"),
        "import",
        django_capture_on_commit_callbacks,
    )
    assert resaved.status == ImportStatus.IMPORTED
    assert (resaved.duplicate_decided_by, resaved.duplicate_decided_at is not None) == (clerk, True)
    assert resaved.letters.get().kind == LetterKind.QUESTIONS
    assert Deadline.objects.count() == 2


def test_rejecting_a_probable_duplicate_keeps_the_file_and_imports_nothing(
    post_upload,
    clerk,
    clerk_client,
    django_capture_on_commit_callbacks,
):
    post_upload(pdf(FIRST), "vragen.pdf")
    held = post_upload(pdf(FIRST, compress=True), "vragen-2.pdf")
    rejected = decide(clerk_client, held, "reject", django_capture_on_commit_callbacks)
    assert (rejected.status, rejected.duplicate_decided_by) == (ImportStatus.REJECTED, clerk)
    assert rejected.file.storage.exists(rejected.file.name) and rejected.parse_result["letters"]
    assert Letter.objects.count() == 1 and Deadline.objects.count() == 1
    # The same bytes again, or the import run again, leave the decision as it is.
    again = post_upload(pdf(FIRST, compress=True), "vragen-2.pdf")
    assert (again.pk, again.status) == (rejected.pk, ImportStatus.REJECTED)
    assert Letter.objects.count() == 1


def test_a_different_letter_of_the_same_date_committee_and_minister_is_imported(post_upload):
    post_upload(pdf(FIRST), "vragen.pdf")
    other = post_upload(pdf(OTHER), "andere-vragen.pdf")
    assert other.status == ImportStatus.IMPORTED
    assert not other.duplicate_of.exists()
    assert Letter.objects.filter(date=other.letters.get().date).count() == 2
    assert Deadline.objects.count() == 2
