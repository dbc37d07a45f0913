"""A dossier's timeline: its letters read in one hand-written query, as data for the template.

The timeline is the dossier page's whole body. As an ORM query (14 columns over five tables) it
took longer to build and compile in Python than PostgreSQL took to plan and run it, so the rows are
read with plain SQL (PostgreSQL and SQLite alike) into named tuples; templates/dossiers/
dossier_detail.html draws them with the same letter includes as every other list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.utils.translation import ngettext

from core.links import pk_url
from core.pagination import KeysetPage, decode_cursor, keyset_page
from deadlines import rules
from letters.choices import ASKING_KINDS
from letters.rows import TITLE_CHARS, LetterSummary, cut, places


class TimelineRow(NamedTuple):
    pk: int
    kind: str
    date: date | None
    subject: str
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
SELECT l.id, l.kind, l.date, l.subject, l.dossier_document, c.name, m.portfolio,
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
    letter: LetterSummary  # its places: committee, minister and the dossier document
    reply_to_url: str | None  # the letter this one replies to, with its kind and date
    reply_to_kind: str | None
    reply_to_date: date | None
    reply_days: int | None  # a question letter: until its answer; a reply: since the letter it answers

    @property
    def kind(self) -> str:
        return self.letter.kind

    @property
    def reply_after(self) -> str:
        """ "reply after N days", in the language of the request; "" when not known."""
        if self.reply_days is None:
            return ""
        days = self.reply_days
        return ngettext("reply after %(days)s day", "reply after %(days)s days", days) % {"days": days}


def timeline_items(rows: list[TimelineRow]) -> list[TimelineItem]:
    url = pk_url("letters:detail")
    items = []
    for row in rows:
        reply_to = row.in_reply_to
        if row.kind in ASKING_KINDS and row.status is not None:
            days = rules.reply_days(row.date, row.answered_on)
        else:
            days = rules.reply_days(row.in_reply_to_date, row.date) if reply_to is not None else None
        letter = LetterSummary(
            pk=row.pk,
            kind=row.kind,
            date=row.date,
            title=cut(row.subject, TITLE_CHARS),
            url=url(row.pk),
            places=places(row.committee, row.minister, row.dossier_document),
            status=row.status,
            due_date=row.due_date,
            answered_on=row.answered_on,
        )
        items.append(
            TimelineItem(
                letter=letter,
                reply_to_url=url(reply_to) if reply_to is not None else None,
                reply_to_kind=row.in_reply_to_kind,
                reply_to_date=row.in_reply_to_date,
                reply_days=days,
            )
        )
    return items
