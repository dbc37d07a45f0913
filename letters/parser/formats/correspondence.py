"""Committee correspondence: Eerste Kamer bundles and single letters.

A bundle is a cover note ("Dit verslag bestaat uit: ...") followed by letters that each
start with "BRIEF VAN ...": the committee's questions, the minister's postponement, the
answer letter. A single letter without such a heading (a lone committee letter, a lone
answer letter, a ministry letter) is classified the same way. Answers are paired with the
questions letter they answer when it is in the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .. import metadata
from ..answers import is_stream_heading, qa_stream
from ..assemble import Assembly
from ..builder import Builder
from ..dates import due_by, find_dates, parse_date, term_days
from ..labels import parse_marker
from ..pairing import repeated_stream
from ..questions import question_units
from ..result import ParsedLetter
from ..text import MAX_LINE, Document, Line, join_lines, paragraphs

_BRIEF = re.compile(r"BRIEF\s{1,5}VAN\b")
_UPPER_CONTINUATION = re.compile(r"[A-Z0-9ËÏÖÜÉ /&,.'’-]{2,200}")
_COVER = re.compile(r"verslag\s(?:bestaat\suit|uit\svan)|brengt\s.{0,40}verslag\suit|griffier", re.IGNORECASE)
_POSTPONE = re.compile(
    r"niet\sbinnen\sde\s(?:\w+\s){0,2}termijn|meer\stijd\snodig|uitstel\s(?:van\s)?(?:de\s)?beantwoording"
    r"|(?:kunnen|kan)\s(?:\w+\s){0,3}niet\s(?:\w+\s){0,6}(?:worden\s)?beantwoord",
    re.IGNORECASE,
)
_ANSWER_INTRO = re.compile(
    r"\bantwoord(?:en)?\s(?:\w+\s){0,3}op\s(?:de\s)?(?:\w+\s){0,3}vragen|\bbeantwoording\svan\sde\s(?:\w+\s){0,2}vragen"
    r"|\bbied\s.{0,80}antwoord"
    r"|\bbeantwoord(?:en)?\s(?:ik|wij|het\skabinet|de\sregering)\s(?:\w+\s){0,4}vragen",
    re.IGNORECASE,
)
_COMMITTEE_SENDER = re.compile(
    r"\b(?:voorzitter|griffier)\s(?:van\s)?de\s(?:vaste\s)?commissie", re.IGNORECASE
)
_ABOUT = re.compile(r"\bover\s(?P<subject>(?:de|het|een)\s[^.()\n]{5,200}?)(?=\s?\(|\.|,\smet\s|$)")
# "De leden ... hebben kennisgenomen van de Defensienota.1": what a committee letter is about when
# no "over ..." names it.
_NOTED = re.compile(r"\bkennis\s?genomen\svan\s(?P<subject>(?:de|het|een)\s[^.()\n]{3,200}?)(?=\s?\(|\.|,|$)")
# A footnote marker printed against the last word ("Defensienota1"), not a year's last digit.
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_])\d{1,2}$")
_REPLY_CONTEXT = re.compile(r"\b(?:graag|tegemoet|reactie|beantwoording|antwoorden)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass
class Segment:
    heading: str
    lines: list[Line]
    start: int  # index of the first line in the document
    end: int
    preamble: bool = False


def split_letters(lines: list[Line]) -> list[Segment]:
    """Cut at each "BRIEF VAN ..." heading; the part before the first heading is the preamble."""
    starts = [i for i, line in enumerate(lines) if len(line.text) < 400 and _BRIEF.match(line.text)]
    if not starts:
        return [Segment("", lines, 0, len(lines))]
    segments = []
    if starts[0] > 0:
        segments.append(Segment("", lines[: starts[0]], 0, starts[0], preamble=True))
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        heading = [lines[start].text]
        body = start + 1
        # a long heading wraps: "... EN VAN DE" / "MINISTER VAN ASIEL EN MIGRATIE"
        while (
            body < end and _UPPER_CONTINUATION.fullmatch(lines[body].text) and not lines[body].text.isdigit()
        ):
            heading.append(lines[body].text)
            body += 1
        segments.append(Segment(" ".join(heading), lines[body:end], start, end))
    return segments


def _has_markers(lines: list[Line]) -> bool:
    found = 0
    for line in lines:
        marker = parse_marker(line.text) if len(line.text) < MAX_LINE else None
        if marker and marker.kind == "answer":
            found += 1
    return found > 0


def classify(segment: Segment, text: str, sender: str) -> str:
    if segment.preamble and _COVER.search(text):
        return "cover"
    intro = join_lines(line.text for line in segment.lines[:30])
    if _COMMITTEE_SENDER.search(sender) or _COMMITTEE_SENDER.search(segment.heading):
        return "questions"
    if _POSTPONE.search(intro) and not _has_markers(segment.lines):
        return "postponement"
    if _has_markers(segment.lines) or _ANSWER_INTRO.search(intro):
        return "answer"
    return "other"


def _sender(segment: Segment, line_texts: list[str], document_text: str, margin: str) -> str:
    if segment.heading:
        return metadata.heading_sender(segment.heading, document_text)
    # the signature comes after the salutation; before it "De voorzitter van ..." is the addressee
    salutation = next((i for i, line in enumerate(line_texts) if line.startswith("Geachte ")), 0)
    signed = metadata.signature(line_texts[max(salutation, len(line_texts) - 40) :])
    if signed:
        return signed
    return metadata.ministry(margin) or metadata.ministry("\n".join(line_texts[:30]))


def _subject(line_texts: list[str], text: str, margin: str) -> str:
    found = metadata.subject(margin.split("\n")) or metadata.subject(line_texts)
    if found:
        return found
    match = _ABOUT.search(text[:3000]) or _NOTED.search(text[:3000])
    return _FOOTNOTE_MARK.sub("", " ".join(match["subject"].split())) if match else ""


def _reply_term(text: str, letter_date: date | None) -> int | None:
    """The reply term of a questions letter: "binnen vier weken", or the days until the date in
    "ontvangen deze graag vóór 15 september 2025" counted from the letter's date."""
    days = term_days(text)
    if days is not None or letter_date is None:
        return days
    for sentence in _SENTENCE_END.split(text):
        if _REPLY_CONTEXT.search(sentence[:MAX_LINE]):
            due = due_by(sentence, letter_date)
            if due and due > letter_date:
                return (due - letter_date).days
    return None


def _footnotes_for(document: Document, segment: Segment) -> list[str]:
    return [
        note
        for note, at in zip(document.footnotes, document.footnote_at, strict=True)
        if segment.start < at <= segment.end or (segment.start == 0 and at == 0)
    ]


def parse(document: Document, builder: Builder) -> None:
    segments = split_letters(document.lines)
    document_text = "\n".join(line.text for line in document.lines)
    chamber = metadata.chamber(document_text, document.footnotes)
    document_committee = metadata.committee(document_text)
    assembly = Assembly(builder)
    letters: list[tuple[int, Segment, ParsedLetter]] = []
    for segment in segments:
        line_texts = [line.text for line in segment.lines]
        text = join_lines(line_texts)
        if not text.strip():
            continue
        margin = document.margin if segment.start == 0 else ""
        sender = _sender(segment, line_texts, document_text, margin)
        kind = classify(segment, text, sender)
        letter_date = metadata.letter_date(line_texts) or metadata.letter_date(margin.split("\n"))
        footnotes = _footnotes_for(document, segment)
        letter = ParsedLetter(
            kind=kind,
            date=letter_date,
            sender=sender,
            recipient=metadata.recipient(line_texts),
            reference=metadata.reference(margin) or metadata.reference(text),
            cites_date=metadata.cited_date(text, letter_date, questions=kind == "questions"),
            parties=metadata.parties(text) if kind != "other" else [],
            dossier=metadata.dossiers([*footnotes, text], chamber) if kind != "other" else [],
            first_page=segment.lines[0].page,
            last_page=segment.lines[-1].page,
            subject=_subject(line_texts, text, margin),
            committee=metadata.committee(text)
            # a committee's heading block, a line at a time: its address follows the name
            or next(filter(None, map(metadata.committee, margin.split("\n"))), "")
            or (document_committee if kind != "other" else ""),
            chamber=chamber,
            text="\n".join(line_texts),
        )
        if kind == "questions":
            letter.term_days = _reply_term(text, letter_date)
        elif kind in ("postponement", "mededeling"):
            letter.promised_term_days = term_days(text)
            letter.promised_date = due_by(text, letter_date)
        index = builder.letter(letter)
        letters.append((index, segment, letter))
    _inherit_dossier([letter for _, _, letter in letters])
    _questions_and_answers(letters, assembly, builder)
    assembly.emit()
    _check(letters, builder)


def _inherit_dossier(letters: list[ParsedLetter]) -> None:
    """Letters of one bundle belong to one dossier; a letter citing none takes the bundle's."""
    cited = next((letter.dossier for letter in letters if letter.dossier), [])
    for letter in letters:
        if not letter.dossier and letter.kind != "other":
            letter.dossier = list(cited)


def _questions_and_answers(
    letters: list[tuple[int, Segment, ParsedLetter]], assembly: Assembly, builder: Builder
) -> None:
    last_questions: int | None = None
    for index, segment, letter in letters:
        if letter.kind == "questions":
            found = paragraphs(segment.lines, is_stream_heading)
            default_party = letter.parties[0] if len(letter.parties) == 1 else ""
            assembly.add_questions(index, question_units(found, default_party))
            last_questions = index
        elif letter.kind == "answer":
            found = paragraphs(segment.lines, is_stream_heading)
            stream = qa_stream(found)
            if not stream.answers and last_questions is not None:
                stream = repeated_stream(found, assembly.questions.get(last_questions, []))
            if last_questions is not None:
                assembly.answer_original(index, stream, last_questions)
            else:
                assembly.answer_alone(index, stream)
            if not stream.answers:
                builder.warn("answers_missing", **builder.describe(letter=index))


def _check(letters: list[tuple[int, Segment, ParsedLetter]], builder: Builder) -> None:
    questions = [(i, letter) for i, _, letter in letters if letter.kind == "questions"]
    for index, _, letter in letters:
        if letter.date is None and letter.kind not in ("cover",):
            builder.warn("letter_undated", **builder.describe(letter=index))
        if letter.kind in ("postponement", "answer", "mededeling") and letter.cites_date and questions:
            earlier = [(i, q) for i, q in questions if i < index] or questions
            _, original = earlier[-1]
            if original.date and original.date != letter.cites_date:
                builder.warn(
                    "cited_date_differs",
                    **builder.describe(letter=index),
                    cited_date=letter.cites_date.isoformat(),
                    actual_date=original.date.isoformat(),
                )
            elif original.date == letter.cites_date and letter.reference and not original.reference:
                original.reference = letter.reference  # the kenmerk the answering side quotes
    covers = [letter for _, segment, letter in letters if segment.preamble and letter.kind == "cover"]
    if covers:
        _, _, listing = covers[0].text.partition("bestaat uit")
        listed = [value for _, value in find_dates(listing)]
        found = {letter.date for _, _, letter in letters if letter.date}
        for value in listed:
            if value not in found and len(listed) >= 2:
                builder.warn("listed_letter_missing", date=value.isoformat())


__all__ = ["parse", "parse_date", "split_letters"]
