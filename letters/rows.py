"""What a row of letters shows, as data: one shape for every list, whatever its source.

The letter list reads `values_list` rows, the dossier timeline a hand-written query, the dashboard,
the deadline list and search model instances. Each is turned into a LetterSummary here, so one set
of templates (includes/letter_row.html, letter_cell.html, letter_meta.html, kind_badge.html,
status_badge.html) draws a letter the same way everywhere. Nothing here writes HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator

from core.links import pk_url

if TYPE_CHECKING:
    from deadlines.models import Deadline

    from .models import Letter

# What a letter list row reads: `values_list(*LIST_COLUMNS, named=True)` gives rows with these names.
LIST_COLUMNS = (
    "pk",
    "kind",
    "date",
    "subject",
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


def cut(text: str, chars: int) -> str:
    # Truncator counts no more than len() does: shorter texts are returned as they are.
    return Truncator(text).chars(chars) if len(text) > chars else text


@dataclass(frozen=True, slots=True)
class LetterSummary:
    """A letter as its row shows it. Texts are plain (the templates escape them); "" when absent."""

    pk: int
    kind: str
    date: date | None
    title: str  # the subject, cut to TITLE_CHARS; "" without one (never the sender's name)
    url: str
    places: tuple[str, ...]  # committee, minister and dossier, those that are known
    status: str | None = None  # of the letter's deadline, if it has one
    due_date: date | None = None
    answered_on: date | None = None
    unconfirmed: bool = False  # imported and not yet confirmed by a clerk

    @property
    def open_due_date(self) -> date | None:
        """The due date while the letter is unanswered."""
        return self.due_date if self.answered_on is None else None


def places(committee: str | None, minister: str | None, dossier: str | None) -> tuple[str, ...]:
    return tuple(
        text for text in (committee, cut(minister, PORTFOLIO_CHARS) if minister else "", dossier) if text
    )


def summaries(rows: Iterable[Any]) -> list[LetterSummary]:
    """LetterSummary of each `values_list(*LIST_COLUMNS, named=True)` row."""
    url = pk_url("letters:detail")
    return [
        LetterSummary(
            pk=row.pk,
            kind=row.kind,
            date=row.date,
            title=cut(row.subject, TITLE_CHARS),
            url=url(row.pk),
            places=places(
                row.committee__short_name or row.committee__name, row.minister__portfolio, row.dossier__number
            ),
            status=row.deadline__status,
            due_date=row.deadline__due_date,
            answered_on=row.deadline__answered_on,
            unconfirmed=not row.confirmed_at and row.source_id is not None,
        )
        for row in rows
    ]


def summary(letter: Letter, deadline: Deadline | None = None) -> LetterSummary:
    """LetterSummary of a Letter whose committee, minister and dossier are selected with it."""
    committee = letter.committee
    return LetterSummary(
        pk=letter.pk,
        kind=letter.kind,
        date=letter.date,
        title=cut(letter.subject, TITLE_CHARS),
        url=pk_url("letters:detail")(letter.pk),
        places=places(
            (committee.short_name or committee.name) if committee else None,
            letter.minister.portfolio if letter.minister else None,
            letter.dossier.number if letter.dossier else None,
        ),
        status=deadline.status if deadline is not None else None,
        due_date=deadline.due_date if deadline is not None else None,
        answered_on=deadline.answered_on if deadline is not None else None,
    )
