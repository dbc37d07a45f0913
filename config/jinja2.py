"""The Jinja2 environment of the letter components (jinja2/components/letters.html).

Django's own translation functions serve `_()` and `ngettext()`, so a component speaks the
language of the request that renders it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from jinja2 import Environment
from letters.templatetags.letter_tags import kind_colour, kind_label, status_colour, status_label


def day(value: date | None) -> str:
    """`|date:"SHORT_DATE_FORMAT"` of Django's templates; "" for no date."""
    return formatted_day(value, translation.get_language()) if value else ""


@lru_cache(maxsize=16384)
def formatted_day(value: date, language: str | None) -> str:
    # A pure function of its arguments (formats are fixed for the life of the process), and
    # Django's date formatting took a third of a row's rendering.
    return date_format(value, "SHORT_DATE_FORMAT")


def days_late(days: int) -> str:
    """How many days late ("3 dagen te laat"), in the language being rendered. The plural is written
    here, in Python, where makemessages finds it: it reads the components as Django templates."""
    return ngettext("%(counter)s day late", "%(counter)s days late", days) % {"counter": days}


def days_left(days: int) -> str:
    """How long until a due date ("nog 3 dagen"), in the language being rendered."""
    return ngettext("%(counter)s day left", "%(counter)s days left", days) % {"counter": days}


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.install_gettext_translations(translation, newstyle=True)
    env.filters.update(
        day=day,
        days_late=days_late,
        days_left=days_left,
        kind_colour=kind_colour,
        kind_label=kind_label,
        status_colour=status_colour,
        status_label=status_label,
    )
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env
