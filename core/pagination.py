"""Keyset pagination: each page is one indexed range scan, however deep, and nothing is counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    cursor: str | None
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.cursor is None


def encode_cursor(value: date | None, pk: int) -> str:
    return f"{value.isoformat() if value else ''}_{pk}"


def decode_cursor(cursor: str | None) -> tuple[date | None, int] | None:
    """`2025-06-24_123` -> (date(2025, 6, 24), 123); anything malformed means 'first page'."""
    if not cursor or "_" not in cursor:
        return None
    value, _, pk = cursor.rpartition("_")
    if not pk.isdigit():
        return None
    try:
        return (date.fromisoformat(value) if value else None), int(pk)
    except ValueError:
        return None


def keyset_paginate(
    queryset: QuerySet, *, field: str, cursor: str | None, per_page: int = 50, descending: bool = True
) -> KeysetPage:
    """Order by the date `field` (NULLs last) then pk, and return the page after `cursor`.

    Fetches one row more than shown to know whether a next page exists, instead of counting.
    """
    decoded = decode_cursor(cursor)
    if descending:
        ordering = [F(field).desc(nulls_last=True), F("pk").desc()]
    else:
        ordering = [F(field).asc(nulls_last=True), F("pk").asc()]
    queryset = queryset.order_by(*ordering)
    if decoded is not None:
        value, pk = decoded
        before, pk_before = ("lt", "pk__lt") if descending else ("gt", "pk__gt")
        if value is None:
            queryset = queryset.filter(**{f"{field}__isnull": True, pk_before: pk})
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__{before}": value})
                | Q(**{field: value, pk_before: pk})
                | Q(**{f"{field}__isnull": True})
            )
    return keyset_page(
        list(queryset[: per_page + 1]),
        field=field,
        cursor=cursor if decoded else None,
        per_page=per_page,
    )


def keyset_page(rows: list[Any], *, field: str, cursor: str | None, per_page: int) -> KeysetPage:
    """The page of up to `per_page + 1` rows read after `cursor` (a valid one, or None): the row
    beyond `per_page` is not shown, it only says that there is a next page."""
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return KeysetPage(items=rows, next_cursor=next_cursor, cursor=cursor, per_page=per_page)


@dataclass
class CheapPage:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number(raw: str | None, *, maximum: int = 10_000) -> int:
    try:
        return min(max(int(raw or 1), 1), maximum)
    except ValueError:
        return 1


def cheap_paginate(queryset: QuerySet, *, page: str | None, per_page: int = 50) -> CheapPage:
    """Offset pagination for short lists (dossiers, committees): one row extra instead of a COUNT."""
    number = page_number(page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return CheapPage(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


@dataclass
class BlockPage:
    """One block of a numbered sequence (a letter's questions by `order`): the rows whose number lies
    in [start, start + per_page), and where the neighbouring blocks that hold rows start."""

    items: list[Any]
    start: int
    per_page: int
    previous_start: int | None
    next_start: int | None

    @property
    def is_paged(self) -> bool:
        return self.previous_start is not None or self.next_start is not None


def block_start(number: int, per_page: int) -> int:
    """The first number of the block holding `number`: blocks are 1-50, 51-100, ... for 50."""
    return (max(number, 1) - 1) // per_page * per_page + 1


def block_paginate(queryset: QuerySet, *, field: str, number: int | None, per_page: int = 50) -> BlockPage:
    """The block of `queryset` (unique, positive integers in `field`) that holds `number`.

    Blocks are fixed ranges of the numbers, so a link to number N always lands on the same page,
    and a sequence of at most `per_page` numbered 1..n is one page. Each read is a range scan on
    the (parent, number) index; nothing is counted. A number in a gap, or past the end, shows
    the nearest block that holds rows.
    """
    queryset = queryset.order_by(field)
    start = block_start(number or 1, per_page)

    def rows_from(first: int) -> list[Any]:
        # One row more than a block can hold: the first row past the block says where the next starts.
        return list(queryset.filter(**{f"{field}__gte": first})[: per_page + 1])

    def last_before(first: int) -> int | None:
        return (
            queryset.filter(**{f"{field}__lt": first})
            .prefetch_related(None)
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )

    rows = rows_from(start)
    if rows and getattr(rows[0], field) >= start + per_page:
        start = block_start(getattr(rows[0], field), per_page)
        rows = rows_from(start)
    previous = last_before(start) if start > 1 else None
    if not rows and previous is not None:
        start = block_start(previous, per_page)
        rows = rows_from(start)
        previous = last_before(start) if start > 1 else None
    end = start + per_page
    shown = [row for row in rows if getattr(row, field) < end]
    beyond = rows[len(shown) : len(shown) + 1]
    return BlockPage(
        items=shown,
        start=start,
        per_page=per_page,
        previous_start=block_start(previous, per_page) if previous is not None else None,
        next_start=block_start(getattr(beyond[0], field), per_page) if beyond else None,
    )
