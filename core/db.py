"""Raw SQL parameters, adapted as the ORM would store them; counts per row as subqueries."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection
from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


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


def correlated_count(rows: QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef to the outer row through `by`) each outer row has.

    A correlated count per listed row uses the index on `by`; a GROUP BY over the join would
    aggregate every related row (and multiply two counts' rows) before a page is cut."""
    return Coalesce(
        Subquery(
            rows.order_by().values(by).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
