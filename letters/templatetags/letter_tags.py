"""Filters the letter and deadline badges (includes/kind_badge.html, status_badge.html) read."""

from __future__ import annotations

from django import template

from deadlines.choices import DEADLINE_STATUS_COLOURS, DeadlineStatus
from letters.choices import LETTER_KIND_COLOURS, LetterKind

register = template.Library()

KIND_LABELS = dict(LetterKind.choices)
STATUS_LABELS = dict(DeadlineStatus.choices)


@register.filter
def kind_colour(kind: str) -> str:
    return LETTER_KIND_COLOURS.get(kind, "grey")


@register.filter
def kind_label(kind: str) -> str:
    # The lazy label is translated here, in the language of the request being rendered.
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def status_colour(status: str) -> str:
    return DEADLINE_STATUS_COLOURS.get(status, "grey")


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
