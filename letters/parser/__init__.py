"""Framework-free structure parser: cleaned page text in, letters / questions / answers out.

Entry points:

- `parse_file(path)`: a .pdf (extracted in a bounded child process) or a .txt file;
  raises `UnreadableDocument` when the file cannot be turned into text.
- `parse_text(text, source=...)`: plain text, pages split on form feeds.
- `parse_pages(pages, source=...)`: pages from `extract.py`.

Formats, tried in this order: Tweede Kamer Kamervragen (`formats.kamervragen`), a written
round on a bill (`formats.bill_round`: verslag, nota naar aanleiding van het verslag, voorlopig
verslag, memorie van antwoord, eindverslag), a Handelingen Bijvoegsel (`formats.bijvoegsel`),
and committee correspondence: Eerste Kamer
bundles, single committee letters, lone answer letters and anything else as kind `other`
(`formats.correspondence`). The result shape is `result.ParseResult.to_dict()`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from . import ocr
from .builder import Builder
from .extract import PageText, UnreadableDocument, extract_document, text_pages
from .formats import bijvoegsel, bill_round, correspondence, kamervragen
from .result import Notice, ParsedAnswer, ParsedLetter, ParsedQuestion, ParseResult
from .text import Document, Page, build_document

__all__ = [
    "Notice",
    "PageText",
    "ParseResult",
    "ParsedAnswer",
    "ParsedLetter",
    "ParsedQuestion",
    "UnreadableDocument",
    "parse_file",
    "parse_pages",
    "parse_text",
]


def parse_pages(
    pages: Iterable[Page], *, source: str, ocr_floor: float = ocr.CONFIDENCE_FLOOR
) -> ParseResult:
    """The letters, questions and answers on `pages`, read once in order (they may still be
    arriving). `ocr_floor`: scanned pages read with a lower mean confidence are flagged for a clerk."""
    read: list[Page] = []  # as they arrived: a format may read them again (bill rounds)

    def keeping(pages: Iterable[Page]) -> Iterable[Page]:
        for page in pages:
            read.append(page)
            yield page

    document = build_document(keeping(pages))
    builder = Builder(source, document.pages)
    builder.result.ocr = ocr.summarise(
        [(page.number, page.ocr_confidence) for page in read if getattr(page, "ocr", False)], floor=ocr_floor
    )
    for scan in builder.result.ocr:
        if scan.low:
            builder.warn("ocr_low_confidence", page=scan.page, confidence=round(scan.confidence))
    if not document.lines:
        builder.warn("document_empty")
        return builder.result
    keep = numbered_lines(document)
    if keep is not None:
        # read again keeping the numbers that stand on lines of their own ("24")
        document = build_document(read, keep=keep)
    if kamervragen.detect(document):
        kamervragen.parse(document, builder)
    elif bill_round.detect(document):
        bill_round.parse(document, builder)
    elif bijvoegsel.detect(document):
        bijvoegsel.parse(document, builder)
    else:
        correspondence.parse(document, builder)
    return builder.result


def numbered_lines(document: Document) -> Callable[[str], bool] | None:
    """The document's family's own lines that look like page numbers, for `build_document(keep=)`:
    a bill round's item numbers ("24"), the older Kamervragen print's question numbers ("3")."""
    if kamervragen.detect(document):
        return kamervragen.keep_line if kamervragen.older_print(document) else None
    return bill_round.keep_line if bill_round.detect(document) else None


def parse_text(text: str, *, source: str) -> ParseResult:
    return parse_pages(text_pages(text), source=source)


def parse_file(path: str | os.PathLike[str]) -> ParseResult:
    """Parse a .pdf or .txt file; raises `UnreadableDocument` for files that yield no text."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return parse_pages(extract_document(path), source=path.name)
    return parse_text(path.read_text(encoding="utf-8", errors="replace"), source=path.name)
