"""Template helpers shared by every Griffie page."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.choices import CHAMBER_COLOURS, Chamber

register = template.Library()

# The main menu: (URL name, label, permission needed or "", is the current page in this section?).
# Written out by `main_nav` rather than as template code: it is on every page, and its eight
# `{% url %}` tags and conditions cost about as much as a small page's SQL.
MENU: tuple[tuple[str, str, str, Callable[[str, str], bool]], ...] = (
    ("home", gettext_noop("Dashboard"), "", lambda section, name: name in ("home", "committee")),
    ("dossiers:list", gettext_noop("Dossiers"), "", lambda s, n: s == "dossiers" and n != "committee"),
    (
        "letters:list",
        gettext_noop("Letters"),
        "",
        lambda s, n: s == "letters" and n not in ("intake", "source"),
    ),
    ("search", gettext_noop("Search"), "", lambda s, n: n == "search"),
    (
        "letters:intake",
        gettext_noop("Intake"),
        "letters.add_sourcedocument",
        lambda s, n: n in ("intake", "source"),
    ),
    ("deadlines:list", gettext_noop("Deadlines"), "", lambda s, n: s == "deadlines" and n != "subscriptions"),
    ("deadlines:subscriptions", gettext_noop("Alerts"), "", lambda s, n: n == "subscriptions"),
)


@cache
def menu_urls(script_prefix: str) -> tuple[str, ...]:
    """The menu's URLs, reversed once per script prefix (the only thing they depend on)."""
    return tuple(reverse(name) for name, *_rest in MENU)


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """The menu's `<li>` items, the current section marked with aria-current."""
    match = getattr(context.get("request"), "resolver_match", None)
    section, name = (match.namespace, match.url_name) if match else ("", "")
    perms = context.get("perms")
    items = []
    for (_name, label, permission, is_current), url in zip(MENU, menu_urls(get_script_prefix()), strict=True):
        if permission and (perms is None or permission not in perms):
            continue
        current = ' aria-current="page"' if is_current(section, name) else ""
        items.append(f'<li><a href="{escape(url)}"{current}>{escape(_(label))}</a></li>')
    return mark_safe("\n".join(items))


@register.filter
def chamber_colour(value: str) -> str:
    try:
        return CHAMBER_COLOURS[Chamber(value)]
    except ValueError:
        return "grey"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, ())
