"""The quick start's search on SQLite: FTS5 over Dutch stems, finding what PostgreSQL finds.

Each kind of text has an FTS5 table of its stems (`questions.stemming.stems`, the stemmer and stop
words of PostgreSQL's 'dutch' configuration), kept by triggers that call that function, which every
SQLite connection registers; the tables and triggers are (re)installed after each `migrate`, since
SQLite drops a table's triggers when a migration rebuilds the table. Matches are ranked with bm25.
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .search import CANDIDATES, SNIPPET_CHARS, START, STOP, Hit, SearchResults, Target, snippet_parts
from .stemming import WORD, stem, stems

# Per kind of text: its FTS5 table, the table it indexes and the SQL of the text it indexes (the
# same columns PostgreSQL's search vectors cover).
INDEXES = {
    "questions": ("question_search", "questions_question", "new.text"),
    "answers": ("answer_search", "questions_answer", "new.text"),
    "letters": (
        "letter_search",
        "letters_letter",
        " || ' ' || ".join(
            f"coalesce(new.{column}, '')"
            for column in ("subject", "sender", "recipient", "reference", "dossier_document", "text")
        ),
    ),
}
STEMS_FUNCTION = "griffie_stems"


def register_stems(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """connection_created: give every SQLite connection the stems function the triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(STEMS_FUNCTION, 1, stems, deterministic=True)


def install(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate: the FTS5 tables and their triggers, filled from the rows when out of step."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "sqlite":
        return
    with target.cursor() as cursor:
        for fts, table, text in INDEXES.values():
            body = text.replace("new.", "")
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}"
                " USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN"
                f" INSERT INTO {fts}(rowid, body) VALUES (new.id, {STEMS_FUNCTION}({text})); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {table} BEGIN"
                f" DELETE FROM {fts} WHERE rowid = old.id;"
                f" INSERT INTO {fts}(rowid, body) VALUES (new.id, {STEMS_FUNCTION}({text})); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN"
                f" DELETE FROM {fts} WHERE rowid = old.id; END"
            )
            cursor.execute(f"SELECT (SELECT count(*) FROM {fts}) = (SELECT count(*) FROM {table})")
            if not cursor.fetchone()[0]:
                cursor.execute(f"DELETE FROM {fts}")
                cursor.execute(
                    f"INSERT INTO {fts}(rowid, body) SELECT id, {STEMS_FUNCTION}({body}) FROM {table}"
                )


def match_expression(query: str) -> str | None:
    """The query as FTS5 syntax, read the way PostgreSQL's websearch_to_tsquery reads it: words
    must all occur, "or" between two words accepts either, a leading "-" excludes a word."""
    wanted: list[str] = []
    excluded: list[str] = []
    either = False
    for chunk in query.split():
        negated = chunk.startswith("-")
        if chunk.lower() == "or" and wanted:
            either = True
            continue
        # "GroenLinks-PvdA" or a quoted phrase: its words all occur.
        terms = [f'"{word_stem}"' for word_stem in map(stem, WORD.findall(chunk)) if word_stem]
        if not terms:
            continue
        if negated:
            excluded.extend(terms)
            continue
        term = " AND ".join(terms) if len(terms) == 1 else f"({' AND '.join(terms)})"
        if either:
            wanted[-1] = f"({wanted[-1]} OR {term})"
            either = False
        else:
            wanted.append(term)
    if not wanted:
        return None
    return " AND ".join(wanted) + "".join(f" NOT {term}" for term in excluded)


def search(
    query: str, targets: list[Target], letters: QuerySet | None, page: int, per_page: int
) -> SearchResults:
    results = SearchResults(page=page, per_page=per_page)
    expression = match_expression(query)
    if expression is None:
        return results
    ranked: list[tuple[float, int, str]] = []
    for target in targets:
        fts = INDEXES[target.name][0]
        matching = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", (expression,))
        matches = target.restrict(target.model.objects.filter(pk__in=matching), letters)
        pks = list(matches.order_by("-pk").values_list("pk", flat=True)[: CANDIDATES + 1])
        results.per_kind[target.name] = min(len(pks), CANDIDATES)
        results.estimated |= len(pks) > CANDIDATES
        pks = pks[:CANDIDATES]
        if not pks:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({fts}) FROM {fts} WHERE {fts} MATCH %s"
                f" AND rowid IN ({', '.join(['%s'] * len(pks))})",
                (expression, *pks),
            )
            # bm25 is lower for a better match; the ranking sorts higher first, as on PostgreSQL.
            ranked.extend((-score, pk, target.name) for pk, score in cursor.fetchall())
    results.total = sum(results.per_kind.values())
    ranked.sort(key=lambda row: (-row[0], -row[1]))
    start = (page - 1) * per_page
    chosen = ranked[start : start + per_page]
    results.has_next = len(ranked) > start + per_page
    wanted = {s for s in map(stem, WORD.findall(query)) if s}
    objects = {}
    for target in targets:
        pks = [pk for _rank, pk, name in chosen if name == target.name]
        if pks:
            for obj in target.model.objects.filter(pk__in=pks).select_related(*target.related):
                objects[(target.name, obj.pk)] = obj
    for rank, pk, name in chosen:
        obj = objects[(name, pk)]
        text = " — ".join(getattr(obj, field) for field in TEXT_SHOWN[name] if getattr(obj, field))
        results.hits.append(Hit(name, obj, rank, snippet_parts(snippet(text, wanted))))
    return results


# What a hit's snippet is cut from, as on PostgreSQL: the text, and for letters the subject first.
TEXT_SHOWN = {"questions": ("text",), "answers": ("text",), "letters": ("subject", "text")}


def snippet(text: str, wanted: set[str]) -> str:
    """Text around the first word whose stem was searched for, every such word between sentinels
    (so "vertragingen" is marked for a search on "vertraging")."""
    words = [(match.start(), match.end()) for match in WORD.finditer(text) if stem(match.group()) in wanted]
    first = words[0][0] if words else 0
    begin = max(first - SNIPPET_CHARS // 3, 0)
    end = begin + SNIPPET_CHARS
    marked, position = [], begin
    for word_start, word_end in words:
        if begin <= word_start and word_end <= end:
            marked += [text[position:word_start], START, text[word_start:word_end], STOP]
            position = word_end
    marked.append(text[position:end])
    piece = " ".join("".join(marked).split())
    return ("… " if begin else "") + piece + (" …" if end < len(text) else "")
