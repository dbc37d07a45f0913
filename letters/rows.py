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
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator

from core.links import pk_url

if TYPE_CHECKING:
    from deadlines.models import Deadline

    from .models import Letter

# What a letter list row reads: `values_list(*LIST_COLUMNS, named=True)` gives rows with these names:
# the letter's columns, then its deadline's.
LETTER_COLUMNS = (
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
)
DEADLINE_COLUMNS = ("status", "due_date", "answered_on")
LIST_COLUMNS = (*LETTER_COLUMNS, *(f"deadline__{name}" for name in DEADLINE_COLUMNS))
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


def summaries(rows: Iterable[Any], *, letter: str = "", deadline: str = "deadline__") -> list[LetterSummary]:
    """LetterSummary of each `values_list(..., named=True)` row holding LETTER_COLUMNS prefixed by
    `letter` and DEADLINE_COLUMNS prefixed by `deadline`: a letter list's rows (LIST_COLUMNS), or a
    deadline list's, which name their letter's columns `letter__<name>` and their own bare."""
    url = pk_url("letters:detail")
    columns = attrgetter(
        *(letter + name for name in LETTER_COLUMNS), *(deadline + name for name in DEADLINE_COLUMNS)
    )
    result = []
    for row in rows:
        (pk, kind, day, subject, confirmed_at, source_id, committee, committee_short, portfolio, dossier,
         status, due_date, answered_on) = columns(row)  # fmt: skip
        result.append(
            LetterSummary(
                pk=pk,
                kind=kind,
                date=day,
                title=cut(subject, TITLE_CHARS),
                url=url(pk),
                places=places(committee_short or committee, portfolio, dossier),
                status=status,
                due_date=due_date,
                answered_on=answered_on,
                unconfirmed=not confirmed_at and source_id is not None,
            )
        )
    return result


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
