"""Raw SQL parameters, adapted as the ORM would store them."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection
from django.db.models import QuerySet


def adapt_params(params: tuple) -> tuple:
    """Values as the ORM would store them: SQLite keeps instants as UTC text, which raw SQL must match,
    and choices go as their plain string value (a driver may dump an enum by its name)."""
    ops = connection.ops
    return tuple(
        ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime)
        else ops.adapt_datefield_value(value)
        if isinstance(value, date)
        else str(value)
        if isinstance(value, str)
        else value
        for value in params
    )


# Counts beside menu entries stop here and read "99+": each page pays for its menu, so the count
# must not grow with the archive (a bulk load leaving 100,000 letters unconfirmed made counting
# them ~80 ms on every clerk's page).
COUNT_SHOWN_UP_TO = 99


def count_shown(queryset: QuerySet) -> int:
    """How many rows `queryset` has, counted up to one more than `COUNT_SHOWN_UP_TO` (shown as
    "99+" by the `shown_count` filter)."""
    return queryset.order_by()[: COUNT_SHOWN_UP_TO + 1].count()
