"""A dossier's timeline: its letters read in one hand-written query, each row written out as HTML.

The timeline is the dossier page's whole body. As an ORM query (14 columns over five tables) it
took longer to build and compile in Python than PostgreSQL took to plan and run it, and as a
template its ~20 variables, conditions and translations per row cost several times the page's SQL.
So the rows are read with plain SQL (PostgreSQL and SQLite alike) into named tuples, and each row is
one f-string, every text from the database escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape  # Django's escape is this, behind a lazy-argument check that costs more
from typing import NamedTuple

from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pagination import KeysetPage, decode_cursor, keyset_page
from deadlines import rules
from deadlines.choices import DEADLINE_STATUS_COLOURS
from letters.choices import LETTER_KIND_COLOURS, LetterKind
from letters.rows import RowDisplay, cut

TITLE_CHARS = 140


class TimelineRow(NamedTuple):
    pk: int
    kind: str
    date: date | None
    subject: str
    sender: str
    dossier_document: str
    committee: str | None  # name
    minister: str | None  # portfolio
    in_reply_to: int | None
    in_reply_to_kind: str | None
    in_reply_to_date: date | None
    status: str | None  # of the letter's deadline, if it has one
    due_date: date | None
    answered_on: date | None


# Oldest first, undated letters last: the order and the cursor of core.pagination.keyset_paginate.
TIMELINE_SQL = """
SELECT l.id, l.kind, l.date, l.subject, l.sender, l.dossier_document, c.name, m.portfolio,
       l.in_reply_to_id, r.kind, r.date, d.status, d.due_date, d.answered_on
FROM letters_letter l
LEFT JOIN dossiers_committee c ON c.id = l.committee_id
LEFT JOIN dossiers_minister m ON m.id = l.minister_id
LEFT JOIN letters_letter r ON r.id = l.in_reply_to_id
LEFT JOIN deadlines_deadline d ON d.letter_id = l.id
WHERE l.dossier_id = %s{after}
ORDER BY l.date ASC NULLS LAST, l.id ASC
LIMIT %s
"""
AFTER_DATE = " AND (l.date > %s OR (l.date = %s AND l.id > %s) OR l.date IS NULL)"
AFTER_UNDATED = " AND l.date IS NULL AND l.id > %s"


def timeline_page(dossier_id: int, *, cursor: str | None, per_page: int) -> KeysetPage:
    """The dossier's letters after `cursor` (an encode_cursor() value), `per_page` of them."""
    decoded = decode_cursor(cursor)
    after, params = "", []
    if decoded is not None:
        value, pk = decoded
        after, params = (AFTER_UNDATED, [pk]) if value is None else (AFTER_DATE, [value, value, pk])
    with connection.cursor() as db:
        db.execute(TIMELINE_SQL.format(after=after), [dossier_id, *params, per_page + 1])
        rows = [TimelineRow._make(row) for row in db.fetchall()]
    return keyset_page(rows, field="date", cursor=cursor if decoded else None, per_page=per_page)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    pk: int
    kind: str
    date: date | None
    reply_days: int | None  # a question letter: until its answer; a reply: since the letter it answers
    html: SafeString


def timeline_items(rows: list[TimelineRow]) -> list[TimelineItem]:
    display = RowDisplay()
    replies_to, due = escape(_("replies to")), escape(_("due"))
    items = []
    for row in rows:
        kind, status, reply_to = row.kind, row.status, row.in_reply_to
        if kind == LetterKind.QUESTIONS and status is not None:
            days = rules.reply_days(row.date, row.answered_on)
        else:
            days = rules.reply_days(row.in_reply_to_date, row.date) if reply_to is not None else None
        colour = LETTER_KIND_COLOURS.get(kind, "grey")
        badges = f'<span class="badge badge-{colour}">{escape(display.kind_labels.get(kind, kind))}</span>'
        if status is not None:
            label = escape(display.status_labels.get(status, status))
            badges += (
                f' <span class="badge badge-{DEADLINE_STATUS_COLOURS.get(status, "grey")}">{label}</span>'
            )
        title = cut(row.subject or row.sender or display.no_subject, TITLE_CHARS)
        meta = [escape(text) for text in (row.committee, row.minister, row.dossier_document) if text]
        if reply_to is not None:
            word = display.kind_labels.get(row.in_reply_to_kind, row.in_reply_to_kind).lower()
            day = display.day(row.in_reply_to_date) if row.in_reply_to_date else ""
            meta.append(
                f'{replies_to} <a href="{display.letter_url(reply_to)}">{escape(word)} {escape(day)}</a>'
            )
        if row.due_date and not row.answered_on:
            meta.append(f"{due} {escape(display.day(row.due_date))}")
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
