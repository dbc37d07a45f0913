"""Tweede Kamer Kamervragen (Aanhangsel van de Handelingen).

One publication holds two letters: the member(s)' questions ("Vragen van het lid X (Party)
aan de Minister ... (ingezonden 6 maart 2024)") and the minister's reply ("Antwoord van
Minister ... (ontvangen 25 maart 2024)"), or a "Mededeling" that the answers take longer.
The questions belong to letter 0, the answers to letter 1. The usual three-week term is not
printed, so `term_days` stays None and the deadline layer applies its default.

The older print numbers the questions "1", "2" on lines of their own, then prints the reply's
header ("Antwoord van minister ... (Ontvangen ...)") and the answers numbered the same way: it is
read as the current one once its numbers are labelled (`older_print`, `_in_current_order`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..answers import is_stream_heading, members, qa_stream
from ..assemble import Assembly
from ..builder import Builder
from ..dates import due_by, parse_date, term_days
from ..labels import parse_marker
from ..result import ParsedLetter
from ..text import MAX_LINE, Document, Line, join_lines, paragraphs

HEADER_LINES = 60
_ASKED = re.compile(
    r"Vragen\svan\s(?:het\slid|de\sleden)\s(?P<members>.{2,600}?)\saan\s(?:de\s)?(?P<to>.{2,400}?)"
    r"(?:\sover\s(?P<subject>.{2,1200}?))?\.?\s?\([Ii]ngezonden\s(?P<date>[^()]{4,40})\)"
)
_REPLY = re.compile(
    r"(?P<kind>Antwoord|Mededeling)\svan\s(?P<who>.{2,400}?)\s?\((?:[Oo]ntvangen\s{1,3}\(?){1,3}(?P<date>[^()]{4,40})\)"
)
_DOCUMENT_NUMBER = re.compile(r"\bah-tk-\d{8}-\d{1,6}\b")
_AANHANGSEL = re.compile(r"\d{1,6}")
_MEDEDELING = re.compile(r"Mededeling\s?$")
_OLDER_REPLY = re.compile(r"(?:Antwoord|Mededeling)\svan\s")
_BARE_NUMBER = re.compile(r"\d{1,3}")


def detect(document: Document) -> bool:
    head = join_lines(line.text for line in document.lines[:HEADER_LINES])[:6000]
    return bool(_ASKED.search(head))


def keep_line(text: str) -> bool:
    """For `build_document`: in the older print a question's or answer's number stands alone on
    its line ("3"); it is text there, not a page number."""
    return bool(_BARE_NUMBER.fullmatch(text))


def _older_reply_at(lines: list[Line]) -> int | None:
    """Where the older print's reply header follows the questions: the first line opening it after
    a line that asks."""
    asked = False
    for index, line in enumerate(lines):
        if asked and _OLDER_REPLY.match(line.text):
            return index
        asked = asked or "?" in line.text
    return None


def older_print(document: Document) -> bool:
    """The older print: no numbered "Vraag 1" / "Antwoord 1" anywhere, the reply's header after
    the questions."""
    for line in document.lines:
        marker = parse_marker(line.text) if len(line.text) < MAX_LINE else None
        if marker is not None and marker.numbers:
            return False
    return _older_reply_at(document.lines) is not None


def _in_current_order(lines: list[Line]) -> list[Line]:
    """The older print as the current one: the reply's header moved up to the questions' header,
    "3" above a question labelled "Vraag 3", and above an answer "Antwoord 3"."""
    reply_at = _older_reply_at(lines)
    if reply_at is None:
        return lines
    numbered = [i for i, line in enumerate(lines) if _BARE_NUMBER.fullmatch(line.text)]
    first_question = next((i for i in numbered if i < reply_at), None)
    first_answer = next((i for i in numbered if i > reply_at), None)
    if first_question is None or first_answer is None:
        return lines

    def labelled(part: list[Line], word: str) -> list[Line]:
        return [
            replace(line, text=f"{word} {line.text}") if _BARE_NUMBER.fullmatch(line.text) else line
            for line in part
            # the older print's "Antwoord" heading above the reply's header
            if line.text.strip() != "Antwoord"
        ]

    return [
        *lines[:first_question],
        *lines[reply_at:first_answer],
        *labelled(lines[first_question:reply_at], "Vraag"),
        *labelled(lines[first_answer:], "Antwoord"),
    ]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def parse(document: Document, builder: Builder) -> None:
    """`document`: read with `keep_line` where it is in the older print."""
    lines = _in_current_order(document.lines) if older_print(document) else document.lines
    first_marker = next(
        (i for i, line in enumerate(lines) if len(line.text) < MAX_LINE and parse_marker(line.text)),
        len(lines),
    )
    header = join_lines(line.text for line in lines[: min(first_marker, HEADER_LINES)])
    asked = _ASKED.search(header[:6000])
    reply = _REPLY.search(header[:6000])
    number = next((m[0] for item in document.furniture if (m := _DOCUMENT_NUMBER.search(item))), None)
    if number is None:
        number = next(
            (m[0] for line in lines[:HEADER_LINES] if (m := _DOCUMENT_NUMBER.search(line.text))), None
        )
    aanhangsel = next((line.text for line in lines[:first_marker] if _AANHANGSEL.fullmatch(line.text)), None)
    people = members(asked["members"]) if asked else []
    parties = _unique([party for _, party in people])
    asked_date = parse_date(asked["date"]) if asked else None
    questions_letter = ParsedLetter(
        kind="questions",
        date=asked_date,
        sender=" ".join(asked["members"].split()) if asked else "",
        recipient=" ".join(asked["to"].split()) if asked else "",
        parties=parties,
        first_page=lines[0].page if lines else 1,
        last_page=lines[-1].page if lines else 1,
        subject=" ".join((asked["subject"] or "").split()) if asked else "",
        chamber="TK",
        document_number=number,
        aanhangsel_number=aanhangsel,
    )
    body = lines[first_marker:]
    mededeling_at = next((i for i, line in enumerate(body) if _MEDEDELING.fullmatch(line.text)), None)
    reply_lines = body[mededeling_at + 1 :] if mededeling_at is not None else body
    question_lines = body[:mededeling_at] if mededeling_at is not None else body
    stream = qa_stream(paragraphs(question_lines, is_stream_heading))
    # a "Mededeling" section under an "Antwoord van ..." header is a note in an answer letter
    if stream.answers or not (mededeling_at is not None or (reply and reply["kind"] == "Mededeling")):
        kind = "answer"
    else:
        kind = "mededeling"
    reply_text = join_lines(line.text for line in reply_lines)
    reply_letter = ParsedLetter(
        kind=kind,
        date=parse_date(reply["date"]) if reply else None,
        sender=" ".join(reply["who"].split(", mede namens")[0].split()) if reply else "",
        recipient="Tweede Kamer der Staten-Generaal",
        cites_date=asked_date,
        parties=list(parties),
        first_page=body[0].page if body else questions_letter.first_page,
        last_page=lines[-1].page if lines else 1,
        subject=questions_letter.subject,
        chamber="TK",
        document_number=number,
        aanhangsel_number=aanhangsel,
        text="\n".join(line.text for line in reply_lines if mededeling_at is not None),
    )
    if kind == "mededeling":
        reply_letter.promised_term_days = term_days(reply_text)
        reply_letter.promised_date = due_by(reply_text, reply_letter.date)
    member = ", ".join(name for name, _ in people)
    party = ", ".join(parties)
    for unit in stream.questions:
        unit.member, unit.party = member, party
    questions_letter.text = "\n".join(q.text for q in stream.questions)
    builder.letter(questions_letter)
    builder.letter(reply_letter)
    assembly = Assembly(builder)
    assembly.answer_alone(1, stream, question_letter=0)
    assembly.emit(warn_unanswered=kind == "answer")
    if asked is None:
        builder.warn("questions_header_missing")
    if reply is None:
        builder.warn("reply_header_missing")
