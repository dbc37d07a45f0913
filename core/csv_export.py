"""CSV downloads of lists and tables: streamed, in the form Excel in the Netherlands opens directly.

Excel with Dutch regional settings splits columns on ';' (the comma is the decimal separator) and
reads UTF-8 only when the file starts with a byte order mark; dates as YYYY-MM-DD are read as dates
in every locale. Rows are written as they are produced, so an export of a million rows holds one
chunk of them in memory: pass a queryset's `.iterator(chunk_size=...)` or another generator.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext

from .links import pk_url

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


# Rows read from the database per round trip of a queryset export: the memory an export holds.
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Column:
    """One column of a queryset export: its header and where its cells come from.

    A column reads `path` (a lookup such as "letter__committee__name") and writes its value, or,
    with `value`, writes what that function makes of the whole row (a named tuple holding every
    path the export reads, `reads` included).
    """

    label: Any
    path: str | None = None
    value: Callable[[Any], object] | None = None
    reads: tuple[str, ...] = ()


def field_label(model: type[Model], path: str) -> str:
    """The verbose name of the field at the end of `path` ("letter__committee"), capitalised, in
    the active language: a column is headed as the field is named in forms and the admin."""
    field = None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model or model
    return capfirst(str(field.verbose_name))


def choice_labels(choices: Iterable[tuple[str, object]]) -> Callable[[str | None], str]:
    """A value's label, for a column of choices; the labels are read once, in the language active
    when the export starts, not while it streams."""
    labels = {value: str(label) for value, label in choices}
    return lambda value: labels.get(value, value or "")


def choice_column(label: Any, path: str, choices: Iterable[tuple[str, object]]) -> Column:
    """A column of choices written as their labels ("Overdue", not "overdue")."""
    labels = choice_labels(choices)
    return Column(label, value=lambda row: labels(getattr(row, path)), reads=(path,))


def queryset_rows(queryset: QuerySet, columns: Sequence[Column], *, chunk_size: int) -> Iterator[list]:
    """The cells of each row of `queryset`, read `chunk_size` rows at a time (a server-side cursor
    on PostgreSQL): one query however many rows, and one chunk of them in memory."""
    paths = list(dict.fromkeys(name for column in columns for name in (column.path, *column.reads) if name))
    rows = queryset.values_list(*paths, named=True).iterator(chunk_size=chunk_size)
    for row in rows:
        yield [column.value(row) if column.value else getattr(row, column.path) for column in columns]


def queryset_response(
    *, filename: str, queryset: QuerySet, columns: Sequence[Column], chunk_size: int = CHUNK_ROWS
) -> StreamingHttpResponse:
    """A streamed download of `queryset` (ordered as the page lists it) in `columns`."""
    header = [str(column.label) for column in columns]  # in the request's language, read now
    return csv_response(
        filename=filename, header=header, rows=queryset_rows(queryset, columns, chunk_size=chunk_size)
    )


# The query parameter that asks a list for its CSV instead of its page: the same URL, so the same
# filters (links keep them with `{% querystring export="csv" %}`).
EXPORT_PARAM = "export"


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get(EXPORT_PARAM) == "csv"


def page_link(request: HttpRequest, url_name: str) -> Callable[[int], str]:
    """The full address of the `<int:pk>` page `url_name` of each row, so a spreadsheet's cell
    leads back to it; the site's address is read once per export."""
    site = request.build_absolute_uri("/").rstrip("/")
    path = pk_url(url_name)
    return lambda pk: site + path(pk)
