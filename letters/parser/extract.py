"""Text extraction for the letter parser: clean page text from PDFs and plain-text files.

Framework-free (no Django), so it can run in a worker, a management command or a
bare child process. The structure parser consumes `PageText`; this module only
removes layout noise and never interprets the letter.

PDF cleaning works on pdfplumber words with their font size, font name and position, one
`extract_words` call per page:

* running headers and footers (document number, ISSN, page numbers, "Pagina 2 van 5")
  move from `text` to `furniture`, because the parser reads the document number there;
* footnote markers are recognised as smaller, raised glyphs glued to a word, never by
  digits alone (so "2024" and "artikel 3" survive), and footnote bodies at the page foot
  move to `footnotes`; each line of `text` keeps its size and raised leading figure, so the
  parser can tell notes elsewhere (endnotes) by the body's size;
* the right-hand metadata column of ministry letters ("Kenmerk", "Datum", addresses)
  goes to `margin` instead of being woven into the body, and so does a committee's heading
  block set beside the addressee, with the label/value pairs under it ("Datum 14 juli 2025");
* pages set in two columns (the Handelingen) are read column by column, band by band, so
  titles and headings across both columns stay in their place and each column's footnotes
  leave its text; tables, label columns ("Vraag 1") and margins are not taken for columns;
* words hyphenated across lines are joined, real hyphens are kept;
* lines set apart by their typography, wholly in italics or indented as a block, are named in
  `set_apart` (the only thing that may tell a memorie van antwoord's repeated questions from its
  answers); the text itself is unchanged.

`extract_document` runs the extraction in a forked child process under a memory limit and
a wall-clock timeout, since uploaded PDFs are untrusted (deflate bombs, huge page trees).
POSIX only, like the `resource` module it needs.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import logging
import math
import os
import re
import resource
import selectors
import signal
import struct
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from .ocr import PACKAGES, Scanner
from .text import is_furniture, join_broken_words, join_broken_words_mapped

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TEXT_CHARS = 20_000_000
# Fewer non-blank characters per page than this means a scan without a text layer.
MIN_CHARS_PER_PAGE = 16

UNREADABLE_CODES = (
    "not_pdf",
    "encrypted",
    "damaged",
    "no_text",
    "too_many_pages",
    "too_large",
    "timeout",
    "out_of_memory",
    "interrupted",
    "ocr_unavailable",
)


@dataclass
class PageText:
    number: int  # 1-based page number
    text: str  # cleaned body text of the page
    footnotes: list[str]  # footnote bodies from the page foot, number first: "2 Kamerstukken I ..."
    margin: str = ""  # right-hand metadata column of ministry letters ("Kenmerk ...", "Datum ...")
    furniture: list[str] = field(default_factory=list)  # header/footer lines removed from `text`
    ocr: bool = False  # read from the page's image by text recognition (`ocr.py`), not a text layer
    ocr_confidence: float | None = None  # OCR's mean word confidence, 0-100; None: nothing legible
    ocr_missing: str = ""  # a page without a text layer that OCR could not read: the package it lacks
    # lines of `text` set apart by their typography (`_set_apart`): a memorie van antwoord may set
    # its repeated questions (or its answers) apart by nothing else
    set_apart: list[str] = field(default_factory=list)
    # The lines of `text` before which the layout shows a paragraph may end (`_paragraph_ends`), so
    # the parser trusts them instead of comparing line lengths in characters; None for plain text.
    breaks: list[int] | None = field(default=None, compare=False)
    # per line of `text`, the size most of its first row is set in: notes are told from the body by
    # their smaller type against the body's (`text.py`), wherever they sit on the page
    sizes: list[float] | None = field(default=None, compare=False)
    # per line of `text`, the raised figure opening its first row, left out of `text` ("" if none):
    # the number of a note that the page's foot did not hold
    leads: list[str] | None = field(default=None, compare=False)


class UnreadableDocument(Exception):
    """The document cannot be turned into text; `message` is meant for the clerk who uploaded it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self):
        return (type(self), (self.code, self.message))


def _unreadable(code: str, **details: object) -> UnreadableDocument:
    messages = {
        "not_pdf": "The file is not a PDF; upload the letter as a PDF or as a plain-text file.",
        "encrypted": "The file is encrypted; remove the password and upload it again.",
        "damaged": (
            "The PDF is damaged or incomplete and cannot be read; "
            "download or export it again and upload the new file."
        ),
        "no_text": (
            "The PDF contains no readable text, probably because it is a scan; "
            "upload a version with a text layer or run text recognition (OCR) on it first."
        ),
        "too_many_pages": (
            "The PDF has {pages} pages, more than the {max_pages} that can be imported; "
            "split it into smaller files and upload those."
        ),
        "too_large": (
            "The file is too large to import ({what}); split it into smaller files and upload those."
        ),
        "timeout": (
            "Reading the PDF took longer than {seconds:g} seconds and was stopped; "
            "the file may be malformed, so export it again or upload a plain-text version."
        ),
        "out_of_memory": (
            "Reading the PDF needed more than {megabytes} MB of memory and was stopped; "
            "the file may contain oversized or malformed content, so export it again."
        ),
        "interrupted": (
            "Reading the PDF was interrupted ({signal}) before it finished; upload the file again."
        ),
        "ocr_unavailable": (
            "The PDF is a scan without a text layer, and text recognition is not installed on the server "
            "(missing: {package}; install the Debian packages " + PACKAGES + "); import it again once "
            "it is installed, or upload a version with a text layer."
        ),
    }
    return UnreadableDocument(code, messages[code].format(**details))


# --- text normalisation -------------------------------------------------------------

# Some PDFs draw an accent as a separate spacing glyph after its letter ("Kostic´");
# NFKC would turn that into a space plus a combining mark, splitting the name.
_SPACING_ACCENTS = {
    "´": "\u0301",
    "¨": "\u0308",
    "ˇ": "\u030c",
    "˜": "\u0303",
    "¸": "\u0327",
    "ˆ": "\u0302",
    "˘": "\u0306",
    "˚": "\u030a",
}
_LETTER_ACCENT = re.compile("[A-Za-z][" + "".join(_SPACING_ACCENTS) + "]")
# Symbol-font bullets land in the private use area, which NFKC leaves alone.
_TRANSLATION = str.maketrans(
    {"\uf0b7": "•", "\uf0a7": "▪", "\u00ad": None, "\u200b": None, "\u200c": None, "\ufeff": None}
)


def _compose_accent(match: re.Match[str]) -> str:
    letter, accent = match.group()
    composed = unicodedata.normalize("NFC", letter + _SPACING_ACCENTS[accent])
    return composed if len(composed) == 1 else match.group()


def normalise(text: str) -> str:
    """NFKC ("ﬁ" -> "fi"), no-break spaces -> spaces, no trailing spaces on a line; newlines kept."""
    if any(accent in text for accent in _SPACING_ACCENTS):
        text = _LETTER_ACCENT.sub(_compose_accent, text)
    text = unicodedata.normalize("NFKC", text.translate(_TRANSLATION))
    # NFKC maps U+00A0/U+202F to a space already; the per-line rstrip avoids a `[ \t]+$`
    # regex, which is quadratic on a long run of spaces.
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


# --- plain text ------------------------------------------------------------------------


def text_pages(text: str) -> list[PageText]:
    """Pages of a plain-text letter: split on form feeds, normalised, broken words joined.

    Text files carry no font sizes, so footnotes stay inline and nothing goes to `margin`.
    """
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()
    return [
        PageText(number, "\n".join(join_broken_words(normalise(chunk).split("\n"))), [])
        for number, chunk in enumerate(chunks, start=1)
    ]


# --- page layout -----------------------------------------------------------------------


@dataclass
class _Line:
    words: list[dict]
    top: float
    bottom: float
    size: float = 0.0  # the size most of the line's text is set in


@dataclass
class _Row:
    """A rendered line: its text plus what footnote detection needs to know about it."""

    text: str
    top: float
    size: float
    lead: str | None  # number opening the line, when raised (a footnote marker) or plain digits
    lead_raised: bool
    italic: bool = False  # every word but footnote markers set in an italic font
    x0: float = 0.0
    x1: float = 0.0
    first_width: float = 0.0  # the width of its first word: would it have fitted on the line before?


_MARKER = re.compile(r"\d{1,3}(?:,\d{1,3})*|\*{1,3}|[†‡]")
_UNITS = frozenset({"m", "km", "cm", "mm", "dm"})
_PAGE_NUMBER = re.compile(r"\d{1,4}")
# "Times-Italic", "ABCDEF+Arial-ItalicMT", "Helvetica-Oblique", "MinionPro-It", "MinionPro-BoldIt"
_ITALIC_FONT = re.compile(r"(?i:italic|oblique)|-(?:Bold|Semibold|Medium|Light)?It(?![a-z])")
_MAX_FURNITURE_CHARS = 200
# Header and footer bands, as fractions of the page height.
_TOP_BAND = 0.1
_BOTTOM_BAND = 0.87


def _dominant_size(words: Iterable[dict]) -> float:
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(word["size"], 1)] += len(word["text"])
    return weights.most_common(1)[0][0] if weights else 0.0


def _split_margin(words: list[dict], width: float, body_size: float) -> tuple[list[dict], list[dict]]:
    """Separates the narrow right-hand column of a ministry letter from the body.

    The column is recognised by several lines starting at one x position in the right
    part of the page, a clean gutter (no body word beside the column reaches it) and smaller
    type than the body; tables in the body have text crossing that gutter on the other lines.
    Below or above the column the body may run wider (a long web address).
    """
    starts = Counter(round(word["x0"]) for word in words if word["x0"] >= 0.7 * width)
    for x, _ in starts.most_common(3):
        # a scan's lines start a point apart where the PDF set them at one x
        aligned = [start for start in starts if abs(start - x) <= 1]
        if sum(starts[start] for start in aligned) < 3:
            break
        edge = min(aligned) - 1
        left = [word for word in words if word["x0"] < edge]
        right = [word for word in words if word["x0"] >= edge]
        top, bottom = min(word["top"] for word in right), max(word["bottom"] for word in right)
        beside = [word["x1"] for word in left if word["bottom"] > top and word["top"] < bottom]
        if left and max(beside, default=0.0) <= edge - 3 and _dominant_size(right) < body_size:
            return left, right
    return words, []


# --- columns and letterhead blocks --------------------------------------------------------

# Words closer than this (in em of their line) belong to one run of text; a column gutter is wider.
_RUN_GAP = 0.8
# A column has at least this many lines, and wrapped text fills at least this many of them (a short
# band, a letter's last lines balanced over two columns, has few).
_MIN_COLUMN_LINES = 2
# The gutter is looked for on a grid of at most this many cells across the text.
_GRID_CELLS = 5000
# A heading over both columns has at least this much space (in em) above and below it.
_HEADING_SPACE = 0.8


def _runs(line: _Line, gap: float) -> list[tuple[float, float]]:
    """The x-extents of the line's runs of text: words apart by at most `gap` make one run."""
    runs: list[tuple[float, float]] = []
    for word in line.words:
        if runs and word["x0"] - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], max(runs[-1][1], word["x1"]))
        else:
            runs.append((word["x0"], word["x1"]))
    return runs


def _gutter(lines: list[_Line], left: float, right: float) -> tuple[float, float] | None:
    """The x-range in the middle of the text that the fewest lines cross, less the lines that leave
    a gap there between two runs of text: a column gutter, if any. Counting the gaps finds it on a
    page of a few two-column lines under full-width ones whose lengths vary.

    Counted on a grid of points (coarser for text spread wider than a few pages, so a hostile
    page costs no more) with a difference array: linear in the words.
    """
    if not right - left >= 40:  # also refuses coordinates that are not numbers
        return None
    step = max(1.0, (right - left) / _GRID_CELLS)
    cells = int((right - left) / step) + 2
    changes = [0] * (cells + 1)
    for line in lines:
        # text running off the block (a long web address) counts up to its edge
        runs = [(min(start, right), min(end, right)) for start, end in _runs(line, _RUN_GAP * line.size)]
        for start, end in runs:
            changes[int((start - left) / step)] += 1
            changes[int((end - left) / step) + 1] -= 1
        for (_, end), (start, _) in itertools.pairwise(runs):
            first, last = int((end - left) / step) + 1, int((start - left) / step)
            if first < last:
                changes[first] -= 1
                changes[last] += 1
    score = list(itertools.accumulate(changes[:cells]))
    # Columns of comparable width: the gutter lies in the middle part of the text.
    low, high = int(0.3 * cells), int(0.7 * cells)
    fewest = min(score[low:high])
    best = (0, -1)
    x = low
    while x < high:
        if score[x] != fewest:
            x += 1
            continue
        start = x
        while start > 0 and score[start - 1] == fewest:
            start -= 1
        end = x
        while end + 1 < cells and score[end + 1] == fewest:
            end += 1
        if end - start > best[1] - best[0]:
            best = (start, end)
        x = end + 1
    return left + best[0] * step, left + (best[1] + 1) * step


def _spans(lines: list[_Line], index: int, gutter: tuple[float, float], body_size: float) -> bool:
    """The line belongs to the full width: it crosses the gutter, or it is a short heading over
    both columns, in larger type with space above and below it across the whole width. (A line
    of body text alone between blank lines can be a column's own, as "Vraag 1" is.)"""
    line = lines[index]
    if any(start < gutter[1] and end > gutter[0] for start, end in _runs(line, _RUN_GAP * line.size)):
        return True
    if line.size < 1.1 * body_size:
        return False
    space = _HEADING_SPACE * line.size
    above = index == 0 or line.top - lines[index - 1].bottom > space
    return above and (index + 1 == len(lines) or lines[index + 1].top - line.bottom > space)


def _column(words: list[list[dict]], edge: float) -> tuple[float, float, float, bool] | None:
    """(left edge, right edge, size, wrapped) of one side of a band, per line its words, if it has
    text on enough lines. `edge`: the text block's right edge, which a long web address may overrun.

    Wrapped text fills its column: some of its lines are one run of several words reaching across
    most of the column's width; a table's cells and a label column ("Vraag 1") do not.
    """
    filled = [side for side in words if side]
    if len(filled) < _MIN_COLUMN_LINES:  # a line alone beside a column is a stretched line's other half
        return None
    x0 = min(side[0]["x0"] for side in filled)
    x1 = min(max(side[-1]["x1"] for side in filled), edge)
    size = _dominant_size(word for side in filled for word in side)
    full = sum(
        1
        for side in filled
        if len(side) >= 3 and side[-1]["x1"] - side[0]["x0"] >= 0.75 * (x1 - x0) and _one_run(side, size)
    )
    # one-line paragraphs and labels ("Vraag 1") between wrapped lines leave fewer lines filled
    return x0, x1, size, full >= _MIN_COLUMN_LINES and 4 * full >= len(filled)


def _gaps(words: list[dict]) -> list[float]:
    return [after["x0"] - before["x1"] for before, after in itertools.pairwise(words)]


def _one_run(words: list[dict], size: float) -> bool:
    """The words are set as one run of text: their gaps are word spaces, or justified."""
    gaps = _gaps(words)
    return not gaps or max(gaps) <= _RUN_GAP * size or _justified(words)


def _justified(words: list[dict]) -> bool:
    """The words' gaps are as wide as one another, stretched to fill the line: a table's cells, a
    label beside its text or a page number beside a footer leave one gap wider than the rest."""
    gaps = _gaps(words)
    return len(gaps) >= 2 and max(gaps) <= 1.5 * min(gaps)


def _column_band(
    lines: list[_Line], gutter: tuple[float, float], text: tuple[float, float]
) -> tuple[list[dict], list[dict]] | None:
    """The band's left and right column when these lines are set in two columns of body text:
    of comparable width and type, together as wide as the page's text. One of them may be short
    lines (an address, a signature) beside the other's wrapped text, in the same measure."""
    middle = (gutter[0] + gutter[1]) / 2
    lefts = [[word for word in line.words if word["x1"] <= middle] for line in lines]
    rights = [[word for word in line.words if word["x1"] > middle] for line in lines]
    left, right = _column(lefts, text[1]), _column(rights, text[1])
    if left is None or right is None or not (left[3] or right[3]):
        return None
    left_width, right_width = left[1] - left[0], right[1] - right[0]
    # a narrow left side is a label column ("Vraag 1"); a narrow right side may be the end of the
    # text, continued from the left column
    if left_width < 0.6 * right_width or (right_width < 0.6 * left_width and right[3]):
        return None
    if max(right[1], right[0] + left_width) - left[0] < 0.9 * (text[1] - text[0]):
        return None
    smaller = left if left[2] < right[2] else right
    if smaller[2] < 0.85 * max(left[2], right[2]) and not smaller[3]:
        # a narrow column of short lines in smaller type is a margin, not a second column of text;
        # one of wrapped text may be mostly its footnotes
        return None
    return [word for side in lefts for word in side], [word for side in rights for word in side]


def _reading_blocks(lines: list[_Line], width: float, body_size: float) -> list[list[dict]] | None:
    """The words in reading order, when the page has bands set in two columns: each two-column
    band its left column, then its right one; full-width lines (a title, a heading across both
    columns, a footnote block) as blocks of their own between them. None: one column."""
    if len(lines) < _MIN_COLUMN_LINES:
        return None
    left = min(line.words[0]["x0"] for line in lines)
    right = max(word["x1"] for line in lines for word in line.words)
    # the text block is as wide as its margins leave it, within the page: its text may stop short of
    # its right edge (a right column of a few short lines) or run off it (a long web address)
    edge = min(max(right, width - left), width)
    gutter = _gutter(lines, left, edge)
    if gutter is None:
        return None
    blocks: list[list[dict]] = []
    full_width: list[dict] = []
    found = False
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and not _spans(lines, end, gutter, body_size):
            end += 1
        band = _column_band(lines[index:end], gutter, (left, edge)) if end > index else None
        if band is not None:
            if full_width:
                blocks.append(full_width)
                full_width = []
            blocks.extend(band)
            found = True
        else:
            full_width.extend(word for line in lines[index:end] for word in line.words)
        if end < len(lines):
            full_width.extend(lines[end].words)
        index = end + 1
    if full_width:
        blocks.append(full_width)
    return blocks if found else None


def _heading_block(lines: list[_Line], width: float, height: float, body_size: float) -> list[dict]:
    """A letterhead's heading block at the top of the page, as in a committee's letters.

    A block in smaller type, each line starting at one x, set beside the addressee (at least
    two lines side by side, the addressee well to the right), and the label/value pairs that
    follow it ("Datum" in the block's type, "14 juli 2025" in the body's). These lines go to
    `margin`, where the metadata reads them, labels and values together; the addressee beside
    them stays in the body. Without anything beside it a small line is the body's own
    ("> Retouradres ..."), so nothing moves.
    """
    block: list[dict] = []
    beside = 0
    x: float | None = None
    for line in lines:
        if line.top < _TOP_BAND * height:
            continue
        first = line.words[0]
        if first["size"] >= 0.97 * body_size:
            if x is not None and first["x0"] >= x + 0.35 * width:
                continue  # the addressee, longer than the block beside it
            break
        if x is None:
            x = first["x0"]
        elif abs(first["x0"] - x) > 2:
            break
        runs = [[line.words[0]]]
        for word in line.words[1:]:
            if word["x0"] - runs[-1][-1]["x1"] > 2 * body_size:
                runs.append([word])
            else:
                runs[-1].append(word)
        if (
            len(runs) > 1
            and runs[1][0]["x0"] >= x + 0.35 * width
            and _dominant_size(runs[1]) >= 0.97 * body_size
        ):
            beside += 1
            block.extend(runs[0])
        else:
            block.extend(line.words)
    return block if beside >= 2 else []


def _layout(
    words: list[dict], width: float, height: float, body_size: float
) -> tuple[list[list[_Line]], list[dict]]:
    """The body's lines in reading order, per block (`_reading_blocks`), and a letterhead's heading
    block (`_heading_block`) taken out of them. A page in one column is one block."""
    lines = _group_lines(words)
    heading = _heading_block(lines, width, height, body_size)
    if heading:
        taken = {id(word) for word in heading}
        lines = _group_lines([word for word in words if id(word) not in taken])
    blocks = _reading_blocks(lines, width, body_size)
    return ([_group_lines(block) for block in blocks] if blocks else [lines]), heading


def _group_lines(words: list[dict]) -> list[_Line]:
    """Groups words into lines by vertical overlap, so raised and lowered glyphs join their line."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: w["top"]):
        height = max(word["bottom"] - word["top"], 0.01)
        if lines:
            line = lines[-1]
            overlap = min(word["bottom"], line.bottom) - max(word["top"], line.top)
            if overlap >= 0.5 * min(height, line.bottom - line.top):
                line.words.append(word)
                if height > line.bottom - line.top:
                    line.top, line.bottom = word["top"], word["bottom"]
                continue
        lines.append(_Line([word], word["top"], word["top"] + height))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line.size = _dominant_size(line.words)
        reference = next(w for w in line.words if round(w["size"], 1) == line.size)
        line.top, line.bottom = reference["top"], reference["bottom"]
    return lines


def _segments(line: _Line) -> list[list[dict]]:
    """Splits a line at wide gaps: a footer line holds several independent items. A justified line's
    gaps are all wide, and it is one item."""
    if _justified(line.words):
        return [line.words]
    gap = 1.5 * line.size
    segments = [[line.words[0]]]
    for word in line.words[1:]:
        if word["x0"] - segments[-1][-1]["x1"] > gap:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _is_raised(word: dict, line: _Line) -> bool:
    """Superscript: clearly smaller than the line's text and sitting above its middle."""
    if word["size"] > 0.85 * line.size:
        return False
    offset = (word["top"] + word["bottom"]) / 2 - (line.top + line.bottom) / 2
    return offset <= -0.15 * line.size


def _render(
    words: list[dict], line: _Line, markers: set[str], row_start: bool
) -> tuple[str, str | None, bool]:
    """Text of a run of words without footnote markers; returns (text, leading number, raised)."""
    parts: list[str] = []
    lead: str | None = None
    raised = False
    previous_end: float | None = None
    previous_text = ""
    previous_size = math.inf  # a marker is set smaller than the word it follows ("Pagina 2" is not one)
    glue_gap = 0.12 * line.size
    for word in words:
        text = word["text"]
        if (
            _is_raised(word, line)
            and _MARKER.fullmatch(text)
            and previous_text.lstrip("0123456789") not in _UNITS
            and word["size"] < 0.9 * previous_size
        ):
            if row_start and previous_end is None:
                lead, raised = text, True
            else:
                markers.add(text)
            previous_end = word["x1"]
            continue
        if row_start and previous_end is None and text.isdigit():
            lead = text
        if parts and word["x0"] - previous_end > glue_gap:
            parts.append(" ")
        parts.append(text)
        previous_end = word["x1"]
        previous_text = text
        previous_size = word["size"]
    return normalise("".join(parts)), lead, raised


def _numbers_an_item(line: _Line, lines: list[_Line], height: float) -> bool:
    """A bare number in a page band whose body text runs on past it, below it at the foot or above
    it at the head, numbers the text (a bill's item "3" above its question), not the page."""
    if len(line.words) != 1 or not _PAGE_NUMBER.fullmatch(line.words[0]["text"]):
        return False
    at_foot = line.bottom > _BOTTOM_BAND * height
    for other in lines:
        beyond = other.top > line.bottom if at_foot else other.bottom < line.top
        if not beyond or other.size < 0.95 * line.size:
            continue
        text = " ".join(word["text"] for word in other.words)
        if any(ch.isalpha() for ch in text) and not is_furniture(text, in_band=True):
            return True
    return False


def _rows(lines: list[_Line], height: float, markers: set[str], furniture: list[str]) -> list[_Row]:
    """Renders lines, moving header/footer items from the page bands into `furniture`."""
    rows: list[_Row] = []
    for line in lines:
        in_band = line.top < _TOP_BAND * height or line.bottom > _BOTTOM_BAND * height
        if in_band and _numbers_an_item(line, lines, height):
            in_band = False
        kept: list[str] = []
        lead: str | None = None
        raised = False
        previous_was_furniture = False
        end = 0.0
        for index, segment in enumerate(_segments(line)):
            text, segment_lead, segment_raised = _render(segment, line, markers, row_start=index == 0)
            if index == 0:
                lead, raised = segment_lead, segment_raised
            # beside the body, a running item set apart by a wide gap ("Pagina 2 van 5"); a bare
            # number there may be a table's column
            aside = index > 0 and any(ch.isalpha() for ch in text)
            if (
                (in_band or aside)
                and len(text) <= _MAX_FURNITURE_CHARS
                and is_furniture(text, in_band=in_band)
            ):
                if previous_was_furniture and _PAGE_NUMBER.fullmatch(text):
                    furniture[-1] += " " + text
                else:
                    furniture.append(text)
                previous_was_furniture = True
                continue
            previous_was_furniture = False
            if text:
                kept.append(text)
                end = segment[-1]["x1"]  # where the body's text ends, not an aside beside it
        if kept:
            first = line.words[0]
            italic = all(
                _ITALIC_FONT.search(word.get("fontname", "")) or _is_raised(word, line) for word in line.words
            )
            rows.append(
                _Row(
                    " ".join(kept),
                    line.top,
                    line.size,
                    lead,
                    raised,
                    italic=italic,
                    x0=first["x0"],
                    x1=end,
                    first_width=first["x1"] - first["x0"],
                )
            )
    return rows


def _ends_short(row: _Row, right: float, following: _Row) -> bool:
    """The row ends so far short of the column's right edge that `following`'s first word would
    have fitted after it: wrapped text fills its column, a paragraph's last line need not."""
    return right - row.x1 > following.first_width + 0.6 * (following.size or 10.0)


def _indented(row: _Row, left: float, right: float) -> bool:
    """The row starts indented from the column's `left` edge: more than a letter's width in, less
    than a quarter of the measure (further in, it is centred or set aside)."""
    return 0.8 * (row.size or 10.0) < row.x0 - left < 0.25 * (right - left)


def _paragraph_ends(rows: list[_Row]) -> list[bool]:
    """Per row of one column block: a paragraph may end before it, judged from the page's geometry,
    not from characters.

    Whatever the font, measure or justification, a paragraph's break shows as a wider vertical gap
    than the page's line pitch, as a first-line indent, or as a line ending short (`_ends_short`).
    """
    ends = [False] * len(rows)
    if len(rows) < 2:
        return ends
    # the line pitch is the smallest step that recurs: on a page of one-line paragraphs most steps
    # are paragraph gaps, so a median would take those for the pitch
    steps = Counter(round(2 * (b.top - a.top)) / 2 for a, b in itertools.pairwise(rows) if b.top > a.top)
    recurring = [step for step, count in steps.items() if count > 1] or list(steps)
    pitch = min(recurring) if recurring else 0.0
    # the body's left edge is the leftmost that recurs: where most paragraphs are one or two lines
    # long, most lines start indented
    starts = Counter(round(row.x0) for row in rows)
    left = min((x for x, count in starts.items() if count > 1), default=starts.most_common(1)[0][0])
    right = max(row.x1 for row in rows)
    for index in range(1, len(rows)):
        previous, row = rows[index - 1], rows[index]
        size = row.size or 10.0
        indented = _indented(row, left, right)
        following = rows[index + 1] if index + 1 < len(rows) else None
        # the row before at the same indent: a block set apart (`_set_apart`), no first line
        first_line_indent = (
            indented
            and abs(previous.x0 - row.x0) > 1
            and (following is None or following.x0 < row.x0 - 0.8 * size)
        )
        short = _ends_short(previous, right, row)
        gap = pitch > 0 and row.top - previous.top > 1.3 * pitch
        ends[index] = gap or first_line_indent or short
    return ends


def _set_apart(rows: list[_Row], ends: list[bool]) -> list[bool]:
    """Per row of one column block: set apart from the body by its typography, wholly in italics or
    indented as a block.

    A block indent holds on both sides of a wrap: consecutive rows of one paragraph (no end between
    them, `_paragraph_ends`) start at the same indent, where a first-line indent returns to the
    edge. A paragraph of one indented row looks the same as a first line: it is set apart only on a
    page that shows no first-line indent.
    """
    apart = [row.italic for row in rows]
    if len(rows) < 2:
        return apart
    # the leftmost start, recurring or not: a page may hold more lines of an indented block than of
    # plain text
    left = min(row.x0 for row in rows)
    right = max(row.x1 for row in rows)
    indents = [_indented(row, left, right) for row in rows]
    # each paragraph's rows, split where the layout shows a paragraph may end
    paragraphs: list[list[int]] = [[0]]
    for index in range(1, len(rows)):
        if ends[index]:
            paragraphs.append([index])
        else:
            paragraphs[-1].append(index)
    blocks = [
        part
        for part in paragraphs
        if len(part) > 1
        and indents[part[0]]
        and all(abs(rows[index].x0 - rows[part[0]].x0) <= 1 for index in part)
    ]
    first_line = any(
        indents[part[0]] and abs(rows[part[1]].x0 - left) <= 1 for part in paragraphs if len(part) > 1
    )
    single = [part for part in paragraphs if len(part) == 1 and indents[part[0]]]
    for part in blocks + ([] if first_line else single):
        for index in part:
            apart[index] = True
    return apart


def _body_text(blocks: list[list[_Row]]) -> tuple[str, list[int], list[str], list[float], list[str]]:
    """The column blocks' rows as lines in reading order, the lines before which a paragraph may
    end (`_paragraph_ends`), the lines set apart (`_set_apart`), each line's size and raised
    leading figure (`PageText.sizes`, `PageText.leads`). Where one block follows another (the next
    column), a paragraph ends only where the block before it ended short of its own right edge."""
    rows: list[_Row] = []
    ends: list[bool] = []
    apart: list[bool] = []
    right = 0.0
    for block in blocks:
        if not block:
            continue
        block_ends = _paragraph_ends(block)
        apart.extend(_set_apart(block, block_ends))
        if rows:
            block_ends[0] = _ends_short(rows[-1], right, block[0])
        right = max(row.x1 for row in block)
        rows.extend(block)
        ends.extend(block_ends)
    lines, starts = join_broken_words_mapped(row.text for row in rows)
    breaks = sorted({starts[index] for index, end in enumerate(ends) if end})
    plain = {starts[index] for index, set_apart in enumerate(apart) if not set_apart}
    set_apart = [line.strip() for index, line in enumerate(lines) if index not in plain]
    sizes = [0.0] * len(lines)
    leads = [""] * len(lines)
    for row, went in zip(reversed(rows), reversed(starts), strict=True):
        # a line's first row: the one the line is read from
        sizes[went], leads[went] = row.size, row.lead if row.lead_raised and row.lead else ""
    return "\n".join(lines), breaks, set_apart, sizes, leads


def _footnote_start(rows: list[_Row], height: float, body_size: float, markers: set[str]) -> int:
    """Index of the first footnote row: smaller type in the lower part, opening with a marker.

    Smaller than the page's dominant type, or than the text above it: on a letter's last page
    a line of text over long footnotes leaves the footnotes' type the page's most common."""
    above: Counter[float] = Counter()
    for index, row in enumerate(rows):
        text_size = max(body_size, above.most_common(1)[0][0]) if above else body_size
        above[row.size] += 1
        if (
            row.top > 0.4 * height
            and row.size < 0.97 * text_size
            and row.lead is not None
            and (row.lead_raised or row.lead in markers)
        ):
            return index
    return len(rows)


def _footnotes(rows: list[_Row], markers: set[str]) -> list[str]:
    notes: list[list[str]] = []
    for row in rows:
        opens = row.lead is not None and (row.lead_raised or row.lead in markers)
        if opens or not notes:
            notes.append([f"{row.lead} {row.text}" if row.lead_raised else row.text])
        else:
            notes[-1].append(row.text)
    return [" ".join(join_broken_words(note)) for note in notes]


def _clean_page(number: int, words: list[dict], width: float, height: float) -> PageText:
    if not words:
        return PageText(number, "", [])
    body_size = _dominant_size(words)
    body_words, margin_words = _split_margin(words, width, body_size)
    blocks, heading_words = _layout(body_words, width, height, body_size)
    markers: set[str] = set()
    furniture: list[str] = []
    block_rows = [_rows(block, height, markers, furniture) for block in blocks]
    margin_rows = [
        row
        for part in (margin_words, heading_words)
        if part
        for row in _rows(_group_lines(part), height, markers, furniture)
    ]
    # Each column has its own foot: its footnotes end it, and the next column's text follows.
    bodies: list[list[_Row]] = []
    note_rows: list[_Row] = []
    for part in block_rows:
        start = _footnote_start(part, height, body_size, markers)
        bodies.append(part[:start])
        note_rows.extend(part[start:])
    text, breaks, set_apart, sizes, leads = _body_text(bodies)
    return PageText(
        number=number,
        text=text,
        footnotes=_footnotes(note_rows, markers),
        margin="\n".join(join_broken_words(row.text for row in margin_rows)),
        furniture=furniture,
        set_apart=set_apart,
        breaks=breaks,
        sizes=sizes,
        leads=leads,
    )


# --- PDF reading -----------------------------------------------------------------------


def _is_text(path: str) -> bool:
    return path.lower().endswith(".txt")


def _check_size(path: str) -> int:
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        megabyte = 1024 * 1024
        raise _unreadable("too_large", what=f"{size // megabyte} MB, at most {MAX_FILE_BYTES // megabyte} MB")
    return size


def _check_file(path: str) -> None:
    """Cheap refusals before a PDF parser touches the file."""
    size = _check_size(path)
    with open(path, "rb") as handle:
        head = handle.read(1024)
        if b"%PDF-" not in head:
            raise _unreadable("not_pdf")
        handle.seek(max(0, size - 16384))
        # Without the end-of-file marker the upload was cut off; pdfminer would silently
        # recover a part of the pages.
        if b"%%EOF" not in handle.read():
            raise _unreadable("damaged")


def _reading_error(error: BaseException) -> UnreadableDocument:
    while isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], BaseException):
        error = error.args[0]
    if isinstance(error, UnreadableDocument):
        return error
    if isinstance(error, MemoryError):
        return UnreadableDocument("out_of_memory", "Reading the PDF needed more memory than is available.")
    if isinstance(error, PDFEncryptionError):
        return _unreadable("encrypted")
    return _unreadable("damaged")


def extract_pages(
    path: str | os.PathLike[str],
    *,
    max_pages: int = 2000,
    on_open: Callable[[int], None] | None = None,
    ranges: Iterable[range] | None = None,
) -> Iterator[PageText]:
    """Cleaned text of each page, read one page at a time (in this process).

    `on_open` is told the number of pages before the first one is read. Raises
    `UnreadableDocument`; "no_text" comes after the last page, once the whole document turned
    out to have (almost) no text.

    `ranges` (0-based page indexes, read lazily) extracts only those pages: one of several
    children sharing a document. Whether the whole document has text is then for the caller,
    who sees every page, to judge.
    """
    path = os.fspath(path)
    _check_file(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:
        raise _reading_error(error) from error
    with pdf:
        try:
            # The page tree's /Count is read first so that a huge tree is refused before
            # pdfplumber builds an object for every page.
            declared = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
            if isinstance(declared, int) and declared > max_pages:
                raise _unreadable("too_many_pages", pages=declared, max_pages=max_pages)
            pages = pdf.pages
        except Exception as error:
            raise _reading_error(error) from error
        if len(pages) > max_pages:
            raise _unreadable("too_many_pages", pages=len(pages), max_pages=max_pages)
        if not pages:
            raise _unreadable("damaged")
        if on_open is not None:
            on_open(len(pages))
        characters = 0
        scanner = Scanner(path)
        missing = ""  # the package OCR lacks, had a page without a text layer needed it
        chosen = pages if ranges is None else (pages[index] for part in ranges for index in part)
        for page in chosen:
            try:
                words = page.extract_words(extra_attrs=["size", "fontname"], x_tolerance_ratio=0.2)
                width, height = float(page.width), float(page.height)
                has_image = bool(page.objects.get("image"))
            except Exception as error:
                raise _reading_error(error) from error
            finally:
                # pdfplumber caches the parsed layout per page; keeping it would hold the
                # whole document in memory.
                page.close()
            cleaned = _clean_page(page.page_number, words, width, height)
            del words
            if has_image and _characters(cleaned) < MIN_CHARS_PER_PAGE:
                cleaned = _read_scan(scanner, page.page_number, width, height) or cleaned
                if not cleaned.ocr and scanner.missing is not None:
                    cleaned.ocr_missing = missing = scanner.missing.package
            characters = _count_characters(characters, cleaned)
            yield cleaned
        scanner.close()
        if ranges is None:
            _check_has_text(characters, len(pages), missing=missing)


def _count_characters(characters: int, page: PageText) -> int:
    """`characters` plus the page's non-blank characters; refuses a document past the text limit."""
    characters += _characters(page)
    if characters > MAX_TEXT_CHARS:
        raise _unreadable("too_large", what=f"more than {MAX_TEXT_CHARS:,} characters of text")
    return characters


def _check_has_text(characters: int, pages: int, *, missing: str) -> None:
    """Refuses a document with (almost) no text; `missing`: the OCR package that could have read it."""
    if characters < MIN_CHARS_PER_PAGE * pages:
        if missing:
            raise _unreadable("ocr_unavailable", package=missing)
        raise _unreadable("no_text")


def _characters(page: PageText) -> int:
    return sum(
        len(part) - part.count(" ") - part.count("\n") for part in (page.text, page.margin, *page.footnotes)
    )


def _read_scan(scanner: Scanner, number: int, width: float, height: float) -> PageText | None:
    """A page without a text layer read by OCR and cleaned like any page; None without OCR installed."""
    try:
        read = scanner.read(number - 1, width=width, height=height)
    except Exception as error:
        raise _reading_error(error) from error
    if read is None:
        return None
    words, confidence = read
    page = _clean_page(number, words, width, height)
    page.ocr, page.ocr_confidence = True, confidence
    return page


# --- isolation in a forked child -----------------------------------------------------------

_CHILD_CRASHED = 1
_CHILD_FAILED_MEMORY = 3
# How often a quiet pipe is checked for a child that has exited without the pipe closing
# (see `_messages`).
_EXIT_CHECK_S = 0.25
# What a child killed by these signals ran into: SIGKILL comes from the kernel's OOM killer
# (our own kill at the deadline is reported as a timeout), the others from C code whose
# allocation failed under the address-space limit.
_MEMORY_SIGNALS = frozenset({signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT})


def extract_document(
    path: str | os.PathLike[str],
    *,
    memory_limit_mb: int = 400,
    timeout_s: float = 300,
    max_pages: int = 2000,
    processes: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[PageText]:
    """All pages, extracted in forked children limited in memory and wall-clock time (`iter_document`)."""
    return list(
        iter_document(
            path,
            memory_limit_mb=memory_limit_mb,
            timeout_s=timeout_s,
            max_pages=max_pages,
            processes=processes,
            on_progress=on_progress,
        )
    )


def iter_document(
    path: str | os.PathLike[str],
    *,
    memory_limit_mb: int = 400,
    timeout_s: float = 300,
    max_pages: int = 2000,
    processes: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[PageText]:
    """The pages in order as they arrive, extracted in forked children limited in memory and
    wall-clock time, so that the caller parses page 1 while later pages are still being read.

    A `.txt` file is read and split into pages (`text_pages`) in one child, under the same limits.

    `processes` above 1 extracts a PDF of more than `PAGES_PER_RANGE` pages in that many
    children: the first announces the page count, then each child takes the next range of pages
    from a shared queue until none is left, so a slow range does not leave a child idle. Pages
    are yielded in page order whatever order they come in; the result equals a serial extraction
    (each page is cleaned on its own). Each child has the whole `memory_limit_mb` and the one
    deadline; the first child to fail fails the document.

    `on_progress(pages_read, page_count)` is called as pages arrive, for a progress display.

    `memory_limit_mb` is the extra memory the extraction may use: a child's address space
    may grow by that much beyond the caller's at the moment of the fork (RLIMIT_AS counts
    everything the child inherits, and a Django worker maps hundreds of MB before it reads a
    single page).

    The children are forked from the caller rather than started as new interpreters, because
    the caller has already imported pdfplumber: a fork costs milliseconds, a fresh Python
    importing pdfplumber about 0.14 s per document. `os.fork` is also what Celery's prefork
    workers allow, unlike multiprocessing, whose children daemonic workers may not start. A
    child runs nothing but the extraction and leaves with `os._exit`, so it never touches the
    caller's threads, locks, database connections or exit handlers. It streams one JSON line
    per page, so the parent holds little more than the resulting text (and the pages that
    arrived ahead of an earlier one).
    """
    path = os.fspath(path)
    text = _is_text(path)
    if text:
        _check_size(path)
    else:
        _check_file(path)
    extraction = _Extraction(
        path,
        memory_limit_mb=memory_limit_mb,
        timeout_s=timeout_s,
        max_pages=max_pages,
        processes=1 if text else max(1, processes),
    )
    try:
        yield from extraction.pages(on_progress, check_text=not text)
    finally:
        # Children still working (a timeout, a failure, or a caller that stopped reading) are killed.
        extraction.close()


# A child takes this many pages at a time from the queue (more for very long documents, so the
# queue fits in a pipe's buffer); a document of at most this many pages is read by one child.
PAGES_PER_RANGE = 10
_MAX_RANGES = 1000
_RANGE = struct.Struct("<ii")  # one queued range: start, stop; a negative start means "no more"


def page_ranges(pages: int, *, per_range: int = PAGES_PER_RANGE) -> list[range]:
    """The document's page indexes in consecutive ranges, as the children take them."""
    size = max(per_range, math.ceil(pages / _MAX_RANGES))
    return [range(start, min(start + size, pages)) for start in range(0, pages, size)]


class _Extraction:
    """The children extracting one document, and the merge of their pages into page order."""

    def __init__(
        self, path: str, *, memory_limit_mb: int, timeout_s: float, max_pages: int, processes: int
    ) -> None:
        self.path = path
        self.memory_limit_mb = memory_limit_mb
        self.timeout_s = timeout_s
        self.max_pages = max_pages
        self.processes = processes
        self.deadline = time.monotonic() + timeout_s
        self.children: list[_Child] = []
        # The queue of page ranges, only when several children may share the document.
        self.queue: tuple[int, int] | None = os.pipe() if processes > 1 else None
        self.queue_open = [True, True]
        self._start(announce=True)

    def _start(self, *, announce: bool) -> None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:
            status = _CHILD_CRASHED
            try:
                os.close(read_end)
                queue = None
                if self.queue is not None:
                    queue = self.queue[0]
                    if self.queue_open[1]:
                        os.close(self.queue[1])
                status = _child_main(
                    write_end,
                    self.path,
                    self.max_pages,
                    self.memory_limit_mb,
                    self.timeout_s,
                    queue=queue,
                    announce=announce,
                )
            except MemoryError:
                status = _CHILD_FAILED_MEMORY
            except BaseException:
                # The caller's logging belongs to the caller; the traceback goes to stderr as is.
                os.write(2, traceback.format_exc().encode(errors="replace"))
            finally:
                # Never return into the caller's code, and skip its exit handlers and buffers.
                os._exit(status)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self.children.append(_Child(pid, read_end))

    def _share(self, total: int) -> None:
        """Queue the document's ranges and start the other children (the first one is waiting)."""
        assert self.queue is not None
        ranges = page_ranges(total)
        count = min(self.processes, len(ranges))
        queued = [_RANGE.pack(part.start, part.stop) for part in ranges] + [_RANGE.pack(-1, -1)] * count
        # At most `_MAX_RANGES` + `processes` records: well within a pipe's buffer, so this does not
        # block while the children are still starting.
        _write_all(self.queue[1], b"".join(queued))
        self._close_queue(1)
        for _ in range(count - 1):
            self._start(announce=False)
        self._close_queue(0)

    def _close_queue(self, end: int) -> None:
        if self.queue is not None and self.queue_open[end]:
            os.close(self.queue[end])
            self.queue_open[end] = False

    def pages(
        self, on_progress: Callable[[int, int], None] | None, *, check_text: bool
    ) -> Iterator[PageText]:
        total = received = characters = 0
        missing = ""
        ahead: dict[int, PageText] = {}  # pages that arrived before an earlier one
        following = 1
        try:
            for child, message in _messages(self.children, self.deadline):
                if message is None:  # the child's pipe closed before it reported its outcome
                    status = child.reap(kill=False)
                    raise _child_failure(
                        status, memory_limit_mb=self.memory_limit_mb, timeout_s=self.timeout_s
                    )
                if "page" in message:
                    page = PageText(*message["page"])
                    received += 1
                    if check_text:
                        characters = _count_characters(characters, page)
                        missing = missing or page.ocr_missing
                    if on_progress is not None:
                        on_progress(received, total)
                    ahead[page.number] = page
                    while following in ahead:
                        yield ahead.pop(following)
                        following += 1
                elif "pages" in message:
                    total = message["pages"]
                    if on_progress is not None:
                        on_progress(0, total)
                    if self.queue is not None:
                        self._share(total)
                elif "error" in message:
                    child.finished = True
                    raise UnreadableDocument(*message["error"])
                else:
                    child.finished = True
        except TimeoutError:
            raise _unreadable("timeout", seconds=self.timeout_s) from None
        if ahead:  # a page number out of range: never from pdfplumber
            raise _unreadable("damaged")
        if check_text:
            _check_has_text(characters, total, missing=missing)

    def close(self) -> None:
        self._close_queue(0)
        self._close_queue(1)
        for child in self.children:
            child.close()
            # A child that reported its outcome exits by itself; any other is killed.
            child.reap(kill=not child.finished)


class _Child:
    """A forked child and its pipe, reaped exactly once, so that a recycled pid is never signalled."""

    def __init__(self, pid: int, descriptor: int) -> None:
        self.pid = pid
        self.descriptor = descriptor
        self.finished = False  # it reported its outcome ("done" or an error)
        self.status: int | None = None  # wait status; None when someone else reaped it
        self.reaped = False

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1

    def exited(self) -> bool:
        if not self.reaped:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by the caller's SIGCHLD handling
                pid, status = self.pid, None
            if pid:
                self.reaped, self.status = True, status
        return self.reaped

    def reap(self, *, kill: bool) -> int | None:
        if not self.reaped:
            if kill:
                with contextlib.suppress(ProcessLookupError):  # reaped by the caller's SIGCHLD handling
                    os.kill(self.pid, signal.SIGKILL)
            try:
                self.status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                self.status = None
            self.reaped = True
        return self.status


def _child_failure(status: int | None, *, memory_limit_mb: int, timeout_s: float) -> UnreadableDocument:
    """Why a child ended without reporting an outcome, from its wait status."""
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    if code == _CHILD_CRASHED:
        return _unreadable("damaged")
    if code is not None and code < 0:
        if -code == signal.SIGXCPU:
            return _unreadable("timeout", seconds=timeout_s)
        if -code not in _MEMORY_SIGNALS:
            return _unreadable("interrupted", signal=signal.Signals(-code).name)
    # Our own MemoryError exit, a memory signal, or a status lost to the caller's SIGCHLD
    # handling: dying without a word is what running out of memory looks like.
    return _unreadable("out_of_memory", megabytes=memory_limit_mb)


def _messages(children: list[_Child], deadline: float) -> Iterator[tuple[_Child, dict | None]]:
    """(child, JSON line) from the children's pipes as they come, then (child, None) at each end of
    file, raising TimeoutError at the deadline. Children started meanwhile are read too; a child
    marked `finished` (it reported its outcome, its last line) is read no further.

    End of file can come late: a process forked meanwhile by another thread of the caller
    (a second extraction, say) inherits the write end and holds it after our child is gone.
    So a quiet pipe is read to the end once its child has exited.
    """
    buffers: dict[int, bytearray] = {}
    with selectors.DefaultSelector() as selector:
        while True:
            for child in children:
                if child.descriptor >= 0 and child.pid not in buffers:
                    buffers[child.pid] = bytearray()
                    selector.register(child.descriptor, selectors.EVENT_READ, child)
            if not selector.get_map():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready = [key.data for key, _ in selector.select(min(remaining, _EXIT_CHECK_S))]
            if not ready:
                # Everything an exited child wrote is in its pipe now; read it, then stop.
                ready = [key.data for key in list(selector.get_map().values()) if key.data.exited()]
            for child in ready:
                try:
                    chunk = os.read(child.descriptor, 1 << 16)
                except BlockingIOError:  # an exited child's pipe, empty but held open elsewhere
                    chunk = b""
                if not chunk:
                    selector.unregister(child.descriptor)
                    yield child, None
                    continue
                buffer = buffers[child.pid]
                scanned = len(buffer)
                buffer += chunk
                while (end := buffer.find(b"\n", scanned)) >= 0:
                    line = bytes(buffer[:end])
                    del buffer[: end + 1]
                    scanned = 0
                    yield child, json.loads(line)
                    if child.finished:
                        selector.unregister(child.descriptor)
                        break


def _queued_ranges(queue: int) -> Iterator[range]:
    """The page ranges this child takes from the shared queue, one at a time, until told to stop."""
    while True:
        record = b""
        while len(record) < _RANGE.size:
            chunk = os.read(queue, _RANGE.size - len(record))
            if not chunk:
                return
            record += chunk
        start, stop = _RANGE.unpack(record)
        if start < 0:
            return
        yield range(start, stop)


def _child_main(
    descriptor: int,
    path: str,
    max_pages: int,
    memory_limit_mb: int,
    timeout_s: float,
    *,
    queue: int | None = None,
    announce: bool = True,
) -> int:
    """A forked child: extraction only, pages into the pipe; returns the exit status.

    With a `queue`, the child extracts the page ranges it takes from it (after announcing the
    page count when it is the first child), instead of the whole document.
    """
    # The objects inherited from the caller are not ours: the collector must not run their
    # finalizers (a garbage file object would flush the caller's buffer a second time), and
    # leaving them alone keeps their memory shared with the caller.
    gc.freeze()
    _reset_signals()
    # The caller's handlers (files, Celery's, error reporting) are not ours either, and
    # pdfminer logs a warning per broken object: a hostile file can produce millions.
    logging.disable(logging.CRITICAL)
    _limit_resources(memory_limit_mb, timeout_s)
    try:

        def announce_pages(count: int) -> None:
            _write_all(descriptor, json.dumps({"pages": count}).encode() + b"\n")

        if _is_text(path):
            # A text file is no PDF, but reading and cleaning a huge one is no less unbounded.
            with open(path, encoding="utf-8", errors="replace") as handle:
                pages: Iterable[PageText] = text_pages(handle.read())
            announce_pages(len(pages))
        elif queue is None:
            pages = extract_pages(path, max_pages=max_pages, on_open=announce_pages)
        else:
            pages = extract_pages(
                path,
                max_pages=max_pages,
                on_open=announce_pages if announce else None,
                ranges=_queued_ranges(queue),
            )
        for page in pages:
            _write_all(descriptor, json.dumps({"page": astuple(page)}, ensure_ascii=False).encode() + b"\n")
    except UnreadableDocument as error:
        if error.code == "out_of_memory":
            error = _unreadable("out_of_memory", megabytes=memory_limit_mb)
        outcome: dict = {"error": [error.code, error.message]}
    else:
        outcome = {"done": True}
    _write_all(descriptor, json.dumps(outcome).encode() + b"\n")
    return 0


def _reset_signals() -> None:
    """A signal simply ends the child, instead of running the caller's Python handlers.

    Signals the caller ignores stay ignored: Celery's pool workers ignore SIGINT so that a
    warm shutdown lets the current import finish. SIGPIPE, which Python ignores, kills the
    child quietly once the parent has gone.
    """
    for number in signal.valid_signals():
        if callable(signal.getsignal(number)):
            signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _limit_resources(memory_limit_mb: int, timeout_s: float) -> None:
    inherited = _address_space()
    # Without procfs (macOS) the inherited size is unknown; that kernel does not enforce
    # RLIMIT_AS anyway.
    if inherited is not None:
        limit = inherited + memory_limit_mb * 1024 * 1024
        _tighten(resource.RLIMIT_AS, limit, limit)
    # The parent kills the child at the deadline; the CPU limit, just above it, ends a
    # child whose parent died first (CPU time never runs ahead of wall-clock time).
    seconds = math.ceil(timeout_s) + 1
    _tighten(resource.RLIMIT_CPU, seconds, seconds + 1)
    _tighten(resource.RLIMIT_CORE, 0, 0)


def _address_space() -> int | None:
    """The process's virtual size in bytes, which is what RLIMIT_AS limits."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def _tighten(kind: int, soft: int, hard: int) -> None:
    """Sets a resource limit without exceeding the one the caller has (raising it would fail)."""
    current_soft, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
    if current_soft != resource.RLIM_INFINITY:
        soft = min(soft, current_soft)
    resource.setrlimit(kind, (min(soft, hard), hard))


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
