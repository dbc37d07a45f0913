"""Warnings and errors: stored as codes, worded in the reader's language, letters counted from 1."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from letters.messages import MESSAGES, render
from letters.models import Letter, SourceDocument
from letters.parser import Notice, parse_file

REPO = Path(__file__).resolve().parents[2]
VARIANTS = REPO / "fixtures" / "parser" / "variants"

CITED_DATE_DIFFERS = {
    "code": "cited_date_differs",
    "params": {
        "letter": 3,
        "letter_kind": "answer",
        "letter_date": "2025-01-07",
        "letters": 3,
        "cited_date": "2024-11-28",
        "actual_date": "2024-10-23",
    },
}


def test_a_stored_warning_reads_in_dutch_by_default_and_in_english_when_asked():
    source = SourceDocument(warnings=[CITED_DATE_DIFFERS])
    with translation.override("nl"):
        assert source.warning_texts == [
            "Antwoordbrief van 7 januari 2025 verwijst naar een brief van 28 november 2024, "
            "maar de beantwoorde brief heeft als dagtekening 23 oktober 2024."
        ]
    with translation.override("en"):
        assert source.warning_texts == [
            "Answer of Jan. 7, 2025 cites a letter of Nov. 28, 2024, "
            "but the letter it replies to is dated Oct. 23, 2024."
        ]


def test_an_undated_letter_is_named_by_its_place_counted_from_one():
    notice = Notice("letter_undated", {"letter": 1, "letter_kind": "questions", "letters": 3})
    with translation.override("nl"):
        assert (
            render(notice)
            == "Vragenbrief (brief 1 van 3) heeft geen dagtekening in de tekst; vul de datum zelf in."
        )
    with translation.override("en"):
        assert render(notice) == "Questions (letter 1 of 3) has no date in its text; enter the date by hand."


def test_the_only_letter_of_a_document_is_named_by_its_kind_alone(fixtures_dir):
    result = parse_file(fixtures_dir / "parser" / "undated_committee_letter.txt")
    with translation.override("en"):
        assert [render(w) for w in result.warnings] == [
            "Questions has no date in its text; enter the date by hand."
        ]


def test_a_question_is_named_by_its_printed_label_and_letters_by_kind_and_date():
    result = parse_file(VARIANTS / "tk_onvolledig.txt")
    with translation.override("nl"):
        assert [render(w) for w in result.warnings] == [
            "Vraag 5 van vragenbrief van 2 december 2024 wordt niet beantwoord in antwoordbrief van "
            "9 januari 2025: “Wanneer ontvangt de Kamer de evaluatie van de regeling?”"
        ]


def test_words_stored_before_codes_existed_are_shown_as_they_were():
    assert render("Page 3: no date found") == "Page 3: no date found"
    assert SourceDocument(warnings=["Page 3: no date found"]).warning_texts == ["Page 3: no date found"]
    migrated = [{"code": "text", "params": {"text": "De datum wijkt af."}}]
    assert Letter(link_note=migrated).link_note_texts == ["De datum wijkt af."]
    assert Letter(link_note="De datum wijkt af.").link_note_texts == ["De datum wijkt af."]
    assert Letter(link_note="").link_note_texts == []
    assert Letter().link_note_texts == []


def test_a_notice_missing_a_parameter_still_renders_with_a_visible_gap():
    with translation.override("en"):
        assert render({"code": "listed_letter_missing", "params": {}}) == (
            "The cover note lists a letter of ? that is not in this document."
        )


def test_a_retired_code_still_tells_the_clerk_to_look():
    with translation.override("en"):
        assert render({"code": "retired_code", "params": {"letter": 1}}) == (
            "A note of a kind this version no longer knows (retired_code); check the document by hand."
        )


def test_an_unreadable_file_is_explained_in_the_readers_language():
    source = SourceDocument(error_code="not_pdf", error_message="The file is not a PDF; upload it as a PDF.")
    with translation.override("nl"):
        assert source.error_text == "Dit bestand is geen pdf. Upload de brief als pdf-bestand."
    with translation.override("en"):
        assert source.error_text == "This file is not a PDF. Upload the letter as a PDF file."
        internal = SourceDocument(error_code="internal", error_message="database is locked")
        assert internal.error_text == "The import failed: database is locked"
        # An error stored under a code the catalogue does not know keeps its own words.
        assert SourceDocument(error_code="", error_message="No text.").error_text == "No text."


def test_every_code_the_parser_and_the_import_report_has_words():
    sources = [*(REPO / "letters" / "parser").rglob("*.py"), REPO / "intake" / "imports.py"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    used = set(re.findall(r"""(?:\.warn|Notice|_unreadable|UnreadableDocument)\(\s*"(\w+)\"""", text))
    used |= set(re.findall(r"""code="(\w+)\"""", text))
    assert {"letter_undated", "question_unanswered", "link_not_found", "not_pdf", "internal"} <= used
    assert used - set(MESSAGES) == set()


def test_parse_letter_speaks_english_and_counts_from_one():
    out = StringIO()
    with translation.override("nl"):
        call_command("parse_letter", str(VARIANTS / "tk_onvolledig.txt"), stdout=out)
    text = out.getvalue()
    assert "\nletter 1: questions" in text and "\nletter 2: answer" in text
    assert "letter 0" not in text and "Q0" not in text and "A0" not in text
    assert "A3 (letter 2, label 4, page 1, covers Q3, refers to Q2)" in text
    assert "  - Question 5 of questions of Dec. 2, 2024 is not answered in answer of Jan. 9, 2025" in text


def test_parse_letter_json_gives_each_warning_its_code_params_and_english_text():
    out = StringIO()
    call_command("parse_letter", str(VARIANTS / "tk_onvolledig.txt"), "--json", stdout=out)
    (warning,) = json.loads(out.getvalue())["warnings"]
    assert warning["code"] == "question_unanswered"
    assert warning["params"]["question"] == "5" and warning["params"]["letter"] == 1
    assert warning["text"].startswith("Question 5 of questions of Dec. 2, 2024 is not answered")
