"""The deadline list and "what ministers owe" as CSV: the rows each page lists under the same
filters, in the same order, each beside its letter's columns (`letters.exports.letter_columns`)."""

from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csv_export import Column, choice_column, field_label, page_link, queryset_response
from letters.exports import letter_columns

from . import rules, selectors
from .choices import DeadlineStatus
from .models import Deadline


def open_questions(questions: int, answered_on: date | None, unanswered: int) -> int:
    """The questions still owed: all of a letter's while no answer came, else those no answer
    covers (a partial answer)."""
    return questions if answered_on is None else unanswered


def deadline_columns(request: HttpRequest, *, today: date) -> list[Column]:
    """A deadline's columns, its days late or left counted at `today` by the rules."""
    link = page_link(request, "deadlines:detail")

    def days_left(row) -> int | None:
        return rules.days_left(row.due_date, row.answered_on, now=today)

    return [
        Column(field_label(Deadline, "due_date"), "due_date"),
        choice_column(field_label(Deadline, "status"), "status", DeadlineStatus.choices),
        Column(
            field_label(Deadline, "days_late"),
            value=lambda row: row.days_late if row.answered_on else rules.days_overdue(days_left(row)),
            reads=("days_late", "answered_on", "due_date"),
        ),
        Column(
            _("Days left"),
            value=lambda row: None if (left := days_left(row)) is None or left < 0 else left,
            reads=("due_date", "answered_on"),
        ),
        Column(field_label(Deadline, "original_due_date"), "original_due_date"),
        Column(_("Postponements"), "postponement_count"),
        Column(field_label(Deadline, "late_postponements"), "late_postponements"),
        Column(_("Questions"), "question_count"),
        Column(
            _("Open questions"),
            value=lambda row: open_questions(row.question_count, row.answered_on, row.unanswered_questions),
            reads=("unanswered_questions",),
        ),
        Column(field_label(Deadline, "answered_on"), "answered_on"),
        *letter_columns(request, prefix="letter__"),
        Column(_("Deadline page"), value=lambda row: link(row.pk), reads=("pk",)),
    ]


def by_due_date(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """The order of the deadline list and of what ministers owe (`core.pagination`'s keyset)."""
    return deadlines.order_by(F("due_date").asc(nulls_last=True), F("pk").asc())


def deadlines_csv(
    request: HttpRequest, deadlines: QuerySet[Deadline], *, filename: str, today: date
) -> StreamingHttpResponse:
    """`deadlines` (filtered as their page is) by due date, with their counts."""
    return queryset_response(
        filename=filename,
        queryset=by_due_date(selectors.with_counts(deadlines)),
        columns=deadline_columns(request, today=today),
    )
