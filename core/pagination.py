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
