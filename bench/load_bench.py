"""The production-like server under load from logged-in clerks and staffers, then during a big import.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/load_bench.py \
        [--duration 60] [--clients 8] [--import-pages 1000] [--import-phase any|save] \
        [--without PAGE ...] [--worker-nice 3]

Starts what docker-compose.yml runs, on this machine: gunicorn with deploy/gunicorn.conf.py (DEBUG
off, static files collected and served by WhiteNoise; `GUNICORN_CMD_ARGS="--workers 5"` tries other
settings) and a Celery worker at the compose file's lower CPU priority, both on the web bench's
archive (100,000 letters, about 1,000,000 questions and answers, PostgreSQL database
`test_griffie_web_bench`, built by bench/web_bench.py when absent) and the Redis of REDIS_URL
(default db 0). Then `--clients` threads, half clerks and half staffers (bench users made once and
kept), each with its own HTTP connection and session cookie, log in through the login form and
request, one after the other with no pause, pages drawn at random from: dashboard, letter list,
filtered letter list, a dossier page, a letter page, the deadline list and three searches. After
`--duration` seconds it prints requests per second and p50/p95/p99 per page and overall, with the
errors (any answer but 200, a broken connection).

Then a clerk uploads a PDF of `--import-pages` pages through the intake page (Kamervragen with
about 6 questions and answers a page, as bench/import_scale_bench.py writes them, laid out by the PDF
writer of the extraction tests: 1,000 pages are 6,400 questions to extract, parse, save, index and
measure against the archive's for threads), and the same load
runs again while the worker imports it: from the moment the worker claims the file (`--import-phase
save`: from the end of its text extraction) for `--duration` seconds or until the import ends.
Afterwards the servers are stopped and the imported file, its letters and whatever it created are
deleted, so the archive is as it was.

Everything shares the machine's cores, so each round also prints the CPU time per request of each
part: web workers, Celery worker (with its extraction child), the PostgreSQL backends serving the
archive, this load generator; and the load average. Last line:
`load: X req/s, p95 Y ms; during import: X req/s, p95 Y ms`.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.import_scale_bench import kamervragen_pdf  # noqa: E402
from bench.web_bench import TEST_DB, open_archive, percentile  # noqa: E402

BIN = Path(sys.executable).parent
APPLICATION = "griffie-load-bench"  # the servers' PostgreSQL connections say so (application_name)
PASSWORD = "load-bench-password"  # the bench users' only; they exist in the bench archive alone
# docker-compose.yml gives the worker half the web's CPU weight when both want the cores
# (cpu_shares: 512); here the worker's scheduling group gets nice 3, about the same (526 to 1024).
WORKER_NICE = 3
WORKER_COMMAND = [str(BIN / "celery"), "-A", "config", "worker", "--concurrency=2"]


@dataclass
class Archive:
    """What the pages are drawn from, and the highest keys before the bench imported anything."""

    letters: int
    dossiers: int
    mix: list[str]
    max_keys: dict[str, int] = field(default_factory=dict)


# Each request is one of these pages, drawn at random; a dossier or letter page is a random one.
PAGES: dict[str, Callable[[Archive, random.Random], str]] = {
    "dashboard": lambda archive, rng: "/",
    "letter list": lambda archive, rng: "/letters/",
    "filtered list": lambda archive, rng: (
        "/letters/?committee=5&kind=questions&status=answered_late&date_after=2018-01-01"
    ),
    "dossier page": lambda archive, rng: f"/dossiers/{rng.randint(1, archive.dossiers)}/",
    "letter page": lambda archive, rng: f"/letters/{rng.randint(1, archive.letters)}/",
    "deadline list": lambda archive, rng: "/deadlines/",
    "search 'asiel'": lambda archive, rng: "/search/?q=asiel",
    "search 'opvang gemeenten'": lambda archive, rng: "/search/?q=opvang+gemeenten",
    "search 'asiel' + committee": lambda archive, rng: "/search/?q=asiel&committee=5",
}


class Browser:
    """One user's HTTP connection (kept alive when the server allows it) and cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=150)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new one
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data, response

    def csrf_token(self, path: str) -> str:
        status, data, _ = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path} (HTTP {status})")
        return match[1].decode()

    def log_in(self, username: str) -> None:
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf_token("/login/")}
        status, _, _ = self.post_form(
            "/login/", urlencode(form).encode(), "application/x-www-form-urlencoded"
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in (HTTP {status})")

    def log_out(self) -> None:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        self.post_form("/logout/", urlencode(form).encode(), "application/x-www-form-urlencoded")

    def post_form(
        self, path: str, body: bytes, content_type: str
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})

    def upload(self, path: Path) -> str:
        """Upload a PDF through the intake form as a clerk does; returns the import's page."""
        boundary = uuid.uuid4().hex
        token = self.csrf_token("/letters/intake/")
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{token}\r\n".encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
                "Content-Type: application/pdf\r\n\r\n".encode(),
                path.read_bytes(),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        status, _, response = self.post_form(
            "/letters/intake/", body, f"multipart/form-data; boundary={boundary}"
        )
        if status != 302:
            raise RuntimeError(f"upload refused (HTTP {status})")
        return response.headers["Location"]


@dataclass
class Sample:
    page: str
    ms: float
    ok: bool


def run_client(
    browser: Browser, archive: Archive, seed: int, until: float, stop: threading.Event, out: list
) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < until and not stop.is_set():
        page = rng.choice(archive.mix)
        path = PAGES[page](archive, rng)
        started = time.perf_counter()
        try:
            status, _, _ = browser.request("GET", path)
            ok = status == 200
        except (OSError, http.client.HTTPException):
            ok = False
        out.append(Sample(page, (time.perf_counter() - started) * 1000, ok))


def processes() -> dict[int, tuple[int, float, str]]:
    """Every process on the machine: pid -> (parent, CPU seconds it has used itself, command line)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        found[int(proc.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, command)
    return found


class CpuMeter:
    """CPU seconds each part of the stack uses during a round: the processes under each root (web
    workers, the Celery worker and its extraction children) and the PostgreSQL backends serving them,
    read every second, so a process that starts or ends within the round counts too."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def part(self, pid: int, table: dict[int, tuple[int, float, str]], backends: set[int]) -> str | None:
        if pid in backends:
            return "postgres"
        while pid > 1:
            for name, root in self.roots.items():
                if pid == root:
                    return name
            pid = table[pid][0] if pid in table else 0
        return None

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            # The servers' connections, and the parallel workers helping them (not other benches').
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s OR leader_pid IN"
                " (SELECT pid FROM pg_stat_activity WHERE application_name = %s)",
                [APPLICATION, APPLICATION],
            )
            backends = {pid for (pid,) in cursor.fetchall()}
        table = processes()
        for pid, (_, seconds, _) in table.items():
            name = self.part(pid, table, backends)
            if name:
                self.first.setdefault((name, pid), seconds)
                self.last[(name, pid)] = seconds

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(1):
                self.sample()
        finally:
            connection.close()  # this thread's own

    def __enter__(self) -> CpuMeter:
        self.sample()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()

    def used(self) -> dict[str, float]:
        totals = dict.fromkeys([*self.roots, "postgres"], 0.0)
        for key, seconds in self.last.items():
            totals[key[0]] += seconds - self.first[key]
        return totals


def measure(
    label: str,
    browsers: list[Browser],
    archive: Archive,
    duration: float,
    servers: dict[str, int],
    stop: threading.Event | None = None,
) -> tuple[float, float]:
    """Run every browser for `duration` seconds (or until `stop`); print the table; (req/s, p95)."""
    stop = stop or threading.Event()
    samples: list[list[Sample]] = [[] for _ in browsers]
    own_before = time.process_time()
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=run_client, args=(browser, archive, index, started + duration, stop, samples[index])
        )
        for index, browser in enumerate(browsers)
    ]
    with CpuMeter(servers) as meter:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    everything = [sample for client in samples for sample in client]
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in everything:
        by_page[sample.page].append(sample)
    rate = len(everything) / elapsed
    print(f"\n{label}: {len(browsers)} clients, {elapsed:.1f} s, load average {os.getloadavg()[0]:.2f}")
    print(f"  {'page':30} {'requests':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>6}")
    p95 = 0.0
    for page, rows in [*sorted(by_page.items()), ("all", everything)]:
        times = [sample.ms for sample in rows]
        errors = sum(not sample.ok for sample in rows)
        p50, p95, p99 = (percentile(times, q) for q in (0.5, 0.95, 0.99))
        print(f"  {page:30} {len(rows):8} {p50:6.0f}ms {p95:6.0f}ms {p99:6.0f}ms {errors:6}")
    cpu = {**meter.used(), "load generator": time.process_time() - own_before}
    print(
        f"  {rate:.1f} req/s; CPU per request: "
        + ", ".join(
            f"{name} {seconds * 1000 / max(len(everything), 1):.0f} ms" for name, seconds in cpu.items()
        )
        + f" (of {elapsed * os.cpu_count():.0f} CPU seconds in the round: "
        + ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items())
        + ")"
    )
    return rate, p95


def lower_group_priority(pid: int, nice: int) -> None:
    """Give the scheduling group of `pid` (its session: the worker and its extraction children) this
    niceness. Linux shares the CPU between such groups first (autogroup, as it does between
    containers), so a process's own niceness counts only against processes of its own session."""
    autogroup = Path(f"/proc/{pid}/autogroup")
    if autogroup.exists():
        autogroup.write_text(str(nice))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    # A session of its own, so stopping it stops its children (workers, extraction) too.
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.2)


def answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


def bench_users(count: int) -> list[str]:
    """Half clerks, half staffers, made once in the archive and kept (the web bench keeps its own)."""
    from django.contrib.auth.models import Group, User

    from dossiers.roles import CLERK, STAFFER, ensure_roles

    ensure_roles()
    names = []
    for index in range(count):
        role = CLERK if index % 2 == 0 else STAFFER
        user, created = User.objects.get_or_create(username=f"load-{role}-{index}")
        if created:
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
        names.append(user.username)
    return names


IMPORTED_MODELS = (
    "letters.SourceDocument",
    "letters.Letter",
    "deadlines.DeadlineEvent",
    *(f"dossiers.{name}" for name in ("Committee", "Dossier", "Party", "Member", "Minister")),
)


def highest_keys() -> dict[str, int]:
    from django.apps import apps
    from django.db.models import Max

    return {
        label: apps.get_model(label).objects.aggregate(top=Max("pk"))["top"] or 0 for label in IMPORTED_MODELS
    }


def remove_import(sha256: str, archive: Archive) -> None:
    """Delete a bench import and all it made (questions, answers, deadlines, links cascade with its
    letters); say so if it changed anything that was there before."""
    from django.apps import apps
    from django.db import transaction

    from deadlines.models import DeadlineEvent
    from letters.models import Letter, SourceDocument

    source = SourceDocument.objects.filter(sha256=sha256).first()
    if source is None:
        return
    with transaction.atomic():
        new_letters = Letter.objects.filter(source=source)
        relinked = Letter.objects.filter(
            pk__lte=archive.max_keys["letters.Letter"], in_reply_to__in=new_letters
        )
        touched = DeadlineEvent.objects.filter(
            pk__gt=archive.max_keys["deadlines.DeadlineEvent"], deadline__letter__source__isnull=True
        )
        if relinked.exists() or touched.exists():
            print(
                f"WARNING: the import linked {relinked.count()} archive letters and recorded"
                f" {touched.count()} events on archive deadlines; those changes stay in {TEST_DB}."
            )
        new_letters.delete()
        source.delete()
        for label in IMPORTED_MODELS:
            if label.startswith("dossiers."):
                apps.get_model(label).objects.filter(pk__gt=archive.max_keys[label]).delete()


def import_round(
    clerk: Browser,
    username: str,
    big: Path,
    sha256: str,
    browsers: list[Browser],
    archive: Archive,
    args: argparse.Namespace,
    servers: dict[str, int],
) -> tuple[float, float]:
    """Upload `big` as a clerk, measure while the worker imports it, wait for the import to end."""
    from django.conf import settings

    from letters.choices import ImportStatus
    from letters.models import SourceDocument
    from questions.models import Question

    clerk.log_in(username)
    uploaded = time.perf_counter()
    location = clerk.upload(big)
    print(
        f"\nuploaded {big.name} ({big.stat().st_size // 1024} KB)"
        f" in {time.perf_counter() - uploaded:.1f} s: {location}"
    )
    clerk.log_out()
    source = SourceDocument.objects.get(sha256=sha256)

    def status() -> SourceDocument:
        return SourceDocument.objects.only("status", "pages_done", "page_count").get(pk=source.pk)

    def extracted(row: SourceDocument) -> bool:
        return bool(row.page_count) and row.pages_done >= row.page_count

    wait_for(lambda: status().status != ImportStatus.PENDING, "the worker to claim the import", 120)
    if args.import_phase == "save":
        wait_for(lambda: extracted(status()) or status().status != ImportStatus.PROCESSING, "extraction", 900)
    stop, events = threading.Event(), {}

    def watch() -> None:
        while not stop.is_set():
            row = status()
            if extracted(row):
                events.setdefault("text extracted", time.perf_counter())
            if row.status != ImportStatus.PROCESSING:
                events["import ended"] = time.perf_counter()
                stop.set()
            time.sleep(0.5)

    began = time.perf_counter()
    threading.Thread(target=watch, daemon=True).start()
    result = measure("during import", browsers, archive, args.duration, servers, stop)
    ended = time.perf_counter()
    stop.set()
    row = status()
    seen = [f"{name} after {at - began:.0f} s" for name, at in events.items() if at <= ended]
    print(
        f"  import: {', '.join(seen) or 'running throughout'}"
        f" ({row.status}, {row.pages_done}/{row.page_count} pages read at the end of the round)"
    )
    deadline = time.monotonic() + settings.CELERY_TASK_TIME_LIMIT + 60
    while status().status == ImportStatus.PROCESSING and time.monotonic() < deadline:
        time.sleep(2)
    row = SourceDocument.objects.get(pk=source.pk)
    print(
        f"  the import ended {row.status} {time.perf_counter() - uploaded:.0f} s after the upload:"
        f" {row.letters.count()} letters, {Question.objects.filter(letter__source=row).count()} questions"
        + (f"; {row.error_text}" if row.error_code else "")
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--import-pages", type=int, default=1000, help="0: no second round")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=WORKER_NICE,
        help="the worker's scheduling group's niceness (0: the web's weight)",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=list(PAGES),
        metavar="PAGE",
        help="leave a page out of the mix (repeatable): " + ", ".join(PAGES),
    )
    parser.add_argument(
        "--import-phase",
        choices=["any", "save"],
        default="any",
        help="start the second round when the worker claims the file, or when its text is extracted",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "load_bench needs PostgreSQL: set DATABASE_URL=postgres://... (the web bench's archive is used)."
        )

    import django

    django.setup()
    from axes.models import AccessLog
    from django.conf import settings

    from dossiers.models import Dossier
    from letters.models import Letter

    open_archive(letters=100_000, keep=True)
    from django.db.models import Max

    archive = Archive(
        letters=Letter.objects.aggregate(top=Max("pk"))["top"],
        dossiers=Dossier.objects.aggregate(top=Max("pk"))["top"],
        mix=[page for page in PAGES if page not in args.without],
    )
    usernames = bench_users(args.clients)
    big = kamervragen_pdf(args.import_pages) if args.import_pages else None
    sha256 = hashlib.sha256(big.read_bytes()).hexdigest() if big else ""
    remove_import(sha256, archive)  # a run cut short left it behind
    archive.max_keys = highest_keys()

    work = Path(tempfile.mkdtemp(prefix="griffie-load-bench-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_URL": urlunsplit(
            urlsplit(database_url)._replace(
                path=f"/{TEST_DB}",
                query="&".join(
                    filter(None, [urlsplit(database_url).query, f"application_name={APPLICATION}"])
                ),
            )
        ),
        "REDIS_URL": settings.REDIS_URL or "redis://127.0.0.1:6379/0",
        "SECRET_KEY": "load-bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=REPO, env=env, check=True
    )
    port = free_port()
    web = start(
        [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env,
        work / "web.log",
    )
    worker = start(
        ["nice", "-n", str(args.worker_nice), *WORKER_COMMAND, "--loglevel=info"], env, work / "worker.log"
    )
    lower_group_priority(worker.pid, args.worker_nice)
    browsers = [Browser(port) for _ in usernames]
    try:
        wait_for(lambda: answers(port), "gunicorn", 60)
        wait_for(lambda: " ready." in (work / "worker.log").read_text(), "the Celery worker", 60)
        for browser, username in zip(browsers, usernames, strict=True):
            browser.log_in(username)
        servers = {"web": web.pid, "worker": worker.pid}
        print(
            f"gunicorn -c deploy/gunicorn.conf.py {os.environ.get('GUNICORN_CMD_ARGS', '')}"
            f" and a Celery worker whose scheduling group has nice {args.worker_nice},"
            f" on {TEST_DB} ({archive.letters} letters);"
            f" {len(usernames)} clients ({', '.join(usernames)}); mix: {', '.join(archive.mix)}; logs: {work}"
        )
        # Untimed: every worker imports its code and compiles its templates once.
        measure("warm-up", browsers, archive, min(10.0, args.duration), servers)
        rate, p95 = measure("load", browsers, archive, args.duration, servers)

        during = (
            import_round(Browser(port), usernames[0], big, sha256, browsers, archive, args, servers)
            if big
            else None
        )
        for browser in browsers:
            browser.log_out()  # their sessions go; django-axes' record of the logins below
    finally:
        stop_process(web)
        stop_process(worker)
        remove_import(sha256, archive)
        AccessLog.objects.filter(username__in=usernames).delete()
        shutil.rmtree(work, ignore_errors=True)
        if big:
            shutil.rmtree(big.parent, ignore_errors=True)
    print(
        f"\nload: {rate:.1f} req/s, p95 {p95:.0f} ms; during import: "
        + (f"{during[0]:.1f} req/s, p95 {during[1]:.0f} ms" if during else "not run")
    )


if __name__ == "__main__":
    main()
