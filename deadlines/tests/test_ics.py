"""RFC 5545 details written by hand: escaping, folding at 75 octets, all-day dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from deadlines.ics import calendar, escape_text, events, fold
from deadlines.models import Deadline


def test_text_escapes_backslash_semicolon_comma_and_newline():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_folding_keeps_every_line_within_75_octets_and_never_splits_a_character():
    line = "SUMMARY:" + "Beantwoording vragen over de Woo – één, twee; drie " * 5
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line


def test_short_lines_are_not_folded():
    assert fold("VERSION:2.0") == "VERSION:2.0"


def test_deadline_event_is_all_day_with_a_stable_uid(make_letter):
    from deadlines.services import sync_deadline

    letter = make_letter(date(2025, 6, 24), subject="Vragen; over, de Woo")
    deadline = sync_deadline(letter=letter, now=date(2025, 6, 25))
    stamp = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    rows = events(Deadline.objects.filter(pk=deadline.pk))
    body = calendar(rows, name="BiZa", stamp=stamp, site_url="https://griffie.example")
    assert body == calendar(rows, name="BiZa", stamp=stamp, site_url="https://griffie.example")
    lines = body.split("\r\n")
    assert f"UID:deadline-{deadline.pk}@griffie.example" in lines
    assert "DTSTART;VALUE=DATE:20250722" in lines and "DTSTAMP:20250701T080000Z" in lines
    assert any(line.startswith("SUMMARY:") and "Vragen\\; over\\, de Woo" in line for line in lines)
    assert "\n" not in body.replace("\r\n", "")


def test_deadline_event_describes_the_letter_as_people_name_its_committee_dossier_and_minister(make_letter):
    from deadlines.services import sync_deadline

    deadline = sync_deadline(letter=make_letter(date(2025, 6, 24)), now=date(2025, 6, 25))
    with translation.override("en"):
        body = calendar(
            events(Deadline.objects.filter(pk=deadline.pk)),
            name="BiZa",
            stamp=datetime(2025, 7, 1, 8, 0, tzinfo=UTC),
            site_url="https://griffie.example",
        )
    unfolded = body.replace("\r\n ", "")
    description = next(line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:"))
    assert description.split("\\n") == [
        "DESCRIPTION:Committee: vaste commissie voor Binnenlandse Zaken",
        "Dossier: 36521 Wet open overheid\\; evaluatie",
        "Minister: minister van Binnenlandse Zaken en Koninkrijksrelaties",
        "Letter dated: 2025-06-24",
        "Status: Open",
        f"https://griffie.example/deadlines/{deadline.pk}/",
    ]


@pytest.mark.parametrize("prefix", range(5))
@pytest.mark.parametrize("char", ["é", "€", "😀"])
def test_folding_backs_off_to_the_start_of_a_character_at_every_offset(prefix, char):
    line = "DESCRIPTION:" + "x" * prefix + char * 60
    pieces = fold(line).split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line
