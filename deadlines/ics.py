"""iCalendar (RFC 5545) feeds of due dates, written by hand: the format needs a few rules, no library.

One all-day VEVENT per open deadline, with a UID that stays the same for the deadline's lifetime so a
calendar client updates the entry when a postponement moves the date instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .models import Deadline

MAX_LINE_OCTETS = 75


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
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def deadline_lines(deadline: Deadline, *, stamp: datetime, site_url: str) -> list[str]:
    letter = deadline.letter
    url = f"{site_url}{deadline.get_absolute_url()}"
    subject = letter.subject or _("(no subject)")
    # Labels are translated outside f-strings: makemessages (xgettext) does not look inside them.
    fields = [
        (_("Committee"), letter.committee.name if letter.committee else "-"),
        (_("Dossier"), letter.dossier or "-"),
        (_("Minister"), letter.minister or "-"),
        (_("Letter dated"), letter.date.isoformat() if letter.date else "-"),
        (_("Status"), deadline.get_status_display()),
    ]
    details = [*(f"{label}: {value}" for label, value in fields), url]
    summary = _("Reply due: %(subject)s") % {"subject": subject}
    host = urlsplit(site_url).hostname or "griffie"
    return [
        "BEGIN:VEVENT",
        f"UID:deadline-{deadline.pk}@{host}",
        f"DTSTAMP:{format_instant(stamp)}",
        f"LAST-MODIFIED:{format_instant(deadline.updated_at)}",
        f"DTSTART;VALUE=DATE:{format_date(deadline.due_date)}",
        f"DTEND;VALUE=DATE:{format_date(deadline.due_date + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(deadlines: Iterable[Deadline], *, name: str, stamp: datetime, site_url: str) -> str:
    """The whole feed as text, CRLF line ends, every line folded; links point to `site_url`, the
    address the feed was fetched from."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Griffie//Deadlines//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for deadline in deadlines:
        lines += deadline_lines(deadline, stamp=stamp, site_url=site_url)
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
