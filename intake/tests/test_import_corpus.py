"""The whole import on the real documents in ../shared/corpus: links, deadlines, idempotence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from intake import imports
from letters.choices import ImportStatus, LetterKind, LinkConfidence
from letters.models import Letter, SourceDocument

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def seed(corpus_dir: Path, prefix: str) -> Path:
    return next((corpus_dir / "seeds").glob(f"{prefix}_*.txt"))


def import_path(path: Path):
    source, _ = imports.store_path(path=path)
    return imports.import_source(source_id=source.pk, now=NOW), source


def deadline_of(source: SourceDocument) -> Deadline:
    return Deadline.objects.get(letter__source=source, letter__kind=LetterKind.QUESTIONS)


def test_bundle_with_notice_and_late_answer(corpus_dir):
    summary, source = import_path(seed(corpus_dir, "000"))
    assert summary.status == ImportStatus.IMPORTED
    kinds = list(source.letters.order_by("order_in_source").values_list("kind", flat=True))
    assert kinds == ["cover", "questions", "postponement", "answer"]
    questions = source.letters.get(kind=LetterKind.QUESTIONS)
    assert questions.date == date(2025, 6, 24) and questions.reference == "177400"
    for reply in source.letters.filter(kind__in=[LetterKind.POSTPONEMENT, LetterKind.ANSWER]):
        assert (reply.in_reply_to, reply.link_confidence) == (questions, LinkConfidence.SAME_DOCUMENT)
    deadline = deadline_of(source)
    # Due 22 July; the notice of 9 July promised nothing, so four weeks' grace: 6 August.
    assert (deadline.status, deadline.due_date, deadline.days_late, deadline.late_postponements) == (
        DeadlineStatus.ANSWERED_LATE,
        date(2025, 8, 6),
        105,
        0,
    )
    assert deadline.unanswered_questions == 0


def test_bundle_whose_notice_came_after_the_due_date(corpus_dir):
    _, source = import_path(seed(corpus_dir, "002"))
    deadline = deadline_of(source)
    # Letter of 25 February, due 25 March; the notice came on 28 March: late, and it still postpones.
    assert deadline.original_due_date == date(2025, 3, 25)
    assert deadline.late_postponements == 1 and deadline.postponements.get().late
    assert (deadline.status, deadline.due_date, deadline.days_late) == (
        DeadlineStatus.ANSWERED_LATE,
        date(2025, 4, 25),
        18,
    )


def test_bundle_whose_answer_cites_the_wrong_date_is_linked_with_a_note(corpus_dir):
    summary, source = import_path(seed(corpus_dir, "004"))
    answer = source.letters.get(kind=LetterKind.ANSWER)
    assert answer.in_reply_to.date == date(2024, 10, 23)
    assert [(note["code"], note["params"]["cited_date"]) for note in answer.link_note] == [
        ("cited_date_differs", "2024-11-28")
    ]
    # The parser saw the same discrepancy; the clerk reads it once, from linking.
    assert [
        warning for warning in summary.warnings if warning["code"] == "cited_date_differs"
    ] == answer.link_note
    assert deadline_of(source).days_late == 48  # due 20 November 2024, answered 7 January 2025


def test_undated_follow_up_letter_is_imported_without_a_guessed_date(corpus_dir):
    summary, source = import_path(seed(corpus_dir, "001"))
    letter = source.letters.get()
    assert (letter.kind, letter.date) == (LetterKind.QUESTIONS, None)
    assert [warning["code"] for warning in summary.warnings] == ["letter_undated"]
    deadline = deadline_of(source)
    assert (deadline.status, deadline.due_date) == (DeadlineStatus.OPEN, None)


def test_every_kamervragen_pdf_links_its_answer_to_its_questions(corpus_dir):
    for path in sorted((corpus_dir / "kamervragen").glob("*.pdf")):
        summary, source = import_path(path)
        assert summary.status == ImportStatus.IMPORTED, (path.name, summary.error)
        questions = source.letters.get(kind=LetterKind.QUESTIONS)
        reply = source.letters.exclude(kind=LetterKind.QUESTIONS).get()
        assert reply.kind in (LetterKind.ANSWER, LetterKind.MEDEDELING), path.name
        assert reply.in_reply_to == questions, path.name
        assert questions.chamber == "TK" and deadline_of(source).term_days == 21, path.name


def test_ministry_letters_are_imported_as_other_without_a_deadline(corpus_dir):
    for path in sorted((corpus_dir / "other").glob("*.pdf")):
        summary, source = import_path(path)
        assert summary.status == ImportStatus.IMPORTED, (path.name, summary.error)
        assert set(source.letters.values_list("kind", flat=True)) == {LetterKind.OTHER}
        assert not Deadline.objects.filter(letter__source=source).exists()


def test_import_command_reports_and_is_idempotent(corpus_dir, capsys):
    folder = corpus_dir / "seeds"
    call_command("import_letters", str(folder))
    first = capsys.readouterr().out
    letters = Letter.objects.count()
    call_command("import_letters", str(folder))
    second = capsys.readouterr().out
    assert "Total: 5 files imported (0 unchanged), 0 failed" in first
    assert "Total: 5 files imported (5 unchanged), 0 failed" in second
    assert Letter.objects.count() == letters


def test_import_command_exits_non_zero_on_a_broken_file(tmp_path, capsys):
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_letters", str(tmp_path))
    assert exit_info.value.code == 1
    assert "FAILED  kapot.pdf" in capsys.readouterr().out


def test_follow_up_rounds_are_threaded_across_imports(corpus_dir):
    from questions.models import QuestionLink

    sources = [import_path(seed(corpus_dir, prefix))[1] for prefix in ("002", "000", "001")]
    may, june, december = sources
    links = QuestionLink.objects.select_related("earlier__letter", "later__letter")
    pairs = {(link.earlier.letter.source_id, link.later.letter.source_id) for link in links}
    # June 2025 quotes the May 2025 answers; the undated follow-up asks again after November's.
    assert (may.pk, june.pk) in pairs
    assert (june.pk, december.pk) in pairs
