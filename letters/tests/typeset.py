"""Re-typesets a plain-text letter into PDFs of clearly different layouts, for the layout tests.

The text is read the way the parser reads it (`text_pages`, `build_document`, `paragraphs`), so
a paragraph is what the parser would call one; its lines are joined again (`join_lines`) and
set anew in another font, size and measure. Short lines inside a paragraph (a heading, an
address, a signature) stay line breaks, as they would in any typesetting. Footnote markers
glued to a word in the text ("Zaken1") become raised numbers and the footnote bodies go to the
foot of the page where they are cited, or to the end of the letter. Form feeds start a new page.

Only reportlab's built-in Type1 fonts are used, so no font files are needed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from letters.parser import ParseResult, numbered_lines
from letters.parser.answers import is_stream_heading
from letters.parser.extract import text_pages
from letters.parser.formats import bill_round
from letters.parser.text import (
    _ends_sentence,
    _typical_length,
    build_document,
    doubled_blank_lines,
    join_lines,
    paragraphs,
)

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0


@dataclass(frozen=True)
class Layout:
    name: str
    family: str  # "Times" or "Helvetica"
    size: float
    leading: float
    left: float
    width: float  # the body's measure
    justify: bool
    indent: float = 0.0  # first-line indent of every paragraph but a letter's first
    spacing: float = 0.0  # extra space between paragraphs
    endnotes: bool = False  # notes after each letter instead of at the foot of the page
    letterhead: bool = False  # a ministry's right-hand column beside the body on every page
    top: float = 90.0
    bottom: float = 80.0
    columns: int = 1  # the body flows column by column; a letter's head and its headings span them
    gutter: float = 0.0  # between two columns

    @property
    def measure(self) -> float:
        """One column's width."""
        return (self.width - self.gutter * (self.columns - 1)) / self.columns

    def font(self, *, bold: bool = False) -> str:
        if self.family == "Times":
            return "Times-Bold" if bold else "Times-Roman"
        if self.family == "Courier":
            return "Courier-Bold" if bold else "Courier"
        return "Helvetica-Bold" if bold else "Helvetica"


LAYOUTS = (
    # serif, justified, first-line indents, footnotes at the foot of the page
    Layout("serif-footnotes", "Times", 10.5, 13.0, 72, 451, justify=True, indent=18),
    # sans-serif, ragged right, a narrower measure, paragraph spacing, endnotes per letter
    Layout("sans-endnotes", "Helvetica", 9.0, 12.5, 90, 330, justify=False, spacing=7, endnotes=True),
    # a ministry letter: the body beside a right-hand column with Datum, Kenmerk, Pagina N van M
    Layout(
        "ministry-letterhead", "Helvetica", 10.0, 14.0, 70, 320, justify=False, spacing=14, letterhead=True
    ),
    # a monospaced type in two justified columns, footnotes at the foot of each column, as the
    # Handelingen are set; the letter's head and its headings span both columns
    Layout(
        "two-columns",
        "Courier",
        8.0,
        10.0,
        50,
        495,
        justify=True,
        indent=12,
        spacing=4,
        columns=2,
        gutter=22,
        top=70,
    ),
)

# Ministry letters print these fields in the right-hand column, not in the body.
_MARGIN_FIELD = re.compile(r"(?:Datum|Betreft|Ons kenmerk|Uw kenmerk|Kenmerk|Uw brief)\s")
# A footnote marker glued to the word before it: "Zaken1", "besproken.2", "hoog.”26".
_GLUED_MARKER = re.compile(r"(?P<word>.*[^\W\d_][.,;:!?)”’\"]{0,2})(?P<number>\d{1,3})")
_NOTE_NUMBER = re.compile(r"\[?(?P<number>\d{1,3})\]? ?(?P<text>.*)", re.DOTALL)  # "1 ...", "[1] ..."


@dataclass
class Word:
    text: str
    marker: str = ""  # the raised footnote number after the word
    notes: list[int] = field(default_factory=list)  # the section's notes cited here


@dataclass
class Block:
    lines: list[list[Word]]  # hard lines: each is set as one or more wrapped lines
    bold: bool = False


@dataclass
class Section:
    """What a form feed separates: one letter, set from a new page."""

    blocks: list[Block]
    notes: list[tuple[str, str]]  # (number, text)
    margin: list[str]  # ministry fields moved to the right-hand column
    furniture: list[str]


def _winansi(text: str) -> str:
    """The Type1 fonts only have WinAnsi glyphs."""
    return "".join(ch if ch.encode("cp1252", "ignore") else "?" for ch in text)


def read_sections(text: str, *, letterhead: bool = False) -> list[Section]:
    sections = []
    pages = text_pages(text)
    # as the parser decides it, once for the whole text: item numbers on lines of their own are text
    keep = numbered_lines(build_document(pages))
    for page in pages:
        document = build_document([page], keep=keep)
        # a Kamerstuk's running footer, left in the text where a page ended, is the page's furniture
        kamerstuk = keep is bill_round.keep_line
        lines = [line for line in document.lines if not (kamerstuk and bill_round.is_footer(line.text))]
        document.furniture += [line.text for line in document.lines if line not in lines]
        margin = []
        typical = _typical_length(lines)
        if letterhead and not sections:
            # only the letter head's fields: a bundle's later letters keep theirs in the body
            head = next((index for index, line in enumerate(lines) if len(line.text) >= 0.8 * typical), 0)
            margin = [line.text for line in lines[:head] if _MARGIN_FIELD.match(line.text)]
            lines = [line for line in lines if line.text not in margin]
            typical = _typical_length(lines)
        measure = max((len(line.text) for line in lines), default=0)
        # one-line paragraphs have blanks after nearly every line too, but never inside a sentence
        doubled = doubled_blank_lines(lines) and any(
            line.blank_before and line.text[:1].islower() for line in lines
        )
        blocks: list[Block] = []
        for paragraph in paragraphs(lines, is_stream_heading):
            hard: list[str] = []
            for index, line in enumerate(paragraph.lines):
                # a blank line inside a sentence (a page's doubled lines) is no break
                if index and line.blank_before and not doubled and not line.text[:1].islower():
                    blocks.append(_block(hard))
                    hard = []
                hard.append(line.text)
                following = paragraph.lines[index + 1].text if index + 1 < len(paragraph.lines) else ""
                if _ends_hard(line.text, following, typical, measure):
                    hard.append("")
            blocks.append(_block(hard))
        notes = []
        for note in document.footnotes:
            match = _NOTE_NUMBER.fullmatch(note)
            notes.append((match["number"], _winansi(match["text"])) if match else ("", _winansi(note)))
        _place_notes(blocks, notes)
        kept = [item for item in document.furniture if not item.isdigit() and not item.startswith("http")]
        sections.append(Section(blocks, notes, margin, list(dict.fromkeys(kept))))
    return sections


def _ends_hard(text: str, following: str, typical: int, measure: int) -> bool:
    """A line break the text means, kept in every layout: after a short line (as the parser reads
    one), a heading in capitals, or a line inside a sentence that the next line's first word would
    still have fitted ("Betreft ..." above "Ons kenmerk ...")."""
    if len(text) < 0.8 * typical or _in_capitals(text):
        return True
    fits = len(text) + 1 + len(following.split(" ", 1)[0]) < 0.9 * measure
    return bool(following) and fits and not _ends_sentence(text)


def _in_capitals(text: str) -> bool:
    """A heading in capitals ("D NADER VOORLOPIG VERSLAG ...") is a line of its own in any layout."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 3 and all(ch.isupper() for ch in letters)


def _block(texts: list[str]) -> Block:
    """A paragraph from its source lines, `""` ending a hard line (after a short line)."""
    hard_lines: list[list[str]] = [[]]
    for text in texts:
        if text:
            hard_lines[-1].append(text)
        elif hard_lines[-1]:
            hard_lines.append([])
    lines = [[Word(word) for word in _winansi(join_lines(group)).split()] for group in hard_lines if group]
    return Block(lines, bold=_in_capitals(" ".join(word.text for line in lines for word in line)))


def _place_notes(blocks: list[Block], notes: list[tuple[str, str]]) -> None:
    """Turns the glued marker of each note into a raised one; a note without one is cited at the end."""
    words = [word for block in blocks for line in block.lines for word in line]
    position = 0
    for index, (number, _) in enumerate(notes):
        for at in range(position, len(words)):
            match = _GLUED_MARKER.fullmatch(words[at].text)
            if number and match and match["number"] == number:
                words[at].text, words[at].marker = match["word"], number
                words[at].notes.append(index)
                position = at + 1
                break
        else:
            if words:
                words[-1].notes.append(index)


# --- setting lines and pages -----------------------------------------------------------------


@dataclass
class _Set:
    """A line ready to draw: words with their x positions."""

    words: list[tuple[float, Word]]
    font: str
    size: float
    notes: list[int] = field(default_factory=list)
    space_before: float = 0.0
    keep_with_next: bool = False  # a paragraph's label line ("3", "Vraag 3") never ends a page
    offset: float = 0.0  # from the layout's left edge: the column it is set in


class _Typesetter:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.note_size = round(layout.size * 0.8, 1)

    def width(self, word: Word, font: str, size: float) -> float:
        width = stringWidth(word.text, font, size)
        return width + (stringWidth(word.marker, font, size * 0.6) if word.marker else 0.0)

    def wrap(
        self, words: list[Word], font: str, size: float, measure: float, indent: float, justify: bool
    ) -> list[list[tuple[float, Word]]]:
        space = stringWidth(" ", font, size)
        rows: list[list[Word]] = [[]]
        used = indent
        for word in words:
            width = self.width(word, font, size)
            if rows[-1] and used + space + width > measure:
                rows.append([])
                used = 0.0
            used += (space if rows[-1] else 0.0) + width
            rows[-1].append(word)
        placed = []
        for number, row in enumerate(rows):
            start = indent if number == 0 else 0.0
            natural = sum(self.width(word, font, size) for word in row) + space * (len(row) - 1)
            gap = space
            if justify and number < len(rows) - 1 and len(row) > 1:
                gap = space + (measure - start - natural) / (len(row) - 1)
            x, line = start, []
            for word in row:
                line.append((x, word))
                x += self.width(word, font, size) + gap
            placed.append(line)
        return placed

    def block_lines(self, block: Block, first: bool, *, span: bool = True) -> list[_Set]:
        layout = self.layout
        font = layout.font(bold=block.bold)
        measure = layout.width if span else layout.measure
        # a heading across columns stands out in larger type, as it must to be seen spanning them,
        # and ragged, as headings are set
        heading = span and block.bold and layout.columns > 1
        size = round(layout.size * 1.25, 1) if heading else layout.size
        result: list[_Set] = []
        for number, hard in enumerate(block.lines):
            indent = layout.indent if number == 0 and not first else 0.0
            rows = self.wrap(hard, font, size, measure, indent, layout.justify and not heading)
            for row in rows:
                notes = [note for _, word in row for note in word.notes]
                result.append(_Set(row, font, size, notes))
            # as any typesetter keeps a label or heading with the text after it: never alone at a foot
            label = len(rows) == 1 and not _ends_sentence(" ".join(word.text for word in hard))
            result[-1].keep_with_next = label
        if result and not first:
            result[0].space_before = layout.spacing
        return result

    def note_lines(self, number: str, text: str, *, raised: bool) -> list[_Set]:
        font, size = self.layout.font(), self.note_size
        words = [Word(word) for word in text.split()]
        lead = Word("", marker=number) if raised and number else Word(number)
        rows = self.wrap([lead, *words] if number else words, font, size, self.layout.measure, 0.0, False)
        return [_Set(row, font, size) for row in rows]


@dataclass
class _Page:
    body: list[tuple[float, _Set]] = field(default_factory=list)  # (baseline y, line)
    notes: list[_Set] = field(default_factory=list)
    margin: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)


def typeset(text: str, layout: Layout) -> bytes:
    """The plain-text document as a PDF in `layout`."""
    setter = _Typesetter(layout)
    pages: list[_Page] = []
    note_leading = setter.note_size * 1.25
    for section in read_sections(text, letterhead=layout.letterhead):
        if layout.columns > 1:
            pages += _Columns(setter, section, note_leading).pages()
            continue
        page = _Page(margin=list(section.margin), furniture=section.furniture)
        pages.append(page)
        y = PAGE_HEIGHT - layout.top
        notes_height = 0.0
        lines = [
            line
            for index, block in enumerate(section.blocks)
            for line in setter.block_lines(block, index == 0)
        ]
        if layout.endnotes and section.notes:
            endnotes = [line for note in section.notes for line in setter.note_lines(*note, raised=False)]
            endnotes[0].space_before = 2 * layout.leading
            lines += endnotes
        for index, line in enumerate(lines):
            leading = layout.leading if line.size == layout.size else note_leading
            cited = [] if layout.endnotes else line.notes
            cited_lines = [
                note_line
                for note in cited
                for note_line in setter.note_lines(*section.notes[note], raised=True)
            ]
            needed = len(cited_lines) * note_leading
            before = line.space_before if page.body else 0.0
            floor = layout.bottom + notes_height + needed + (8 if notes_height or needed else 0)
            following = lines[index + 1] if index + 1 < len(lines) else None
            kept = following.space_before + leading if line.keep_with_next and following else 0.0
            if y - before - leading - kept < floor and page.body:
                page = _Page(furniture=section.furniture)
                pages.append(page)
                y, notes_height, before = PAGE_HEIGHT - layout.top, 0.0, 0.0
                floor = layout.bottom + needed + (8 if needed else 0)
            y -= before + leading
            page.body.append((y, line))
            page.notes += cited_lines
            notes_height += needed
    return _draw(pages, layout, note_leading)


class _Columns:
    """One section set in columns: the letter's head (its opening lines, each fitting the full
    width) and its headings span the columns; the text between them flows down one column and on
    into the next, the last columns of a band balanced, each line's notes at its column's foot."""

    def __init__(self, setter: _Typesetter, section: Section, note_leading: float) -> None:
        self.setter, self.section, self.note_leading = setter, section, note_leading
        self.layout = setter.layout
        self.result: list[_Page] = []
        self.new_page()

    def new_page(self) -> None:
        self.page = _Page(margin=list(self.section.margin), furniture=self.section.furniture)
        self.result.append(self.page)
        self.y = PAGE_HEIGHT - self.layout.top
        self.notes_height = [0.0] * self.layout.columns

    def pages(self) -> list[_Page]:
        band: list[_Set] = []
        head = True
        for index, block in enumerate(self.section.blocks):
            head = head and (block.bold or all(self.fits(line) for line in block.lines))
            if head or block.bold:
                self.band(band)
                band = []
                self.span(self.setter.block_lines(block, index == 0), heading=block.bold and not head)
            else:
                band += self.setter.block_lines(block, index == 0, span=False)
        self.band(band)
        return self.result

    def fits(self, line: list[Word]) -> bool:
        """The hard line fits on one line of the full width."""
        return len(self.setter.block_lines(Block([line]), True)) == 1

    def cited(self, line: _Set, offset: float) -> list[_Set]:
        notes = [
            note_line
            for note in line.notes
            for note_line in self.setter.note_lines(*self.section.notes[note], raised=True)
        ]
        for note_line in notes:
            note_line.offset = offset
        return notes

    def floor(self, column: int, needed: float) -> float:
        height = self.notes_height[column] + needed
        return self.layout.bottom + height + (8 if height else 0)

    def span(self, lines: list[_Set], *, heading: bool) -> None:
        layout = self.layout
        space = layout.leading if heading else 0.0
        for number, line in enumerate(lines):
            leading = layout.leading * line.size / layout.size
            before = (space if number == 0 else 0.0) + (line.space_before if self.page.body else 0.0)
            notes = self.cited(line, 0.0)
            needed = len(notes) * self.note_leading
            floor = max(self.floor(column, 0.0 if column else needed) for column in range(layout.columns))
            if self.y - before - leading - space < floor and self.page.body:
                self.new_page()
                before = 0.0
            self.y -= before + leading
            self.page.body.append((self.y, line))
            self.page.notes += notes
            self.notes_height[0] += needed
        self.y -= space

    def fill(self, lines: list[_Set], column: int) -> tuple[int, float]:
        """How many of `lines` fit in the column from the band's top, and the y below them."""
        y, needed = self.y, 0.0
        for count, line in enumerate(lines):
            before = line.space_before if count else 0.0
            needed += len(self.cited(line, 0.0)) * self.note_leading
            if y - before - self.layout.leading < self.floor(column, needed):
                return count, y
            y -= before + self.layout.leading
        return len(lines), y

    def band(self, lines: list[_Set]) -> None:
        layout = self.layout
        while lines:
            counts, position = [], 0
            for column in range(layout.columns):
                count, _ = self.fill(lines[position:], column)
                counts.append(count)
                position += count
            if position >= len(lines) and layout.columns == 2:
                counts = self.balanced(lines)
            if not any(counts) and self.page.body:
                self.new_page()
                continue
            counts[0] = counts[0] or 1  # a line taller than the page still goes somewhere
            position, lowest = 0, self.y
            for column, count in enumerate(counts):
                offset = column * (layout.measure + layout.gutter)
                y = self.y
                for number, line in enumerate(lines[position : position + count]):
                    y -= (line.space_before if number else 0.0) + layout.leading
                    line.offset = offset
                    self.page.body.append((y, line))
                    notes = self.cited(line, offset)
                    self.page.notes += notes
                    self.notes_height[column] += len(notes) * self.note_leading
                lowest = min(lowest, y)
                position += count
            lines = lines[position:]
            if lines:
                self.new_page()
            else:
                self.y = lowest - layout.leading / 2

    def balanced(self, lines: list[_Set]) -> list[int]:
        """The split of a band's last lines over two columns that ends them nearest each other."""
        best: tuple[float, int] | None = None
        for split in range(len(lines), -1, -1):
            left, left_y = self.fill(lines[:split], 0)
            right, right_y = self.fill(lines[split:], 1)
            if left == split and right == len(lines) - split:
                depth = min(left_y, right_y)
                if best is None or depth > best[0]:
                    best = (depth, split)
        split = len(lines) if best is None else best[1]
        return [split, len(lines) - split]


def _draw(pages: list[_Page], layout: Layout, note_leading: float) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    small = "Helvetica"
    for number, page in enumerate(pages, start=1):
        for row, item in enumerate(page.furniture[:3]):
            canvas.setFont(small, 7)
            canvas.drawString(layout.left, PAGE_HEIGHT - 30 - 9 * row, item)
        for y, line in page.body:
            _draw_line(canvas, line, layout.left, y)
        for offset in dict.fromkeys(line.offset for line in page.notes):
            column = [line for line in page.notes if line.offset == offset]
            y = layout.bottom + len(column) * note_leading
            for line in column:
                _draw_line(canvas, line, layout.left, y)
                y -= note_leading
        if layout.letterhead:
            column = [*page.margin, f"Pagina {number} van {len(pages)}"]
            if number == 1:
                column = ["Bezoekadres", "Turfmarkt 147", "2511 DP Den Haag", "", *column]
            y = PAGE_HEIGHT - layout.top - 10
            for item in column:
                for row in _TypesetterMargin.wrap(item):
                    canvas.setFont(small, 7.5)
                    canvas.drawString(430, y, row)
                    y -= 10
        else:
            folio = f"- {number} -" if layout.endnotes else str(number)
            canvas.setFont(small, 8)
            canvas.drawCentredString(PAGE_WIDTH / 2, 40, folio)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


class _TypesetterMargin:
    """The right-hand column: 7.5 pt Helvetica, 140 pt wide."""

    @staticmethod
    def wrap(text: str) -> list[str]:
        rows = [""]
        for word in text.split():
            candidate = f"{rows[-1]} {word}".strip()
            if rows[-1] and stringWidth(candidate, "Helvetica", 7.5) > 140:
                rows.append(word)
            else:
                rows[-1] = candidate
        return rows


def _draw_line(canvas: Canvas, line: _Set, left: float, y: float) -> None:
    left += line.offset
    for x, word in line.words:
        canvas.setFont(line.font, line.size)
        canvas.drawString(left + x, y, word.text)
        if word.marker:
            canvas.setFont(line.font, line.size * 0.6)
            canvas.drawString(
                left + x + stringWidth(word.text, line.font, line.size), y + line.size * 0.4, word.marker
            )


# --- what must not depend on the layout ----------------------------------------------------

# the letter fields compared, one line of names rather than a column of strings
_FIELD_NAMES = (
    "kind date reference dossier committee chamber sender recipient subject cites_date term_days "
    "parties document_number aanhangsel_number promised_date promised_term_days bill_round"
)
LETTER_FIELDS = tuple(_FIELD_NAMES.split())

# A footnote marker glued to the word before it ("rapport3", "gegroeid.1"): plain text can only
# write it so, while a PDF raises it and the extraction leaves it out of the text.
GLUED_MARKER = re.compile(r"(?<=[^\W\d_])([.,;:!?)”’\"]{0,2})\d{1,3}\b")


def projection(result: ParseResult) -> dict:
    """What must not depend on the layout: letters, units and pairs, texts with whitespace evened out,
    glued footnote markers left out and a character the Type1 fonts cannot set as the "?" the PDF
    has (`_winansi`), on both sides, so nothing else is forgiven."""
    data = result.to_dict()

    def even(text: str) -> str:
        return " ".join(GLUED_MARKER.sub(r"\1", _winansi(text)).split())

    return {
        "letters": [{name: letter[name] for name in LETTER_FIELDS} for letter in data["letters"]],
        "questions": [
            (q["letter"], q["label"], q["party"], q["member"], even(q["text"])) for q in data["questions"]
        ],
        "answers": [
            (a["letter"], a["label"], a["covers"], a["refers_to"], even(a["text"])) for a in data["answers"]
        ],
    }
