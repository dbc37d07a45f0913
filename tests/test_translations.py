"""The Dutch catalog: complete, compiled, and what users actually see by default.

The root conftest makes every other test speak English; the page tests here ask for the project's
own default (Dutch) themselves.
"""

from __future__ import annotations

import gettext
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.urls import reverse

from deadlines.choices import SubscriptionScope
from deadlines.delivery import plan_deliveries, send_pending
from deadlines.models import AlertProfile, Subscription
from deadlines.rules import AMSTERDAM
from deadlines.services import refresh_deadlines, sync_deadline
from dossiers.choices import Chamber
from dossiers.models import Committee, Dossier, Minister
from dossiers.roles import CLERK
from dossiers.tests.factories import make_user
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Question

CATALOG = Path(project_settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"[{self.msgctxt}] {self.msgid}" if self.msgctxt is not None else self.msgid


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], text.strip()[1:-1])


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header and the entries of a .po file (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + unquote(line))
        else:
            keyword, rest = line.split(" ", 1)
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or plural_form:
                target = ("msgstr", int(plural_form.group(1)) if plural_form else 0)
                entry.msgstr[target[1]] = unquote(rest)
            else:
                target = (keyword, None)
                setattr(entry, keyword, unquote(rest))
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


@pytest.fixture(scope="module")
def catalog() -> tuple[Entry, list[Entry]]:
    return read_po(CATALOG / "django.po")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_catalog_is_dutch_with_two_plural_forms(catalog):
    header, entries = catalog
    assert "fuzzy" not in header.flags
    assert "Language: nl\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert len(entries) > 400


def test_every_entry_is_translated_and_none_is_fuzzy(catalog):
    _, entries = catalog
    untranslated = [e.name for e in entries if not all(text.strip() for text in e.msgstr.values())]
    fuzzy = [e.name for e in entries if "fuzzy" in e.flags]
    plurals_short = [e.name for e in entries if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]]
    assert untranslated == []
    assert fuzzy == []
    assert plurals_short == []


def test_translations_keep_exactly_the_placeholders_of_their_msgid(catalog):
    _, entries = catalog
    wrong = []
    for entry in entries:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for index, text in entry.msgstr.items():
            if placeholders(text) != placeholders(sources[min(index, len(sources) - 1)]):
                wrong.append((entry.name, index, text))
    assert wrong == []


def compiled_forms(compiled: gettext.GNUTranslations, entry: Entry) -> dict[int, str]:
    """What the .mo gives for an entry, by plural form (Dutch: form 0 for n=1, form 1 otherwise)."""
    if entry.msgid_plural is None:
        if entry.msgctxt is not None:
            return {0: compiled.pgettext(entry.msgctxt, entry.msgid)}
        return {0: compiled.gettext(entry.msgid)}
    counts = {0: 1, 1: 2}
    if entry.msgctxt is not None:
        context = entry.msgctxt
        return {i: compiled.npgettext(context, entry.msgid, entry.msgid_plural, n) for i, n in counts.items()}
    return {i: compiled.ngettext(entry.msgid, entry.msgid_plural, n) for i, n in counts.items()}


def test_committed_mo_matches_the_po(catalog):
    _, entries = catalog
    data = (CATALOG / "django.mo").read_bytes()
    magic, _revision, count = struct.unpack("<3I", data[:12])
    assert magic == 0x950412DE
    assert count == len(entries) + 1  # the header is an entry of the .mo too
    with (CATALOG / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    differ = []
    for entry in entries:
        got = compiled_forms(compiled, entry)
        if got != entry.msgstr:
            differ.append((entry.name, got, entry.msgstr))
    assert differ == []


@pytest.fixture
def dutch_default(settings):
    settings.LANGUAGE_CODE = "nl"  # the project's default, which the root conftest sets to English


@pytest.mark.django_db
def test_login_page_speaks_dutch_by_default(client, dutch_default):
    page = client.get(reverse("login")).content.decode()
    assert "<h1>Inloggen</h1>" in page
    assert "Gebruikersnaam" in page and "Wachtwoord" in page
    assert "Username" not in page and "Log in" not in page


@pytest.mark.django_db
def test_dashboard_speaks_dutch_to_a_logged_in_clerk(client, dutch_default):
    client.force_login(make_user("griffier", CLERK))
    page = client.get(reverse("home")).content.decode()
    assert "<title>Overzicht" in page or ">Overzicht<" in page
    assert "Termijn verstreken" in page and "Geen verstreken termijnen." in page
    assert "Uitloggen (griffier)" in page and "Registratie" in page
    assert "Overdue" not in page and "Log out" not in page


@pytest.mark.django_db
def test_english_language_cookie_gives_english_pages(client, dutch_default):
    client.cookies[project_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>Log in</h1>" in client.get(reverse("login")).content.decode()
    client.force_login(make_user("clerk", CLERK))
    page = client.get(reverse("home")).content.decode()
    assert "Overdue" in page and "Log out clerk" in page
    assert "Termijn verstreken" not in page


def at(day: date) -> datetime:
    return datetime.combine(day, time(6), tzinfo=AMSTERDAM)


@pytest.mark.django_db
def test_alert_email_is_dutch_for_a_dutch_profile(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://griffie.example"
    letter = Letter.objects.create(
        kind=LetterKind.QUESTIONS,
        chamber=Chamber.EK,
        date=date(2025, 6, 24),
        committee=Committee.objects.create(name="vaste commissie voor Justitie", chamber=Chamber.EK),
        dossier=Dossier.objects.create(number="36521", chamber=Chamber.EK),
        minister=Minister.objects.create(portfolio="minister van Justitie en Veiligheid"),
        subject="Evaluatie Woo",
    )
    Question.objects.create(letter=letter, order=1, label="1", text="Vraag 1?")
    sync_deadline(letter=letter, now=at(date(2025, 6, 30)))
    plan_deliveries(now=at(date(2025, 6, 30)))  # the sync's own status event is no alert
    refresh_deadlines(now=at(date(2025, 7, 23)))  # due 22 July: one day overdue
    user = make_user("griffier", CLERK)
    user.email = "griffier@example.org"
    user.save()
    AlertProfile.objects.create(user=user, language="nl")
    Subscription.objects.create(user=user, scope=SubscriptionScope.ALL)
    plan_deliveries(now=at(date(2025, 7, 23)))
    assert send_pending(now=at(date(2025, 7, 23))) == 1
    [message] = mail.outbox
    assert message.subject == "Griffie: 1 termijnmelding"
    text = message.body
    assert text.startswith("Beste griffier,")
    assert "Termijnmeldingen van 23 juli 2025:" in text
    assert "== Termijn verstreken (1) ==" in text
    assert "Evaluatie Woo\n  Termijn 1 dag overschreden." in text
    assert "Bewindspersoon: minister van Justitie en Veiligheid" in text
    assert "Dagtekening: 24 juni 2025" in text and "Uiterste datum: 22 juli 2025" in text
    assert "Afmelden voor alle e-mails met meldingen:" in text
    html = message.alternatives[0][0]
    assert '<html lang="nl">' in html and "Termijn 1 dag overschreden." in html
    assert "overdue" not in text.lower() and "Unsubscribe" not in text
