"""Written rounds on bills: the committee's verslag and the government's reply, each a Kamerstuk.

Tweede Kamer: VERSLAG -> NOTA NAAR AANLEIDING VAN HET VERSLAG, NADER VERSLAG -> NOTA NAAR
AANLEIDING VAN HET NADER VERSLAG. Eerste Kamer: VOORLOPIG VERSLAG -> MEMORIE VAN ANTWOORD,
NADER VOORLOPIG VERSLAG -> NADERE MEMORIE VAN ANTWOORD, and the EINDVERSLAG that closes the round.
A (VERSLAG HOUDENDE EEN) LIJST VAN VRAGEN EN ANTWOORDEN, the committee's numbered questions on a
budget or bill printed with the government's answers, is read as a reply.
Every part opens with the Kamerstuk's header:

    Tweede Kamer der Staten-Generaal              (or only in the running footer)
    Vergaderjaar 2023–2024
    36 450 <title of the bill, over one or more lines>
    Nr. 6 NOTA NAAR AANLEIDING VAN HET VERSLAG    (Eerste Kamer: "C MEMORIE VAN ANTWOORD"; the kind
    Ontvangen 27 maart 2024                        may stand on a line of its own; "Vastgesteld ...")

A verslag is organised by section headings ("I. Algemeen deel", "1. Inleiding") with paragraphs
per fraction ("De leden van de VVD-fractie lezen dat ... Deze leden vragen ..."): every asking
paragraph is a question of the fraction that speaks in it. A reply repeats the committee's text
and answers it: an item number on a line of its own ("24", "5, 6 en 7") or "Vraag 36", the
repeated paragraph(s), "Antwoord" on a line of its own and the answer. A section heading between
items belongs to neither; repeated paragraphs the government did not number are context; a
committee paragraph followed by "Antwoord" is an item whose number is missing in print. A reply
without any number or "Antwoord" is read by its paragraphs: the committee's ask, the
government's that follow answer. In a PDF that sets one of the two apart by its typography
(italics or a block indent, `_committee_style`) that tells them apart; otherwise the committee's
are the ones starting with the fraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import metadata
from ..answers import Stream, _split_combined, is_sign_off
from ..assemble import Assembly
from ..builder import Builder
from ..dates import parse_date
from ..labels import Marker, label_numbers, parse_marker, spaced
from ..result import ParsedLetter
from ..text import MAX_LINE, Document, Line, Paragraph, join_lines, paragraphs
from ..units import AnswerUnit, Unit, asks

HEADER_LINES = 25
MAX_ITEM_STEP = 25  # items whose numbers are missing in print between two printed ones, at most
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-ZÀ-Ý])")

# "Nr. 6", or the Eerste Kamer's letter "C", before the kind or on the line above it
_PART = r"(?:[Nn]r\.\s?(?P<nr>\d{1,4})|(?P<letter>[A-Z]{1,2}))"
_PHRASE = (
    r"(?P<phrase>NOTA\sNAAR\sAANLEIDING\sVAN\sHET\s(?:(?:TWEEDE|DERDE|VIERDE)\s)?(?:NADER\s)?VERSLAG"
    r"|(?:(?:TWEEDE|DERDE|VIERDE)\s)?(?:NADERE\s)?MEMORIE\sVAN\sANTWOORD"
    r"|(?:VERSLAG\sHOUDENDE\sEEN\s)?LIJST\sVAN\s(?:FEITELIJKE\s)?VRAGEN\sEN\sANTWOORDEN"
    r"|VERSLAG\sVAN\sEEN\s(?:NADER\s)?SCHRIFTELIJK\sOVERLEG"
    r"|(?:(?:TWEEDE|DERDE|VIERDE)\s)?(?:NADER\s)?(?:VOORLOPIG\s)?VERSLAG|EINDVERSLAG)"
)
# "... VAN DE VASTE COMMISSIE VOOR ..." may follow
_KIND_LINE = re.compile(
    rf"(?:{_PART}\s{{1,3}})?{_PHRASE}(?P<rest>\sVAN\sDE\s(?:VASTE\s|BIJZONDERE\s)?COMMISSIE\b.{{0,200}})?"
)
_PART_LINE = re.compile(_PART)
# a footnote marker may stick to its last word in plain text: "... EN VEILIGHEID1"
_UPPER_CONTINUATION = re.compile(r"[A-ZËÏÖÜÉ ,/&'’-]{2,200}?\d{0,2}")
_VERGADERJAAR = re.compile(r"Vergaderjaar\s\d{4}\s?[–-]\s?\d{4}\b.{0,80}")
# a budget's chapter follows its number: "36 600-VIII", or in print "36 600 VIII Vaststelling ..."
_DOSSIER_LINE = re.compile(
    r"(?P<number>\d{2}\s?\d{3})(?:-(?P<chapter>[A-Z0-9]{1,8})|\s(?P<printed>[IVXLC]{1,7}|[A-Z])(?=\s[A-Z]|$))?"
    r"(?:\s{1,3}(?P<title>\S.{0,600}))?"
)
_DATE_LINE = re.compile(r"(?P<word>Ontvangen|Vastgesteld)\s{1,3}(?P<date>.{6,40})")
_COMMITTEE = re.compile(r"(?P<vaste>VASTE\s|BIJZONDERE\s)?COMMISSIE\sVOOR\s(?P<name>.+)")
_CHAMBER_LINE = re.compile(r"(?P<chamber>Tweede|Eerste)\sKamer\sder\sStaten-Generaal\b")
# the running footer "Tweede Kamer, vergaderjaar 2023–2024, 36 450, nr. 6 2" and the id "kst-36450-6"
_FOOTER = re.compile(
    r"(?P<chamber>Tweede|Eerste)\sKamer,\svergaderjaar\s\d{4}\s?[–-]\s?\d{4},\s\d{2}\s?\d{3}(?:-[A-Z0-9]{1,8})?,"
    r"\s(?:nr\.\s?\d{1,4}|[A-Z]{1,2})(?:\s\d{1,4})?"
)
_KST = re.compile(r"kst-\d{5,6}(?:-[A-Z0-9]{1,8})?-[A-Za-z0-9]{1,6}")
_CONTENTS = re.compile(r"Inhoudsopgave(?:\s{1,3}blz\.?)?", re.IGNORECASE)
_CONTENTS_ENTRY = re.compile(r".{2,200}?\s\d{1,3}|blz\.?")

# An item's number on a line of its own: "24", "5, 6 en 7", "8 t/m 10".
ITEM_NUMBER = re.compile(r"\d{1,4}(?:\s?(?:,|en|t/m|tot\sen\smet|[-–])\s?\d{1,4}){0,20}")
# "I. Algemeen deel", "1. Inleiding", "2.3 Financiële gevolgen", "Artikel 2.1a", "ARTIKELSGEWIJS"
# A number needs its dot ("12 Gemeenten ..." may be a wrapped line); a heading ends without a stop.
_SECTION = re.compile(
    r"(?:(?:[IVX]{1,6}\.|\d{1,2}\.(?:\d{1,2}\.?){0,3}|[A-Z]\.)\s{1,3}[A-ZÀ-Ý][^.?!:;]{1,150}"
    r"|Artikel(?:en)?\s(?:[IVXLC]{1,6}|\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?){0,3})"
    r"(?:,\s(?:onderdeel|onderdelen|lid)\s[\w ]{1,20})?(?:\s(?:en|t/m)\s\S{1,10})?"
    r"|[A-Z][A-Z ]{4,60})"
)
_SECTION_NUMBER = re.compile(r"(?P<number>[IVX]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")
# Kamerstukken that print the committee's questions with the government's answers: no round of a
# bill, an answer letter that answers its own questions (as a Bijvoegsel does)
_SELF_CONTAINED = ("VRAGEN EN ANTWOORDEN", "SCHRIFTELIJK OVERLEG")
# A written consultation's second part, the government's reply: "II. Reactie van de Minister",
# "II Antwoord / Reactie van de staatssecretaris", "2. Beantwoording"
_REPLY_SECTION = re.compile(
    r"(?:II|2)\.?\s{1,3}(?:Antwoord|Reactie|Beantwoording)\b[^.?!]{0,150}", re.IGNORECASE
)
# whom such a Kamerstuk's questions were put to, who answers them: "... heeft een aantal vragen
# voorgelegd aan de Minister van Onderwijs, Cultuur en Wetenschap over ..."
_PUT_TO = re.compile(
    r"\bvoorgelegd\saan\sde\s(?P<who>(?:[Mm]inister|[Ss]taatssecretaris)\s(?:van|voor)\s[^.()]{3,150}?)"
    r"(?=\s(?:over|inzake|betreffende|naar\saanleiding)\b|[.(])"
    # "... de navolgende vragen ter beantwoording aan de regering voorgelegd"
    r"|\baan\sde\s(?P<government>regering)\svoorgelegd\b"
)


@dataclass
class Header:
    kind: str  # "verslag" | "nota" | "eindverslag" | "answer" (questions printed with their answers)
    round: int | None
    chamber: str
    dossier: str  # "36450, nr. 6" / "36123, C"
    title: str
    date: date | None
    committee: str
    body: int  # index of the first body line
    consultation: bool = False  # a written consultation: the committee's questions, then the reply


def _kind(phrase: str) -> tuple[str, int | None]:
    if phrase == "EINDVERSLAG":
        return "eindverslag", None
    if phrase.endswith(_SELF_CONTAINED):
        return "answer", None
    kind = "nota" if phrase.startswith("NOTA") or "MEMORIE" in phrase else "verslag"
    if "NADER" not in phrase:
        return kind, 1
    for word, number in (("TWEEDE", 3), ("DERDE", 4), ("VIERDE", 5)):
        if word in phrase:
            return kind, number
    return kind, 2


def _chamber(head: list[str], lines: list[Line], furniture: list[str], phrase: str, part: str) -> str:
    """From the header's chamber line, else the running footer, else the Kamerstuk itself: only the
    Eerste Kamer has voorlopige verslagen and memories van antwoord and numbers its parts by letter."""
    for text in head:
        if found := _CHAMBER_LINE.search(text):
            return "EK" if found["chamber"] == "Eerste" else "TK"
    for text in [*furniture, *(line.text for line in lines[:2000])]:
        if len(text) < 200 and (found := _FOOTER.match(text)):
            return "EK" if found["chamber"] == "Eerste" else "TK"
    if "VOORLOPIG" in phrase or "MEMORIE" in phrase or phrase == "EINDVERSLAG":
        return "EK"
    return "TK" if part.startswith("nr.") or phrase.startswith("NOTA") else "EK"


def _committee_name(rest: str) -> str:
    """ "VAN DE VASTE COMMISSIE VOOR JUSTITIE EN VEILIGHEID" -> "vaste commissie voor Justitie en
    Veiligheid"."""
    match = _COMMITTEE.search(re.sub(r"\d{1,2}$", "", " ".join(rest.split())))
    if not match:
        return ""
    small = {"EN", "VAN", "VOOR", "DE", "HET"}
    name = " ".join(w.lower() if w in small else w.capitalize() for w in match["name"].split())
    return ((match["vaste"] or "").lower()) + "commissie voor " + name


def read_header(lines: list[Line], furniture: list[str]) -> Header | None:
    texts = [line.text[:MAX_LINE] for line in lines[:HEADER_LINES]]
    kind_at = next((i for i, text in enumerate(texts) if _KIND_LINE.fullmatch(text)), None)
    if kind_at is None:
        return None
    found = _KIND_LINE.fullmatch(texts[kind_at])
    assert found is not None
    part_match: re.Match[str] | None = found if (found["nr"] or found["letter"]) else None
    title_end = kind_at
    if part_match is None and kind_at > 0 and (above := _PART_LINE.fullmatch(texts[kind_at - 1])):
        part_match, title_end = above, kind_at - 1
    start = next((i + 1 for i, text in enumerate(texts[:kind_at]) if _VERGADERJAAR.match(text)), 0)
    dossier_at = next((i for i in range(start, title_end) if _DOSSIER_LINE.fullmatch(texts[i])), None)
    if dossier_at is None or part_match is None:
        return None
    dossier_line = _DOSSIER_LINE.fullmatch(texts[dossier_at])
    assert dossier_line is not None
    number = dossier_line["number"].replace(" ", "")
    if chapter := dossier_line["chapter"] or dossier_line["printed"]:
        number += "-" + chapter
    part = f"nr. {part_match['nr']}" if part_match["nr"] else part_match["letter"]
    title = join_lines([dossier_line["title"] or "", *texts[dossier_at + 1 : title_end]])
    rest = found["rest"] or ""
    body = kind_at + 1
    while (
        body < len(texts) and not _DATE_LINE.match(texts[body]) and _UPPER_CONTINUATION.fullmatch(texts[body])
    ):
        rest += " " + texts[body]
        body += 1
    when = None
    for at in range(body, min(body + 3, len(texts))):
        if dated := _DATE_LINE.match(texts[at]):
            when, body = parse_date(dated["date"]), at + 1
            break
    kind, number_of_round = _kind(" ".join(found["phrase"].split()))
    return Header(
        kind=kind,
        round=number_of_round,
        chamber=_chamber(texts[:kind_at], lines, furniture, found["phrase"], part),
        dossier=f"{number}, {part}",
        title=" ".join(title.split()),
        date=when,
        committee=_committee_name(rest),
        body=body,
        consultation="OVERLEG" in found["phrase"],
    )


def detect(document: Document) -> bool:
    """A round's Kamerstuk, a list of questions and answers, or a written consultation printed as
    the committee's questions and the government's reply; the Eerste Kamer prints its
    consultations as the letters exchanged, read as correspondence."""
    header = read_header(document.lines, document.furniture)
    if header is None:
        return False
    return not header.consultation or _reply_at(document.lines[header.body :]) is not None


def _reply_at(lines: list[Line]) -> int | None:
    """Where a written consultation's reply starts, if it has one: its section heading (the table
    of contents names it too, with a page number after it)."""
    at = None
    for index, line in enumerate(lines):
        if len(line.text) <= 160 and _REPLY_SECTION.fullmatch(line.text):
            at = index
    return at


def keep_line(text: str) -> bool:
    """For `build_document`: an item number on its own line is text here, not a page number."""
    return bool(ITEM_NUMBER.fullmatch(text))


def is_footer(text: str) -> bool:
    """A line of the running footer a Kamerstuk prints at each page's foot."""
    return len(text) < 200 and bool(_FOOTER.fullmatch(text) or _KST.fullmatch(text))


def _body_lines(lines: list[Line]) -> list[Line]:
    """The body without its running footer, table of contents and the page numbers `keep_line`
    kept (a bare number closing a page)."""
    kept: list[Line] = []
    in_contents = False
    for index, line in enumerate(lines):
        text = line.text
        if is_footer(text):
            continue
        if _CONTENTS.fullmatch(text):
            in_contents = True
            continue
        if in_contents:
            if _CONTENTS_ENTRY.fullmatch(text) and not text.endswith("."):
                continue
            in_contents = False
        following = lines[index + 1] if index + 1 < len(lines) else None
        if ITEM_NUMBER.fullmatch(text) and (following is None or following.page != line.page):
            continue
        kept.append(line)
    return kept


def _is_section(text: str) -> bool:
    return len(text) <= 160 and bool(_SECTION.fullmatch(text)) and not text.endswith(",")


def _section_number(heading: str) -> str:
    """The number a section heading gives its section ("2.3 Financiële gevolgen" -> "2.3"), which
    an answer may point to ("zoals hierboven aangegeven bij paragraaf 2"); "" when unnumbered."""
    found = _SECTION_NUMBER.match(heading)
    return found["number"] if found else ""


def line_kind(text: str) -> int:
    """For `paragraphs()`: 2 = a line of its own (item number, marker, heading), 1 = starts one."""
    if len(text) > MAX_LINE:
        return 0
    if ITEM_NUMBER.fullmatch(text) or _is_section(text) or metadata.heading_party(text):
        return 2
    marker = parse_marker(text)
    if marker is not None and marker.kind in ("question", "answer"):
        return 1 if marker.rest else 2
    if metadata.FRACTION_OPENING.match(text) or (is_sign_off(text) and text.rstrip().endswith(",")):
        return 1
    return 0


def _asking(text: str) -> bool:
    return asks(text)


def _unit(
    items: list[Paragraph],
    party: str,
    label: str | None = None,
    numbers: tuple[int, ...] = (),
    section: str = "",
) -> Unit:
    text = ""
    breaks: list[tuple[int, int]] = []
    for paragraph in items:
        shift = len(text) + 2 if text else 0
        breaks += paragraph.page_breaks(shift=shift)
        text = f"{text}\n\n{paragraph.text}" if text else paragraph.text
    return Unit(text, items[0].page, label, numbers, party=party, breaks=tuple(breaks), section=section)


# --- the committee's verslag -------------------------------------------------------------------


def verslag_questions(found: list[Paragraph]) -> tuple[list[Unit], list[str]]:
    """Each asking paragraph, with the fraction speaking in it; and every fraction that spoke."""
    units: list[Unit] = []
    spoke: list[str] = []
    party = section = ""
    for paragraph in found:
        text = paragraph.text
        if _is_section(text):
            party, section = "", _section_number(text)
            continue
        if is_sign_off(text) or metadata.signature([text]):
            continue
        named = metadata.speaking_fraction(text)
        if named:
            party = named
            spoke += [name for name in named.split(", ") if name not in spoke]
        if _asking(text):
            units.append(_unit([paragraph], party, section=section))
    return units, spoke


# --- the government's reply ----------------------------------------------------------------------


@dataclass
class _Reply:
    """The walk over a reply's paragraphs: the open item, the open answer, the context since."""

    stream: Stream = field(default_factory=Stream)
    party: str = ""
    item: Marker | None = None  # the open item's number ("24", "Vraag 36")
    repeated: list[Paragraph] = field(default_factory=list)  # the open item's committee text
    since: list[Paragraph] = field(default_factory=list)  # unnumbered text since the last item
    answer: list[str] = field(default_factory=list)  # the open answer's paragraphs
    section: str = ""  # the number of the section heading last passed

    def close_answer(self) -> None:
        if self.answer:
            self.stream.answers[-1].text = "\n\n".join(part for part in self.answer if part).strip()
        self.answer = []

    def close(self) -> None:
        """An item closed without "Antwoord": its committee text asks, what follows answers."""
        self.close_answer()
        if self.item is not None and self.repeated:
            cut = 1
            while cut < len(self.repeated) and (
                metadata.speaking_fraction(self.repeated[cut].text) or _asking(self.repeated[cut].text)
            ):
                cut += 1
            answer, self.repeated = self.repeated[cut:], self.repeated[:cut]
            self.open_answer(None, answer[0].page if answer else 0)
            self.answer = [p.text for p in answer]
            if not answer:  # asked, never answered: no empty answer
                self.stream.answers.pop()
                self.stream.asked.pop(len(self.stream.answers), None)
            self.close_answer()
        self.item, self.repeated, self.since = None, [], []

    def questions(self, repeated: list[Paragraph], marker: Marker | None) -> list[Unit]:
        party = (
            next((named for p in repeated if (named := metadata.speaking_fraction(p.text))), "") or self.party
        )
        label = marker.label if marker else None
        numbers = marker.numbers if marker else ()
        if len(numbers) > 1:
            context = Unit("", 1, label, numbers, party)
            parts = [p.text for p in repeated]
            if len(parts) < len(numbers):
                # paragraphs run together (a PDF has no blank lines): one question per sentence
                sentences = [s for p in parts for s in _SENTENCE_END.split(p)]
                parts = sentences if len(sentences) >= len(numbers) else parts
            units = _split_combined("\n\n".join(parts), repeated[0].page, numbers, context)
            for unit in units:
                unit.section = self.section
            return units
        return [_unit(repeated, party, label, numbers, self.section)]

    def open_answer(self, marker: Marker | None, page: int) -> None:
        """ "Antwoord": it answers the open item, or the committee text just before it (a number
        missing in print)."""
        self.close_answer()
        if self.item is not None:
            repeated, item = self.repeated, self.item
        else:
            starts = [i for i, p in enumerate(self.since) if metadata.speaking_fraction(p.text)]
            repeated = self.since[starts[-1] :] if starts else self.since[-1:]
            item = marker if marker and marker.numbers else None
        asked = self.questions(repeated, item) if repeated else []
        self.stream.questions.extend(asked)
        numbers = item.numbers if item else ()
        label = item.label if item else None
        self.stream.asked[len(self.stream.answers)] = asked
        self.stream.answers.append(AnswerUnit("", page, label, numbers, asked[0].party if asked else ""))
        self.item, self.repeated, self.since = None, [], []
        self.answer = [marker.rest] if marker and marker.rest else [""]


def _body(paragraph: Paragraph, marker: Marker) -> Paragraph:
    """The paragraph without its "Vraag 36" marker."""
    lines = paragraph.lines[1:]
    if marker.rest:
        first = paragraph.lines[0]
        lines = [Line(marker.rest, first.page, first.page_start, first.blank_before), *lines]
    text = join_lines(line.text for line in lines)
    return Paragraph(lines, text, [0] * len(lines))


def reply_stream(found: list[Paragraph]) -> Stream:
    marked = any(
        ITEM_NUMBER.fullmatch(p.text) or ((m := parse_marker(p.lines[0].text)) and m.kind == "answer")
        for p in found
    )
    if not marked:
        return _unmarked_stream(found)
    walk = _Reply()
    # Items are numbered upwards in small steps: a bare "12" below item 30, or "2023" after item 11,
    # is a table's cell or a year, not an item (the numbering may start again at 1).
    last = 0
    for paragraph in found:
        text = paragraph.text
        first = paragraph.lines[0].text
        marker = parse_marker(first)
        named = metadata.speaking_fraction(text)
        if named:
            walk.party = named
        if is_sign_off(text):
            walk.close()
            continue
        numbers = tuple(label_numbers(text)) if ITEM_NUMBER.fullmatch(text) else ()
        if numbers and (not last or last < numbers[0] <= last + MAX_ITEM_STEP or numbers[0] == 1):
            walk.close()
            walk.item = Marker("question", spaced(text), numbers, "")
            last = max(numbers)
        elif marker is not None and marker.kind == "question" and marker.numbers:
            walk.close()
            walk.item = Marker("question", marker.label, marker.numbers, "")
            last = max(marker.numbers)
            if marker.rest or len(paragraph.lines) > 1:
                walk.repeated.append(_body(paragraph, marker))
        elif marker is not None and marker.kind == "answer":
            walk.open_answer(marker, paragraph.page)
            if len(paragraph.lines) > 1:
                walk.answer.append(join_lines(line.text for line in paragraph.lines[1:]))
        elif _is_section(text):
            walk.close()
            walk.section = _section_number(text)
        elif walk.answer and not named:
            walk.answer.append(text)
        elif walk.item is not None:
            walk.repeated.append(paragraph)
        else:
            walk.close_answer()
            walk.since.append(paragraph)
    walk.close()
    _number_the_unnumbered(walk.stream)
    return walk.stream


def _number_the_unnumbered(stream: Stream) -> None:
    """An item whose number is missing in print between items 3 and 5 is item 4: other answers
    may point to it ("zie het antwoord op vraag 4"). Its label stays empty, as printed."""
    numbered = [answer.numbers for answer in stream.answers]
    for index, answer in enumerate(stream.answers):
        if answer.numbers or not 0 < index < len(numbered) - 1:
            continue
        before, after = numbered[index - 1], numbered[index + 1]
        if before and after and min(after) - max(before) == 2:
            number = (max(before) + 1,)
            answer.numbers = number
            for unit in stream.asked.get(index, []):
                unit.numbers = number


# a committee paragraph going on about the fraction the one before named
_CONTINUING = ("Deze leden", "Zij ", "Ook vragen")


def _committee_style(found: list[Paragraph]) -> bool | None:
    """How a reply's typography marks the committee's repeated text: True when it is the text set
    apart (italics, a block indent), False when the government's answers are set apart and the
    committee's text is plain, None when typography does not tell them apart.

    The committee speaks in fractions ("De leden van de VVD-fractie vragen ..."): a fraction's
    paragraph set apart sets the committee's text apart. With every fraction's paragraph plain, the
    answers are set apart unless the plain text goes on from a fraction's text to text that neither
    asks nor continues it and then, with nothing set apart between, to a fraction again: a question,
    its answer and the next question all plain, and what is set apart is only quoted.
    """
    if not any(paragraph.set_apart for paragraph in found):
        return None
    spoke = answered = False
    for paragraph in found:
        text = paragraph.text
        named = bool(metadata.speaking_fraction(text))
        if paragraph.set_apart:
            if named:
                return True
            answered = False
        elif named:
            if answered:
                return None
            spoke = True
        elif spoke and not (_is_section(text) or metadata.heading_party(text)):
            answered = answered or not (_asking(text) or text.startswith(_CONTINUING))
    return not spoke


def _unmarked_stream(found: list[Paragraph]) -> Stream:
    """A reply without numbers or "Antwoord": the committee's paragraphs are questions, the
    government's that follow are the answer. Where the reply sets one of the two apart by its
    typography (`_committee_style`), that is what tells them apart, and the committee's first
    paragraph names a fraction or asks (the government's introduction before it is neither);
    otherwise they are the ones opening with their fraction and the ones continuing them that ask."""
    stream = Stream()
    party = section = ""
    repeated: list[Paragraph] = []
    answer: list[Paragraph] = []
    style = _committee_style(found)
    styled = style is not None

    def flush() -> None:
        nonlocal repeated, answer
        # committee text that asks nothing ("... hebben kennisgenomen van het wetsvoorstel") is
        # context, and so is the government's thanks for it
        if repeated and answer and any(_asking(p.text) for p in repeated):
            asked = [_unit(repeated, party, section=section)]
            stream.questions.extend(asked)
            stream.asked[len(stream.answers)] = asked
            text = "\n\n".join(p.text for p in answer)
            stream.answers.append(AnswerUnit(text, answer[0].page, None, (), party))
        repeated, answer = [], []

    for paragraph in found:
        text = paragraph.text
        heading = metadata.heading_party(text)  # "Vragen en opmerkingen van de leden van de SP-fractie"
        opens_section = _is_section(text)
        if is_sign_off(text) or opens_section or heading:
            flush()
            party = heading or party
            section = _section_number(text) if opens_section else section
            continue
        named = metadata.speaking_fraction(text)
        # after an answer, "Deze leden vragen ..." asks the fraction's next question
        asks_again = bool(answer) and text.startswith(_CONTINUING) and _asking(text)
        if styled:
            opens = bool(repeated or stream.questions or named) or _asking(text)
            committee = paragraph.set_apart == style and opens
        else:
            committee = bool(named) or asks_again
        if committee and (answer or not styled):
            flush()
        if named and committee:
            party = named
        continues = not styled and bool(repeated) and not answer and text.startswith(_CONTINUING)
        if committee or continues:
            repeated.append(paragraph)
        elif repeated:
            answer.append(paragraph)
    flush()
    return stream


# --- the document --------------------------------------------------------------------------------


def parse(document: Document, builder: Builder) -> None:
    header = read_header(document.lines, document.furniture)
    assert header is not None, "parse() is called after detect()"
    head, body = document.lines[: header.body], _body_lines(document.lines[header.body :])
    found = paragraphs(body, line_kind)
    line_texts = [line.text for line in body]
    text = "\n".join(line_texts)
    letter = ParsedLetter(
        kind=header.kind,
        date=header.date,
        subject=header.title,
        dossier=[header.dossier],
        chamber=header.chamber,
        committee=header.committee or metadata.committee(text[:3000]),
        first_page=head[0].page if head else 1,
        last_page=document.lines[-1].page if document.lines else 1,
        text=text,
        bill_round=header.round,
    )
    chamber_name = {"EK": "Eerste Kamer der Staten-Generaal", "TK": "Tweede Kamer der Staten-Generaal"}
    assembly = Assembly(builder)
    if header.kind in ("nota", "answer"):
        put_to = _PUT_TO.search(text[:3000]) if header.kind == "answer" else None
        # a self-contained Kamerstuk is signed by the committee, but answered by whom it asked
        letter.sender = (
            " ".join((put_to["who"] or put_to["government"]).split())
            if put_to
            else metadata.signature(line_texts[-40:])
        )
        letter.recipient = chamber_name.get(header.chamber, "")
        reply = _reply_at(body)
        # a written consultation's reply repeats the questions its first part asked
        stream = reply_stream(paragraphs(body[reply + 1 :], line_kind) if reply is not None else found)
        letter.parties = list(
            dict.fromkeys(name for unit in stream.questions for name in unit.party.split(", ") if name)
        )
        builder.letter(letter)
        assembly.answer_alone(0, stream)
        if not stream.answers:
            builder.warn("answers_missing", **builder.describe(letter=0))
    else:
        letter.sender = letter.committee
        units, spoke = verslag_questions(found) if header.kind == "verslag" else ([], [])
        letter.parties = spoke
        builder.letter(letter)
        assembly.add_questions(0, units)
    assembly.emit()
    if letter.date is None:
        builder.warn("letter_undated", **builder.describe(letter=0))
