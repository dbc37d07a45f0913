"""Handelingen Bijvoegsel: a minister's written answers to questions asked in a debate.

"Schriftelijke antwoorden van de minister van X op vragen gesteld in de eerste termijn van
de behandeling van het wetsvoorstel ... (36600-XX)", then per member a heading "Vragen van
het lid Piri, K. (GL/PvdA)" and "Vraag (N):" / "Antwoord:" pairs, numbered out of order.

The questions were asked orally, so there is no questions letter: the document is one
`answer` letter that carries the questions itself (the lone-answer-letter rule), each with
its member and party.
"""

from __future__ import annotations

import re

from .. import metadata
from ..answers import is_stream_heading, member_heading, qa_stream
from ..assemble import Assembly
from ..builder import Builder
from ..result import ParsedLetter
from ..text import MAX_LINE, Document, join_lines, paragraphs

_NUMBERED_IN_PARENS = re.compile(r"Vraag\s\(\d{1,4}\)")
_TITLE = re.compile(
    r"(?:Schriftelijke\s)?antwoorden\svan\s(?:de\s|het\s)?(?P<who>[^.]{3,160}?)\sop\s(?P<subject>vragen\s[^\n]{3,600})",
    re.IGNORECASE,
)


def detect(document: Document) -> bool:
    head = " ".join(line.text for line in document.lines[:15]).upper()
    numbered = sum(
        1 for line in document.lines if len(line.text) < 40 and _NUMBERED_IN_PARENS.match(line.text)
    )
    headings = any(member_heading(line.text) for line in document.lines if len(line.text) < MAX_LINE)
    return numbered >= 2 or ("BIJVOEGSEL" in head and headings)


def parse(document: Document, builder: Builder) -> None:
    lines = document.lines
    first = next((i for i, line in enumerate(lines) if is_stream_heading(line.text)), len(lines))
    header = join_lines(line.text for line in lines[:first])
    title = _TITLE.search(header[:5000])
    line_texts = [line.text for line in lines]
    text = "\n".join(line_texts)
    chamber = metadata.chamber(text, document.footnotes)
    letter = ParsedLetter(
        kind="answer",
        date=metadata.letter_date(line_texts[:first]),
        sender=" ".join(title["who"].split()) if title else "",
        subject=" ".join(title["subject"].split()).rstrip(". ") if title else "",
        dossier=metadata.dossiers([header], chamber),
        first_page=lines[0].page if lines else 1,
        last_page=lines[-1].page if lines else 1,
        chamber=chamber,
        text=text,
    )
    stream = qa_stream(paragraphs(lines[first:], is_stream_heading))
    letter.parties = list(
        dict.fromkeys(party for unit in stream.questions for party in unit.party.split(", ") if party)
    )
    builder.letter(letter)
    assembly = Assembly(builder)
    assembly.answer_alone(0, stream)
    assembly.emit()
    if letter.date is None:
        builder.warn("letter_undated", **builder.describe(letter=0))
