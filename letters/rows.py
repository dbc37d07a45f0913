"""What lists of letters show per row, resolved once per request, and the letter list's rows as HTML.

Every template variable, filter and `{% url %}` costs microseconds; over a page of 50 rows with a
dozen values each that was more than the page's own SQL. So the labels, colours, dates and URLs
are looked up once per request (RowDisplay), and the letter list's rows, like the dossier
timeline's (dossiers/timeline.py), are written out by one f-string per row over values read with
`values_list` (no model instances), every text from the database escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape  # Django's escape is this, behind a lazy-argument check that costs more
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.links import pk_url
from deadlines.choices import DEADLINE_STATUS_COLOURS, DeadlineStatus

from .choices import LETTER_KIND_COLOURS, LetterKind


class RowDisplay:
    """Labels, colours, dates and letter URLs for rows of letters, resolved once per request.

    `get_kind_display` and friends rebuild a dict of lazily translated labels on every call.
    Built per request, the labels follow the active language.
    """

    # Labels and month names per language: translations are fixed for the life of the process.
    _words: dict[str | None, tuple] = {}

    def __init__(self) -> None:
        language = get_language()
        words = self._words.get(language)
        if words is None:
            words = self._words[language] = (
                {value: str(label) for value, label in LetterKind.choices},
                {value: str(label) for value, label in DeadlineStatus.choices},
                # The `date:"j M Y"` filter, with the month names looked up once.
                {month: date_format(date(2000, month, 1), "M") for month in range(1, 13)},
                _("undated"),
                _("(no subject)"),
            )
        self.kind_labels, self.status_labels, self.months, self.undated, self.no_subject = words
        self.letter_url = pk_url("letters:detail")

    def day(self, value: date | None) -> str:
        """`value|date:"j M Y"|default:_("undated")`."""
        if value is None:
            return self.undated
        return f"{value.day} {self.months[value.month]} {value.year}"


# What a letter list row reads: `values_list(*LIST_COLUMNS, named=True)` gives rows with these names.
LIST_COLUMNS = (
    "pk",
    "kind",
    "date",
    "subject",
    "sender",
    "confirmed_at",
    "source_id",
    "committee__name",
    "committee__short_name",
    "minister__portfolio",
    "dossier__number",
    "deadline__status",
    "deadline__due_date",
    "deadline__answered_on",
)
TITLE_CHARS = 110
PORTFOLIO_CHARS = 60


@dataclass(frozen=True, slots=True)
class LetterRow:
    pk: int
    kind: str
    date: date | None
    status: str | None  # of the letter's deadline, if it has one
    answered_on: date | None
    html: SafeString


def cut(text: str, chars: int) -> str:
    # Truncator counts no more than len() does: shorter texts are returned as they are.
    return Truncator(text).chars(chars) if len(text) > chars else text


def letter_rows(rows: Iterable[Any]) -> list[LetterRow]:
    """One `<tr>` per letter: date, kind, title with its committee, minister and dossier, status."""
    display = RowDisplay()
    due, unconfirmed = escape(_("due")), escape(_("unconfirmed"))
    items = []
    for row in rows:
        kind, status = row.kind, row.deadline__status
        title = cut(row.subject or row.sender or display.no_subject, TITLE_CHARS)
        dated = display.day(row.date)
        meta = [dated]
        if row.committee__name:
            meta.append(row.committee__short_name or row.committee__name)
        if row.minister__portfolio:
            meta.append(cut(row.minister__portfolio, PORTFOLIO_CHARS))
        if row.dossier__number:
            meta.append(row.dossier__number)
        state = ""
        if status is not None:
            label = escape(display.status_labels.get(status, status))
            state = f'<span class="badge badge-{DEADLINE_STATUS_COLOURS.get(status, "grey")}">{label}</span>'
            if row.deadline__due_date and not row.deadline__answered_on:
                day = escape(display.day(row.deadline__due_date))
                state += f'<br><span class="muted small">{due} {day}</span>'
        if not row.confirmed_at and row.source_id:
            state += f' <span class="badge badge-yellow">{unconfirmed}</span>'
        html = (
            f'<tr><td class="nowrap">{escape(dated)}</td>'
            f'<td><span class="badge badge-{LETTER_KIND_COLOURS.get(kind, "grey")}">'
            f"{escape(display.kind_labels.get(kind, kind))}</span></td>"
            f'<td><a href="{display.letter_url(row.pk)}">{escape(title)}</a>'
            f'<br><span class="muted">{escape(" · ".join(meta))}</span></td>'
            f"<td>{state}</td></tr>"
        )
        items.append(
            LetterRow(
                pk=row.pk,
                kind=kind,
                date=row.date,
                status=status,
                answered_on=row.deadline__answered_on,
                html=mark_safe(html),
            )
        )
    return items
