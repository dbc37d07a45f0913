from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from letters.choices import ImportStatus, LetterKind
from letters.models import Letter, LetterChange, SourceDocument

SHA = "a" * 64


def make_source(**kwargs) -> SourceDocument:
    fields = {"original_name": "brief.pdf", "sha256": SHA, "file": "sources/aa/x.pdf"} | kwargs
    return SourceDocument.objects.create(**fields)


@pytest.mark.django_db
def test_same_file_cannot_be_stored_twice():
    make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(original_name="copy.pdf")


@pytest.mark.django_db
def test_sha256_must_be_lowercase_hex():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(sha256="Z" * 64)


@pytest.mark.django_db
def test_failed_import_must_say_why():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(status=ImportStatus.FAILED, error_message="")
    failed = make_source(status=ImportStatus.FAILED, error_message="The file is encrypted.")
    assert failed.status_colour == "red"


@pytest.mark.django_db
def test_letter_page_range_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(kind=LetterKind.QUESTIONS, first_page=3, last_page=2)
    assert Letter.objects.create(kind=LetterKind.QUESTIONS, first_page=2, last_page=2).pk


@pytest.mark.django_db
def test_letter_cannot_reply_to_itself():
    letter = Letter.objects.create(kind=LetterKind.ANSWER)
    letter.in_reply_to = letter
    with pytest.raises(IntegrityError), transaction.atomic():
        letter.save()


@pytest.mark.django_db
def test_two_letters_cannot_share_a_position_in_one_source():
    source = make_source()
    Letter.objects.create(kind=LetterKind.COVER, source=source, order_in_source=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(kind=LetterKind.QUESTIONS, source=source, order_in_source=0)


def test_undated_letter_reports_its_date_missing():
    assert Letter(kind=LetterKind.QUESTIONS).date_missing
    assert not Letter(kind=LetterKind.QUESTIONS, date=date(2025, 6, 24)).date_missing


@pytest.mark.parametrize(
    ("field", "english", "dutch"),
    [
        ("subject", "Subject", "Onderwerp"),
        ("dossier_number", "Dossier number", "Dossiernummer"),
        ("question 3 text", "Question 3: text", "Vraag 3: tekst"),
        ("answer 2 en 3 label", "Answer 2 en 3: label", "Antwoord 2 en 3: aanduiding"),
        ("a_field_since_removed", "A_field_since_removed", "A_field_since_removed"),
    ],
)
def test_the_history_names_fields_as_the_form_labels_them(field, english, dutch):
    change = LetterChange(field=field)
    with translation.override("en"):
        assert change.field_label == english
    with translation.override("nl"):
        assert change.field_label == dutch
