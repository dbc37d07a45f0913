"""Question units of a committee letter: asking paragraphs, per fraction section."""

from __future__ import annotations

import re

from .labels import parse_marker
from .metadata import heading_party
from .text import Paragraph
from .units import Unit, asks, is_closing

_LIST_ITEM = re.compile(r"(?:\d{1,3}[.)]|[a-z][.)]|[•·▪-])\s")


def question_units(paragraphs: list[Paragraph], default_party: str = "") -> list[Unit]:
    """Asking paragraphs of a questions letter, with the party of the section they sit in.

    A numbered paragraph ("1. ...") keeps its number as label. A question ending in a colon
    introduces a list, and the list items that follow belong to it.
    """
    units: list[Unit] = []
    party = default_party
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        index += 1
        heading = heading_party(paragraph.text)
        if heading:
            party = heading
            continue
        text = paragraph.text
        if is_closing(text) or not asks(text):
            continue
        marker = parse_marker(paragraph.lines[0].text)
        label = None
        breaks = paragraph.page_breaks()
        if marker and marker.kind == "numbered":
            label = marker.label
            body = text.split(None, 1)[1] if " " in text else text
            breaks = paragraph.page_breaks(shift=len(body) - len(text))
            text = body
        introduces_list = text.rstrip().endswith(":")
        while introduces_list and index < len(paragraphs):
            item = paragraphs[index]
            if not _LIST_ITEM.match(item.text) or asks(item.text):
                break
            breaks += item.page_breaks(shift=len(text) + 1)
            text = text + "\n" + item.text
            index += 1
        numbers = (int(label),) if label else ()
        units.append(Unit(text, paragraph.page, label, numbers, party=party, breaks=tuple(breaks)))
    return units
