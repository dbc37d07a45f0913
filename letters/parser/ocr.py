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

The page is rendered with pypdfium2 at `DPI` in greyscale. Tesseract runs with one OpenMP thread:
on a 2-core machine shared with other work its default threads made a page take 10 s instead of
1.5 s (they spin waiting for each other).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import ctypes.util
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass

TESSERACT = "tesseract"
LANGUAGE = "nld"
PACKAGES = "tesseract-ocr tesseract-ocr-nld"
DPI = 300
# Pages whose mean word confidence (0-100) is below this are flagged for a clerk to check.
CONFIDENCE_FLOOR = 60.0
# Tesseract's TSV gives boxes, not type sizes: a line's box runs from ascender to descender,
# about 1.2 times the size the line is set in.
_LINE_TO_SIZE = 1 / 1.2
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
    """Tesseract's words of a PIL image: text, confidence and box in pixels, one dict per word."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # A file, not a pipe: Tesseract that stops early (no Dutch model) would leave a writer to its
    # stdin with SIGPIPE, which ends the extraction child.
    with tempfile.NamedTemporaryFile(suffix=".pgm") as file:
        image.convert("L").save(file, "PPM")  # greyscale PGM: no compression to spend time on
        file.flush()
        try:
            done = subprocess.run(
                [TESSERACT, file.name, "stdout", "-l", LANGUAGE, "--dpi", str(DPI), "tsv"],
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
    return _words(done.stdout.decode("utf-8", errors="replace"))


def _die_with_parent() -> None:
    """Tesseract ends with the extraction child, which is killed at its deadline."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _words(tsv: str) -> list[dict]:
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, ...], float] = {}
    words: list[dict] = []
    for row in rows:
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        if row["level"] == "4":
            lines[key] = float(row["height"])
        elif row["level"] == "5" and (row.get("text") or "").strip() and float(row["conf"]) >= 0:
            left, top = float(row["left"]), float(row["top"])
            words.append(
                {
                    "text": _corrected(row["text"].strip()),
                    "conf": float(row["conf"]),
                    "x0": left,
                    "x1": left + float(row["width"]),
                    "top": top,
                    "bottom": top + float(row["height"]),
                    "line": lines.get(key, float(row["height"])),
                }
            )
    return words


def _corrected(word: str) -> str:
    """Tesseract reads a capital I standing alone ("Kamerstukken I") or opening a word as a bar;
    Dutch letters use no bar, so the parser gets the I it looks for."""
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
            "size": round(word["line"] * scale_y * _LINE_TO_SIZE * 2) / 2,
        }
        for word in words
    ]


def _mean_confidence(words: list[dict]) -> float | None:
    if not words:
        return None
    return round(sum(word["conf"] for word in words) / len(words), 1)
