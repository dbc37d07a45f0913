"""Question units of a committee letter: asking paragraphs, per fraction section."""

from __future__ import annotations

import re

from .labels import parse_marker
from .metadata import heading_party, parties, speaking_fraction
from .text import Paragraph
from .units import Unit, announces_questions, asks, closing_start, is_closing

_LIST_ITEM = re.compile(r"(?:\d{1,3}[.)]|[a-z][.)]|[•·▪-])\s")
# The opening is looked for among the letter's first paragraphs of prose only.
OPENING_PROSE = 3
PROSE = 120  # a paragraph this long holds a sentence or more, unlike an address or a date line
LABEL_HEAD = 300  # enough of a paragraph to read a "12." label from
FRACTION_HEAD = 200  # the fraction speaking in a paragraph is named in its first sentence


def _opening_end(paragraphs: list[Paragraph]) -> tuple[int, int] | None:
    """(paragraph, offset) where the letter's opening ends: after the sentence announcing its
    questions, when the first paragraphs have one. Whatever the opening says before it, a
    question mark too ("Werken de regelingen zoals bedoeld? Die vraag staat centraal ..."), is
    context; what follows it in the same paragraph is the first question. Only the first
    paragraph of prose may ask before the announcement, and only when no fraction speaks in it:
    a fraction asking first has questions of its own."""
    prose = 0
    for index, paragraph in enumerate(paragraphs):
        if heading_party(paragraph.text) or parse_marker(paragraph.lines[0].text):
            return None
        end = announces_questions(paragraph.text)
        if end is not None:
            return index, end
        if asks(paragraph.text) and (prose or parties(paragraph.text[:FRACTION_HEAD])):
            return None
        prose += len(paragraph.text) > PROSE
        if prose >= OPENING_PROSE:
            return None
    return None


def question_units(paragraphs: list[Paragraph], default_party: str = "") -> list[Unit]:
    """Asking paragraphs of a questions letter, with the party of the section they sit in: named by
    its heading, or by the paragraph that opens with the fraction speaking ("De leden van de
    VVD-fractie vragen ...").

    A numbered paragraph ("1. ...") keeps its number as label. A question ending in a colon
    introduces a list, and the list items that follow belong to it.
    """
    units: list[Unit] = []
    party = default_party
    opening = _opening_end(paragraphs)
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        index += 1
        heading = heading_party(paragraph.text)
        if heading:
            party = heading
            continue
        party = speaking_fraction(paragraph.text) or party
        skip = 0
        if opening is not None and index - 1 <= opening[0]:
            if index - 1 < opening[0]:
                continue
            skip = opening[1]
        text = paragraph.text[skip:].lstrip()
        breaks = paragraph.page_breaks(shift=len(text) - len(paragraph.text))
        end = closing_start(text)
        if end is not None:
            text = text[:end].rstrip()
        if is_closing(text) or not asks(text):
            continue
        marker = parse_marker(text[:LABEL_HEAD] if skip else paragraph.lines[0].text)
        label = None
        if marker and marker.kind == "numbered":
            label = marker.label
            body = text.split(None, 1)[1] if " " in text else text
            breaks = [(offset + len(body) - len(text), page) for offset, page in breaks]
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
