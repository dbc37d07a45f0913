"""CSV downloads of lists and tables: streamed, in the form Excel in the Netherlands opens directly.

Excel with Dutch regional settings splits columns on ';' (the comma is the decimal separator) and
reads UTF-8 only when the file starts with a byte order mark; dates as YYYY-MM-DD are read as dates
in every locale. Rows are written as they are produced, so an export of a million rows holds one
chunk of them in memory: pass a queryset's `.iterator(chunk_size=...)` or another generator.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.translation import gettext

BOM = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these is read by a spreadsheet as a formula ("CSV injection"): text
# from an uploaded letter must never run as one, so such a cell gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like target for csv.writer that hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def cell(value: object) -> str:
    """One value as its CSV text: empty for None, ISO dates, decimal commas, ja/nee, no formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return format(value, "g").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The file's lines: the byte order mark and the header (labels in the user's language), then a
    line per row."""
    writer = csv.writer(_Line(), delimiter=DELIMITER)
    yield BOM + writer.writerow([str(label) for label in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_response(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A streamed download named `filename` (without extension) of `header` and `rows`."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
