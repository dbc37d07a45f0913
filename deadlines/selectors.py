"""Reads of deadlines that pages share: what needs attention today, counted and listed.

The windows come from `rules.attention_windows`, so "due", "overdue" and "recently answered" mean
the same on the dashboard, a committee's dashboard and their counts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.links import pk_url
from core.pagination import KeysetPage, keyset_paginate
from letters.choices import LetterKind
from letters.rows import LETTER_COLUMNS, LetterSummary, summaries
from questions.models import Question
from questions.selectors import count_per_letter

from . import rules
from .choices import CLOSED_STATUSES, PENDING_STATUSES, DeadlineStatus
from .models import Deadline, Postponement

# A row of the deadline list (and of what ministers owe): the deadline's own facts, then its letter's
# columns as a letter list reads them (letters.rows.summaries(rows, letter="letter__", deadline="")).
LIST_COLUMNS = (
    "pk",
    "letter_id",
    "status",
    "due_date",
    "original_due_date",
    "answered_on",
    "days_late",
    "unanswered_questions",
    "late_postponements",
    *(f"letter__{name}" for name in LETTER_COLUMNS),
)


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """A deadline as a list prints it, from a `values_list(*LIST_COLUMNS, named=True)` row: model
    instances of the deadline, its letter, committee, minister and dossier cost more to make than
    the row costs to read."""

    pk: int
    letter_id: int
    url: str
    status: str
    due_date: date | None
    original_due_date: date | None
    answered_on: date | None
    days_late: int | None
    unanswered_questions: int
    late_postponements: int

    @property
    def is_partial(self) -> bool:
        return rules.is_partial(self.answered_on, self.unanswered_questions)


def listed_rows(queryset: QuerySet[Deadline]) -> QuerySet:
    """The deadlines as `values_list(*LIST_COLUMNS, named=True)` rows (ordered and paged by the caller)."""
    return queryset.values_list(*LIST_COLUMNS, named=True)


def listed_page(
    queryset: QuerySet[Deadline], *, cursor: str | None, per_page: int
) -> tuple[KeysetPage, list[tuple[DeadlineRow, LetterSummary, int]]]:
    """A keyset page of `queryset` by due date, and each of its deadlines as (DeadlineRow, its
    letter's LetterSummary, the letter's number of questions): the questions counted for the rows
    shown only."""
    page = keyset_paginate(
        listed_rows(queryset), field="due_date", cursor=cursor, per_page=per_page, descending=False
    )
    rows = deadline_rows(page.items)
    questions = count_per_letter(Question.objects, [deadline.letter_id for deadline, _letter in rows])
    return page, [(deadline, letter, questions.get(deadline.letter_id, 0)) for deadline, letter in rows]


def deadline_rows(rows: list[Any]) -> list[tuple[DeadlineRow, LetterSummary]]:
    """Each LIST_COLUMNS row as a DeadlineRow beside its letter's LetterSummary."""
    url = pk_url("deadlines:detail")
    letters = summaries(rows, letter="letter__", deadline="")
    return [
        (
            DeadlineRow(
                pk=row.pk,
                letter_id=row.letter_id,
                url=url(row.pk),
                status=row.status,
                due_date=row.due_date,
                original_due_date=row.original_due_date,
                answered_on=row.answered_on,
                days_late=row.days_late,
                unanswered_questions=row.unanswered_questions,
                late_postponements=row.late_postponements,
            ),
            letter,
        )
        for row, letter in zip(rows, letters, strict=True)
    ]


# A deadline of an attention list beside its letter, and the days the list prints: left until it
# is due, late by, or the answer took (None where there is no such number).
AttentionRow = tuple[DeadlineRow, LetterSummary, int | None]


@dataclass(frozen=True)
class Attention:
    windows: rules.AttentionWindows
    counts: dict[str, int]
    due: list[AttentionRow]
    overdue: list[AttentionRow]
    postponed: list[AttentionRow]
    answered: list[AttentionRow]


def attention_filters(windows: rules.AttentionWindows) -> dict[str, Q]:
    """Each attention list as a filter on Deadline, by name."""
    return {
        "due": Q(
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON],
            due_date__range=(windows.today, windows.due_until),
        ),
        "overdue": Q(status=DeadlineStatus.OVERDUE),
        "postponed": Q(status=DeadlineStatus.POSTPONED),
        "answered": Q(status__in=CLOSED_STATUSES, answered_on__gte=windows.answered_since),
    }


def of_committee(queryset: QuerySet[Deadline], committee_id: int | None) -> QuerySet[Deadline]:
    return queryset if committee_id is None else queryset.filter(letter__committee_id=committee_id)


def in_attention(windows: rules.AttentionWindows) -> QuerySet[Deadline]:
    """Pending deadlines and the recent answers: small however large the archive, and found by the
    (status, due_date) index."""
    return Deadline.objects.filter(
        Q(status__in=PENDING_STATUSES)
        | Q(status__in=CLOSED_STATUSES, answered_on__gte=windows.answered_since)
    )


def attention(*, now: date | datetime, committee_id: int | None = None, rows: int) -> Attention:
    """Counts and the first `rows` of each list; each row knows how many days it is late, left or took."""
    windows = rules.attention_windows(now, due_soon_days=settings.GRIFFIE_DUE_SOON_DAYS)
    filters = attention_filters(windows)
    scope = of_committee(in_attention(windows), committee_id)
    counts = scope.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    shown = listed_rows(of_committee(Deadline.objects.all(), committee_id))

    def first(name: str, *order: str) -> list[tuple[DeadlineRow, LetterSummary]]:
        return deadline_rows(list(shown.filter(filters[name]).order_by(*order)[:rows]))

    def left(deadline: DeadlineRow) -> int | None:
        return rules.days_left(deadline.due_date, deadline.answered_on, now=windows.today)

    return Attention(
        windows,
        counts,
        due=[(d, letter, left(d)) for d, letter in first("due", "due_date", "pk")],
        overdue=[
            (d, letter, rules.days_overdue(left(d))) for d, letter in first("overdue", "due_date", "pk")
        ],
        postponed=[(d, letter, None) for d, letter in first("postponed", "due_date", "pk")],
        answered=[
            (d, letter, rules.reply_days(letter.date, d.answered_on))
            for d, letter in first("answered", "-answered_on", "-pk")
        ],
    )


@dataclass(frozen=True, slots=True)
class WaitingVerslag:
    deadline: DeadlineRow
    letter: LetterSummary
    age: int | None  # days since the verslag was vastgesteld
    document: str  # its Kamerstuk number ("36 450, nr. 5")
    expected_on: date | None  # when a clerk expects the reply, if they said


@dataclass(frozen=True)
class Waiting:
    oldest: list[WaitingVerslag]
    more: bool  # more are waiting than are listed


def open_verslagen(*, now: date | datetime, committee_id: int | None = None, rows: int) -> Waiting:
    """Verslagen on bills still waiting for the government's reply, the oldest first.

    A verslag has no term (`rules.due_date`): it is listed by age, whether or not a clerk expects
    the reply by a date (then it is also due or overdue like any letter)."""
    today = rules.local_date(now)
    waiting = of_committee(
        Deadline.objects.filter(status__in=PENDING_STATUSES, letter__kind=LetterKind.VERSLAG), committee_id
    )
    # one row more than shown says whether there are more, without counting them all
    found = list(
        waiting.values_list(
            *LIST_COLUMNS, "letter__dossier_document", "letter__expected_reply_on", named=True
        ).order_by("letter__date", "pk")[: rows + 1]
    )
    shown = found[:rows]
    oldest = [
        WaitingVerslag(
            deadline,
            letter,
            age=rules.age_days(letter.date, now=today),
            document=row.letter__dossier_document,
            expected_on=row.letter__expected_reply_on,
        )
        for row, (deadline, letter) in zip(shown, deadline_rows(shown), strict=True)
    ]
    return Waiting(oldest, len(found) > rows)


def attention_per_committee(*, now: date | datetime) -> list[dict[str, Any]]:
    """The attention counts for every committee, in one query."""
    windows = rules.attention_windows(now, due_soon_days=settings.GRIFFIE_DUE_SOON_DAYS)
    filters = attention_filters(windows)
    return list(
        in_attention(windows)
        .values("letter__committee", "letter__committee__name", "letter__committee__chamber")
        .annotate(**{name: Count("pk", filter=q) for name, q in filters.items()})
        .order_by("letter__committee__chamber", "letter__committee__name")
    )


def with_counts(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Each deadline with its letter's number of questions (`question_count`) and its postponement
    notices (`postponement_count`), counted in the row's own query: what a streamed export reads,
    where a page counts the rows it shows instead (`questions.selectors.count_per_letter`,
    `postponement_counts`). Each count is one index range; COUNT(*) rather than of the key, which PostgreSQL
    read from each question row (1.0 s for the 5,000 pending deadlines of the bench archive) where
    the letter index alone answers it (0.2 s)."""

    def counted(model, **match) -> Coalesce:
        rows = model.objects.filter(**match).order_by().values(*match).annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(rows), 0)

    return queryset.annotate(
        question_count=counted(Question, letter_id=OuterRef("letter_id")),
        postponement_count=counted(Postponement, deadline_id=OuterRef("pk")),
    )


def postponement_counts(deadline_ids: Collection[int]) -> dict[int, int]:
    """How many postponement notices each of these deadlines had, in one grouped count."""
    return dict(
        Postponement.objects.filter(deadline_id__in=deadline_ids)
        .order_by()
        .values_list("deadline_id")
        .annotate(n=Count("pk"))
    )


def owed(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """What ministers still owe: the deadlines no answer has closed. Listed by due date, the
    overdue ones come first: a pending deadline is overdue exactly when its due date has passed
    (`rules.evaluate`)."""
    return queryset.filter(status__in=PENDING_STATUSES)


def owed_per_minister(queryset: QuerySet[Deadline]) -> list[dict[str, Any]]:
    """Per minister (portfolio) of `queryset`'s letters: how many deadlines are pending, and how many
    of those overdue; one grouped query, a row per minister."""
    return list(
        owed(queryset)
        .values("letter__minister", "letter__minister__portfolio", "letter__minister__name")
        .annotate(
            pending=Count("pk"),
            overdue=Count("pk", filter=Q(status=DeadlineStatus.OVERDUE)),
        )
        .order_by("-overdue", "-pending", "letter__minister__portfolio")
    )
