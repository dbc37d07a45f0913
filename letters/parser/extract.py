"""Text extraction for the letter parser: clean page text from PDFs and plain-text files.

Framework-free (no Django), so it can run in a worker, a management command or a
bare child process. The structure parser consumes `PageText`; this module only
removes layout noise and never interprets the letter.

PDF cleaning works on pdfplumber words with their font size and position, one
`extract_words` call per page:

* running headers and footers (document number, ISSN, page numbers, "Pagina 2 van 5")
  move from `text` to `furniture`, because the parser reads the document number there;
* footnote markers are recognised as smaller, raised glyphs glued to a word, never by
  digits alone (so "2024" and "artikel 3" survive), and footnote bodies at the page foot
  move to `footnotes`;
* the right-hand metadata column of ministry letters ("Kenmerk", "Datum", addresses)
  goes to `margin` instead of being woven into the body;
* words hyphenated across lines are joined, real hyphens are kept.

`extract_document` runs the extraction in a child process under a memory limit and a
wall-clock timeout, since uploaded PDFs are untrusted (deflate bombs, huge page trees).
"""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import selectors
import signal
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

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
)


@dataclass
class PageText:
    number: int  # 1-based page number
    text: str  # cleaned body text of the page
    footnotes: list[str]  # footnote bodies from the page foot, number first: "2 Kamerstukken I ..."
    margin: str = ""  # right-hand metadata column of ministry letters ("Kenmerk ...", "Datum ...")
    furniture: list[str] = field(default_factory=list)  # header/footer lines removed from `text`


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


# --- joining lines --------------------------------------------------------------------

# "aanloop- en volloopverliezen", "Oost- en Zuid-Nederland": the hyphen stands for a shared
# word part, so the line break is a real space.
_ELLIPSIS_FOLLOWERS = frozenset({"en", "of", "tot", "t/m", "and", "or", "noch"})
# Dutch writes a hyphen where two vowels would otherwise read as one sound (zee-egel,
# politie-inzet, auto-ongeluk); hyphenation never splits such a pair, so it is a real hyphen.
_VOWEL_CLASHES = frozenset(
    {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu"}
)
# A URL broken at one of these characters continues on the next line without a space.
_URL_CONTINUATION = ("%", "/", "?", "&", "=", "#", "-", "_")


def _is_url(word: str) -> bool:
    return "://" in word or "www." in word


def _glue(previous: str, following: str) -> tuple[str, str] | None:
    """Joins a word broken over two lines: returns (new previous line, rest of following) or None."""
    if not following or not previous:
        return None
    head, _, rest = following.partition(" ")
    tail = previous[previous.rfind(" ") + 1 :]
    if _is_url(tail):
        if tail.endswith(_URL_CONTINUATION) or head.startswith(_URL_CONTINUATION):
            return previous + head, rest
        return None
    if not tail.endswith("-") or len(tail) < 2:
        return None
    stem = tail[:-1]
    if head.rstrip(",.;:").lower() in _ELLIPSIS_FOLLOWERS:
        return None
    first, last = head[0], stem[-1]
    keep_hyphen = (
        not first.islower()  # GroenLinks-PvdA, Noord-Holland, COVID-19
        or not last.isalpha()  # 2023-2024, (maatwerk)-bedrijven
        or last.isupper()  # DRC-tracé, SER-verkenning
        or len(stem.rsplit("-", 1)[-1]) == 1  # e-mail
        or (last + first).lower() in _VOWEL_CLASHES
    )
    return (previous if keep_hyphen else previous[:-1]) + head, rest


def _join_broken_words(lines: Iterable[str]) -> list[str]:
    """Moves the second half of a word broken at a line end up to the first half."""
    joined: list[str] = []
    for line in lines:
        if joined:
            glued = _glue(joined[-1], line)
            if glued is not None:
                joined[-1], line = glued
                if not line:
                    continue
        joined.append(line)
    return joined


# --- plain text ------------------------------------------------------------------------


def text_pages(text: str) -> list[PageText]:
    """Pages of a plain-text letter: split on form feeds, normalised, broken words joined.

    Text files carry no font sizes, so footnotes stay inline and nothing goes to `margin`.
    """
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()
    return [
        PageText(number, "\n".join(_join_broken_words(normalise(chunk).split("\n"))), [])
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


_MARKER = re.compile(r"\d{1,3}(?:,\d{1,3})*|\*{1,3}|[†‡]")
_UNITS = frozenset({"m", "km", "cm", "mm", "dm"})
_FURNITURE = re.compile(
    r"""
    (?:Tweede|Eerste)\sKamer,?\svergaderjaar\s\d{4}\s?[–-]\s?\d{4}\b.*   # running footer
    | [a-z]{1,6}(?:-[A-Za-z0-9]+){2,}                                      # ah-tk-20232024-1314, kst-36521-B
    | ISSN\s?\d{4}\s?[–-]?\s?\d{3}[\dX]
    | [’']s-Gravenhage\s\d{4}
    | (?:Pagina|Page|Blz\.|Blad)\s?\d{1,4}(?:\s(?:van|of)\s\d{1,4})?
    | [–-]?\s?\d{1,4}\s?[–-]?                                              # bare page number
    """,
    re.VERBOSE,
)
_PAGE_NUMBER = re.compile(r"\d{1,4}")
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
    part of the page, a clean gutter (no body word reaches it) and smaller type than the
    body; tables in the body have text crossing that gutter on the other lines.
    """
    starts = Counter(round(word["x0"]) for word in words if word["x0"] >= 0.7 * width)
    for x, count in starts.most_common(3):
        if count < 3:
            break
        edge = x - 1
        left = [word for word in words if word["x0"] < edge]
        right = [word for word in words if word["x0"] >= edge]
        if left and max(word["x1"] for word in left) <= edge - 3 and _dominant_size(right) < body_size:
            return left, right
    return words, []


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
    """Splits a line at wide gaps: a footer line holds several independent items."""
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
    glue_gap = 0.12 * line.size
    for word in words:
        text = word["text"]
        if (
            _is_raised(word, line)
            and _MARKER.fullmatch(text)
            and previous_text.lstrip("0123456789") not in _UNITS
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
    return normalise("".join(parts)), lead, raised


def _rows(lines: list[_Line], height: float, markers: set[str], furniture: list[str]) -> list[_Row]:
    """Renders lines, moving header/footer items from the page bands into `furniture`."""
    rows: list[_Row] = []
    for line in lines:
        in_band = line.top < _TOP_BAND * height or line.bottom > _BOTTOM_BAND * height
        kept: list[str] = []
        lead: str | None = None
        raised = False
        previous_was_furniture = False
        for index, segment in enumerate(_segments(line)):
            text, segment_lead, segment_raised = _render(segment, line, markers, row_start=index == 0)
            if index == 0:
                lead, raised = segment_lead, segment_raised
            if in_band and len(text) <= _MAX_FURNITURE_CHARS and _FURNITURE.fullmatch(text):
                if previous_was_furniture and _PAGE_NUMBER.fullmatch(text):
                    furniture[-1] += " " + text
                else:
                    furniture.append(text)
                previous_was_furniture = True
                continue
            previous_was_furniture = False
            if text:
                kept.append(text)
        if kept:
            rows.append(_Row(" ".join(kept), line.top, line.size, lead, raised))
    return rows


def _footnote_start(rows: list[_Row], height: float, body_size: float, markers: set[str]) -> int:
    """Index of the first footnote row: smaller type in the lower part, opening with a marker."""
    for index, row in enumerate(rows):
        if (
            row.top > 0.4 * height
            and row.size < 0.97 * body_size
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
    return [" ".join(_join_broken_words(note)) for note in notes]


def _clean_page(number: int, words: list[dict], width: float, height: float) -> PageText:
    if not words:
        return PageText(number, "", [])
    body_size = _dominant_size(words)
    body_words, margin_words = _split_margin(words, width, body_size)
    markers: set[str] = set()
    furniture: list[str] = []
    rows = _rows(_group_lines(body_words), height, markers, furniture)
    margin_rows = _rows(_group_lines(margin_words), height, markers, furniture) if margin_words else []
    start = _footnote_start(rows, height, body_size, markers)
    return PageText(
        number=number,
        text="\n".join(_join_broken_words(row.text for row in rows[:start])),
        footnotes=_footnotes(rows[start:], markers),
        margin="\n".join(_join_broken_words(row.text for row in margin_rows)),
        furniture=furniture,
    )


# --- PDF reading -----------------------------------------------------------------------


def _check_file(path: str) -> None:
    """Cheap refusals before a PDF parser touches the file."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        megabyte = 1024 * 1024
        raise _unreadable("too_large", what=f"{size // megabyte} MB, at most {MAX_FILE_BYTES // megabyte} MB")
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


def extract_pages(path: str | os.PathLike[str], *, max_pages: int = 2000) -> Iterator[PageText]:
    """Cleaned text of each page, read one page at a time (in this process).

    Raises `UnreadableDocument`; "no_text" comes after the last page, once the whole
    document turned out to have (almost) no text.
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
        characters = 0
        for page in pages:
            try:
                words = page.extract_words(extra_attrs=["size"], x_tolerance_ratio=0.2)
                width, height = float(page.width), float(page.height)
            except Exception as error:
                raise _reading_error(error) from error
            finally:
                # pdfplumber caches the parsed layout per page; keeping it would hold the
                # whole document in memory.
                page.close()
            cleaned = _clean_page(page.page_number, words, width, height)
            del words
            page_characters = sum(
                len(part) - part.count(" ") - part.count("\n")
                for part in (cleaned.text, cleaned.margin, *cleaned.footnotes)
            )
            characters += page_characters
            if characters > MAX_TEXT_CHARS:
                raise _unreadable("too_large", what=f"more than {MAX_TEXT_CHARS:,} characters of text")
            yield cleaned
        if characters < MIN_CHARS_PER_PAGE * len(pages):
            raise _unreadable("no_text")


# --- isolation in a child process ----------------------------------------------------------

_CHILD_FAILED_MEMORY = 3


def extract_document(
    path: str | os.PathLike[str],
    *,
    memory_limit_mb: int = 400,
    timeout_s: float = 300,
    max_pages: int = 2000,
) -> list[PageText]:
    """All pages, extracted in a child process limited in memory (RLIMIT_AS) and wall-clock time.

    A subprocess rather than multiprocessing, because Celery's prefork workers are daemonic
    and may not start multiprocessing children. The child streams one JSON line per page,
    so the parent holds little more than the resulting text.
    """
    path = os.fspath(path)
    _check_file(path)
    command = [
        sys.executable,
        "-P",  # keep letters/parser off sys.path: its modules must not shadow the stdlib
        os.path.abspath(__file__),
        path,
        str(max_pages),
        str(memory_limit_mb),
    ]
    deadline = time.monotonic() + timeout_s
    pages: list[PageText] = []
    failure: UnreadableDocument | None = None
    finished = False
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE) as child:
        try:
            for message in _messages(child, deadline):
                if "page" in message:
                    pages.append(PageText(*message["page"]))
                elif "error" in message:
                    failure = UnreadableDocument(*message["error"])
                else:
                    finished = True
        except TimeoutError:
            failure = _unreadable("timeout", seconds=timeout_s)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
    if failure is not None:
        raise failure
    if not finished:
        if child.returncode == 1:
            raise _unreadable("damaged")
        # Killed by the kernel (SIGKILL, SIGSEGV when an allocation fails) or our own
        # MemoryError exit: the memory limit was reached.
        raise _unreadable("out_of_memory", megabytes=memory_limit_mb)
    return pages


def _messages(child: subprocess.Popen[bytes], deadline: float) -> Iterator[dict]:
    """JSON lines from the child's stdout, raising TimeoutError at the deadline."""
    assert child.stdout is not None
    descriptor = child.stdout.fileno()
    buffer = bytearray()
    scanned = 0
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise TimeoutError
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                return
            buffer += chunk
            while (end := buffer.find(b"\n", scanned)) >= 0:
                line = bytes(buffer[:end])
                del buffer[: end + 1]
                scanned = 0
                yield json.loads(line)
            scanned = len(buffer)


def _child_main(arguments: list[str]) -> int:
    path, max_pages, memory_limit_mb = arguments[0], int(arguments[1]), int(arguments[2])
    limit = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # pdfminer logs a warning per broken object; a hostile file can produce millions.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    output = sys.stdout.buffer
    error: UnreadableDocument | None = None
    try:
        for page in extract_pages(path, max_pages=max_pages):
            output.write(json.dumps({"page": astuple(page)}, ensure_ascii=False).encode() + b"\n")
            output.flush()
    except UnreadableDocument as unreadable:
        error = unreadable
    except MemoryError:
        return _CHILD_FAILED_MEMORY
    if error is not None and error.code == "out_of_memory":
        error = _unreadable("out_of_memory", megabytes=memory_limit_mb)
    outcome = {"error": [error.code, error.message]} if error else {"done": True}
    output.write(json.dumps(outcome).encode() + b"\n")
    output.flush()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(_child_main(sys.argv[1:]))
