"""iCalendar (RFC 5545) feeds of due dates, written by hand: the format needs a few rules, no library.

One all-day VEVENT per open deadline, with a UID that stays the same for the deadline's lifetime so a
calendar client updates the entry when a postponement moves the date instead of adding a second one.
Which deadlines a feed holds is the view's choice (`views.calendar_feed`); this module only writes them,
with everything that is the same for every event (labels, the link's pattern) worked out once per feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.links import pk_url
from dossiers.models import dossier_name, minister_name

from .choices import DeadlineStatus
from .models import Deadline

MAX_LINE_OCTETS = 75
# What an event prints of a deadline and its letter, read as plain rows (`events`): a feed holds
# hundreds of events, and making four model instances for each was most of its time.
EVENT_COLUMNS = (
    "pk",
    "due_date",
    "status",
    "updated_at",
    "letter__subject",
    "letter__date",
    "letter__committee__name",
    "letter__dossier__number",
    "letter__dossier__title",
    "letter__minister__portfolio",
    "letter__minister__name",
)


def escape_text(value: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets (RFC 5545 3.1).
    Works on the encoded line: a feed folds tens of thousands of lines, and a loop per character
    was most of its time.
    """
    encoded = line.encode()
    if len(encoded) <= MAX_LINE_OCTETS:
        return line
    pieces: list[bytes] = []
    start, limit = 0, MAX_LINE_OCTETS
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: the character began earlier
            end -= 1
        pieces.append(encoded[start:end])
        start, limit = end, MAX_LINE_OCTETS - 1
    pieces.append(encoded[start:])
    return b"\r\n ".join(pieces).decode()


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Feed:
    """What every event of one feed shares, worked out once: the stamp, the host its UIDs name, the
    link to a deadline, and the labels in the feed's language."""

    stamp: str
    host: str
    url: Callable[[int], str]
    labels: tuple[str, str, str, str, str]
    statuses: dict[str, str]
    reply_due: str
    no_subject: str

    @classmethod
    def make(cls, *, stamp: datetime, site_url: str) -> Feed:
        path = pk_url("deadlines:detail")
        return cls(
            stamp=format_instant(stamp),
            host=urlsplit(site_url).hostname or "griffie",
            url=lambda pk: f"{site_url}{path(pk)}",
            # Labels are translated outside f-strings: makemessages (xgettext) does not look inside them.
            labels=(_("Committee"), _("Dossier"), _("Minister"), _("Letter dated"), _("Status")),
            statuses={status.value: str(status.label) for status in DeadlineStatus},
            reply_due=_("Reply due: %(subject)s"),
            no_subject=_("(no subject)"),
        )


def events(deadlines: QuerySet[Deadline]) -> QuerySet[Any]:
    """The deadlines as the rows `calendar` writes (named tuples of EVENT_COLUMNS)."""
    return deadlines.values_list(*EVENT_COLUMNS, named=True)


def deadline_lines(deadline: Any, feed: Feed) -> list[str]:
    """The VEVENT of one row of `events`."""
    url = feed.url(deadline.pk)
    subject = deadline.letter__subject or feed.no_subject
    dossier, minister = deadline.letter__dossier__number, deadline.letter__minister__portfolio
    values = (
        deadline.letter__committee__name or "-",
        dossier_name(dossier, deadline.letter__dossier__title) if dossier else "-",
        minister_name(minister, deadline.letter__minister__name) if minister else "-",
        deadline.letter__date.isoformat() if deadline.letter__date else "-",
        feed.statuses[deadline.status],
    )
    details = [*(f"{label}: {value}" for label, value in zip(feed.labels, values, strict=True)), url]
    summary = feed.reply_due % {"subject": subject}
    return [
        "BEGIN:VEVENT",
        f"UID:deadline-{deadline.pk}@{feed.host}",
        f"DTSTAMP:{feed.stamp}",
        f"LAST-MODIFIED:{format_instant(deadline.updated_at)}",
        f"DTSTART;VALUE=DATE:{format_date(deadline.due_date)}",
        f"DTEND;VALUE=DATE:{format_date(deadline.due_date + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(deadlines: Iterable[Any], *, name: str, stamp: datetime, site_url: str) -> str:
    """The whole feed of `events` rows as text, CRLF line ends, every line folded; links point to
    `site_url`, the address the feed was fetched from."""
    feed = Feed.make(stamp=stamp, site_url=site_url)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Griffie//Deadlines//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for deadline in deadlines:
        lines += deadline_lines(deadline, feed)
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
