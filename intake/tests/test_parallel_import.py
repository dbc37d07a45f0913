"""Importing in parallel: page ranges of one PDF in several children, several files in several jobs."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from dossiers.models import Party
from intake import imports
from letters.models import SourceDocument
from letters.parser import extract, parse_file
from letters.tests.pdfs import build_pdf, text_op

from .conftest import NOW, upload


def kamervragen_pdf(pages: int) -> bytes:
    """A Kamervragen letter of `pages` pages, a question and its answer on each page."""
    head = [
        text_op(72, 780, 10, "Vragen van het lid Jansen (SP) aan de Minister van Financien over de"),
        text_op(72, 766, 10, "belastingdienst (ingezonden 2 september 2024)."),
        text_op(72, 740, 10, "Antwoord van Minister Bakker (Financien) (ontvangen 20 september 2024)."),
    ]
    contents = []
    for number in range(1, pages + 1):
        body = [
            text_op(72, 600, 10, f"Vraag {number}"),
            text_op(72, 586, 10, f"Hoe staat het met het dossier nummer {number} van de belastingdienst?"),
            text_op(72, 560, 10, f"Antwoord {number}"),
            text_op(72, 546, 10, f"Het dossier nummer {number} is afgehandeld in de maand mei."),
        ]
        contents.append(b"".join((head if number == 1 else []) + body))
    return build_pdf(contents)


def test_a_long_pdf_parses_the_same_in_two_extraction_children_as_in_one(
    settings, tmp_path: Path, monkeypatch
):
    path = tmp_path / "vragen.pdf"
    path.write_bytes(kamervragen_pdf(35))
    real = extract.extract_pages
    readers = tmp_path / "readers"

    def recording(path, **options):  # runs in the children: who read which pages
        for page in real(path, **options):
            with readers.open("a") as handle:
                handle.write(f"{os.getpid()}\n")
            yield page

    monkeypatch.setattr(extract, "extract_pages", recording)
    results, progress, children = {}, {}, {}
    for processes in (1, 2):
        settings.GRIFFIE_IMPORT_PROCESSES = processes
        calls: list[tuple[int, int]] = []
        results[processes] = imports.parse_source_file(
            path, name="vragen.pdf", on_progress=lambda *call, calls=calls: calls.append(call)
        ).to_dict()
        progress[processes] = calls
        children[processes] = len(set(readers.read_text().split()))
        readers.unlink()
    assert results[2] == results[1]
    assert len(results[2]["questions"]) == len(results[2]["answers"]) == 35
    assert progress[2] == progress[1] == [(done, 35) for done in range(36)]
    assert children == {1: 1, 2: 2}


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_import_that_meets_a_concurrent_creation_saves_again(fixtures_dir, monkeypatch):
    """Two imports creating the same new party at once: the loser's save fails on the unique name
    and is simply done again, when the winner's row is there to be found."""
    real_save = imports.save_result
    attempts: list[int] = []

    def save_after_losing_a_race(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            Party.objects.create(name="Raced")
            with transaction.atomic():
                Party.objects.create(name="Raced")  # what the other import's commit makes happen
        return real_save(**kwargs)

    monkeypatch.setattr(imports, "save_result", save_after_losing_a_race)
    content = (fixtures_dir / "parser" / "variants" / "tk_labels_inline.txt").read_bytes()
    source, _ = upload(content, "vragen.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    assert (summary.failed, summary.questions, len(attempts)) == (False, 6, 2)
    assert not Party.objects.filter(name="Raced").exists()  # the failed attempt left nothing


@pytest.mark.django_db
def test_an_error_that_is_no_race_fails_the_import_at_once(fixtures_dir, monkeypatch):
    attempts: list[int] = []

    def broken(**kwargs):
        attempts.append(1)
        raise IntegrityError("a real bug")

    monkeypatch.setattr(imports, "save_result", broken)
    source, _ = upload((fixtures_dir / "parser" / "lone_answer_letter.txt").read_bytes(), "brief.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    assert summary.failed and len(attempts) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_import_letters_with_jobs_imports_each_file_in_one_of_several_processes(
    fixtures_dir, tmp_path: Path, monkeypatch
):
    folder = tmp_path / "brieven"
    folder.mkdir()
    variants = sorted((fixtures_dir / "parser" / "variants").glob("*.txt"))
    for path in variants:
        shutil.copy(path, folder / path.name)
    pids = tmp_path / "pids"
    real_import = imports.import_source

    def recording(**kwargs):
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_import(**kwargs)

    monkeypatch.setattr(imports, "import_source", recording)
    out = io.StringIO()

    call_command("import_letters", str(folder), "--jobs", "2", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().splitlines()
    expected = []
    for path in variants:
        result = parse_file(path)
        expected.append(
            f"imported     {path.name}: {len(result.letters)} letters, {len(result.questions)} questions, "
            f"{len(result.answers)} answers"
        )
    reported = [line for line in lines if line.startswith("imported")]
    assert [line.split(" links")[0].rsplit(",", 1)[0] for line in reported] == expected
    assert SourceDocument.objects.filter(status="imported").count() == len(variants)
    workers = set(pids.read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers


def test_import_letters_refuses_fewer_than_one_job(fixtures_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--jobs"):
        call_command("import_letters", str(fixtures_dir / "parser"), "--jobs", "0")
