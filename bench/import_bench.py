"""Import speed and memory, measured side by side with plain pdfplumber in one run.

    .venv/bin/python bench/import_bench.py [--rounds 3] [--pages 300]

Speed: pages per second of the whole import (store + extract + parse + save) against plain
pdfplumber `extract_text` on the same corpus PDFs, printed as a ratio (target: at most 1.3).
Memory: peak resident memory importing a PDF of about 300 pages (corpus PDFs concatenated),
against plain extraction of the same file, each measured in a fresh process.
OCR: scanned pages read per second (`ocr pages/s`), corpus pages rendered to 300 dpi images.
Uses DATABASE_URL when set (a throwaway test database is created), otherwise SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("GRIFFIE_CORPUS", REPO.parent / "shared" / "corpus"))
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def corpus_pdfs() -> list[Path]:
    pdfs = sorted(CORPUS.glob("*/*.pdf"))
    if not pdfs:
        sys.exit(f"No PDFs found under {CORPUS}; set GRIFFIE_CORPUS to the corpus folder.")
    return pdfs


def plain_extract(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def setup_database():
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    from django.db import connection

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Its own database, so a test run on the same server is not disturbed (nor disturbs this).
    connection.settings_dict["TEST"]["NAME"] = f"{old_name}_import_bench_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection, old_name


def import_file(path: Path) -> int:
    from django.core.files import File

    from intake import imports

    with path.open("rb") as handle:
        source, _ = imports.store_upload(uploaded_file=File(handle, name=path.name))
    summary = imports.import_source(source_id=source.pk)
    if summary.failed:
        raise RuntimeError(f"{path.name}: {summary.error}")
    return source.__class__.objects.get(pk=source.pk).page_count or 0


def clear_imports() -> None:
    from deadlines.models import Deadline
    from letters.models import Letter, SourceDocument

    Deadline.objects.all().delete()
    Letter.objects.all().delete()
    for source in SourceDocument.objects.all():
        source.file.delete(save=False)
    SourceDocument.objects.all().delete()


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the extraction runs in forked children)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(function, files: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds for `function` over `files`; CPU time is steadier on a busy machine."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    pages = sum(function(path) for path in files)
    return time.perf_counter() - wall, cpu_seconds() - cpu, pages


def speed(rounds: int) -> None:
    files = corpus_pdfs()
    connection, old_name = setup_database()
    from django.conf import settings

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="griffie-bench-media-"))
    plain_runs, import_runs = [], []
    pages = 0
    try:
        plain_extract(files[0])  # warm imports and caches for both sides alike
        for _ in range(rounds):
            *seconds, pages = timed(plain_extract, files)
            plain_runs.append(seconds)
            clear_imports()
            *seconds, import_pages = timed(import_file, files)
            import_runs.append(seconds)
            assert import_pages == pages, (import_pages, pages)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    plain_wall, plain_cpu = (statistics.median(run[i] for run in plain_runs) for i in (0, 1))
    whole_wall, whole_cpu = (statistics.median(run[i] for run in import_runs) for i in (0, 1))
    print(f"corpus: {len(files)} PDFs, {pages} pages, median of {rounds} rounds, {connection.vendor}")
    print(f"  plain pdfplumber extract_text : {pages / plain_wall:8.1f} pages/s ({plain_wall:.2f} s wall)")
    print(f"  Griffie import (parse + save) : {pages / whole_wall:8.1f} pages/s ({whole_wall:.2f} s wall)")
    print(f"  ratio import / plain, wall    : {whole_wall / plain_wall:8.2f}  (target <= 1.3)")
    cpu_ratio = whole_cpu / plain_cpu
    print(f"  ratio import / plain, CPU     : {cpu_ratio:8.2f}  (the database server's CPU not counted)")


def build_big_pdf(target_pages: int) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    files = corpus_pdfs()
    while len(writer.pages) < target_pages:
        for path in files:
            for page in PdfReader(path).pages:
                writer.add_page(page)
                if len(writer.pages) >= target_pages:
                    break
            if len(writer.pages) >= target_pages:
                break
    path = Path(tempfile.mkdtemp(prefix="griffie-bench-")) / f"big-{target_pages}.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def own_peak_mb() -> float:
    """This process's peak resident memory since it started.

    Not `ru_maxrss`: Linux carries the parent's peak across fork and exec, so a child of a big
    bench process would report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: Path) -> None:
    """Run in a fresh process: one kind of work on `path`, then report this process's peaks."""
    if kind == "plain":
        pages = plain_extract(path)
    else:
        connection, old_name = setup_database()
        from django.conf import settings

        settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="griffie-bench-media-"))
        try:
            pages = import_file(path)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        json.dumps(
            {
                "pages": pages,
                "self_mb": own_peak_mb(),
                "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def memory(target_pages: int) -> None:
    big = build_big_pdf(target_pages)
    results = {}
    for kind in ("plain", "import"):
        output = subprocess.run(
            [sys.executable, __file__, "--measure", kind, str(big)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[kind] = json.loads(output.strip().splitlines()[-1])
    plain, whole = results["plain"], results["import"]
    peak = max(whole["self_mb"], whole["children_mb"])
    print(f"memory: {big.name} ({plain['pages']} pages, {big.stat().st_size // 1024} KB)")
    print(f"  plain pdfplumber, one process : {plain['self_mb']:7.1f} MB peak")
    print(
        f"  Griffie import                : {whole['self_mb']:7.1f} MB peak in the importer, "
        f"{whole['children_mb']:.1f} MB in the extraction child (limit "
        f"{os.environ.get('GRIFFIE_IMPORT_MEMORY_MB', 400)} MB)"
    )
    print(f"  ratio import peak / plain     : {peak / plain['self_mb']:7.2f}")


def ocr_speed(target_pages: int) -> None:
    """Scanned pages read per second: corpus PDFs rendered to 300 dpi images and wrapped as PDFs
    without a text layer, then extracted as an import does (the bounded child, OCR inside)."""
    from letters.parser import ocr
    from letters.parser.extract import extract_document
    from letters.tests.pdfs import scanned

    if not ocr.available():
        print(f"ocr pages/s: not measured (Tesseract is not installed: apt-get install {ocr.PACKAGES})")
        return
    folder = Path(tempfile.mkdtemp(prefix="griffie-bench-scans-"))
    scans, pages = [], 0
    for path in corpus_pdfs():
        if pages >= target_pages:
            break
        scan = folder / path.name
        scan.write_bytes(scanned(path.read_bytes(), dpi=300))
        scans.append(scan)
        pages += plain_extract(scan)
    wall, cpu, read = timed(lambda path: len(extract_document(path, timeout_s=3600)), scans)
    assert read == pages, (read, pages)
    print(
        f"ocr: {len(scans)} scanned PDFs (300 dpi), {pages} pages, {wall:.1f} s wall, "
        f"{cpu / pages:.2f} CPU s a page"
    )
    print(f"ocr pages/s: {pages / wall:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--ocr-pages", type=int, default=20, help="scanned pages to read by OCR")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    speed(args.rounds)
    memory(args.pages)
    ocr_speed(args.ocr_pages)


if __name__ == "__main__":
    main()
