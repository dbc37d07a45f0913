"""The question list as CSV: every question the list shows under the same filters, in the same
order, with whether an answer covers it and its letter's columns."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csv_export import Column, choice_column, field_label, page_link, queryset_response
from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from letters.exports import letter_columns

from .models import Question
from .selectors import QUESTION_ORDER, answer_count


def questions_csv(request: HttpRequest, questions: QuerySet[Question]) -> StreamingHttpResponse:
    """`questions` (filtered as the list is) in the list's order."""
    link = page_link(request, "questions:thread")
    answered = {True: _("yes"), False: _("no")}  # in the request's language, read now
    columns = [
        Column(field_label(Question, "label"), "label"),
        Column(field_label(Question, "text"), "text"),
        Column(field_label(Question, "party"), "party__name"),
        Column(field_label(Question, "member"), "member__name"),
        Column(_("Answered"), value=lambda row: answered[bool(row.answer_count)], reads=("answer_count",)),
        Column(_("Answers"), "answer_count"),
        *letter_columns(request, prefix="letter__"),
        choice_column(_("Deadline status"), "letter__deadline__status", DeadlineStatus.choices),
        Column(field_label(Deadline, "due_date"), "letter__deadline__due_date"),
        Column(_("Question page"), value=lambda row: link(row.pk), reads=("pk",)),
    ]
    ordered = questions.annotate(answer_count=answer_count()).order_by(*QUESTION_ORDER)
    return queryset_response(filename=_("questions"), queryset=ordered, columns=columns)
