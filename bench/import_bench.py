"""Import speed, memory and scale, measured side by side with plain pdfplumber in one run.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/import_bench.py \
        [--rounds 3] [--pages 300] [--big-pages 1000] [--batch 200] [--labels 50000] [--only PART ...]

corpus: pages per second of the whole import (store + extract + parse + save) against plain
    pdfplumber `extract_text` on the same corpus PDFs, printed as a ratio (target: at most 1.3).
memory: peak resident memory importing a PDF of about 300 pages (corpus PDFs concatenated),
    against plain extraction of the same file, each measured in a fresh process.
big: a 1,000-page Kamervragen PDF imported with 1 and with 2 extraction children
    (`GRIFFIE_IMPORT_PROCESSES`), pages per second and the progress as it was reported, beside
    plain pdfplumber on the same file (target: under 120 s, 2 children at least 1.8x one).
batch: a folder of 200 small Kamervragen PDFs through `import_letters --jobs 1` and `--jobs 2`,
    and queued as Celery tasks to a worker of 1 and of 2 processes (needs PostgreSQL and
    REDIS_URL), documents per second, beside plain pdfplumber on the same files (target: 2 at
    least 1.8x one).
labels: the parser alone on 50,000 `Vraag N` / `Antwoord N` pairs and other hostile texts.
ocr: scanned pages read per second, corpus pages rendered to 300 dpi images and read as an import
    does (the bounded child, Tesseract inside).
Uses DATABASE_URL when set (a throwaway test database is created), otherwise SQLite. The
machine's load average is printed with each part: the speedups need two idle cores.
The last lines are the summary, in a fixed form.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import signal
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


def speed(rounds: int) -> float:
    from django.db import connection

    files = corpus_pdfs()
    plain_runs, import_runs = [], []
    pages = 0
    plain_extract(files[0])  # warm imports and caches for both sides alike
    for _ in range(rounds):
        *seconds, pages = timed(plain_extract, files)
        plain_runs.append(seconds)
        clear_imports()
        *seconds, import_pages = timed(import_file, files)
        import_runs.append(seconds)
        assert import_pages == pages, (import_pages, pages)
    clear_imports()
    plain_wall, plain_cpu = (statistics.median(run[i] for run in plain_runs) for i in (0, 1))
    whole_wall, whole_cpu = (statistics.median(run[i] for run in import_runs) for i in (0, 1))
    print(f"corpus: {len(files)} PDFs, {pages} pages, median of {rounds} rounds, {connection.vendor}")
    print(f"  plain pdfplumber extract_text : {pages / plain_wall:8.1f} pages/s ({plain_wall:.2f} s wall)")
    print(f"  Griffie import (parse + save) : {pages / whole_wall:8.1f} pages/s ({whole_wall:.2f} s wall)")
    print(f"  ratio import / plain, wall    : {whole_wall / plain_wall:8.2f}  (target <= 1.3)")
    cpu_ratio = whole_cpu / plain_cpu
    print(f"  ratio import / plain, CPU     : {cpu_ratio:8.2f}  (the database server's CPU not counted)")
    print(f"  {load()}")
    return whole_wall / plain_wall


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


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def traced_progress() -> list[tuple[float, int, int]]:
    """Record (seconds, pages done, pages) of every progress report the import makes."""
    from intake import imports

    reports: list[tuple[float, int, int]] = []
    real = imports.parse_source_file
    started = time.perf_counter()

    def tracing(path, *, name, on_progress=None):
        def report(done: int, total: int) -> None:
            reports.append((time.perf_counter() - started, done, total))
            if on_progress is not None:
                on_progress(done, total)

        return real(path, name=name, on_progress=report)

    imports.parse_source_file = tracing
    return reports


def big(pages: int) -> tuple[float, float]:
    """The import of one long PDF with 1 and 2 extraction children; returns (seconds with 2, speedup)."""
    from django.conf import settings

    from bench.import_scale_bench import kamervragen_pdf
    from intake import imports

    path = kamervragen_pdf(pages)
    plain_seconds, _, plain_pages = timed(plain_extract, [path])
    assert plain_pages == pages, plain_pages
    print(f"big: {path.name} ({pages} pages, {path.stat().st_size // 1024} KB)")
    print(f"  plain pdfplumber extract_text : {pages / plain_seconds:8.1f} pages/s ({plain_seconds:.1f} s)")
    seconds: dict[int, float] = {}
    real = imports.parse_source_file
    for processes in (1, 2):
        settings.GRIFFIE_IMPORT_PROCESSES = processes
        clear_imports()
        reports = traced_progress()
        try:
            seconds[processes], cpu, imported = timed(import_file, [path])
        finally:
            imports.parse_source_file = real
        assert imported == pages, imported
        marks = []
        for share in (0.25, 0.5, 0.75, 1.0):
            at = next((when for when, done, total in reports if total and done >= share * total), None)
            marks.append(f"{share:.0%} at {at:.0f} s" if at is not None else f"{share:.0%} never")
        # CPU / wall counts this process and its extraction children: near 1.0 with two children means
        # the machine's other work (or the kernel's per-session CPU share) left the import one core.
        print(
            f"  Griffie import, {processes} process{'es' if processes > 1 else '  '} : "
            f"{pages / seconds[processes]:8.1f} pages/s ({seconds[processes]:.1f} s; pages read "
            + ", ".join(marks)
            + f"; {len(reports)} progress reports; CPU / wall {cpu / seconds[processes]:.2f})"
        )
    clear_imports()
    shutil.rmtree(path.parent, ignore_errors=True)
    speedup = seconds[1] / seconds[2]
    print(f"  speedup 2 processes / 1       : {speedup:8.2f}  (target >= 1.8; {load()})")
    return seconds[2], speedup


def batch_folder(count: int) -> Path:
    """`count` distinct Kamervragen PDFs of 2 to 6 pages."""
    from bench.import_scale_bench import kamervragen_pdf

    folder = Path(tempfile.mkdtemp(prefix="griffie-bench-batch-"))
    for number in range(count):
        kamervragen_pdf(2 + number % 5, seed=1000 + number, folder=folder)
    return folder


def import_folder(folder: Path, jobs: int) -> int:
    from django.core.management import call_command

    call_command(
        "import_letters", str(folder), "--jobs", str(jobs), stdout=io.StringIO(), stderr=io.StringIO()
    )
    return imported_count()


def imported_count() -> int:
    from letters.choices import ImportStatus
    from letters.models import SourceDocument

    return SourceDocument.objects.filter(status=ImportStatus.IMPORTED).count()


def celery_round(folder: Path, workers: int) -> float:
    """Seconds from queuing every file to the last import's end, with a worker of `workers` processes."""
    from celery import current_app
    from django.conf import settings
    from django.db import connection

    from intake import imports
    from intake.tasks import import_source_document
    from letters.choices import ImportStatus
    from letters.models import SourceDocument

    database = connection.settings_dict
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    url = f"postgres://{database['USER']}@{host}/{database['NAME']}"
    if database["PASSWORD"]:
        url = url.replace("@", f":{database['PASSWORD']}@", 1)
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    log = folder.parent / f"{folder.name}-worker-{workers}.log"
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            f"--concurrency={workers}",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=info",
            f"--hostname=import-bench-{os.getpid()}-{workers}@%h",
        ],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while " ready." not in log.read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log}")
            time.sleep(0.2)
        sources = [imports.store_path(path=path)[0] for path in sorted(folder.glob("*.pdf"))]
        started = time.perf_counter()
        with current_app.connection_for_write() as broker:
            for source in sources:
                import_source_document.apply_async((source.pk,), connection=broker)
        waiting = [ImportStatus.PENDING, ImportStatus.PROCESSING]
        deadline = time.monotonic() + 3600
        while SourceDocument.objects.filter(status__in=waiting).exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker stopped or took too long; see {log}")
            time.sleep(0.1)
        return time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def batch(count: int) -> float | None:
    """A folder of `count` PDFs through import_letters and Celery with 1 and 2 processes; returns the
    Celery speedup (None without PostgreSQL and Redis, the import_letters one then)."""
    from celery import current_app
    from django.db import connection

    folder = batch_folder(count)
    files = sorted(folder.glob("*.pdf"))
    plain_seconds, _, pages = timed(plain_extract, files)
    print(f"batch: {count} PDFs, {pages} pages")
    print(
        f"  plain pdfplumber extract_text : {count / plain_seconds:8.2f} documents/s ({plain_seconds:.1f} s)"
    )
    if connection.vendor != "postgresql":
        print("  import_letters and Celery: skipped, they need PostgreSQL (set DATABASE_URL)")
        return None
    speedups: dict[str, float] = {}
    for way, run in (
        ("import_letters --jobs", lambda n: timed(lambda _: import_folder(folder, n), [folder])[0]),
        ("Celery worker processes", lambda n: celery_round(folder, n)),
    ):
        if way.startswith("Celery"):
            if not os.environ.get("REDIS_URL"):
                print("  Celery: skipped, it needs REDIS_URL")
                continue
            current_app.control.purge()  # what earlier runs left queued is not this bench's
        seconds: dict[int, float] = {}
        for processes in (1, 2):
            clear_imports()
            seconds[processes] = run(processes)
            assert imported_count() == count, (way, processes, imported_count())
            rate = count / seconds[processes]
            print(f"  {way} {processes}   : {rate:8.2f} documents/s ({seconds[processes]:.1f} s)")
        speedups[way] = seconds[1] / seconds[2]
        print(f"  speedup 2 / 1 ({way})  : {speedups[way]:6.2f}  (target >= 1.8; {load()})")
        clear_imports()
    shutil.rmtree(folder, ignore_errors=True)
    return speedups.get("Celery worker processes", speedups.get("import_letters --jobs"))


def labels(count: int) -> float:
    """The parser alone on hostile texts; returns the seconds for `count` question/answer pairs."""
    from bench.import_scale_bench import bundle, kamervragen
    from letters.parser import parse_file, parse_text

    def parsed(text: str) -> tuple[float, object]:
        started = time.perf_counter()
        result = parse_text(text, source="bench.txt")
        return time.perf_counter() - started, result

    print("labels: the parser alone")
    seconds, result = parsed(kamervragen(count)[0])
    print(
        f"  {count:,} Vraag N / Antwoord N  : {seconds:8.2f} s "
        f"({len(result.questions)} questions, {len(result.answers)} answers)"
    )
    pairs = seconds
    seconds, result = parsed(bundle(count // 5)[0])
    print(f"  bundle of {count // 5:,} repeated questions: {seconds:6.2f} s ({len(result.answers)} answers)")
    line = ("Vraag 1, 2 en 3 en 4 " * 20 + "aaaa-bbbb 24 juni " + "x" * 50 + " ") * 2000
    seconds, _ = parsed("BRIEF VAN DE MINISTER\n\nDen Haag, 1 juni 2025\n\n" + line[:1_000_000] + "\n")
    print(f"  one 1 MB line                 : {seconds:8.2f} s")
    nested = "(" * 500_000 + "Vraag 1" + ")" * 500_000
    seconds, _ = parsed("BRIEF VAN DE MINISTER\n\n" + nested + "\n\nAntwoord 1\nJa.\n")
    print(f"  1 MB of nested brackets       : {seconds:8.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invalid.txt"
        path.write_bytes(
            b"Vragen van het lid Jansen (SP)\n" + b"\xff\xfe\xc3Vraag 1\n\x80\x81 tekst?\n" * 50_000
        )
        started = time.perf_counter()
        parse_file(path)
        print(f"  1 MB of invalid UTF-8         : {time.perf_counter() - started:8.2f} s")
    print(f"  {load()}")
    return pairs


def ocr_speed(target_pages: int) -> float | None:
    """Scanned pages read per second: corpus PDFs rendered to 300 dpi images and wrapped as PDFs
    without a text layer, then extracted as an import does (the bounded child, OCR inside)."""
    from letters.parser import ocr
    from letters.parser.extract import extract_document
    from letters.tests.pdfs import scanned

    if not ocr.available():
        print(f"ocr: not measured (Tesseract is not installed: apt-get install {ocr.PACKAGES})")
        return None
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
    return pages / wall


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--big-pages", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--labels", type=int, default=50_000)
    parser.add_argument("--ocr-pages", type=int, default=20, help="scanned pages to read by OCR")
    parts = ("corpus", "memory", "big", "batch", "labels", "ocr")
    parser.add_argument("--only", nargs="+", choices=parts, default=parts)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    summary: dict[str, str] = {}
    if {"corpus", "big", "batch"} & set(args.only):
        connection, old_name = setup_database()
        from django.conf import settings

        settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="griffie-bench-media-"))
        try:
            if "corpus" in args.only:
                summary["ratio pipeline/pdfplumber"] = f"{speed(args.rounds):.2f}"
            if "big" in args.only:
                seconds, speedup = big(args.big_pages)
                summary[f"{args.big_pages}-page import"] = f"{seconds:.1f} s"
                summary["speedup 2 processes/1"] = f"{speedup:.2f}"
            if "batch" in args.only:
                speedup = batch(args.batch)
                summary["speedup 2 workers/1"] = f"{speedup:.2f}" if speedup is not None else "n/a"
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    if "memory" in args.only:
        memory(args.pages)
    if "labels" in args.only:
        summary[f"{args.labels} labels"] = f"{labels(args.labels):.1f} s"
    if "ocr" in args.only:
        rate = ocr_speed(args.ocr_pages)
        summary["ocr pages/s"] = f"{rate:.2f}" if rate is not None else "n/a (no Tesseract)"
    for name, value in summary.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
