"""Reply-time statistics: per chamber, committee, minister and month, how letters were answered.

Counted from the same stored facts as the deadline pages, never decided again here: a letter was
answered on time when its deadline's status is `answered` (the answer came on or before the due
date that counted, postponements included, `rules.evaluate`), late when it is `answered_late`, by
its stored `days_late`; overdue and open are its stored pending statuses. The only number derived
here is the days an answer took, `rules.reply_days` in SQL (`reply_days_expression`; a test checks
both agree), counted from the date the term counts from (the letter's date, else its receipt).

One query folds the deadlines into a "fact cube": a row per chamber, committee, minister and month
asked together, status, postponed or not, days taken and days late, with its count. Every table on
the page is added up from those rows in Python (one scan of the deadlines and their letters, not
one per table), percentiles included, so the numbers are the same on
PostgreSQL and SQLite (one definition: `percentile`, linear interpolation between the two nearest
values, as PostgreSQL's `percentile_cont`). The cube has a row per distinct number of days, not per
letter: its size grows with the spread of reply times, not with the archive.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.choices import Chamber
from dossiers.models import Committee, Minister, minister_name

from .choices import DeadlineStatus
from .models import Deadline, Postponement

# What each table groups by (a column of the fact cube).
GROUPINGS: dict[str, str] = {
    "chamber": "letter__chamber",
    "committee": "letter__committee_id",
    "minister": "letter__minister_id",
    "month": "month",
}
# Days late as the distribution chart bins them: (first day, last day or None for "and more").
LATE_BINS: tuple[tuple[int, int | None], ...] = ((1, 7), (8, 14), (15, 28), (29, 56), (57, 91), (92, None))
PENDING_NOT_OVERDUE = (DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON, DeadlineStatus.POSTPONED)


def asked_on() -> Coalesce:
    """The date the term counts from, as `Deadline.evaluate` takes it: the letter's date, else its
    receipt."""
    return Coalesce("letter__date", "letter__received_on", output_field=DateField())


def reply_days_expression() -> ExpressionWrapper:
    """`rules.reply_days(asked, answered_on)` in SQL (as a duration; `.days` of it is the number)."""
    return ExpressionWrapper(F("answered_on") - asked_on(), output_field=DurationField())


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The `fraction` percentile of the values counted in `histogram` (value -> how often).

    Linear interpolation between the two nearest ranks, as PostgreSQL's `percentile_cont`: the
    median of 2, 3, 10 and 20 days is 6.5. None when nothing was counted.
    """
    total = sum(histogram.values())
    if total == 0:
        return None
    position = fraction * (total - 1)
    below, above = math.floor(position), math.ceil(position)
    values = {}
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for rank in (below, above):
            if seen <= rank < seen + count:
                values[rank] = value
        seen += count
        if above in values:
            break
    return values[below] + (values[above] - values[below]) * (position - below)


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """What one group of letters adds up to."""

    key: Any = None
    names: tuple[Any, ...] = ()
    statuses: Counter = field(default_factory=Counter)
    postponed: Counter = field(default_factory=Counter)  # by status, letters with a postponement
    partial: int = 0  # answered letters some of whose questions no answer covers
    unanswered: int = 0  # those questions
    reply_days: Counter = field(default_factory=Counter)  # days taken -> answered letters
    days_late: Counter = field(default_factory=Counter)  # days late -> letters answered late

    def add(self, row: Mapping[str, Any]) -> None:
        status, letters = row["status"], row["letters"]
        self.statuses[status] += letters
        if row["postponed"]:
            self.postponed[status] += letters
        self.partial += row["partial"]
        self.unanswered += row["unanswered"] or 0
        if row["reply"] is not None:
            self.reply_days[row["reply"].days] += letters
        if row["days_late"] is not None:
            self.days_late[row["days_late"]] += letters

    def merge(self, other: Figures) -> None:
        for mine, theirs in (
            (self.statuses, other.statuses),
            (self.postponed, other.postponed),
            (self.reply_days, other.reply_days),
            (self.days_late, other.days_late),
        ):
            mine.update(theirs)
        self.partial += other.partial
        self.unanswered += other.unanswered

    @property
    def asked(self) -> int:
        return sum(self.statuses.values())

    @property
    def on_time(self) -> int:
        return self.statuses[DeadlineStatus.ANSWERED]

    @property
    def late(self) -> int:
        return self.statuses[DeadlineStatus.ANSWERED_LATE]

    @property
    def overdue(self) -> int:
        return self.statuses[DeadlineStatus.OVERDUE]

    @property
    def open(self) -> int:
        return sum(self.statuses[status] for status in PENDING_NOT_OVERDUE)

    @property
    def share_on_time(self) -> float | None:
        """Of the letters whose term is decided (answered, or overdue now), those answered on time;
        letters still within their term count neither way."""
        return share(self.on_time, self.on_time + self.late + self.overdue)

    @property
    def postponement_rate(self) -> float | None:
        return share(sum(self.postponed.values()), self.asked)

    @property
    def promise_kept(self) -> float | None:
        """Of the postponed letters whose (postponed) term is decided, those answered by the date
        the last notice promised."""
        kept = self.postponed[DeadlineStatus.ANSWERED]
        broken = self.postponed[DeadlineStatus.ANSWERED_LATE] + self.postponed[DeadlineStatus.OVERDUE]
        return share(kept, kept + broken)

    @property
    def reply_median(self) -> float | None:
        return percentile(self.reply_days, 0.5)

    @property
    def reply_p90(self) -> float | None:
        return percentile(self.reply_days, 0.9)

    @property
    def late_median(self) -> float | None:
        return percentile(self.days_late, 0.5)

    @property
    def late_p90(self) -> float | None:
        return percentile(self.days_late, 0.9)

    def late_bins(self) -> list[int]:
        """Letters answered late per bin of `LATE_BINS`."""
        return [
            sum(n for days, n in self.days_late.items() if first <= days and (last is None or days <= last))
            for first, last in LATE_BINS
        ]


def fact_rows(deadlines: QuerySet[Deadline]) -> QuerySet:
    """The fact cube of `deadlines`: one query, a row per distinct combination of every grouping's
    key and the facts counted (status, postponed, days taken, days late)."""
    return (
        deadlines.annotate(
            month=TruncMonth(asked_on()),
            postponed=Exists(Postponement.objects.filter(deadline=OuterRef("pk"))),
            reply=reply_days_expression(),
        )
        .values(*GROUPINGS.values(), "status", "postponed", "reply", "days_late")
        .annotate(
            letters=Count("pk"),
            partial=Count("pk", filter=Q(answered_on__isnull=False, unanswered_questions__gt=0)),
            unanswered=Sum("unanswered_questions", filter=Q(answered_on__isnull=False)),
        )
        .order_by()
    )


def fold(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Figures]]:
    """The figures of each group of every grouping in `rows`, unsorted and unnamed.

    Rows are added up first per finest group (chamber, committee, minister and month together),
    then those into each grouping: one pass over the rows instead of one per grouping.
    """
    leaves: dict[tuple, Figures] = {}
    for row in rows:
        leaf = tuple(row[column] for column in GROUPINGS.values())
        if leaf not in leaves:
            leaves[leaf] = Figures()
        leaves[leaf].add(row)
    tables: dict[str, list[Figures]] = {}
    for place, grouping in enumerate(GROUPINGS):
        groups: dict[Any, Figures] = {}
        for leaf, figures in leaves.items():
            key = leaf[place]
            if key not in groups:
                groups[key] = Figures(key=key)
            groups[key].merge(figures)
        tables[grouping] = list(groups.values())
    return tables


def total(groups: Iterable[Figures]) -> Figures:
    whole = Figures()
    for figures in groups:
        whole.merge(figures)
    return whole


def sort(grouping: str, groups: list[Figures]) -> list[Figures]:
    """A table's order: chambers and months by key (letters without one last), committees and
    ministers ranked by share on time (worst first, undecided last)."""
    if grouping in ("committee", "minister"):
        groups.sort(key=lambda g: (g.share_on_time is None, g.share_on_time or 0, str(g.names)))
    else:
        groups.sort(key=lambda g: (g.key in (None, ""), g.key or 0))
    return groups


def tables(deadlines: QuerySet[Deadline]) -> dict[str, list[Figures]]:
    """The figures per group of every grouping (`GROUPINGS`), named and in each table's order.

    One query over the deadlines; the committees' and ministers' names are read by key afterwards
    (grouping by them too made PostgreSQL sort 40,000 wide rows on disk)."""
    groups = fold(fact_rows(deadlines))
    for grouping, model, fields in (
        ("committee", Committee, ("name",)),
        ("minister", Minister, ("portfolio", "name")),
    ):
        names = {
            pk: rest
            for pk, *rest in model.objects.filter(pk__in=[g.key for g in groups[grouping]]).values_list(
                "pk", *fields
            )
        }
        for figures in groups[grouping]:
            figures.names = tuple(names.get(figures.key, ()))
    return {grouping: sort(grouping, rows) for grouping, rows in groups.items()}


# The columns of every statistics table, on the page and in its CSV: (Figures attribute, header,
# unit). Defined once so a table and its download never disagree.
COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("asked", _("Letters"), "count"),
    ("on_time", _("Answered on time"), "count"),
    ("late", _("Answered late"), "count"),
    ("open", _("Open"), "count"),
    ("overdue", _("Overdue now"), "count"),
    ("share_on_time", _("On time (%)"), "percent"),
    ("reply_median", _("Days to answer, median"), "days"),
    ("reply_p90", _("Days to answer, 90th percentile"), "days"),
    ("late_median", _("Days late, median"), "days"),
    ("late_p90", _("Days late, 90th percentile"), "days"),
    ("postponement_rate", _("Postponed (%)"), "percent"),
    ("promise_kept", _("Promised date kept (%)"), "percent"),
    ("partial", _("Partial answers"), "count"),
    ("unanswered", _("Questions left unanswered"), "count"),
)


def label(grouping: str, figures: Figures) -> str:
    """A group as the tables, charts and downloads name it (months as YYYY-MM: sortable, and
    read the same in every language)."""
    if figures.key in (None, ""):
        return gettext("None")
    if grouping == "chamber":
        return str(Chamber(figures.key).label)
    if grouping == "committee":
        return figures.names[0] if figures.names else str(figures.key)
    if grouping == "minister":
        return minister_name(*figures.names) if figures.names else str(figures.key)
    return f"{figures.key:%Y-%m}"


def late_bin_labels() -> list[str]:
    return [
        gettext("%(first)s days or more") % {"first": first}
        if last is None
        else gettext("%(first)s–%(last)s days") % {"first": first, "last": last}
        for first, last in LATE_BINS
    ]


def cells(figures: Figures) -> list[tuple[Any, str]]:
    """A table row's values with their units, in `COLUMNS` order."""
    return [(getattr(figures, attribute), unit) for attribute, _label, unit in COLUMNS]


# The first column of each grouping's table.
GROUP_HEADERS = {
    "chamber": _("Chamber"),
    "committee": _("Committee"),
    "minister": _("Minister"),
    "month": _("Month asked"),
}
