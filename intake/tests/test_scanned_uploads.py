"""A scanned letter uploaded by a clerk is read by OCR, imported, and says so on its pages."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from dossiers.tests import factories
from letters.choices import ImportStatus
from letters.parser import ocr
from letters.tests.pdfs import scanned
from letters.tests.test_ocr import needs_tesseract, sample_pdf

pytestmark = pytest.mark.django_db

clerk, clerk_client = factories.clerk, factories.clerk_client


def dutch_page(client, url: str) -> str:
    with translation.override("nl"), override_settings(LANGUAGE_CODE="nl"):
        return client.get(url).content.decode()


@needs_tesseract
def test_a_scanned_upload_is_imported_and_its_review_and_letter_pages_say_it_was_read_by_ocr(
    post_upload, clerk_client
):
    source = post_upload(scanned(sample_pdf("tk-kamervragen-asiel")), "scan.pdf")
    assert source.status == ImportStatus.IMPORTED
    [page] = source.ocr_pages
    assert page["page"] == 1 and not page["low"] and page["confidence"] >= 60
    assert source.letters.count() == 2
    review = dutch_page(clerk_client, source.get_absolute_url())
    assert "Gelezen met OCR" in review and f"{round(page['confidence'])}%" in review
    for letter in source.letters.all():
        assert letter.ocr_pages == [page]
        assert "Gelezen met OCR" in dutch_page(clerk_client, letter.get_absolute_url())


def test_a_pdf_with_a_text_layer_says_nothing_of_ocr(post_upload, clerk_client):
    source = post_upload(sample_pdf("tk-kamervragen-asiel"), "tekst.pdf")
    assert source.status == ImportStatus.IMPORTED and source.ocr_pages == []
    assert "Gelezen met OCR" not in dutch_page(clerk_client, source.get_absolute_url())
    assert "Gelezen met OCR" not in dutch_page(clerk_client, source.letters.first().get_absolute_url())


@needs_tesseract
def test_a_poorly_scanned_page_is_flagged_for_the_clerk_on_the_review_page(
    post_upload, clerk_client, settings
):
    settings.GRIFFIE_OCR_CONFIDENCE_FLOOR = 99.5  # every page of a real scan falls below it
    source = post_upload(scanned(sample_pdf("tk-kamervragen-asiel")), "scan.pdf")
    [page] = source.ocr_pages
    assert page["low"]
    assert {"code": "ocr_low_confidence", "params": {"page": 1, "confidence": round(page["confidence"])}} in (
        source.warnings
    )
    review = dutch_page(clerk_client, source.get_absolute_url())
    assert "laag: vergelijk met de scan" in review
    assert "Pagina 1 is een scan die de tekstherkenning met weinig zekerheid las" in review


def test_without_tesseract_a_scanned_upload_fails_with_a_message_naming_the_packages(
    post_upload, clerk_client, monkeypatch
):
    monkeypatch.setattr(ocr, "TESSERACT", "griffie-no-such-tesseract")
    source = post_upload(scanned(sample_pdf("tk-kamervragen-asiel")), "scan.pdf")
    assert source.status == ImportStatus.FAILED and source.error_code == "ocr_unavailable"
    assert "tesseract-ocr" in source.error_message  # the technical detail is kept with the file
    review = dutch_page(clerk_client, source.get_absolute_url())
    assert "tesseract-ocr-nld" in review and "tekstherkenning" in review
