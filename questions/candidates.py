"""Which stored questions or answers may resemble a text: a bounded candidate set, from the text index.

Linking a letter of n questions to m earlier ones by comparing every pair costs n x m similarity
measures; a big letter never finishes. Instead each text asks the full-text index (PostgreSQL's
search vectors, the SQLite quick start's FTS5 stem tables) for the stored texts sharing its most
distinctive stems, best ranked first, at most `limit`; the caller's similarity measure then decides
among those. Distinctive means found in the fewest texts of the pool searched, so a common word
("Kamer", "bereid") neither floods the candidates nor crowds out the words a question is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.db import connection
from django.db.models import QuerySet

from .models import Answer, Question
from .stemming import stems

Key = TypeVar("Key", bound=Hashable)

# Stems of a text searched for: enough that a question asked again shares several of them with
# its original, few enough that the index returns a handful of rows, not the whole pool.
QUERY_STEMS = 8
# Texts per statement, rows per INSERT, ids per IN list: within every driver's parameter limits.
BATCH = 2000

# Per model: its SQLite FTS5 table (questions.sqlite_search keeps it) and its PostgreSQL GIN index.
_SQLITE_TABLES = {Question: "question_search", Answer: "answer_search"}
_GIN_INDEXES = {Question: "question_search_vector", Answer: "answer_search_vector"}


def ranked_candidates(pool: QuerySet, texts: Mapping[Key, str], *, limit: int) -> dict[Key, list[int]]:
    """Per text, the ids of at most `limit` rows of `pool` that share its most distinctive stems,
    the best ranked first; a text sharing no stem with the pool has none."""
    if not texts:
        return {}
    keys = list(texts)
    if connection.vendor == "postgresql":
        terms = _postgres_terms([texts[key] for key in keys])
    else:
        terms = [stems(texts[key]).split() for key in keys]
    wanted = {term for found in terms for term in found}
    if not wanted:
        return {key: [] for key in keys}
    counts = _postgres_counts(pool, wanted) if connection.vendor == "postgresql" else _sqlite_counts(pool)
    queries: dict[int, list[str]] = {}
    for index, found in enumerate(terms):
        present = sorted({term for term in found if counts.get(term)}, key=lambda term: (counts[term], term))
        if present:
            queries[index] = present[:QUERY_STEMS]
    if connection.vendor == "postgresql":
        found_ids = _postgres_search(pool, queries, limit)
    else:
        found_ids = _sqlite_search(pool, queries, limit)
    return {key: found_ids.get(index, []) for index, key in enumerate(keys)}


def _pool_sql(pool: QuerySet) -> tuple[str, tuple]:
    # Unordered: a model's default ordering would join the tables it orders by.
    sql, params = pool.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def _postgres_terms(texts: list[str]) -> list[list[str]]:
    """The lexemes PostgreSQL's 'dutch' configuration makes of each text, as its search vectors hold."""
    terms: list[list[str]] = [[] for _ in texts]
    with connection.cursor() as cursor:
        for start in range(0, len(texts), BATCH):
            cursor.execute(
                "SELECT n, tsvector_to_array(to_tsvector('pg_catalog.dutch', left(t, 500000)))"
                " FROM unnest(%s::text[]) WITH ORDINALITY AS x(t, n)",
                [texts[start : start + BATCH]],
            )
            for number, lexemes in cursor.fetchall():
                terms[start + number - 1] = lexemes
    return terms


def _postgres_counts(pool: QuerySet, wanted: set[str]) -> dict[str, int]:
    """In how many of the pool's texts each wanted lexeme occurs."""
    table = pool.model._meta.db_table
    pool_sql, pool_params = _pool_sql(pool)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, count(*) FROM {table} t, unnest(tsvector_to_array(t.search_vector)) AS word"
            f" WHERE t.id IN ({pool_sql}) AND word = ANY(%s) GROUP BY word",
            (*pool_params, list(wanted)),
        )
        return dict(cursor.fetchall())


def _postgres_search(pool: QuerySet, queries: dict[int, list[str]], limit: int) -> dict[int, list[int]]:
    """One statement per batch: each query's best matches through the GIN index, ranked."""
    table = pool.model._meta.db_table
    pool_sql, pool_params = _pool_sql(pool)
    found: dict[int, list[int]] = {}
    items = list(queries.items())
    with connection.cursor() as cursor:
        # A table of a few thousand rows looks cheap to scan to the planner, but testing every row's
        # vector once per query is the quadratic cost this module exists to avoid: the index, always.
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        seqscan = cursor.fetchone()[0]
        # Rows inserted since the last vacuum sit in the index's pending list, which every search
        # reads from end to end: move them into the index once, before thousands of searches.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [_GIN_INDEXES[pool.model]])
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            # Each lexeme quoted, so the tsquery holds it as it is (a lexeme may hold '-' or '.').
            # The GIN index finds each query's rows (OFFSET 0 keeps the planner from starting at the
            # pool instead, which reads the whole pool once per query); the pool, hashed once, filters them.
            cursor.execute(
                f"WITH pool AS MATERIALIZED ({pool_sql})"
                " SELECT x.n, c.id FROM unnest(%s::int[], %s::text[]) AS x(n, q)"
                " CROSS JOIN LATERAL ("
                "  SELECT m.id FROM ("
                f"   SELECT t.id, t.search_vector FROM {table} t"
                "    WHERE t.search_vector @@ x.q::tsquery OFFSET 0"
                "  ) m WHERE m.id IN (SELECT pk FROM pool)"
                "  ORDER BY ts_rank(m.search_vector, x.q::tsquery) DESC, m.id LIMIT %s"
                " ) c",
                (
                    *pool_params,
                    [index for index, _ in batch],
                    [" | ".join(_quoted(term) for term in terms) for _, terms in batch],
                    limit,
                ),
            )
            for index, pk in cursor.fetchall():
                found.setdefault(index, []).append(pk)
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
    return found


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _sqlite_counts(pool: QuerySet) -> dict[str, int]:
    """In how many of the pool's texts each stem occurs, from the stems the FTS5 table holds."""
    fts = _SQLITE_TABLES[pool.model]
    pool_sql, pool_params = _pool_sql(pool)
    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {fts} WHERE rowid IN ({pool_sql})", pool_params)
        for (body,) in cursor.fetchall():
            counts.update(set(body.split()))
    return counts


def _sqlite_search(pool: QuerySet, queries: dict[int, list[str]], limit: int) -> dict[int, list[int]]:
    """Each query's best matches through the FTS5 index, ranked by bm25, kept while in the pool.

    The pool filters in Python: inside the statement, SQLite would test every pool row against the
    query instead of reading the query's few rows from the index."""
    fts = _SQLITE_TABLES[pool.model]
    members = set(pool.order_by().values_list("pk", flat=True))
    found: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for index, terms in queries.items():
            cursor.execute(
                f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rank, rowid",
                [" OR ".join(f'"{term}"' for term in terms)],
            )
            kept = found[index] = []
            for (pk,) in cursor.fetchall():
                if pk in members:
                    kept.append(pk)
                    if len(kept) == limit:
                        break
    return found
