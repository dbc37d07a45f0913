"""The letter list as CSV: the rows the list shows under the same filters, in the same order; and
the letter's columns that every other export of letters (deadlines, questions) repeats."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csv_export import Column, choice_column, field_label, page_link, queryset_response
from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from dossiers.choices import Chamber
from dossiers.models import minister_name

from .choices import LetterKind
from .models import Letter


def letter_columns(request: HttpRequest, prefix: str = "") -> list[Column]:
    """A letter's columns, read through `prefix` ("letter__" from a deadline or a question)."""
    link = page_link(request, "letters:detail")
    portfolio, name, pk = f"{prefix}minister__portfolio", f"{prefix}minister__name", f"{prefix}pk"
    return [
        Column(field_label(Letter, "date"), f"{prefix}date"),
        choice_column(field_label(Letter, "kind"), f"{prefix}kind", LetterKind.choices),
        Column(field_label(Letter, "subject"), f"{prefix}subject"),
        choice_column(field_label(Letter, "chamber"), f"{prefix}chamber", Chamber.choices),
        Column(field_label(Letter, "committee"), f"{prefix}committee__name"),
        Column(
            field_label(Letter, "minister"),
            value=lambda row: minister_name(getattr(row, portfolio) or "", getattr(row, name) or ""),
            reads=(portfolio, name),
        ),
        Column(field_label(Letter, "dossier"), f"{prefix}dossier__number"),
        Column(field_label(Letter, "dossier_document"), f"{prefix}dossier_document"),
        Column(field_label(Letter, "reference"), f"{prefix}reference"),
        Column(_("Letter page"), value=lambda row: link(getattr(row, pk)), reads=(pk,)),
    ]


def letters_csv(request: HttpRequest, letters: QuerySet[Letter]) -> StreamingHttpResponse:
    """`letters` (filtered as the list is) newest first, as the list orders them, each with its
    deadline."""
    ordered = letters.order_by(F("date").desc(nulls_last=True), F("pk").desc())
    columns = [
        *letter_columns(request),
        choice_column(_("Deadline status"), "deadline__status", DeadlineStatus.choices),
        Column(field_label(Deadline, "due_date"), "deadline__due_date"),
        Column(field_label(Deadline, "answered_on"), "deadline__answered_on"),
    ]
    return queryset_response(filename=_("letters"), queryset=ordered, columns=columns)
