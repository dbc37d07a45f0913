"""Full-text search over questions, answers and letters.

On PostgreSQL: stored `search_vector` columns (GIN-indexed, kept by triggers) matched against a
`websearch_to_tsquery('dutch', ...)`, so "asielzoekers" also finds "asielzoeker". A broad term can
match a quarter of all rows; to keep every request cheap, each kind of text contributes at most
`CANDIDATES` matches (the most recent ones), only those are ranked, and a larger total is
estimated from the planner instead of counted. On SQLite (the quick start) FTS5 over the same
Dutch stems finds the same texts (`questions.sqlite_search`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Model, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from letters.models import Letter
from letters.rows import DEADLINE_COLUMNS, LETTER_COLUMNS

from .models import Answer, Question

CANDIDATES = 1000
# Filters that leave at most this many letters are searched by those letters' keys (see
# `narrowed`); broader ones as a subquery the planner joins to the text index.
FEW_LETTERS = 5000
# Control characters never occur in extracted text; they mark matches until the snippet is escaped.
START, STOP = "\x02", "\x03"
SNIPPET_CHARS = 240


class AnyOf(Func):
    """`column = ANY(array)`: the column's value is one of the array's."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


@dataclass(frozen=True)
class Target:
    """One kind of searchable text."""

    name: str
    label: Any
    model: type[Model]
    letter_lookup: str  # how to reach the Letter from this model, for the letter filters
    related: tuple[str, ...]
    text_fields: tuple[str, ...]
    shown: tuple[str, ...]  # the columns a hit shows or exports (its page, its CSV row): all its query reads

    def headline_source(self) -> F | Concat:
        """What the snippet is cut from: the text, and for letters the subject first."""
        if len(self.text_fields) == 1:
            return F(self.text_fields[0])
        parts: list = []
        for name in self.text_fields:
            parts += [F(name), Value(" — ")]
        return Concat(*parts[:-1], output_field=TextField())

    def restrict(self, queryset: QuerySet, letters: QuerySet | list[int] | None) -> QuerySet:
        """Texts of `letters`: a queryset of them, or their keys."""
        if letters is None:
            return queryset
        if isinstance(letters, QuerySet):
            return queryset.filter(**{f"{self.letter_lookup}__in": letters.order_by().values("pk")})
        # One array parameter rather than `IN (%s, %s, ...)`: thousands of literals took PostgreSQL
        # several milliseconds to plan. Sent as the array's text, cast: as a list, Django prepares
        # and the driver wraps each key on its own (~40 ms a search for a committee's 2,500 letters).
        keys = Cast(
            Value("{" + ",".join(map(str, letters)) + "}"), output_field=ArrayField(BigIntegerField())
        )
        return queryset.filter(AnyOf(F(self.letter_key), keys))

    @property
    def letter_key(self) -> str:
        """The column holding the letter's key (a foreign key's own column, not a join)."""
        return "pk" if self.letter_lookup == "pk" else f"{self.letter_lookup}_id"


# What a hit shows of its letter: the columns of every letter row (letters.rows; its key is read
# anyway), and for the CSV (questions.exports.search_csv) the minister's name.
LETTER_SHOWN = (*(name for name in LETTER_COLUMNS if name != "pk"), "minister__name")
DEADLINE_SHOWN = tuple(f"deadline__{name}" for name in DEADLINE_COLUMNS)


def _of_letter(*names: str) -> tuple[str, ...]:
    return ("letter", *(f"letter__{name}" for name in names))


TARGETS = {
    "questions": Target(
        "questions",
        _("Questions"),
        Question,
        "letter",
        ("letter__committee", "letter__dossier", "letter__minister", "letter__deadline", "party"),
        ("text",),
        ("label", "order", "party__name", *_of_letter(*LETTER_SHOWN, *DEADLINE_SHOWN)),
    ),
    "answers": Target(
        "answers",
        _("Answers"),
        Answer,
        "letter",
        ("letter__committee", "letter__dossier", "letter__minister"),
        ("text",),
        ("label", "order", *_of_letter(*LETTER_SHOWN)),
    ),
    "letters": Target(
        "letters",
        _("Letters"),
        Letter,
        "pk",
        ("committee", "dossier", "deadline", "minister"),
        ("subject", "text"),
        (*LETTER_SHOWN, *DEADLINE_SHOWN),
    ),
}
SCOPES = [("all", _("Everything")), *((name, target.label) for name, target in TARGETS.items())]


@dataclass
class Hit:
    kind: str
    obj: Any
    rank: float
    snippet: tuple[tuple[str, bool], ...]  # the text around the match, in parts: (text, matched?)


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    estimated: bool = False
    page: int = 1
    per_page: int = 20
    has_next: bool = False
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1


def snippet_parts(text: str) -> tuple[tuple[str, bool], ...]:
    """The snippet between its sentinels as (text, matched?) parts; the search result component
    writes the matched ones in <mark> (and escapes all of them)."""
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(re.split(f"[{START}{STOP}]", text)):
        if piece:
            parts.append((piece, index % 2 == 1))
    return tuple(parts)


def search(
    query: str,
    *,
    scope: str = "all",
    letters: QuerySet | None = None,
    page: int = 1,
    per_page: int = 20,
    snippets: bool = True,
) -> SearchResults:
    """Search `scope` ('all' or a TARGETS key), narrowed to texts of `letters` when given; without
    `snippets` (an export of many hits) PostgreSQL cuts no snippet from each hit's text."""
    query = query.strip()
    targets = list(TARGETS.values()) if scope not in TARGETS else [TARGETS[scope]]
    if not query:
        return SearchResults(page=page, per_page=per_page)
    if connection.vendor == "postgresql":
        keys = narrowed(letters)
        if keys == []:
            return SearchResults(page=page, per_page=per_page)
        return _search_postgres(query, targets, letters if keys is None else keys, page, per_page, snippets)
    from . import sqlite_search  # it builds on this module's types

    return sqlite_search.search(query, targets, letters, page, per_page)


def narrowed(letters: QuerySet | None) -> list[int] | None:
    """The keys of `letters` when there are at most FEW_LETTERS of them, else None.

    A filter such as one committee leaves a few thousand letters while a common word matches a
    fifth of all texts. As `letter_id IN (subquery)` PostgreSQL then walks one of the two and
    tests every row against the other (the committee's letters in key order, or every match of
    the word: ~60-120 ms on 100,000 letters). With the keys in hand as one array, PostgreSQL walks
    the letter index backwards over those letters' texts alone, newest first, and stops at
    CANDIDATES matches (~10 ms).
    For a broad filter (a kind, a date range) a list of tens of thousands of keys would be slower
    than the join, so beyond FEW_LETTERS the subquery stays. Reading the keys costs one indexed
    query, at most FEW_LETTERS + 1 rows.
    """
    if letters is None:
        return None
    keys = list(letters.order_by().values_list("pk", flat=True)[: FEW_LETTERS + 1])
    return keys if len(keys) <= FEW_LETTERS else None


def _search_postgres(
    query: str,
    targets: list[Target],
    letters: QuerySet | list[int] | None,
    page: int,
    per_page: int,
    snippets: bool = True,
) -> SearchResults:
    tsquery = SearchQuery(query, config="dutch", search_type="websearch")
    results = SearchResults(page=page, per_page=per_page)
    ranked: list[tuple[float, int, str]] = []
    start = (page - 1) * per_page
    found = 0  # candidates of every kind, as ranked
    to_estimate: list[tuple[str, int, QuerySet]] = []  # kinds with more matches than candidates
    matches_of: dict[str, QuerySet] = {}
    candidates_of: dict[str, QuerySet] = {}
    for target in targets:
        matches = target.restrict(target.model.objects.filter(search_vector=tsquery), letters)
        # Unfiltered, the most recent matches: with a common word PostgreSQL walks the primary key
        # backwards and stops after CANDIDATES rows instead of ranking every match. Filtered to a
        # few letters, the same walk over the letter index visits only those letters' texts. Filtered
        # broadly, that walk would test most of the table against the filters, so any CANDIDATES
        # matches are taken (the GIN and filter indexes combine) and ranked.
        if letters is None:
            ordered = matches.order_by("-pk")
        elif isinstance(letters, list):
            ordered = matches.order_by(f"-{target.letter_key}")
        else:
            ordered = matches.order_by()
        matches_of[target.name] = matches
        # Ranked in the same scan that finds them: joining the candidates back to their table to
        # rank them fetched every candidate row a second time (a third of the statement's reads).
        candidates_of[target.name] = ordered.annotate(rank=SearchRank(F("search_vector"), tsquery)).values(
            "pk", "rank"
        )[:CANDIDATES]
    # Ranked in SQL, every kind in one round trip: only the best rows up to the end of this page
    # travel, with the number of candidates alongside. The page's hits are among each kind's best
    # start + per_page.
    rows_of = ranked_candidates(targets, candidates_of, start + per_page)
    for target in targets:
        rows = rows_of[target.name]
        count = rows[0][2] if rows else 0
        found += count
        if count >= CANDIDATES:
            to_estimate.append((target.name, count, matches_of[target.name]))
            results.estimated = True
        results.per_kind[target.name] = count
        ranked.extend((rank, pk, target.name) for rank, pk, _candidates in rows)
    if to_estimate:
        # One EXPLAIN for every kind that needs an estimate, not one each.
        estimates = planner_estimates([matches for _name, _count, matches in to_estimate])
        for (name, count, _matches), estimate in zip(to_estimate, estimates, strict=True):
            results.per_kind[name] = max(count, estimate)
    results.total = sum(results.per_kind.values())
    ranked.sort(key=lambda row: (-row[0], -row[1]))
    chosen = ranked[start : start + per_page]
    results.has_next = found > start + per_page
    objects = {}
    for target in targets:
        pks = [pk for _, pk, name in chosen if name == target.name]
        if not pks:
            continue
        for obj in (
            target.model.objects.filter(pk__in=pks)
            .select_related(*target.related)
            .annotate(
                headline=SearchHeadline(
                    target.headline_source(),
                    tsquery,
                    config="dutch",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=40,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
                if snippets
                else Value("", output_field=TextField())
            )
            # The snippet is cut in SQL: neither the texts nor the search vectors need to travel.
            .only(*target.shown)
        ):
            objects[(target.name, obj.pk)] = obj
    for rank, pk, name in chosen:
        obj = objects.get((name, pk))
        if obj is not None:
            results.hits.append(Hit(name, obj, rank, snippet_parts(obj.headline)))
    return results


def ranked_candidates(
    targets: list[Target], candidates_of: dict[str, QuerySet], limit: int
) -> dict[str, list[tuple[float, int, int]]]:
    """Per kind, (rank, pk, number of candidates) of its best `limit` candidates, best first.

    `candidates_of` holds each kind's candidates with their rank. One statement for all kinds (a
    UNION ALL of one ordering per kind) saves a round trip each. The candidates are a CTE counted
    beside the ordering rather than a window count, which carried every ranked row through a
    WindowAgg: about a millisecond per kind of text.
    """
    parts: list[str] = []
    params: list = []
    for index, target in enumerate(targets):
        candidate_sql, candidate_params = candidates_of[target.name].query.sql_with_params()
        parts.append(
            f"SELECT {index} AS kind, * FROM (WITH c AS ({candidate_sql}) SELECT c.rank, c.pk,"
            f" (SELECT count(*) FROM c) AS candidates FROM c ORDER BY 1 DESC, 2 DESC LIMIT %s) r{index}"
        )
        params += [*candidate_params, limit]
    rows_of: dict[str, list[tuple[float, int, int]]] = {target.name: [] for target in targets}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, rank, pk, count in cursor.fetchall():
            rows_of[targets[index].name].append((float(rank), pk, count))
    return rows_of


def planner_estimate(queryset: QuerySet) -> int:
    """PostgreSQL's own estimate of how many rows `queryset` returns, without running it."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def planner_estimates(querysets: list[QuerySet]) -> list[int]:
    """`planner_estimate` of each queryset, from a single EXPLAIN of their UNION ALL.

    The plan is an Append with one child per queryset, each carrying that queryset's estimate;
    should the planner ever shape it otherwise, each queryset is explained on its own.
    """
    if len(querysets) == 1:
        return [planner_estimate(querysets[0])]
    first, *rest = (queryset.order_by().values("pk") for queryset in querysets)
    plan = json.loads(first.union(*rest, all=True).explain(format="json"))[0]["Plan"]
    children = plan.get("Plans", []) if plan.get("Node Type") == "Append" else []
    if len(children) != len(querysets):
        return [planner_estimate(queryset) for queryset in querysets]
    return [int(child["Plan Rows"]) for child in children]
