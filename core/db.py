"""Raw SQL parameters, adapted as the ORM would store them."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection


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
