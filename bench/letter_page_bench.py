"""The pages of one very big letter: time and the serving process's peak memory, in PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/letter_page_bench.py [--questions 25000] [--repeat 5] [--keep]

Builds (in a throwaway test database, with server-side bulk SQL) a question letter of 25,000
questions and an answer letter of 25,000 answers to it (every tenth answer also answers the next
question), each carrying its whole text (the questions' or answers' texts joined, megabytes), and
the file they came from with its extracted text and the parser's output, as an import stores them.
Then it requests, logged in as a clerk, the question letter's first page, the page holding
question 18,000, "go to question 18,000", the answer letter's last page, a question's thread,
the import's review page, the correction pages of the block holding question 18,000 and of the
answer letter's last block, and posts a correction of one question of that block (its whole
block, as the page does):
- through Django's test client in this process (p50 and slowest of `--repeat`), and
- from gunicorn (one sync worker, as in the compose file) in a subprocess, reading the worker's
  peak resident memory (VmHWM in /proc) after all requests.
Target: every page under 1 s, the worker under 300 MB. The last line is the summary.
Before the letter page was paged, a letter of 2,600 questions timed out at 120 s and one of 24,000
grew a worker to 23 GB.
"""

# ruff: noqa: E501 -- the SQL reads best unwrapped; this script is not imported by the app.
from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TEST_DB = "test_griffie_letter_page_bench"
TARGET_MS = 1000
TARGET_MB = 300
# The CSRF secret the bench's own posts carry, as cookie and header (Django accepts the bare secret).
CSRF_SECRET = "b" * 32
DEEP = 18_000  # "question 18,000": a page far from the first
QUESTION_TEXT = "Kunt u aangeven hoe de minister de uitvoering van de regeling beoordeelt en welke knelpunten gemeenten melden? "
ANSWER_TEXT = "Het kabinet werkt samen met gemeenten en uitvoeringsorganisaties aan een oplossing voor de gemelde knelpunten. "


def build(questions: int) -> None:
    """The two letters, their questions and answers, and the file they came from."""
    from django.db import connection, transaction

    from letters.choices import ImportStatus, LetterKind
    from letters.models import Letter, SourceDocument

    with transaction.atomic():
        source = SourceDocument.objects.create(
            file="sources/bench/groot.pdf",
            original_name="groot.pdf",
            sha256="c" * 64,
            status=ImportStatus.IMPORTED,
            page_count=questions // 10 + 1,
        )
        asked = Letter.objects.create(
            kind=LetterKind.QUESTIONS,
            chamber="EK",
            subject="Vragen over alles",
            source=source,
            order_in_source=0,
        )
        reply = Letter.objects.create(
            kind=LetterKind.ANSWER,
            chamber="EK",
            subject="Antwoorden op de vragen over alles",
            source=source,
            order_in_source=1,
            in_reply_to=asked,
        )
        with connection.cursor() as cursor:
            for table, letter, text, repeat in (
                ("questions_question", asked, QUESTION_TEXT, 3),
                ("questions_answer", reply, ANSWER_TEXT, 6),
            ):
                cursor.execute(
                    f'INSERT INTO {table} (letter_id, label, "order", text, page)'
                    " SELECT %s, n::text, n, n || '. ' || repeat(%s, %s), 1 + n / 10 FROM generate_series(1, %s) n",
                    [letter.pk, text, repeat, questions],
                )
                cursor.execute(
                    f"UPDATE letters_letter SET text = (SELECT string_agg(text, E'\\n\\n' ORDER BY \"order\") FROM {table} WHERE letter_id = %s) WHERE id = %s",
                    [letter.pk, letter.pk],
                )
            cursor.execute(
                "INSERT INTO questions_answer_covers (answer_id, question_id)"
                ' SELECT a.id, q.id FROM questions_answer a JOIN questions_question q ON q.letter_id = %s AND (q."order" = a."order" OR (a."order" %% 10 = 0 AND q."order" = a."order" + 1))'
                " WHERE a.letter_id = %s",
                [asked.pk, reply.pk],
            )
            cursor.execute(
                "UPDATE letters_sourcedocument SET"
                " extracted_text = (SELECT string_agg(text, E'\\n\\n' ORDER BY order_in_source) FROM letters_letter WHERE source_id = %s),"
                " parse_result = json_build_object("
                "  'questions', (SELECT json_agg(json_build_object('letter', 0, 'label', label, 'text', text, 'page', page) ORDER BY \"order\") FROM questions_question WHERE letter_id = %s),"
                "  'answers', (SELECT json_agg(json_build_object('letter', 1, 'label', label, 'text', text, 'page', page) ORDER BY \"order\") FROM questions_answer WHERE letter_id = %s))"
                " WHERE id = %s",
                [source.pk, asked.pk, reply.pk, source.pk],
            )
    with connection.cursor() as cursor:
        for table in (
            "letters_letter",
            "letters_sourcedocument",
            "questions_question",
            "questions_answer",
            "questions_answer_covers",
        ):
            cursor.execute(f"ANALYZE {table}")


def serve():
    """gunicorn's application (`bench.letter_page_bench:serve()`): the project as deployed, with
    static files found without collectstatic's manifest, as the other benches and the tests do."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return get_wsgi_application()


# A page to time: its label, address, expected status, and for a post what it posts.
Page = tuple[str, str, int, Callable[[], dict] | None]


def correction(pk: int, url: str, order: int) -> Callable[[], dict]:
    """What the correction page at `url` (of letter `pk`) posts when the clerk corrects the text of
    question `order` on it: each call a new text, so each post saves a change."""
    from django.test import RequestFactory

    from intake.forms import unchanged_data
    from intake.views import LetterEditView

    view = LetterEditView()
    view.setup(RequestFactory().get(url), pk=pk)
    context = view.get_context_data(pk=pk)
    data = {
        **unchanged_data(context["form"], context["question_formset"], context["answer_formset"]),
        "action": "save",
    }
    form = next(form for form in context["question_formset"].forms if form.instance.order == order)
    runs = itertools.count(1)

    def post() -> dict:
        return {**data, f"{form.prefix}-text": f"{form.instance.text} (correctie {next(runs)})"}

    return post


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def timed(action: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    """Milliseconds of each of `repeat` runs after one warm-up, and the size of the last response."""
    size = action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        size = action()
        times.append((time.perf_counter() - started) * 1000)
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated database")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "letter_page_bench needs PostgreSQL: set DATABASE_URL=postgres://... (a test database is created)."
        )

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from dossiers.roles import CLERK
    from dossiers.tests.factories import make_user

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    connection.settings_dict.setdefault("TEST", {})["NAME"] = TEST_DB
    test_db = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep
    )
    try:
        from django.contrib.auth.models import User

        from letters.choices import LetterKind
        from letters.models import Letter, SourceDocument

        if not Letter.objects.exists():
            started = time.perf_counter()
            print(
                f"building a letter of {args.questions} questions and one of as many answers in {test_db} ...",
                flush=True,
            )
            build(args.questions)
            print(f"built in {time.perf_counter() - started:.0f}s", flush=True)
        asked = Letter.objects.only("pk").get(kind=LetterKind.QUESTIONS)
        reply = Letter.objects.only("pk").get(kind=LetterKind.ANSWER)
        deep = asked.questions.only("pk", "letter_id", "order").get(order=min(DEEP, args.questions))
        source = SourceDocument.objects.only("pk").get()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_size_pretty(sum(octet_length(text))::bigint) FROM letters_letter UNION ALL"
                " SELECT pg_size_pretty(octet_length(extracted_text) + octet_length(parse_result::text)::bigint) FROM letters_sourcedocument"
            )
            letter_texts, source_texts = (row[0] for row in cursor.fetchall())
        print(
            f"letters: {asked.questions.count()} questions, {reply.answers.count()} answers; letter texts {letter_texts},"
            f" the file's extracted text and parser output {source_texts}"
        )
        user = User.objects.filter(username="bench").first() or make_user("bench", CLERK)
        client = Client()
        client.force_login(user)
        letter_url = reverse("letters:detail", args=[asked.pk])
        correction_url = f"{reverse('intake:edit', args=[asked.pk])}?from={deep.order}"
        pages: list[Page] = [
            ("question letter, first page", letter_url, 200, None),
            (
                f"question letter, page holding question {deep.order}",
                deep.get_letter_url().partition("#")[0],
                200,
                None,
            ),
            (f"go to question {deep.order} (redirect)", f"{letter_url}?goto={deep.order}", 302, None),
            (
                "answer letter, last page",
                f"{reverse('letters:detail', args=[reply.pk])}?answers_from={args.questions}",
                200,
                None,
            ),
            (f"thread of question {deep.order}", reverse("questions:thread", args=[deep.pk]), 200, None),
            ("import review page", reverse("intake:source", args=[source.pk]), 200, None),
            (f"correction page, block of question {deep.order}", correction_url, 200, None),
            (
                "answer letter's correction page, last block",
                f"{reverse('intake:edit', args=[reply.pk])}?answers_from={args.questions}",
                200,
                None,
            ),
            (
                f"correct question {deep.order} (post its block)",
                correction_url,
                302,
                correction(asked.pk, correction_url, deep.order),
            ),
        ]

        def through_client(url: str, expected: int, data: Callable[[], dict] | None) -> Callable[[], int]:
            def run() -> int:
                response = client.get(url) if data is None else client.post(url, data())
                assert response.status_code == expected, (url, response.status_code)
                return len(response.content)

            return run

        load = os.getloadavg()
        print(f"\nmachine load (1/5/15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"\n{'page':48} {'test client p50':>16} {'slowest':>9} {'size':>9}")
        slowest = 0.0
        for label, url, expected, data in pages:
            times, size = timed(through_client(url, expected, data), args.repeat)
            slowest = max(slowest, max(times))
            print(
                f"{label:48} {statistics.median(times):14.0f}ms {max(times):7.0f}ms {size / 1024:7.0f}kB",
                flush=True,
            )

        served_slowest, peak_mb, base_mb = measure_gunicorn(
            pages, client.cookies["sessionid"].value, args.repeat
        )
        met = max(slowest, served_slowest) < TARGET_MS and peak_mb < TARGET_MB
        print(
            f"\nletter page bench ({args.questions} questions): slowest page {slowest:.0f} ms (test client), {served_slowest:.0f} ms (gunicorn);"
            f" worker peak RSS {peak_mb:.0f} MB (idle {base_mb:.0f} MB); target < {TARGET_MS} ms and < {TARGET_MB} MB: {'met' if met else 'NOT met'}"
        )
    finally:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(test_db, verbosity=0)


def measure_gunicorn(pages: list[Page], session: str, repeat: int) -> tuple[float, float, float]:
    """Serve the test database with one gunicorn sync worker, request every page, and return the
    slowest response (ms), the worker's peak resident memory and its memory before the pages (MB)."""
    from django.db import connection

    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "PYTHONPATH": str(REPO),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "bench.letter_page_bench:serve()",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        opener = urllib.request.build_opener(NoRedirect)
        base = f"http://127.0.0.1:{port}"
        opener.addheaders = [("Cookie", f"sessionid={session}; csrftoken={CSRF_SECRET}")]

        def get(url: str, expected: int, data: Callable[[], dict] | None = None) -> Callable[[], int]:
            def run() -> int:
                request = urllib.request.Request(base + url)
                if data is not None:
                    request.data = urlencode(data(), doseq=True).encode()
                    request.add_header("X-CSRFToken", CSRF_SECRET)
                try:
                    with opener.open(request, timeout=130) as response:
                        status, body = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read()
                assert status == expected, (url, status)
                return len(body)

            return run

        for _ in range(100):
            try:
                get("/login/", 200)()
                break
            except (OSError, AssertionError):
                time.sleep(0.2)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        worker = int(children[0])
        base_mb = status_kb(worker, "VmRSS") / 1024
        print(f"\n{'page':48} {'gunicorn p50':>16} {'slowest':>9}")
        slowest = 0.0
        for label, url, expected, data in pages:
            times, _size = timed(get(url, expected, data), repeat)
            slowest = max(slowest, max(times))
            print(f"{label:48} {statistics.median(times):14.0f}ms {max(times):7.0f}ms", flush=True)
        peak_mb = status_kb(worker, "VmHWM") / 1024
        print(f"gunicorn worker: {base_mb:.0f} MB resident before the pages, peak {peak_mb:.0f} MB")
        return slowest, peak_mb, base_mb
    finally:
        server.terminate()
        server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """'Go to question N' answers a redirect: time that answer, not the page it leads to."""

    def redirect_request(self, *args, **kwargs):
        return None


if __name__ == "__main__":
    main()
