"""iCalendar (RFC 5545) feeds of due dates, written with the `icalendar` package.

One all-day VEVENT per open deadline, with a UID that stays the same for the deadline's lifetime so a
calendar client updates the entry when a postponement moves the date instead of adding a second one.
Which deadlines a feed holds is the view's choice (`views.calendar_feed`); this module only writes them,
with everything that is the same for every event (labels, the link's pattern, the stamp) worked out once
per feed. The package does the format's rules (escaping, folding at 75 octets, value types); instants
are written in UTC, due dates as dates without a time zone.

Writing an event with the package costs about 0.25 ms (the hand-written lines it replaced cost 15 µs),
so a 300-event feed would take 75 ms a fetch. An event is therefore written once per version of what it
prints and kept (`written_event`, a bounded cache per process, keyed by the whole row, the language and
the site's address): the same deadlines are in every subscriber's feed and in every fetch of it, and a
changed deadline or letter is a different row, so a kept event is never stale. Its DTSTAMP is the
deadline's last change rather than the time of the fetch, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDatetime, vText

from core.links import pk_url
from dossiers.models import dossier_name, minister_name

from .choices import DeadlineStatus
from .models import Deadline

# Events kept written (`written_event`): about 2.5 kB each with the row that is its key (measured:
# 1.6 kB besides the row), so at most about 12 MB per process; the bench archive has 5,000 pending
# deadlines, of which a feed's window holds about 300. Beyond it the least recently used go.
EVENTS_KEPT = 5_000
END = b"END:VCALENDAR\r\n"
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


@dataclass(frozen=True)
class Feed:
    """What every event of one feed shares, worked out once: the stamp, the host its UIDs name, the
    link to a deadline, and the labels in the feed's language."""

    host: str
    url: Callable[[int], str]
    labels: tuple[str, str, str, str, str]
    statuses: dict[str, str]
    reply_due: str
    no_subject: str
    transparent: vText

    @classmethod
    def make(cls, *, site_url: str) -> Feed:
        path = pk_url("deadlines:detail")
        return cls(
            host=urlsplit(site_url).hostname or "griffie",
            url=lambda pk: f"{site_url}{path(pk)}",
            # Labels are translated outside f-strings: makemessages (xgettext) does not look inside them.
            labels=(_("Committee"), _("Dossier"), _("Minister"), _("Letter dated"), _("Status")),
            statuses={status.value: str(status.label) for status in DeadlineStatus},
            reply_due=_("Reply due: %(subject)s"),
            no_subject=_("(no subject)"),
            # Free, not busy: a due date is a reminder, not a meeting. One property object for all.
            transparent=vText("TRANSPARENT"),
        )


def events(deadlines: QuerySet[Deadline]) -> QuerySet[Any]:
    """The deadlines as the rows `calendar` writes (named tuples of EVENT_COLUMNS)."""
    return deadlines.values_list(*EVENT_COLUMNS, named=True)


@lru_cache(maxsize=16)
def feed_for(language: str, site_url: str) -> Feed:
    with translation.override(language):
        return Feed.make(site_url=site_url)


def deadline_event(deadline: Any, feed: Feed) -> Event:
    """The VEVENT of one row of `events`: all day on the due date."""
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
    event = Event()
    event.add("uid", f"deadline-{deadline.pk}@{feed.host}")
    changed = vDatetime(deadline.updated_at.astimezone(UTC))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("dtstart", deadline.due_date)
    event.add("dtend", deadline.due_date + timedelta(days=1))
    event.add("summary", feed.reply_due % {"subject": subject})
    event.add("description", "\n".join(details))
    event.add("url", url)
    event.add("transp", feed.transparent)
    return event


@lru_cache(maxsize=EVENTS_KEPT)
def written_event(deadline: Any, language: str, site_url: str) -> bytes:
    """`deadline_event` as iCalendar text, kept: the row holds everything the event prints."""
    return deadline_event(deadline, feed_for(language, site_url)).to_ical(sorted=False)


def calendar(deadlines: Iterable[Any], *, name: str, site_url: str) -> bytes:
    """The whole feed of `events` rows in the active language, UTF-8 with CRLF line ends; links point
    to `site_url`, the address the feed was fetched from."""
    language = translation.get_language() or "nl"
    cal = Calendar()
    cal.add("prodid", "-//Griffie//Deadlines//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    envelope = cal.to_ical(sorted=False)
    # The events go inside the envelope, before its last line (`to_ical` of an empty calendar).
    return b"".join(
        (envelope.removesuffix(END), *(written_event(row, language, site_url) for row in deadlines), END)
    )
