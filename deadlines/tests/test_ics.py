"""The calendar feed's events, written with the `icalendar` package and read back with it."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from django.utils import translation
from icalendar import Calendar

from deadlines.ics import calendar, events, written_event
from deadlines.models import Deadline
from deadlines.services import sync_deadline

SITE = "https://griffie.example"


def parse(body: bytes) -> list:
    parsed = Calendar.from_ical(body)
    return list(parsed.walk("VEVENT"))


def test_deadline_event_is_all_day_on_the_due_date_with_a_stable_uid(make_letter):
    letter = make_letter(date(2025, 6, 24), subject="Vragen; over, de Woo\\ en één € 😀")
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 25))
    rows = events(Deadline.objects.filter(pk=deadline.pk))
    with translation.override("en"):
        body = calendar(rows, name="BiZa; EK", site_url=SITE)
    assert body == calendar(rows, name="BiZa; EK", site_url=SITE)
    parsed = Calendar.from_ical(body)
    assert (str(parsed["X-WR-CALNAME"]), str(parsed["METHOD"])) == ("BiZa; EK", "PUBLISH")
    [event] = parse(body)
    assert str(event["UID"]) == f"deadline-{deadline.pk}@griffie.example"
    assert event.decoded("DTSTART") == date(2025, 7, 22) and event.decoded("DTEND") == date(2025, 7, 23)
    assert "VALUE=DATE" in body.decode() and str(event["TRANSP"]) == "TRANSPARENT"
    # Escaped on the way out and read back as written: backslash, semicolon, comma, any character.
    assert str(event["SUMMARY"]) == "Reply due: Vragen; over, de Woo\\ en één € 😀"
    assert "Vragen\\; over\\, de Woo\\\\ en" in body.decode().replace("\r\n ", "")
    changed = deadline.updated_at.astimezone(UTC).replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == changed == event.decoded("DTSTAMP")
    assert str(event["URL"]) == f"{SITE}/deadlines/{deadline.pk}/"


def test_every_line_is_folded_within_75_octets_with_crlf_line_ends(make_letter):
    deadline = sync_deadline(
        letter=make_letter(date(2025, 6, 24), subject="Beantwoording vragen over de Woo – één " * 8),
        now=date(2025, 6, 25),
    )
    body = calendar(events(Deadline.objects.filter(pk=deadline.pk)), name="BiZa", site_url=SITE)
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines) and any(line.startswith(b" ") for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    body.decode()  # never split inside a UTF-8 character


def test_deadline_event_describes_the_letter_as_people_name_its_committee_dossier_and_minister(make_letter):
    deadline = sync_deadline(letter=make_letter(date(2025, 6, 24)), now=date(2025, 6, 25))
    with translation.override("en"):
        body = calendar(events(Deadline.objects.filter(pk=deadline.pk)), name="BiZa", site_url=SITE)
    [event] = parse(body)
    assert str(event["DESCRIPTION"]).split("\n") == [
        "Committee: vaste commissie voor Binnenlandse Zaken",
        "Dossier: 36521 Wet open overheid; evaluatie",
        "Minister: minister van Binnenlandse Zaken en Koninkrijksrelaties",
        "Letter dated: 2025-06-24",
        "Status: Open",
        f"{SITE}/deadlines/{deadline.pk}/",
    ]


def test_events_are_in_the_feeds_language(make_letter):
    deadline = sync_deadline(letter=make_letter(date(2025, 6, 24)), now=date(2025, 6, 25))
    rows = events(Deadline.objects.filter(pk=deadline.pk))
    summaries = {}
    for language in ("en", "nl"):
        with translation.override(language):
            [event] = parse(calendar(rows, name="BiZa", site_url=SITE))
        summaries[language] = str(event["SUMMARY"])
    assert summaries == {"en": "Reply due: Evaluatie Woo", "nl": "Uiterste antwoorddatum: Evaluatie Woo"}


def test_a_kept_event_is_written_again_when_its_deadline_or_letter_changes(make_letter):
    deadline = sync_deadline(letter=make_letter(date(2025, 6, 24)), now=date(2025, 6, 25))

    def feed() -> bytes:
        with translation.override("nl"):
            return calendar(events(Deadline.objects.filter(pk=deadline.pk)), name="BiZa", site_url=SITE)

    [before] = parse(feed())
    hits = written_event.cache_info().hits
    feed()
    assert written_event.cache_info().hits == hits + 1
    deadline.letter.subject = "Archiefwet"
    deadline.letter.save()
    Deadline.objects.filter(pk=deadline.pk).update(due_date=deadline.due_date + timedelta(days=14))
    [after] = parse(feed())
    assert str(before["UID"]) == str(after["UID"])
    assert (str(after["SUMMARY"]), after.decoded("DTSTART")) == (
        "Uiterste antwoorddatum: Archiefwet",
        date(2025, 8, 5),
    )


def test_an_empty_feed_is_a_calendar_without_events():
    body = calendar([], name="BiZa", site_url=SITE)
    assert (
        parse(body) == [] and body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    )
