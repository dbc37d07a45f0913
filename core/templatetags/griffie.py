"""Template helpers shared by every Griffie page."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from core.db import COUNT_SHOWN_UP_TO

register = template.Library()

# The intake app's pages under "Intake" in the menu; its others (edit, new) are under "Letters".
INTAKE_PAGES = frozenset({"upload", "source", "review"})

# The main menu: (URL name, label, permission needed or "", is the current page in this section?).
MENU: tuple[tuple[str, str, str, Callable[[str, str], bool]], ...] = (
    ("home", gettext_noop("Dashboard"), "", lambda section, name: name in ("home", "committee")),
    ("dossiers:list", gettext_noop("Dossiers"), "", lambda s, n: s == "dossiers" and n != "committee"),
    (
        "letters:list",
        gettext_noop("Letters"),
        "",
        lambda s, n: s == "letters" or (s == "intake" and n not in INTAKE_PAGES),
    ),
    ("questions:list", gettext_noop("Questions"), "", lambda s, n: s == "questions"),
    ("search", gettext_noop("Search"), "", lambda s, n: n == "search"),
    (
        "intake:upload",
        gettext_noop("Intake"),
        "letters.add_sourcedocument",
        lambda s, n: s == "intake" and n in INTAKE_PAGES,
    ),
    (
        "deadlines:list",
        gettext_noop("Deadlines"),
        "",
        lambda s, n: s == "deadlines" and n not in ("subscriptions", "statistics"),
    ),
    ("deadlines:statistics", gettext_noop("Figures"), "", lambda s, n: n == "statistics"),
    ("deadlines:subscriptions", gettext_noop("Alerts"), "", lambda s, n: n == "subscriptions"),
    ("api:tokens", gettext_noop("API"), "", lambda s, n: s == "api"),
)


@cache
def menu_count(url_name: str) -> Callable[[Any], int | None] | None:
    """The function an app names in `GRIFFIE_MENU_COUNTS` for a menu entry (a number shown beside
    it, such as the letters still to confirm), imported by name: this package imports no app."""
    path = settings.GRIFFIE_MENU_COUNTS.get(url_name)
    return import_string(path) if path else None


@cache
def menu_urls(script_prefix: str) -> tuple[str, ...]:
    """The menu's URLs, reversed once per script prefix (the only thing they depend on)."""
    return tuple(reverse(name) for name, *_rest in MENU)


@register.filter
def shown_count(count: int) -> str:
    """A count from `core.db.count_shown` as printed: "99+" once it is past what is counted."""
    return f"{COUNT_SHOWN_UP_TO}+" if count > COUNT_SHOWN_UP_TO else str(count)


@register.inclusion_tag("includes/site_header.html", takes_context=True)
def site_header(context: template.Context) -> dict[str, Any]:
    """The header on every page (includes/site_header.html): brand, the main menu the user may
    use, with the current section marked, the language switch and logout."""
    request = context["request"]
    user = context.get("user")
    menu = []
    if user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        section, name = (match.namespace, match.url_name) if match else ("", "")
        for (url_name, label, permission, is_current), url in zip(
            MENU, menu_urls(get_script_prefix()), strict=True
        ):
            if not permission or user.has_perm(permission):
                count = menu_count(url_name)
                menu.append((url, label, is_current(section, name), count(user) if count else None))
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "menu": menu,
        "languages": settings.LANGUAGES,
    }


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, ())
