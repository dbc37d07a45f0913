"""Shared reads of questions and answers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.pagination import KeysetPage

from .models import Answer

# What a page prints of a question or answer: never its search vector.
ITEM_FIELDS = ("letter_id", "label", "order", "text", "page")


def beside_their_letter(items: QuerySet) -> QuerySet:
    """Questions or answers as a page prints them beside their letter's kind, date and file (a
    thread, the answers on a question letter's page): the letter's text, which can run to
    megabytes, is never read."""
    return items.select_related("letter").only(*ITEM_FIELDS, "letter__kind", "letter__date", "letter__source")


def count_per_letter(items: QuerySet, letter_ids: Collection[int]) -> dict[int, int]:
    """How many of `items` (questions or answers) each of these letters has, in one grouped count of
    the rows a page shows; a letter with none is left out.

    Not a count per letter in a subquery: PostgreSQL prices that as a scan per letter, and above its
    JIT threshold spent seconds compiling the query (an import review of two big letters: 2.4 s)."""
    return dict(
        items.filter(letter_id__in=letter_ids).order_by().values_list("letter_id").annotate(n=Count("pk"))
    )


def is_answered() -> Exists:
    """Whether an answer covers the question (the outer query's): the one meaning of "answered"
    for a question, on the question list, its filter and its CSV."""
    return Exists(Answer.covers.through.objects.filter(question_id=OuterRef("pk")))


def answer_count() -> Coalesce:
    """How many answers cover the question (the outer query's), in the row's own query."""
    covering = (
        Answer.covers.through.objects.filter(question_id=OuterRef("pk"))
        .order_by()
        .values("question_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(covering), 0)


# The question list's order: newest letter first, each letter's questions in their own order.
QUESTION_ORDER = (F("letter__date").desc(nulls_last=True), F("letter_id").desc(), F("order").asc())


def encode_position(question: Any) -> str:
    """Where a page of the question list ends: `2025-06-24_<letter>_<order>` (no date: `_..`)."""
    day = question.letter.date
    return f"{day.isoformat() if day else ''}_{question.letter_id}_{question.order}"


def after_position(queryset: QuerySet, cursor: str | None) -> tuple[QuerySet, bool]:
    """The questions after `cursor` in QUESTION_ORDER, and whether the cursor was valid (an invalid
    one means the first page)."""
    parts = (cursor or "").split("_")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return queryset, False
    try:
        day = date.fromisoformat(parts[0]) if parts[0] else None
    except ValueError:
        return queryset, False
    letter, order = int(parts[1]), int(parts[2])
    later_in_letter = Q(letter_id__lt=letter) | Q(letter_id=letter, order__gt=order)
    if day is None:
        return queryset.filter(Q(letter__date__isnull=True) & later_in_letter), True
    return queryset.filter(
        Q(letter__date__lt=day) | Q(letter__date=day) & later_in_letter | Q(letter__date__isnull=True)
    ), True


def question_page(queryset: QuerySet, *, cursor: str | None, per_page: int) -> KeysetPage:
    """A keyset page of the question list: one range walk in QUESTION_ORDER, nothing counted."""
    queryset, valid = after_position(queryset.order_by(*QUESTION_ORDER), cursor)
    rows = list(queryset[: per_page + 1])
    page = KeysetPage(
        items=rows[:per_page], next_cursor=None, cursor=cursor if valid else None, per_page=per_page
    )
    if len(rows) > per_page:
        page.next_cursor = encode_position(rows[per_page - 1])
    return page
