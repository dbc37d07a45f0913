"""Which stored questions or answers may resemble a text: a bounded candidate set, from the text index.

Linking a letter of n questions to m earlier ones by comparing every pair costs n x m similarity
measures; a big letter never finishes. Instead each text is matched, through the stems the text
index holds for the pool searched (PostgreSQL's search vectors, the SQLite quick start's FTS5 stem
tables), with the stored texts sharing its most distinctive stems, those sharing the most first, at
most `limit`; the caller's similarity measure then decides among those. Distinctive means found in
the fewest texts of the pool, so a common word ("Kamer", "bereid") neither floods the candidates
nor crowds out the words a question is about.

The pool's stems are read once per call, only those the texts hold, and inverted in memory: ranking
thousands of texts' matches inside the database read each matching row's vector again per text,
which grew with the pool as well as with the number of texts.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.db import connection
from django.db.models import QuerySet

from .models import Answer, Question
from .stemming import stems

Key = TypeVar("Key", bound=Hashable)

# Stems of a text searched for: enough that a question asked again shares several of them with
# its original, few enough that the rows sharing them are a handful, not the whole pool.
QUERY_STEMS = 8
# Texts per statement, rows per INSERT, ids per IN list: within every driver's parameter limits.
BATCH = 2000

# Per model: its SQLite FTS5 table (questions.sqlite_search keeps it).
_SQLITE_TABLES = {Question: "question_search", Answer: "answer_search"}


def ranked_candidates(pool: QuerySet, texts: Mapping[Key, str], *, limit: int) -> dict[Key, list[int]]:
    """Per text, the ids of at most `limit` rows of `pool` that share its most distinctive stems,
    those sharing the most first (then the oldest); a text sharing no stem with the pool has none."""
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
    postings = (
        _postgres_postings(pool, wanted)
        if connection.vendor == "postgresql"
        else _sqlite_postings(pool, wanted)
    )
    found: dict[Key, list[int]] = {}
    for key, text_terms in zip(keys, terms, strict=True):
        present = sorted(
            {term for term in text_terms if term in postings}, key=lambda t: (len(postings[t]), t)
        )
        shared: Counter[int] = Counter()
        for term in present[:QUERY_STEMS]:
            shared.update(postings[term])
        found[key] = [
            pk for pk, _ in heapq.nsmallest(limit, shared.items(), key=lambda item: (-item[1], item[0]))
        ]
    return found


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


def _postgres_postings(pool: QuerySet, wanted: set[str]) -> dict[str, list[int]]:
    """Per wanted lexeme, the pool's rows whose search vector holds it."""
    table = pool.model._meta.db_table
    pool_sql, pool_params = _pool_sql(pool)
    postings: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, array_agg(t.id) FROM {table} t, unnest(tsvector_to_array(t.search_vector)) AS word"
            f" WHERE t.id IN ({pool_sql}) AND word = ANY(%s) GROUP BY word",
            (*pool_params, list(wanted)),
        )
        for word, ids in cursor.fetchall():
            postings[word] = ids
    return postings


def _sqlite_postings(pool: QuerySet, wanted: set[str]) -> dict[str, list[int]]:
    """Per wanted stem, the pool's rows whose FTS5 entry holds it."""
    fts = _SQLITE_TABLES[pool.model]
    pool_sql, pool_params = _pool_sql(pool)
    postings: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, body FROM {fts} WHERE rowid IN ({pool_sql})", pool_params)
        for pk, body in cursor.fetchall():
            for term in set(body.split()) & wanted:
                postings.setdefault(term, []).append(pk)
    return postings
