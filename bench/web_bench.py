"""Web pages against the raw SQL each needs, side by side, on a generated archive in PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/web_bench.py [--letters 100000] [--repeat 15] [--keep] [--only TEXT]

Builds (in a throwaway test database, with server-side bulk SQL) 100,000 letters and 1,000,000
questions and answers with deadlines, thread links and search vectors (kept by the same triggers
as production), then times, logged in as a clerk through Django's test Client:
the dashboard, a dossier page, a filtered letter list, five searches (a rare word, a word in a
quarter of all texts, a stemmed form, two words, and a common word with filters), the deadline
list (40,000 deadlines; whole, and one committee's overdue ones), the statistics page ("Cijfers";
whole, and one committee's) and the clerk's calendar feed
(following everything: about 5,000 pending deadlines, of which the feed serves its window), each beside the
hand-written SQL that page needs and the framework floor (the login page: session, user,
middleware, base template, no data). Prints p50/p95 of all three and the ratio
page/(raw + floor) (target: <= 2); the last line is the worst ratio.
`--keep` keeps the database for the next run (and reuses it when it is already filled: the archive
is built in one transaction, so a run cut short never leaves half an archive to be reused). The
archive's database is `test_griffie_web_bench`, or `$GRIFFIE_BENCH_DB`.

Every page here needs a logged-in user, so each raw side also runs the two lookups a hand-written
page needs for that (the session row, the user row) and, for pages with the site header, what its
menu shows (the user's permissions, the count of letters to confirm); the `data` column is the
ratio without them.
"""

# ruff: noqa: E501 -- the SQL reads best unwrapped; this script is not imported by the app.
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# GRIFFIE_BENCH_DB names another archive (a copy made with CREATE DATABASE ... TEMPLATE, say), so a
# branch with new migrations can be measured without migrating the shared one.
TEST_DB = os.environ.get("GRIFFIE_BENCH_DB", "test_griffie_web_bench")
WORDS = [
    "kabinet",
    "minister",
    "commissie",
    "leden",
    "fractie",
    "vragen",
    "antwoord",
    "brief",
    "gemeenten",
    "opvang",
    "provincie",
    "signalen",
    "ombudsman",
    "knelpunten",
    "beleid",
    "uitvoering",
    "wet",
    "voorstel",
    "begroting",
    "onderzoek",
    "rapport",
    "evaluatie",
    "zorg",
    "onderwijs",
    "woningen",
    "huur",
    "energie",
    "klimaat",
    "stikstof",
    "landbouw",
    "defensie",
    "veiligheid",
    "politie",
    "rechtspraak",
    "belasting",
    "toeslagen",
    "herstel",
    "ouders",
    "kinderen",
    "jongeren",
    "ouderen",
    "pensioen",
    "arbeidsmarkt",
    "werkgevers",
    "digitale",
    "overheid",
    "privacy",
    "gegevens",
    "informatie",
    "transparantie",
    "reactie",
    "termijn",
    "uitstel",
    "verzoek",
]


def build(letters: int) -> None:
    """The archive, generated inside PostgreSQL (no rows travel through Python)."""
    from django.db import connection, transaction

    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"

    # A text of 20-40 words picked by a cheap hash of (row, position): deterministic, and correlated
    # with the row so PostgreSQL evaluates it per row. 'asiel' (or 'asielzoekers') lands in a quarter of
    # all texts, 'regenboogprovincie' in one in ten thousand.
    def text(seed: str) -> str:
        return (
            f"array_to_string(ARRAY(SELECT ({words})[1 + (({seed}) * 7919 + g * 104729) % {len(WORDS)}]"
            f" FROM generate_series(1, 20 + ({seed}) % 21) g), ' ')"
            f" || CASE WHEN ({seed}) % 4 = 0 THEN ' asiel asielketen' WHEN ({seed}) % 4 = 1 AND ({seed}) % 3 = 0"
            f" THEN ' asielzoekers' ELSE '' END"
            f" || CASE WHEN ({seed}) % 10007 = 0 THEN ' regenboogprovincie' ELSE '' END"
        )

    statements = [
        "INSERT INTO dossiers_committee (name, short_name, chamber, clerk, chair)"
        " SELECT 'vaste commissie ' || n, 'C' || n, CASE WHEN n % 2 = 0 THEN 'EK' ELSE 'TK' END, '', ''"
        " FROM generate_series(1, 40) n",
        "INSERT INTO dossiers_minister (portfolio, name, ministry)"
        " SELECT 'minister van portefeuille ' || n, '', '' FROM generate_series(1, 30) n",
        "INSERT INTO dossiers_party (name, aliases) SELECT 'Partij ' || n, '[]' FROM generate_series(1, 20) n",
        "INSERT INTO dossiers_member (name, party_id, chamber)"
        " SELECT 'Lid ' || n, 1 + n % 20, 'EK' FROM generate_series(1, 300) n",
        "INSERT INTO dossiers_dossier (number, title, chamber)"
        " SELECT (30000 + n)::text, 'Dossier ' || n, 'EK' FROM generate_series(1, 5000) n",
        # Blocks of 20 letters: 8 question letters, 7 answers (to the first 7), 2 postponements
        # (of the 8th), 3 others. Dates spread over ten years up to today.
        f"""
        INSERT INTO letters_letter (id, kind, date, chamber, sender, recipient, minister_id, committee_id,
            dossier_id, dossier_document, reference, cites_reference, document_number, subject, text,
            link_confidence, link_note, order_in_source, created_at, updated_at, in_reply_to_id)
        SELECT n + 1,
            CASE WHEN n % 20 < 8 THEN 'questions' WHEN n % 20 < 15 THEN 'answer'
                 WHEN n % 20 < 17 THEN 'postponement' ELSE 'other' END,
            current_date - ((n / 20) * 73 % 3650)::int + CASE WHEN n % 20 BETWEEN 8 AND 14 THEN 20 + n % 15
                 WHEN n % 20 IN (15, 16) THEN 14 ELSE 0 END,
            'EK', 'commissie', 'minister', 1 + (n / 20) % 30, 1 + (n / 20) % 40, 1 + (n / 20) % 5000, '',
            'K' || n, '', '', 'Brief ' || n || ' over ' || ({words})[1 + n % {len(WORDS)}], {text("n")},
            CASE WHEN n % 20 >= 8 AND n % 20 < 17 THEN 'reference' ELSE '' END, '[]', 0, now(), now(),
            CASE WHEN n % 20 BETWEEN 8 AND 14 THEN n - 8 + 1 WHEN n % 20 IN (15, 16) THEN n - n % 20 + 7 + 1 END
        FROM generate_series(0, {letters} - 1) n
        """,
        "SELECT setval(pg_get_serial_sequence('letters_letter', 'id'), (SELECT max(id) FROM letters_letter))",
        # 15 questions per question letter; the answer letter of the same block answers the first 11.
        # Keys in letter order, as an import writes a letter's texts together: newest keys are the
        # newest letters' texts (a search walks them backwards), not all texts numbered 13 to 15.
        """
        INSERT INTO questions_question (letter_id, label, "order", text, party_id, member_id, page)
        SELECT l.id, q::text, q, """
        + text("l.id * 16 + q")
        + """, 1 + l.id % 20, 1 + l.id % 300, 1 + q / 5
        FROM letters_letter l CROSS JOIN generate_series(1, 15) q WHERE l.kind = 'questions'
        ORDER BY 1, 3
        """,
        """
        INSERT INTO questions_answer (letter_id, label, "order", text, page)
        SELECT l.id, a::text, a, """
        + text("l.id * 13 + a")
        + """, 1 + a / 4
        FROM letters_letter l CROSS JOIN generate_series(1, 11) a WHERE l.kind = 'answer'
        ORDER BY 1, 3
        """,
        """
        INSERT INTO questions_answer_covers (answer_id, question_id)
        SELECT a.id, q.id FROM questions_answer a JOIN letters_letter l ON l.id = a.letter_id
        JOIN questions_question q ON q.letter_id = l.in_reply_to_id AND q."order" = a."order"
        """,
        "INSERT INTO letters_letter_parties (letter_id, party_id)"
        " SELECT id, 1 + id % 20 FROM letters_letter WHERE kind = 'questions'",
        "INSERT INTO letters_letter_members (letter_id, member_id)"
        " SELECT id, 1 + id % 300 FROM letters_letter WHERE kind = 'questions'",
        # Deadlines from the same facts: answered (some late), postponed, open, due soon, overdue.
        """
        INSERT INTO deadlines_deadline (letter_id, term_days, grace_days, original_due_date, due_date, status,
            answered_on, days_late, late_postponements, unanswered_questions, status_changed_at, updated_at)
        SELECT q.id, 28, 28, q.date + 28,
            CASE WHEN p.id IS NOT NULL THEN q.date + 56 ELSE q.date + 28 END,
            CASE WHEN a.date IS NOT NULL AND a.date > q.date + 28 THEN 'answered_late'
                 WHEN a.date IS NOT NULL THEN 'answered'
                 WHEN p.id IS NOT NULL AND q.date + 56 >= current_date THEN 'postponed'
                 WHEN q.date + CASE WHEN p.id IS NULL THEN 28 ELSE 56 END < current_date THEN 'overdue'
                 WHEN q.date + 28 <= current_date + 7 THEN 'due_soon' ELSE 'open' END,
            a.date, CASE WHEN a.date > q.date + 28 THEN a.date - q.date - 28 END, 0,
            CASE WHEN a.date IS NOT NULL THEN 4 ELSE 0 END, now(), now()
        FROM letters_letter q
        LEFT JOIN letters_letter a ON a.in_reply_to_id = q.id AND a.kind = 'answer'
        LEFT JOIN LATERAL (SELECT min(id) AS id FROM letters_letter p
                           WHERE p.in_reply_to_id = q.id AND p.kind = 'postponement') p ON p.id IS NOT NULL
        WHERE q.kind = 'questions'
        """,
        # Follow-up rounds: question 1 of every 8th question letter follows up question 1 of the one before.
        """
        INSERT INTO questions_questionlink (earlier_id, later_id, kind, source, score, created_at, rejected)
        SELECT e.id, l.id, 'follow_up', 'detected', 0.9, now(), false
        FROM questions_question l JOIN questions_question e ON e.letter_id = l.letter_id - 20 AND e."order" = 1
        WHERE l."order" = 1 AND l.letter_id % 8 = 1
        """,
        "ANALYZE",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            started = time.perf_counter()
            cursor.execute(statement)
            print(f"  {time.perf_counter() - started:6.1f}s  {' '.join(statement.split())[:90]}", flush=True)


def open_archive(*, letters: int, keep: bool) -> str:
    """Point this process's connection at the archive's database (migrated), building the archive
    when the database is new or empty; returns the database's name. `keep` reuses a kept one."""
    from django.db import connection

    from letters.models import Letter

    connection.settings_dict.setdefault("TEST", {})["NAME"] = TEST_DB
    # serialize=False: a kept archive would otherwise be read row by row into a string first.
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=keep)
    if not Letter.objects.exists():
        started = time.perf_counter()
        print(f"building {letters} letters in {test_db} ...", flush=True)
        build(letters)
        print(f"built in {time.perf_counter() - started:.0f}s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_user_tables WHERE relname = 'letters_letter'"
            " AND last_vacuum IS NULL AND last_autovacuum IS NULL"
        )
        if cursor.fetchone():
            # What autovacuum does to a production database soon after a bulk load (the visibility map
            # that lets index-only scans skip the tables); a server run with autovacuum off never would.
            started = time.perf_counter()
            cursor.execute("VACUUM (ANALYZE)")
            print(f"vacuumed in {time.perf_counter() - started:.0f}s", flush=True)
    return test_db


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm caches and connections once, untimed
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def raw(queries: list[tuple[str, list]]) -> Callable[[], None]:
    """Run the SQL a page needs, fetching every row, on the same connection Django uses."""
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def page(client, url: str) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


# A deadline's row beside its letter, as the dashboard and the deadline list print it.
ATTENTION_COLUMNS = (
    "d.id, d.status, d.due_date, d.answered_on, d.days_late, d.unanswered_questions, l.id, l.kind, l.date,"
    " l.subject, c.name, c.short_name, c.chamber, m.portfolio, m.name, o.number"
)
DEADLINE_JOINS = (
    "FROM deadlines_deadline d JOIN letters_letter l ON l.id = d.letter_id"
    " LEFT JOIN dossiers_committee c ON c.id = l.committee_id LEFT JOIN dossiers_minister m ON m.id = l.minister_id"
    " LEFT JOIN dossiers_dossier o ON o.id = l.dossier_id"
)
# The filter selects of the deadline list.
FILTER_OPTIONS_SQL = [
    ("SELECT id, name, chamber FROM dossiers_committee ORDER BY chamber, name", []),
    ("SELECT id, portfolio, name FROM dossiers_minister ORDER BY portfolio, name", []),
]


def deadline_list_sql(where: str) -> list[tuple[str, list]]:
    """A page of the deadline list by due date, then the questions of the letters on it."""
    from django.db import connection

    rows_sql = (
        f"SELECT {ATTENTION_COLUMNS}, d.original_due_date, d.late_postponements {DEADLINE_JOINS}"
        f" WHERE {where} ORDER BY d.due_date, d.id LIMIT 51"
    )
    with connection.cursor() as cursor:
        cursor.execute(rows_sql)
        letters = [row[6] for row in cursor.fetchall()[:50]]
    counts_sql = (
        "SELECT letter_id, count(*) FROM questions_question WHERE letter_id = ANY(%s) GROUP BY letter_id"
    )
    return [(rows_sql, []), (counts_sql, [letters]), *FILTER_OPTIONS_SQL]


def statistics_sql(where: str) -> list[tuple[str, list]]:
    """The statistics page's figures as one hand-written statement: every table (chamber, committee,
    minister, month asked, and the whole selection) in one scan by GROUPING SETS, the percentiles by
    percentile_cont; then the filter selects."""
    asked = "coalesce(l.date, l.received_on)"
    figures = (
        f"SELECT l.chamber, l.committee_id, c.name, l.minister_id, m.portfolio, m.name,"
        f" date_trunc('month', {asked})::date AS month, count(*),"
        " count(*) FILTER (WHERE d.status = 'answered'), count(*) FILTER (WHERE d.status = 'answered_late'),"
        " count(*) FILTER (WHERE d.status IN ('open', 'due_soon', 'postponed')),"
        " count(*) FILTER (WHERE d.status = 'overdue'),"
        f" percentile_cont(0.5) WITHIN GROUP (ORDER BY d.answered_on - {asked}),"
        f" percentile_cont(0.9) WITHIN GROUP (ORDER BY d.answered_on - {asked}),"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days_late),"
        " percentile_cont(0.9) WITHIN GROUP (ORDER BY d.days_late),"
        " count(*) FILTER (WHERE p.postponed), count(*) FILTER (WHERE p.postponed AND d.status = 'answered'),"
        " count(*) FILTER (WHERE p.postponed AND d.status IN ('answered_late', 'overdue')),"
        " count(*) FILTER (WHERE d.answered_on IS NOT NULL AND d.unanswered_questions > 0),"
        " sum(d.unanswered_questions) FILTER (WHERE d.answered_on IS NOT NULL),"
        # The days-late distribution of the whole selection, in the page's bins.
        " count(*) FILTER (WHERE d.days_late BETWEEN 1 AND 7), count(*) FILTER (WHERE d.days_late BETWEEN 8 AND 14),"
        " count(*) FILTER (WHERE d.days_late BETWEEN 15 AND 28), count(*) FILTER (WHERE d.days_late BETWEEN 29 AND 56),"
        " count(*) FILTER (WHERE d.days_late BETWEEN 57 AND 91), count(*) FILTER (WHERE d.days_late >= 92)"
        " FROM deadlines_deadline d JOIN letters_letter l ON l.id = d.letter_id"
        " LEFT JOIN dossiers_committee c ON c.id = l.committee_id LEFT JOIN dossiers_minister m ON m.id = l.minister_id"
        " CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM deadlines_postponement x WHERE x.deadline_id = d.id)"
        " AS postponed) p"
        f" WHERE {where}"
        " GROUP BY GROUPING SETS ((l.chamber), (l.committee_id, c.name), (l.minister_id, m.portfolio, m.name),"
        " (month), ())"
    )
    return [(figures, []), *FILTER_OPTIONS_SQL]


def bench_calendar(user) -> str:
    """The bench user's calendar address, following everything (the pending deadlines of the whole
    archive, about 5,000): made on a kept archive if it is not there yet."""
    from deadlines.choices import SubscriptionScope
    from deadlines.models import AlertProfile, Subscription

    profile, _created = AlertProfile.objects.get_or_create(user=user, defaults={"language": "nl"})
    if not Subscription.objects.filter(user=user, scope=SubscriptionScope.ALL, active=True).exists():
        Subscription.objects.create(user=user, scope=SubscriptionScope.ALL)
    return profile.calendar_token


SEARCH_SQL = """
WITH c AS (SELECT id, ts_rank(search_vector, websearch_to_tsquery('dutch', %s)) r FROM {table}
           WHERE search_vector @@ websearch_to_tsquery('dutch', %s) {extra} LIMIT 1000)
SELECT id, r FROM c ORDER BY r DESC, id DESC LIMIT 20
"""
HEADLINE_SQL = """
SELECT t.id, ts_headline('dutch', {text}, websearch_to_tsquery('dutch', %s), 'MaxWords=40, MinWords=15, MaxFragments=2')
FROM {table} t WHERE t.id IN (SELECT id FROM {table} WHERE search_vector @@ websearch_to_tsquery('dutch', %s)
ORDER BY id DESC LIMIT 7)
"""


def search_sql(term: str, committee: int | None = None) -> list[tuple[str, list]]:
    from django.db import connection

    queries, beyond = [], []
    keys: list[int] = []
    if committee:
        # A filter that leaves few letters: their keys first, then the most recent matches among
        # their texts, walking the letter index backwards (as questions.search does).
        keys_sql = "SELECT id FROM letters_letter WHERE committee_id = %s LIMIT 5001"
        queries.append((keys_sql, [committee]))
        with connection.cursor() as cursor:
            cursor.execute(keys_sql, [committee])
            keys = [key for (key,) in cursor.fetchall()]
    for table, text, via in (
        ("questions_question", "t.text", "letter_id"),
        ("questions_answer", "t.text", "letter_id"),
        ("letters_letter", "t.subject || ' — ' || t.text", "id"),
    ):
        extra = "ORDER BY id DESC"
        params: list = [term]
        if committee:
            extra = f"AND {via} = ANY(%s) ORDER BY {via} DESC"
            params.append(keys)
        queries.append((SEARCH_SQL.format(table=table, extra=extra), [term, *params]))
        queries.append((HEADLINE_SQL.format(table=table, text=text), [term, term]))
        matches = f"SELECT id FROM {table} WHERE search_vector @@ websearch_to_tsquery('dutch', %s) " + (
            extra if committee else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({matches} LIMIT 1000) m", params)
            if cursor.fetchone()[0] >= 1000:
                beyond.append((matches, params))
    if beyond:
        # More matches than are ranked: the page prints an estimated total, from one EXPLAIN.
        explain = "EXPLAIN (FORMAT JSON) " + " UNION ALL ".join(f"({sql})" for sql, _ in beyond)
        queries.append((explain, [param for _, params in beyond for param in params]))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated database")
    parser.add_argument("--only", help="time only the pages whose label contains this text")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("web_bench needs PostgreSQL: set DATABASE_URL=postgres://... (a test database is created).")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from dossiers.roles import CLERK
    from dossiers.tests.factories import make_user

    # No setup_test_environment(): its instrumented template rendering would be timed too.
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    test_db = open_archive(letters=args.letters, keep=args.keep)
    try:
        from django.contrib.auth.models import User

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM letters_letter), (SELECT count(*) FROM questions_question),"
                " (SELECT count(*) FROM questions_answer)"
            )
            n_letters, n_questions, n_answers = cursor.fetchone()
            cursor.execute(
                "SELECT count(*) FROM questions_question WHERE search_vector @@ websearch_to_tsquery('dutch', 'asiel')"
            )
            common = cursor.fetchone()[0]
        print(
            f"archive: {n_letters} letters, {n_questions} questions, {n_answers} answers;"
            f" 'asiel' in {common / n_questions:.0%} of questions"
        )
        user = User.objects.filter(username="bench").first() or make_user("bench", CLERK)
        calendar_token = bench_calendar(user)
        client = Client()
        client.force_login(user)
        # What identifying the logged-in user costs a hand-written page: the session, then the user.
        auth_sql = [
            (
                "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > now()",
                [client.session.session_key],
            ),
            ("SELECT id, username, is_active, is_superuser FROM auth_user WHERE id = %s", [user.pk]),
        ]
        # A page with the site header also reads what its menu shows: the user's permissions and, for
        # a clerk, the letters still to confirm (intake.selectors.letters_to_confirm). A feed has no header.
        menu_sql = [
            (
                "SELECT t.app_label, p.codename FROM auth_permission p JOIN django_content_type t ON t.id = p.content_type_id"
                " WHERE p.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = %s"
                " UNION SELECT gp.permission_id FROM auth_group_permissions gp JOIN auth_user_groups ug"
                " ON ug.group_id = gp.group_id WHERE ug.user_id = %s)",
                [user.pk, user.pk],
            ),
            (
                "SELECT count(*) FROM (SELECT 1 FROM letters_letter WHERE confirmed_at IS NULL LIMIT 100) c",
                [],
            ),
        ]
        headerless = {"deadline calendar feed", "API letter list"}

        dossier_id = 1 + 17  # a dossier with ~20 letters over the years
        cases: list[tuple[str, Callable, list[tuple[str, list]]]] = [
            (
                "dashboard",
                page(client, "/"),
                (
                    [
                        # The four lists, each as deadlines.selectors.attention_filters says.
                        (
                            f"SELECT {ATTENTION_COLUMNS} {DEADLINE_JOINS}"
                            f" WHERE {where} ORDER BY {order} LIMIT 15",
                            [],
                        )
                        for where, order in (
                            (
                                "d.status IN ('open', 'due_soon') AND d.due_date BETWEEN current_date AND current_date + 14",
                                "d.due_date, d.id",
                            ),
                            ("d.status = 'overdue'", "d.due_date, d.id"),
                            ("d.status = 'postponed'", "d.due_date, d.id"),
                            (
                                "d.status IN ('answered', 'answered_late') AND d.answered_on >= current_date - 30",
                                "d.answered_on DESC, d.id DESC",
                            ),
                        )
                    ]
                    + [
                        # The counts on top and per committee in one statement (the page makes two).
                        (
                            "SELECT l.committee_id,"
                            " count(*) FILTER (WHERE d.status IN ('open', 'due_soon') AND d.due_date BETWEEN current_date AND current_date + 14),"
                            " count(*) FILTER (WHERE d.status = 'overdue'),"
                            " count(*) FILTER (WHERE d.status = 'postponed'),"
                            " count(*) FILTER (WHERE d.status IN ('answered', 'answered_late') AND d.answered_on >= current_date - 30)"
                            " FROM deadlines_deadline d JOIN letters_letter l ON l.id = d.letter_id"
                            " WHERE d.status IN ('open', 'due_soon', 'postponed', 'overdue')"
                            " OR (d.status IN ('answered', 'answered_late') AND d.answered_on >= current_date - 30)"
                            " GROUP BY ROLLUP (l.committee_id)",
                            [],
                        ),
                        # The verslagen on bills awaiting a reply, oldest first (selectors.open_verslagen).
                        (
                            f"SELECT {ATTENTION_COLUMNS}, l.dossier_document, l.expected_reply_on {DEADLINE_JOINS}"
                            " WHERE d.status IN ('open', 'due_soon', 'postponed', 'overdue') AND l.kind = 'verslag'"
                            " ORDER BY l.date, d.id LIMIT 16",
                            [],
                        ),
                        ("SELECT id, name, chamber FROM dossiers_committee ORDER BY chamber, name", []),
                    ]
                ),
            ),
            (
                "dossier page",
                page(client, f"/dossiers/{dossier_id}/"),
                (
                    [
                        ("SELECT * FROM dossiers_dossier WHERE id = %s", [dossier_id]),
                        # What the timeline shows; its kinds are counted from these rows, as the page
                        # does when the dossier fits on one page.
                        (
                            "SELECT l.id, l.kind, l.date, l.subject, l.dossier_document, c.name,"
                            " m.portfolio, l.in_reply_to_id, r.kind, r.date, d.status, d.due_date, d.answered_on"
                            " FROM letters_letter l LEFT JOIN deadlines_deadline d ON"
                            " d.letter_id = l.id LEFT JOIN letters_letter r ON r.id = l.in_reply_to_id"
                            " LEFT JOIN dossiers_committee c ON c.id = l.committee_id LEFT JOIN dossiers_minister m"
                            " ON m.id = l.minister_id WHERE l.dossier_id = %s ORDER BY l.date, l.id LIMIT 101",
                            [dossier_id],
                        ),
                    ]
                ),
            ),
            (
                "filtered list",
                page(
                    client, "/letters/?committee=5&kind=questions&status=answered_late&date_after=2018-01-01"
                ),
                (
                    [
                        (
                            "SELECT l.id, l.kind, l.date, l.subject, l.confirmed_at, l.source_id, c.name,"
                            " c.short_name, m.portfolio, o.number, d.status, d.due_date, d.answered_on"
                            " FROM letters_letter l JOIN deadlines_deadline d ON d.letter_id = l.id"
                            " LEFT JOIN dossiers_committee c ON c.id = l.committee_id LEFT JOIN dossiers_minister m"
                            " ON m.id = l.minister_id LEFT JOIN dossiers_dossier o ON o.id = l.dossier_id"
                            " WHERE l.committee_id = 5 AND l.kind = 'questions' AND d.status = 'answered_late'"
                            " AND l.date >= '2018-01-01' ORDER BY l.date DESC NULLS LAST, l.id DESC LIMIT 51",
                            [],
                        ),
                        ("SELECT id, name, chamber FROM dossiers_committee ORDER BY chamber, name", []),
                        ("SELECT id, name FROM dossiers_party ORDER BY name", []),
                        ("SELECT id, portfolio, name FROM dossiers_minister ORDER BY portfolio, name", []),
                    ]
                ),
            ),
            ("deadline list", page(client, "/deadlines/"), deadline_list_sql("true")),
            (
                "deadline list, committee + overdue",
                page(client, "/deadlines/?committee=5&status=overdue"),
                deadline_list_sql("l.committee_id = 5 AND d.status = 'overdue'"),
            ),
            ("statistics", page(client, "/deadlines/statistics/"), statistics_sql("true")),
            (
                "statistics, committee filter",
                page(client, "/deadlines/statistics/?committee=5"),
                statistics_sql("l.committee_id = 5"),
            ),
            (
                "deadline calendar feed",
                page(client, f"/deadlines/calendar/{calendar_token}.ics"),
                [
                    (
                        "SELECT p.user_id, p.language FROM deadlines_alertprofile p JOIN auth_user u ON u.id = p.user_id"
                        " WHERE p.calendar_token = %s AND u.is_active",
                        [calendar_token],
                    ),
                    (
                        "SELECT scope, committee_id, dossier_id, letter_id FROM deadlines_subscription"
                        " WHERE user_id = %s AND active",
                        [user.pk],
                    ),
                    # What deadlines.views.calendar_feed serves a subscriber: the pending deadlines due
                    # from 90 days ago on, at most 1,000.
                    (
                        "SELECT d.id, d.due_date, d.status, d.updated_at, l.subject, l.date, c.name, o.number,"
                        " o.title, m.portfolio, m.name"
                        f" {DEADLINE_JOINS} WHERE d.status IN ('open', 'due_soon', 'postponed', 'overdue')"
                        " AND d.due_date >= current_date - 90 ORDER BY d.due_date, d.id LIMIT 1000",
                        [],
                    ),
                ],
            ),
        ]
        # The API's first page of letters (api.views.LetterViewSet, 50 newest by key) as JSON: the
        # permission it checks, the letters with their committee, minister, dossier and deadline,
        # then their parties. No header, so no menu.
        cases.append(
            (
                "API letter list",
                page(client, "/api/v1/letters/"),
                [
                    menu_sql[0],
                    (
                        "SELECT l.id, l.kind, l.date, l.received_on, l.chamber, l.sender, l.recipient, l.subject,"
                        " l.dossier_document, l.reference, l.cites_reference, l.cites_date, l.document_number,"
                        " l.term_days, l.promised_date, l.promised_term_days, l.in_reply_to_id, l.link_confidence,"
                        " l.source_id, l.first_page, l.last_page, l.confirmed_at, l.updated_at,"
                        " c.id, c.name, c.short_name, c.chamber, m.id, m.portfolio, m.name, o.id, o.number, o.title,"
                        " d.id, d.status, d.due_date, d.answered_on, d.days_late"
                        " FROM letters_letter l LEFT JOIN dossiers_committee c ON c.id = l.committee_id"
                        " LEFT JOIN dossiers_minister m ON m.id = l.minister_id"
                        " LEFT JOIN dossiers_dossier o ON o.id = l.dossier_id"
                        " LEFT JOIN deadlines_deadline d ON d.letter_id = l.id ORDER BY l.id DESC LIMIT 51",
                        [],
                    ),
                    (
                        "SELECT lp.letter_id, p.name FROM letters_letter_parties lp JOIN dossiers_party p"
                        " ON p.id = lp.party_id WHERE lp.letter_id IN"
                        " (SELECT id FROM letters_letter ORDER BY id DESC LIMIT 50)",
                        [],
                    ),
                ],
            )
        )
        for label, term, committee in (
            ("search rare 'regenboogprovincie'", "regenboogprovincie", None),
            ("search common 'asiel'", "asiel", None),
            ("search stemmed 'asielzoeker'", "asielzoeker", None),
            ("search two words 'opvang gemeenten'", "opvang gemeenten", None),
            ("search 'asiel' + committee filter", "asiel", 5),
        ):
            url = f"/search/?q={term.replace(' ', '+')}" + (f"&committee={committee}" if committee else "")
            cases.append((label, page(client, url), search_sql(term, committee)))

        print(
            f"\n{'page':40} {'page p50':>9} {'p95':>8} {'raw p50':>9} {'p95':>8} {'floor p50':>10} {'p95':>8}"
            f" {'ratio':>6} {'data':>6}"
            "\n(raw: the page's SQL plus the session, user and menu lookups; floor: the login page, what any page"
            "\n costs before its own SQL and markup; ratio: page / (raw + floor); data: page / its SQL alone)"
        )
        floor_page = page(client, "/login/")
        worst = 0.0
        for label, run_page, queries in cases:
            if args.only and args.only not in label:
                continue
            run_raw = raw(auth_sql + ([] if label in headerless else menu_sql) + queries)
            run_data = raw(queries)
            page_times, raw_times, data_times, floor_times = [], [], [], []
            run_page(), run_raw(), floor_page()
            # Interleaved, so all see the same cache and machine load.
            for _ in range(args.repeat):
                page_times += timed(run_page, 1)[-1:]
                raw_times += timed(run_raw, 1)[-1:]
                data_times += timed(run_data, 1)[-1:]
                floor_times += timed(floor_page, 1)[-1:]
            p50, r50, d50, f50 = (
                statistics.median(t) for t in (page_times, raw_times, data_times, floor_times)
            )
            ratio = p50 / (r50 + f50)
            worst = max(worst, ratio)
            print(
                f"{label:40} {p50:8.1f}ms {percentile(page_times, 0.95):7.1f}ms {r50:8.1f}ms"
                f" {percentile(raw_times, 0.95):7.1f}ms {f50:9.1f}ms {percentile(floor_times, 0.95):7.1f}ms"
                f" {ratio:6.2f} {p50 / d50 if d50 else float('inf'):6.2f}",
                flush=True,
            )
        print(f"\nworst ratio page/(raw+floor): {worst:.2f}")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
