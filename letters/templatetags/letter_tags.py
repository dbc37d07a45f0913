"""The letter components (jinja2/components/letters.html) for Django's templates, and the
filters the components read (config.jinja2).

Each tag calls one macro of the components, so a letter, its badges and its grey line are
defined once whether a page draws one of them or a hundred. Macros return Markup, which Django's
templates take as already escaped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template import engines
from django.utils.translation import get_language
from markupsafe import Markup

from deadlines.choices import DEADLINE_STATUS_COLOURS, DeadlineStatus
from letters.choices import LETTER_KIND_COLOURS, LetterKind

register = template.Library()

LABELS = {"kind": dict(LetterKind.choices), "status": dict(DeadlineStatus.choices)}


def kind_colour(kind: str) -> str:
    return LETTER_KIND_COLOURS.get(kind, "grey")


def kind_label(kind: str) -> str:
    return translated("kind", kind, get_language())


def status_colour(status: str) -> str:
    return DEADLINE_STATUS_COLOURS.get(status, "grey")


def status_label(status: str) -> str:
    return translated("status", status, get_language())


@lru_cache(maxsize=256)
def translated(choices: str, value: str, language: str | None) -> str:
    # The lazy label in the language being rendered; translations are fixed for the life of the
    # process, and every row asks.
    return str(LABELS[choices].get(value, value))


def component(name: str, *args: Any, **kwargs: Any) -> Markup:
    # The Jinja2 engine caches the compiled template and its module (the macros) itself.
    macros = engines["jinja2"].env.get_template("components/letters.html").module
    return getattr(macros, name)(*args, **kwargs)


@register.simple_tag
def kind_badge(kind: str) -> Markup:
    return component("kind_badge", kind)


@register.simple_tag
def status_badge(status: str) -> Markup:
    return component("status_badge", status)


@register.simple_tag
def letter_cell(letter, url: str | None = None) -> Markup:
    """A LetterSummary's title, linked to `url` (default: its page), above its grey line."""
    return component("letter_cell", letter, url)


@register.simple_tag
def letter_rows(letters) -> Markup:
    """Table rows of LetterSummary: date, kind, title with its grey line, deadline status."""
    return component("letter_rows", letters)


@register.simple_tag
def deadline_rows(rows) -> Markup:
    """Table rows of the deadline list: (Deadline, its letter's LetterSummary, question count)."""
    return component("deadline_rows", rows)


@register.simple_tag
def owed_rows(rows) -> Markup:
    """Table rows of what ministers owe (deadlines.views.OwedRow)."""
    return component("owed_rows", rows)


@register.simple_tag
def question_rows(rows) -> Markup:
    """Table rows of the question list (questions.views.QuestionRow)."""
    return component("question_rows", rows)


@register.simple_tag
def timeline(items) -> Markup:
    """A dossier's timeline items (dossiers.timeline.TimelineItem)."""
    return component("timeline", items)


@register.simple_tag
def search_results(rows) -> Markup:
    """Search hits, each beside its LetterSummary."""
    return component("search_results", rows)
