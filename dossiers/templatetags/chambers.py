"""Template filters for chambers."""

from __future__ import annotations

from django import template

from dossiers.choices import CHAMBER_COLOURS, Chamber

register = template.Library()


@register.filter
def chamber_colour(value: str) -> str:
    try:
        return CHAMBER_COLOURS[Chamber(value)]
    except ValueError:
        return "grey"
