"""Saving parse results: atomic, idempotent, linked, with deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline, DeadlineEvent
from dossiers.models import Committee, Dossier, Minister
from intake import imports
from letters.choices import ImportStatus, LetterKind, LinkConfidence
from letters.models import Letter, SourceDocument
from letters.parser.result import Notice, ParsedAnswer, ParsedLetter, ParsedQuestion, ParseResult
from questions.models import Answer, Question

from .conftest import NOW, upload

pytestmark = pytest.mark.django_db


def import_result(parsed, result: ParseResult, content: bytes = b"%PDF-1.4 sample", name: str = "brief.pdf"):
    parsed(result)
    source, _ = upload(content, name)
    return imports.import_source(source_id=source.pk, now=NOW), source


def test_bundle_is_saved_with_links_pages_and_a_late_answer(parsed, bundle_result):
    summary, source = import_result(parsed, bundle_result)

    assert (summary.status, summary.letters, summary.questions, summary.answers, summary.links) == (
        ImportStatus.IMPORTED,
        4,
        3,
        3,
        2,
    )
    _cover, questions, notice, answer = source.letters.order_by("order_in_source")
    assert notice.in_reply_to == questions and answer.in_reply_to == questions
    assert notice.link_confidence == LinkConfidence.SAME_DOCUMENT
    assert questions.reference == "177400"  # learned from the reply that cites it
    assert questions.committee == Committee.objects.get(name="vaste commissie voor Binnenlandse Zaken")
    assert questions.dossier == Dossier.objects.get(number="36521")
    assert questions.dossier_document == "36521, B"
    assert questions.minister == Minister.objects.get(
        portfolio="minister van Binnenlandse Zaken en Koninkrijksrelaties"
    )
    assert list(questions.parties.values_list("name", flat=True)) == ["GroenLinks-PvdA"]
    assert [q.page for q in questions.questions.all()] == [1, 2, 2]

    joint = Answer.objects.get(letter=answer, label="2 en 3")
    assert sorted(joint.covers.values_list("order", flat=True)) == [2, 3]
    pointer = Answer.objects.get(letter=answer, order=3)
    assert list(pointer.refers_to.all()) == [Answer.objects.get(letter=answer, label="1")]

    deadline = Deadline.objects.get(letter=questions)
    assert (deadline.status, deadline.due_date, deadline.days_late) == (
        DeadlineStatus.ANSWERED_LATE,
        date(2025, 8, 6),
        105,
    )
    assert deadline.postponements.get().letter == notice
    assert summary.warnings == [
        {
            "code": "answer_unmatched",
            "params": {"letter": 4, "letter_kind": "answer", "letters": 4, "text": "Zie"},
        }
    ]
    assert source.parse_result is None  # the in-memory object is stale; the stored one is set
    source.refresh_from_db()
    assert source.parse_result["letters"][1]["date"] == "2025-06-24"


def test_reimporting_the_same_file_changes_nothing(parsed, bundle_result):
    first, source = import_result(parsed, bundle_result)
    events = DeadlineEvent.objects.count()
    again, created = upload(b"%PDF-1.4 sample")
    assert not created and again == source
    second = imports.import_source(source_id=source.pk, now=NOW)
    assert (second.letters, second.questions, second.answers) == (
        first.letters,
        first.questions,
        first.answers,
    )
    assert Letter.objects.count() == 4 and Question.objects.count() == 3
    assert DeadlineEvent.objects.count() == events


def test_failing_save_leaves_no_half_made_letters_and_keeps_the_file(parsed, bundle_result):
    broken = replace(bundle_result, questions=[*bundle_result.questions, ParsedQuestion(letter=9, text="?")])
    summary, source = import_result(parsed, broken)
    source.refresh_from_db()
    assert summary.failed and source.status == ImportStatus.FAILED
    assert source.error_code == "internal"
    assert "The import failed" in source.error_text
    assert Letter.objects.count() == 0 and Question.objects.count() == 0 and Deadline.objects.count() == 0
    assert source.file.storage.exists(source.file.name)


def test_failed_import_is_retried_only_when_asked(parsed, bundle_result):
    broken = replace(bundle_result, questions=[ParsedQuestion(letter=9, text="?")])
    _, source = import_result(parsed, broken)
    parsed(bundle_result)
    assert imports.import_source(source_id=source.pk, now=NOW).failed
    assert imports.import_source(source_id=source.pk, now=NOW, retry_failed=True).letters == 4


def test_unreadable_file_is_kept_with_a_clear_error():
    source, _ = upload(b"this is not a pdf at all", "brief.pdf")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    source.refresh_from_db()
    assert summary.failed and source.error_code == "not_pdf"
    assert "not a PDF" in source.error_text
    assert source.letters.count() == 0
    assert source.file.storage.exists(source.file.name)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4", "brief.docx", "Only PDF files"),
        (b"", "brief.pdf", "is empty"),
    ],
)
def test_upload_is_refused_with_a_reason(content, name, message):
    with pytest.raises(imports.UploadRejected, match=message):
        upload(content, name)
    assert not SourceDocument.objects.exists()


def test_upload_over_the_size_limit_is_refused(settings):
    settings.GRIFFIE_MAX_UPLOAD_BYTES = 10
    with pytest.raises(imports.UploadRejected, match="larger than the limit"):
        upload(b"%PDF-1.4 more than ten bytes")


def question_letter(reference: str = "", **kwargs) -> ParseResult:
    letter = ParsedLetter(
        kind="questions",
        date=date(2025, 6, 24),
        committee="vaste commissie voor Binnenlandse Zaken",
        chamber="EK",
        recipient="minister van Binnenlandse Zaken en Koninkrijksrelaties",
        reference=reference or None,
        **kwargs,
    )
    return ParseResult(
        source="vragen.pdf",
        letters=[letter],
        questions=[
            ParsedQuestion(letter=0, label="1", text="Ziet u parallellen tussen de signalen van toen en nu?"),
            ParsedQuestion(letter=0, label="2", text="Wat doet u concreet om de knelpunten op te lossen?"),
        ],
    )


def lone_answer(**kwargs) -> ParseResult:
    letter = ParsedLetter(
        kind="answer",
        date=date(2025, 11, 19),
        chamber="EK",
        sender="minister van Binnenlandse Zaken en Koninkrijksrelaties",
        **kwargs,
    )
    return ParseResult(
        source="antwoord.pdf",
        letters=[letter],
        questions=[
            ParsedQuestion(letter=0, label=None, text="Wat doet u concreet om de knelpunten op te lossen?"),
        ],
        answers=[ParsedAnswer(letter=0, label=None, covers=[0], text="Wij doen veel.")],
    )


def test_lone_answer_is_linked_by_reference_and_its_repeated_questions_merged(parsed):
    import_result(parsed, question_letter(reference="177400"), b"%PDF q")
    _, source = import_result(parsed, lone_answer(reference="177400"), b"%PDF a")
    reply = source.letters.get()
    original = Letter.objects.get(kind=LetterKind.QUESTIONS)
    assert (reply.in_reply_to, reply.link_confidence) == (original, LinkConfidence.REFERENCE)
    assert reply.questions.count() == 0  # the repeated question was the original's
    covered = Answer.objects.get(letter=reply).covers.get()
    assert covered == original.questions.get(label="2")
    deadline = Deadline.objects.get(letter=original)
    assert deadline.status == DeadlineStatus.ANSWERED_LATE and deadline.unanswered_questions == 1


@pytest.mark.parametrize(
    ("repeated", "merged"),
    [
        ("Wat doet u om de knelpunten op te lossen?", True),  # 0.81: a word left out
        (
            "Wat doet u concreet om de knelpunten in de uitvoering te voorkomen?",
            False,
        ),  # 0.72: another question
    ],
)
def test_a_repeated_question_is_merged_into_its_original_from_the_merge_threshold_on(
    parsed, repeated, merged
):
    import_result(parsed, question_letter(reference="177400"), b"%PDF q")
    answer = replace(
        lone_answer(reference="177400"), questions=[ParsedQuestion(letter=0, label=None, text=repeated)]
    )
    _, source = import_result(parsed, answer, b"%PDF a")
    assert source.letters.get().questions.exists() != merged


def test_lone_answer_is_linked_by_cited_date_and_minister(parsed):
    import_result(parsed, question_letter(), b"%PDF q")
    _, source = import_result(parsed, lone_answer(cites_date=date(2025, 6, 24)), b"%PDF a")
    assert source.letters.get().link_confidence == LinkConfidence.EVIDENCE


def test_cited_date_shared_by_two_letters_is_left_to_the_clerk(parsed):
    import_result(parsed, question_letter(), b"%PDF q1")
    import_result(parsed, question_letter(), b"%PDF q2")
    summary, source = import_result(parsed, lone_answer(cites_date=date(2025, 6, 24)), b"%PDF a")
    assert source.letters.get().in_reply_to is None
    assert [warning["code"] for warning in summary.warnings] == ["link_ambiguous"]
    assert summary.warnings[0]["params"]["cited_date"] == "2025-06-24"


def test_answer_that_arrived_first_is_linked_when_its_question_letter_comes(parsed):
    _, answer_source = import_result(parsed, lone_answer(reference="177400"), b"%PDF a")
    assert answer_source.letters.get().in_reply_to is None
    import_result(parsed, question_letter(reference="177400"), b"%PDF q")
    reply = answer_source.letters.get()
    assert reply.in_reply_to.kind == LetterKind.QUESTIONS
    assert Deadline.objects.get(letter=reply.in_reply_to).status == DeadlineStatus.ANSWERED_LATE


def test_cited_date_that_disagrees_is_recorded(parsed, bundle_result):
    letters = list(bundle_result.letters)
    letters[3] = replace(letters[3], cites_date=date(2025, 11, 28))
    summary, source = import_result(parsed, replace(bundle_result, letters=letters))
    answer = source.letters.get(kind=LetterKind.ANSWER)
    assert answer.in_reply_to.kind == LetterKind.QUESTIONS
    note = {
        "code": "cited_date_differs",
        "params": {
            "letter": 4,
            "letter_kind": "answer",
            "letter_date": answer.date.isoformat(),
            "cited_date": "2025-11-28",
            "actual_date": "2025-06-24",
        },
    }
    assert answer.link_note == [note]
    assert note in summary.warnings


def test_a_discrepancy_the_parser_and_linking_both_see_is_reported_once(parsed, bundle_result):
    letters = list(bundle_result.letters)
    letters[3] = replace(letters[3], cites_date=date(2025, 11, 28))
    parser_saw = Notice(
        "cited_date_differs",
        {
            "letter": 4,
            "letter_kind": "answer",
            "letters": 4,
            "cited_date": "2025-11-28",
            "actual_date": "2025-06-24",
        },
    )
    summary, source = import_result(parsed, replace(bundle_result, letters=letters, warnings=[parser_saw]))
    answer = source.letters.get(kind=LetterKind.ANSWER)
    reported = [warning for warning in summary.warnings if warning["code"] == "cited_date_differs"]
    assert reported == answer.link_note and len(reported) == 1


def test_postponement_promising_a_term_moves_the_due_date(parsed, bundle_result):
    letters = list(bundle_result.letters)
    letters[2] = replace(letters[2], promised_term_days=21)
    _, source = import_result(parsed, replace(bundle_result, letters=letters[:3], answers=[]))
    deadline = Deadline.objects.get(letter__source=source, letter__kind=LetterKind.QUESTIONS)
    assert deadline.postponements.get().promised_date == date(2025, 7, 30)
    assert deadline.due_date == date(2025, 7, 30)


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        ({"GRIFFIE_IMPORT_MEMORY_MB": 1}, "out_of_memory"),
        ({"GRIFFIE_IMPORT_TIMEOUT_SECONDS": 0.05}, "timeout"),
    ],
)
def test_a_text_file_over_the_import_limits_fails_like_a_pdf(settings, limits, code):
    """A .txt file is read in the same memory- and time-limited child as a PDF."""
    for name, value in limits.items():
        setattr(settings, name, value)
    lines = "".join(f"Vraag {n}\nHoe staat het met punt {n} van de lijst?\n\n" for n in range(300_000))
    source, _ = upload(lines.encode(), "vragen.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    source.refresh_from_db()
    assert summary.failed and source.error_code == code
    assert source.letters.count() == 0


def test_a_text_file_is_imported_through_the_child(fixtures_dir):
    content = (fixtures_dir / "parser" / "variants" / "tk_labels_inline.txt").read_bytes()
    source, _ = upload(content, "vragen.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    assert (summary.failed, summary.questions, summary.answers) == (False, 6, 3)
