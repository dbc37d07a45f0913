"""Template helpers shared by every Griffie page."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape  # Django's escape is this, behind a lazy-argument check that costs more

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

register = template.Library()

INTAKE_PAGES = frozenset({"upload", "source"})  # the intake app's other pages (edit, new) are "Letters"

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
    ("search", gettext_noop("Search"), "", lambda s, n: n == "search"),
    (
        "intake:upload",
        gettext_noop("Intake"),
        "letters.add_sourcedocument",
        lambda s, n: s == "intake" and n in INTAKE_PAGES,
    ),
    ("deadlines:list", gettext_noop("Deadlines"), "", lambda s, n: s == "deadlines" and n != "subscriptions"),
    ("deadlines:subscriptions", gettext_noop("Alerts"), "", lambda s, n: n == "subscriptions"),
)


@cache
def header_urls(script_prefix: str) -> tuple[str, str, str, tuple[str, ...]]:
    """Home, language switch, logout and the menu's URLs, reversed once per script prefix (the
    only thing they depend on)."""
    menu = tuple(reverse(name) for name, *_rest in MENU)
    return reverse("home"), reverse("set_language"), reverse("logout"), menu


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The header on every page: brand, main menu, language switch and logout.

    Written out here rather than as template code: it is on every page, and as ~40 template
    nodes (eight `{% url %}` tags, two forms, conditions) it cost more than a small page's SQL.
    Every value from the request or the database is escaped.
    """
    request = context["request"]
    user = context.get("user")
    authenticated = user is not None and user.is_authenticated
    home, set_language, logout, menu_urls = header_urls(get_script_prefix())
    # Labels outside the f-strings: xgettext does not look inside them.
    brand, main = escape(_("Griffie")), escape(_("Main"))
    language_label, switch = escape(_("Language")), escape(_("Switch"))
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    lines = [
        '<header class="site-header">',
        f'  <a class="brand" href="{escape(home)}">{brand}</a>',
    ]
    if authenticated:
        match = getattr(request, "resolver_match", None)
        section, name = (match.namespace, match.url_name) if match else ("", "")
        perms = context.get("perms")
        lines += [f'  <nav aria-label="{main}">', '    <ul class="nav">']
        for (_url_name, label, permission, is_current), url in zip(MENU, menu_urls, strict=True):
            if permission and (perms is None or permission not in perms):
                continue
            current = ' aria-current="page"' if is_current(section, name) else ""
            lines.append(f'      <li><a href="{escape(url)}"{current}>{escape(_(label))}</a></li>')
        lines += ["    </ul>", "  </nav>"]
    language = get_language()
    lines += [
        '  <div class="header-tools">',
        f'    <form action="{escape(set_language)}" method="post" class="lang-form">{csrf}',
        f'      <input name="next" type="hidden" value="{escape(request.get_full_path())}">',
        f'      <label for="language-select" class="visually-hidden">{language_label}</label>',
        '      <select id="language-select" name="language" onchange="this.form.submit()">',
        *(
            f'        <option value="{escape(code)}"{" selected" if code == language else ""}>'
            f"{escape(code.upper())}</option>"
            for code, _name in settings.LANGUAGES
        ),
        "      </select>",
        f'      <noscript><button type="submit">{switch}</button></noscript>',
        "    </form>",
    ]
    if authenticated:
        label = _("Log out %(name)s") % {"name": user.get_username()}
        lines += [
            f'    <form action="{escape(logout)}" method="post">{csrf}',
            f'      <button type="submit" class="link-button">{escape(label)}</button>',
            "    </form>",
        ]
    lines += ["  </div>", "</header>"]
    return mark_safe("\n".join(lines))


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, ())
