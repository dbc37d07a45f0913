"""A dossier's timeline rows, written out as HTML in Python.

The timeline is the dossier page's whole body: as a template, its ~20 variables, conditions and
translations per row cost several times the page's SQL. Here each row is one f-string over values
read with `values_list` (no model instances), every text from the database escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape  # Django's escape is this, behind a lazy-argument check that costs more
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines.choices import DEADLINE_STATUS_COLOURS
from letters.choices import LETTER_KIND_COLOURS, LetterKind
from letters.rows import RowDisplay

TITLE_CHARS = 140

# What a row reads: `values_list(*COLUMNS, named=True)` gives rows with these attribute names.
COLUMNS = (
    "pk",
    "kind",
    "date",
    "subject",
    "sender",
    "dossier_document",
    "committee__name",
    "minister__portfolio",
    "in_reply_to",
    "in_reply_to__kind",
    "in_reply_to__date",
    "deadline__status",
    "deadline__due_date",
    "deadline__answered_on",
)


def reply_days(asked: date | None, replied: date | None) -> int | None:
    if asked is None or replied is None:
        return None
    return (replied - asked).days


@dataclass(frozen=True, slots=True)
class TimelineItem:
    pk: int
    kind: str
    date: date | None
    reply_days: int | None  # a question letter: until its answer; a reply: since the letter it answers
    html: SafeString


def timeline_items(rows: list[Any]) -> list[TimelineItem]:
    display = RowDisplay()
    replies_to, due = escape(_("replies to")), escape(_("due"))
    items = []
    for row in rows:
        kind, status, reply_to = row.kind, row.deadline__status, row.in_reply_to
        if kind == LetterKind.QUESTIONS and status is not None:
            days = reply_days(row.date, row.deadline__answered_on)
        else:
            days = reply_days(row.in_reply_to__date, row.date) if reply_to is not None else None
        colour = LETTER_KIND_COLOURS.get(kind, "grey")
        badges = f'<span class="badge badge-{colour}">{escape(display.kind_labels.get(kind, kind))}</span>'
        if status is not None:
            label = escape(display.status_labels.get(status, status))
            badges += (
                f' <span class="badge badge-{DEADLINE_STATUS_COLOURS.get(status, "grey")}">{label}</span>'
            )
        title = row.subject or row.sender or display.no_subject
        if len(title) > TITLE_CHARS:  # Truncator counts no more than len() does: shorter titles stay
            title = Truncator(title).chars(TITLE_CHARS)
        meta = [
            escape(text)
            for text in (row.committee__name, row.minister__portfolio, row.dossier_document)
            if text
        ]
        if reply_to is not None:
            word = display.kind_labels.get(row.in_reply_to__kind, row.in_reply_to__kind).lower()
            day = display.day(row.in_reply_to__date) if row.in_reply_to__date else ""
            meta.append(
                f'{replies_to} <a href="{display.letter_url(reply_to)}">{escape(word)} {escape(day)}</a>'
            )
        if row.deadline__due_date and not row.deadline__answered_on:
            meta.append(f"{due} {escape(display.day(row.deadline__due_date))}")
        if days is not None:
            meta.append(
                escape(
                    ngettext("reply after %(days)s day", "reply after %(days)s days", days) % {"days": days}
                )
            )
        html = (
            f'<li class="timeline-item timeline-{colour}">'
            f'<div class="timeline-date">{escape(display.day(row.date))}</div>'
            f'<div class="timeline-body">{badges} <a href="{display.letter_url(row.pk)}">{escape(title)}</a>'
            f'<div class="muted small">{" · ".join(meta)}</div></div></li>'
        )
        items.append(TimelineItem(pk=row.pk, kind=kind, date=row.date, reply_days=days, html=mark_safe(html)))
    return items
