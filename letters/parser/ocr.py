"""Text recognition (OCR) for scanned pages, with Tesseract's Dutch model.

Framework-free, like the rest of the parser. `extract.extract_pages` calls `Scanner.read` for a
page that has images but (almost) no text layer; the words come back shaped like pdfplumber's
(`text`, `x0`, `x1`, `top`, `bottom`, `size`, in PDF points), so the page goes through the same
layout cleaning (running headers and footers, the margin column, broken words) as a page with a
text layer, and the parser cannot tell the two apart except by the confidence it is given.

Why the `tesseract` command rather than `pytesseract` or `ocrmypdf`: pytesseract runs this same
command, after writing the image to a temporary PNG (0.13 s a page to encode, against 0.04 s for
the uncompressed PGM written here); ocrmypdf writes a whole new PDF with a text layer, which we would
then extract again. One process per page keeps a page's memory and time bounded on its own.

Sizes are what make a scan read like its text PDF: footnotes are found by their smaller type.
Tesseract's hOCR gives each line's x-height, from which a size in points follows; the lines of one
paragraph get one size, as Tesseract's estimate wavers by a pixel. A raised footnote number is too
small for Tesseract, which reads it as a mark or a letter ("Sport!", "Ll Samenstelling") or leaves
it out: it is found in the image instead (`_raised_runs`), read again as digits and given a small
size, so the layout cleaning takes it for the marker it is.

The page is rendered with pypdfium2 at `DPI` in greyscale. Tesseract runs with one OpenMP thread:
on a 2-core machine shared with other work its default threads made a page take 10 s instead of
1.5 s (they spin waiting for each other).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PIL import Image

TESSERACT = "tesseract"
LANGUAGE = "nld"
PACKAGES = "tesseract-ocr tesseract-ocr-nld"
DPI = 300
# Pages whose mean word confidence (0-100) is below this are flagged for a clerk to check.
CONFIDENCE_FLOOR = 60.0
# hOCR gives a line's x-height, not its type size: the x-height is about half the size.
_X_HEIGHT = 0.5
# a digit stands about 0.7 of its type size high
_DIGIT_HEIGHT = 0.7
# Lines of one paragraph whose x-heights differ by at most this share are one size.
_SAME_SIZE = 0.12
# A raised number's ink ends this many x-heights above the baseline, and stands at least this
# many high (a quote mark or an accent stands lower); its digits lie this close together.
_RAISED_ABOVE = 0.7
_RAISED_HEIGHT = 0.6
_DIGIT_GAP = 0.25
_RISES_ABOVE = 1.2  # its top, in x-heights above the baseline: higher than a lowercase letter
_NARROW = 0.45  # a raised number narrower than this share of its height is a 1
_STRIP_HEIGHT = 40  # pixels: the height raised numbers are enlarged to, to be read again
_INK = 128  # grey values below this are ink
_QUOTES = frozenset("’”'\"")
_HOOK_OVERLAP = 0.4  # share of a quote mark's width that lies over the "?" it was made of
_ON_BASELINE = frozenset(".,;:")
# a roman II or III whose I OCR read as an L ("IL. Reactie van de Minister"): no numeral is
# written so
_ROMAN_WITH_L = re.compile(r"I[IL]*L[IL]*\.?")
_LONE_ONE = re.compile(r"[lÌ]([.,;:)]?)")
_Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINE_CLASSES = frozenset({"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"})
_PR_SET_PDEATHSIG = 1


class OcrUnavailable(Exception):
    """Tesseract or its Dutch model is missing; `package` names the Debian package to install."""

    def __init__(self, package: str, detail: str = "") -> None:
        super().__init__(detail or package)
        self.package = package


@dataclass
class OcrPage:
    """How a scanned page was read: what the letter and its review page show."""

    page: int  # 1-based page number
    confidence: float | None  # Tesseract's mean word confidence, 0-100; None: nothing legible
    low: bool  # below the floor: a clerk should check this page against the scan


def available() -> bool:
    """Whether Tesseract and its Dutch model are installed (tests that need them skip without)."""
    if shutil.which(TESSERACT) is None:
        return False
    listed = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, text=True, check=False)
    return LANGUAGE in listed.stdout.split()


def summarise(
    confidences: list[tuple[int, float | None]], *, floor: float = CONFIDENCE_FLOOR
) -> list[OcrPage]:
    """The one rule for flagging a page: legible, but read with a mean confidence below `floor`."""
    return [
        OcrPage(number, confidence, confidence is not None and confidence < floor)
        for number, confidence in confidences
    ]


class Scanner:
    """Reads scanned pages of one PDF; opens the document for rendering only when a page needs it."""

    def __init__(self, path: str, *, timeout_s: float = 300) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.missing: OcrUnavailable | None = None  # set once a page needed OCR that is not installed
        self._document = None

    def read(self, index: int, *, width: float, height: float) -> tuple[list[dict], float | None] | None:
        """Words of page `index` (0-based) and their mean confidence; None when OCR is not installed.

        `width` and `height` are the page's size in points, as pdfplumber measures it.
        """
        if self.missing is not None:
            return None
        if shutil.which(TESSERACT) is None:
            self.missing = OcrUnavailable("tesseract-ocr")
            return None
        image = self._render(index)
        try:
            words = recognise(image, timeout_s=self.timeout_s)
        except OcrUnavailable as error:
            self.missing = error
            return None
        scale_x, scale_y = width / image.width, height / image.height
        return _in_points(words, scale_x, scale_y), _mean_confidence(words)

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def _render(self, index: int):
        import pypdfium2  # only a document with a scanned page pays for it

        if self._document is None:
            self._document = pypdfium2.PdfDocument(self.path)
        page = self._document[index]
        try:
            return page.render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()


def recognise(image, *, timeout_s: float = 300) -> list[dict]:
    """Tesseract's words of a PIL image: text, confidence, box and line x-height in pixels, one
    dict per word, with raised footnote numbers as words of their own (`_raised_runs`)."""
    image = image.convert("L")
    lines = _lines(_tesseract(image, ["-c", "hocr_char_boxes=1", "hocr"], timeout_s=timeout_s))
    _even_out(lines)
    ink = image.point(lambda value: 255 if value < _INK else 0)
    raised = [_raised_runs(ink, line) for line in lines]
    numbers = iter(_reread_digits(image, [run for runs in raised for run in runs], timeout_s=timeout_s))
    return [
        word
        for line, runs in zip(lines, raised, strict=True)
        for word in _line_words(line, [(run, next(numbers)) for run in runs])
    ]


def _tesseract(image, arguments: list[str], *, timeout_s: float) -> str:
    """Tesseract's output (config `arguments`) for a greyscale PIL image."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # A file, not a pipe: Tesseract that stops early (no Dutch model) would leave a writer to its
    # stdin with SIGPIPE, which ends the extraction child.
    with tempfile.NamedTemporaryFile(suffix=".pgm") as file:
        image.save(file, "PPM")  # greyscale PGM: no compression to spend time on
        file.flush()
        try:
            done = subprocess.run(
                [TESSERACT, file.name, "stdout", "-l", LANGUAGE, "--dpi", str(DPI), *arguments],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=env,
                timeout=timeout_s,
                check=False,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except FileNotFoundError as error:
            raise OcrUnavailable("tesseract-ocr", str(error)) from error
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace")
        if LANGUAGE in message and ("loading language" in message or "traineddata" in message):
            raise OcrUnavailable("tesseract-ocr-nld", message)
        raise RuntimeError(f"tesseract failed ({done.returncode}): {message[:500]}")
    return done.stdout.decode("utf-8", errors="replace")


def _die_with_parent() -> None:
    """Tesseract ends with the extraction child, which is killed at its deadline."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class _OcrLine:
    """One line of Tesseract's hOCR, in pixels."""

    paragraph: str
    box: _Box
    baseline: float  # y of the baseline
    x_height: float
    words: list[dict]  # text, conf, x0, x1, top, bottom and chars: (text, x0, x1) per character


def _title(element: ET.Element) -> dict[str, list[str]]:
    """hOCR's properties: "bbox 1 2 3 4; x_wconf 96" -> {"bbox": ["1", "2", "3", "4"], ...}."""
    fields = (part.split() for part in (element.get("title") or "").split(";"))
    return {field[0]: field[1:] for field in fields if field}


def _lines(hocr: str) -> list[_OcrLine]:
    lines: list[_OcrLine] = []
    for paragraph in ET.fromstring(hocr).iter(f"{_XHTML}p"):
        for element in paragraph.iter(f"{_XHTML}span"):
            if element.get("class") not in _LINE_CLASSES:
                continue
            title = _title(element)
            box = tuple(float(value) for value in title["bbox"])
            offset = float(title.get("baseline", ["0", "0"])[1])
            # Tesseract's x_size runs from ascender to descender; the x-height is what tells the
            # type size, whatever glyphs the line happens to hold
            x_height = (
                float(title.get("x_size", [box[3] - box[1]])[0])
                - float(title.get("x_ascenders", [0])[0])
                - float(title.get("x_descenders", [0])[0])
            )
            spans = element.iter(f"{_XHTML}span")
            words = [_word(span) for span in spans if span.get("class") == "ocrx_word"]
            words = [word for word in words if word["text"]]
            lines.append(_OcrLine(paragraph.get("id", ""), box, box[3] + offset, max(x_height, 1.0), words))
    return lines


def _word(element: ET.Element) -> dict:
    box = [float(value) for value in _title(element)["bbox"]]
    chars = []
    for char in element.iter(f"{_XHTML}span"):
        if char.get("class") == "ocrx_cinfo" and char.text:
            x0, _, x1, _ = (float(value) for value in _title(char)["x_bboxes"])
            if chars and _hook_of(chars[-1], (char.text, x0, x1)):
                chars.pop()
            chars.append((char.text, x0, x1))
    text = "".join(char for char, _, _ in chars) or "".join(element.itertext()).strip()
    return {
        "text": _corrected(text.strip()),
        "conf": float(_title(element).get("x_wconf", ["0"])[0]),
        "x0": box[0],
        "x1": box[2],
        "top": box[1],
        "bottom": box[3],
        "chars": chars,
    }


def _hook_of(previous: tuple[str, float, float], char: tuple[str, float, float]) -> bool:
    """Whether `previous` is a quote mark Tesseract made of the hook of the question or exclamation
    mark after it ("vrachtverkeer’?"): its box lies largely inside that mark's."""
    text, x0, x1 = previous
    overlap = min(x1, char[2]) - max(x0, char[1])
    return text in _QUOTES and char[0] in "?!" and overlap >= _HOOK_OVERLAP * (x1 - x0)


def _even_out(lines: list[_OcrLine]) -> None:
    """Lines of one paragraph are set in one size: Tesseract's estimate wavers by a pixel or two
    from line to line, enough to make a line of body text look like a footnote's smaller type."""
    paragraphs: dict[str, list[_OcrLine]] = {}
    for line in lines:
        paragraphs.setdefault(line.paragraph, []).append(line)
    for members in paragraphs.values():
        typical = statistics.median(line.x_height for line in members)
        for line in members:
            if abs(line.x_height - typical) <= _SAME_SIZE * typical:
                line.x_height = typical


def _raised_runs(ink, line: _OcrLine) -> list[_Box]:
    """Boxes of raised numbers (footnote markers) on `line`. OCR reads such a small raised digit as
    a letter or a mark ("Sport!", "jeugdzorg.”", "Ll Samenstelling"), or leaves it out.

    A raised number is ink standing apart from its neighbours (blank columns either side), none of
    it near the baseline, rising above the x-height and as tall as a digit: the arch of an "n" or
    the bowl of a "P" touches a stem, a quote mark or an accent stands lower."""
    x0, top, x1, bottom = (round(value) for value in line.box)
    split = round(line.baseline - _RAISED_ABOVE * line.x_height)
    if x1 - x0 < 2 or not top < split < bottom:
        return []
    upper = _columns(ink.crop((x0, top, x1, split)))
    lower = _columns(ink.crop((x0, split, x1, bottom)))
    runs: list[list[int]] = []  # column ranges of ink above the baseline only
    for column, (above, below) in enumerate(zip(upper, lower, strict=True)):
        if not above or below:
            continue
        joins = runs and column - runs[-1][1] <= max(2, _DIGIT_GAP * line.x_height)
        if joins and not any(lower[runs[-1][1] + 1 : column]):
            runs[-1][1] = column
        else:
            runs.append([column, column])
    apart = [
        (first, last)
        for first, last in runs
        if (first == 0 or not lower[first - 1]) and (last + 1 == len(lower) or not lower[last + 1])
    ]
    boxes = []
    for first, last in apart:
        found = ink.crop((x0 + first, top, x0 + last + 1, split)).getbbox()
        if (
            found
            and found[3] - found[1] >= _RAISED_HEIGHT * line.x_height
            and top + found[1] <= line.baseline - _RISES_ABOVE * line.x_height
        ):
            boxes.append((x0 + first, top + found[1], x0 + last + 1, top + found[3]))
    return boxes


def _columns(band) -> list[bool]:
    """Per pixel column of a thresholded band: whether it holds any ink."""
    if band.width == 0 or band.height == 0:
        return [False] * band.width
    return [value > 0 for value in band.resize((band.width, 1), Image.Resampling.BOX).getdata()]


def _reread_digits(image, boxes: list[_Box], *, timeout_s: float) -> list[str]:
    """The digits in each box. A box narrower than any other digit holds a 1: Tesseract takes a
    lone 1 for a speck. The others are read in one Tesseract call: enlarged to one height, side by
    side on a strip with wide gaps, read as a line of digits only. "" where no digit is read."""
    read = ["1" if x1 - x0 < _NARROW * (bottom - top) else "" for x0, top, x1, bottom in boxes]
    wide = [index for index, number in enumerate(read) if not number]
    if not wide:
        return read
    crops = []
    for x0, top, x1, bottom in (boxes[index] for index in wide):
        crop = image.crop((x0 - 2, top - 2, x1 + 2, bottom + 2))
        scale = _STRIP_HEIGHT / crop.height
        size = (max(1, round(crop.width * scale)), _STRIP_HEIGHT)
        crops.append(crop.resize(size, Image.Resampling.LANCZOS))
    gap = 2 * _STRIP_HEIGHT
    strip = Image.new("L", (gap + sum(crop.width + gap for crop in crops), 3 * _STRIP_HEIGHT), 255)
    spans = []
    x = gap
    for index, crop in zip(wide, crops, strict=True):
        strip.paste(crop, (x, _STRIP_HEIGHT))
        spans.append((index, x, x + crop.width))
        x += crop.width + gap
    arguments = ["--psm", "7", "-c", "tessedit_char_whitelist=0123456789", "-c", "hocr_char_boxes=1", "hocr"]
    for line in _lines(_tesseract(strip, arguments, timeout_s=timeout_s)):
        # by character: Tesseract may take the whole strip for one word
        for text, x0, x1 in (char for word in line.words for char in word["chars"]):
            for index, start, end in spans:
                if start - gap / 2 <= (x0 + x1) / 2 <= end + gap / 2 and text.isdigit():
                    read[index] += text
    return read


def _line_words(line: _OcrLine, raised: list[tuple[_Box, str]]) -> list[dict]:
    """The line's words, each knowing the line's x-height, with the raised numbers (box, digits)
    read as digits in place of the characters OCR made of them."""
    markers = [(box, number) for box, number in raised if number]
    words = []
    for word in line.words:
        kept: list[tuple[str, float, float]] = []
        for char in word["chars"]:
            read = _unraised(char, line, markers)
            # a stop put back where OCR also read the stop itself is one stop too many
            if read is not None and not (read is not char and kept and kept[-1][0] in _ON_BASELINE):
                kept.append(read)
        if kept != word["chars"]:
            if not kept:
                continue
            word = {**word, "text": "".join(char for char, _, _ in kept), "x0": kept[0][1], "x1": kept[-1][2]}
        words.append({**word, "x_height": line.x_height})
    for (x0, top, x1, bottom), number in markers:
        height = (bottom - top) / _DIGIT_HEIGHT * _X_HEIGHT
        words.append(
            {
                "text": number,
                "conf": None,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "x_height": height,
            }
        )
    return sorted(words, key=lambda word: word["x0"])


def _unraised(
    char: tuple[str, float, float], line: _OcrLine, markers: list[tuple[_Box, str]]
) -> tuple[str, float, float] | None:
    """The character, or None where OCR made it of a raised number. A stop or comma beside the
    number sits on the baseline, so it stays; where OCR read the stop and the number as one mark
    ("volkshuisvesting.2" as "volkshuisvesting?"), its box reaches well before the number's and
    the stop is put back. A letter is the number's only when it stands over it; a mark also when
    it covers most of it ("rechtspraak.1" as "rechtspraak!", the box centred on the stop)."""
    text, x0, x1 = char

    def made_of(box: _Box) -> bool:
        if box[0] <= (x0 + x1) / 2 <= box[2]:
            return True
        return not text.isalnum() and min(x1, box[2]) - max(x0, box[0]) >= 0.5 * (box[2] - box[0])

    box = next((box for box, _ in markers if made_of(box)), None)
    if box is None or text in _ON_BASELINE:
        return char
    if box[0] - x0 >= _DIGIT_GAP * line.x_height:
        return ".", x0, box[0]
    return None


def _corrected(word: str) -> str:
    """Tesseract reads a capital I standing alone ("Kamerstukken I") or opening a word as a bar,
    a 1 standing alone ("uiterlijk 1 oktober", "vraag 1.") as an l or an Ì, and the second I of
    a roman II as an L: Dutch letters use no bar, no lone l and no "IL", so the parser gets the I,
    the 1 and the II it looks for."""
    lone_one = _LONE_ONE.fullmatch(word)
    if lone_one:
        return "1" + lone_one[1]
    if _ROMAN_WITH_L.fullmatch(word):
        return word.replace("L", "I")
    return "I" + word[1:] if word.startswith("|") else word


def _in_points(words: list[dict], scale_x: float, scale_y: float) -> list[dict]:
    """Pixel boxes to the points pdfplumber uses; a word's size is its line's, as type is set by line."""
    return [
        {
            "text": word["text"],
            "x0": word["x0"] * scale_x,
            "x1": word["x1"] * scale_x,
            "top": word["top"] * scale_y,
            "bottom": word["bottom"] * scale_y,
            "size": round(word["x_height"] * scale_y / _X_HEIGHT * 2) / 2,
        }
        for word in words
    ]


def _mean_confidence(words: list[dict]) -> float | None:
    """Over the words Tesseract read, not the raised numbers read again as digits."""
    read = [word["conf"] for word in words if word["conf"] is not None]
    if not read:
        return None
    return round(sum(read) / len(read), 1)
