"""python manage.py import_letters PATH... [--jobs N] — import PDFs (files or folders) with a progress bar."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.urls import reverse

from intake import imports
from intake.imports import ImportSummary, UploadRejected
from letters.choices import ImportStatus
from letters.messages import render

SUFFIXES = imports.ALLOWED_SUFFIXES


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"No such file or folder: {raw}")
    return files


def import_all(
    source_ids: list[int], *, retry_failed: bool, jobs: int
) -> Iterator[tuple[int, ImportSummary]]:
    """(index, summary) of each document as its import finishes, `jobs` imports at a time.

    Each job is a process forked from this one with no database connection of its own yet (they
    are closed before the fork, so no two processes share one, and this process makes none while
    the jobs run); it opens its own and imports one document after another, as a Celery worker
    process does. Processes, not threads: parsing is Python and holds the GIL.
    """
    if jobs == 1 or len(source_ids) < 2:
        for index, pk in enumerate(source_ids):
            yield index, _import_one(pk, retry_failed)
        return
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(source_ids)), mp_context=context, initializer=_start_job
    ) as pool:
        futures = {pool.submit(_import_one, pk, retry_failed): index for index, pk in enumerate(source_ids)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _start_job() -> None:
    # The job's own connections are closed when it ends, rather than dropped with the process.
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


def _import_one(source_id: int, retry_failed: bool) -> ImportSummary:
    return imports.import_source(source_id=source_id, retry_failed=retry_failed)


class Command(BaseCommand):
    help = "Import letters from PDF (or .txt) files and folders; exits non-zero when a file fails."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders (searched recursively).")
        parser.add_argument(
            "--retry-failed", action="store_true", help="Import again files that failed before."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Import this many files at once, each in a process of its own (default 1).",
        )

    def handle(self, *args, paths: list[str], retry_failed: bool, jobs: int, **options) -> None:
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        if jobs > 1 and connection.vendor == "sqlite":
            # SQLite lets one transaction write at a time: a second job would wait for the first
            # one's whole import and then fail on the lock.
            self.stderr.write("SQLite writes one import at a time: importing with one job.")
            jobs = 1
        files = collect(paths)
        if not files:
            raise CommandError("No .pdf or .txt files found.")
        stored: list[tuple[Path, int, bool]] = []  # file, its document, whether it is a new file
        rejected: list[tuple[Path, str]] = []
        for path in files:
            try:
                source, created = imports.store_path(path=path)
            except UploadRejected as error:
                rejected.append((path, error.message))
                continue
            stored.append((path, source.pk, created))
        summaries: dict[int, ImportSummary] = {}
        if stored:
            self.progress(0, len(stored), "")
        for done, (number, summary) in enumerate(
            import_all([pk for _, pk, _ in stored], retry_failed=retry_failed, jobs=jobs), start=1
        ):
            path, _, created = stored[number]
            summary.new_file = created
            summaries[number] = summary
            self.progress(done, len(stored), path.name)
        # In the order of the files, however the imports finished.
        self.report([summaries[number] for number in sorted(summaries)], rejected)
        if rejected or any(s.failed for s in summaries.values()):
            sys.exit(1)

    def progress(self, done: int, total: int, name: str) -> None:
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {done}/{total} {name[:50]}"
        if self.stderr.isatty():
            self.stderr.write(f"\r{line:<100}", ending="")
            if done == total:
                self.stderr.write("")
        else:
            self.stderr.write(line)

    def report(self, summaries: list[ImportSummary], rejected: list[tuple[Path, str]]) -> None:
        for s in summaries:
            if s.failed:
                self.stdout.write(self.style.ERROR(f"FAILED  {s.name}: {s.error}"))
                continue
            if s.status == ImportStatus.PROCESSING:
                # Claimed by another worker or command whose lease is still fresh.
                self.stdout.write(f"in progress  {s.name}: another process is importing it")
                continue
            if s.status in (ImportStatus.DUPLICATE, ImportStatus.REJECTED):
                # Nothing saved: a clerk decides on the file's review page.
                self.stdout.write(
                    f"{s.status:<12} {s.name}: looks like letters stored before; nothing imported"
                    f" (decide on its review page, {reverse('intake:source', args=[s.source_id])})"
                )
                continue
            state = "imported" if s.new_file else "unchanged (already imported)"
            self.stdout.write(
                f"{state:<12} {s.name}: {s.letters} letters, {s.questions} questions, "
                f"{s.answers} answers, {s.links} links, {len(s.warnings)} warnings"
            )
            for warning in s.warnings:
                self.stdout.write(f"    warning: {render(warning)}")
        for path, message in rejected:
            self.stdout.write(self.style.ERROR(f"REFUSED {path.name}: {message}"))
        held = sum(s.status in (ImportStatus.DUPLICATE, ImportStatus.REJECTED) for s in summaries)
        ok = [s for s in summaries if not s.failed]
        failed = len(summaries) - len(ok) + len(rejected)
        self.stdout.write(
            f"Total: {len(ok) - held} files imported ({sum(not s.new_file for s in ok)} unchanged), "
            + (f"{held} held as probable duplicates, " if held else "")
            + f"{failed} failed; "
            f"{sum(s.letters for s in ok)} letters, {sum(s.questions for s in ok)} questions, "
            f"{sum(s.answers for s in ok)} answers, {sum(s.links for s in ok)} links, "
            f"{sum(len(s.warnings) for s in ok)} warnings."
        )
