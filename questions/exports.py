"""The question list as CSV: every question the list shows under the same filters, in the same
order, with whether an answer covers it and its letter's columns."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.csv_export import Column, choice_column, csv_response, field_label, page_link, queryset_response
from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from letters.choices import LetterKind
from letters.exports import letter_columns
from letters.models import Letter

from .models import Question
from .search import TARGETS, SearchResults
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


def search_csv(request: HttpRequest, results: SearchResults) -> StreamingHttpResponse:
    """The ranked hits of a search, best first: as many as its pages can show (`search.CANDIDATES`),
    each with what it is, its number and its letter."""
    links = {
        "questions": page_link(request, "questions:thread"),
        "letters": page_link(request, "letters:detail"),
    }
    site = request.build_absolute_uri("/").rstrip("/")
    kinds = {name: str(target.label) for name, target in TARGETS.items()}
    letter_kinds = {value: str(label) for value, label in LetterKind.choices}
    statuses = {value: str(label) for value, label in DeadlineStatus.choices}

    def rows():
        for hit in results.hits:
            letter = hit.obj if hit.kind == "letters" else hit.obj.letter
            deadline = getattr(letter, "deadline", None) if hit.kind != "answers" else None
            yield [
                kinds[hit.kind],
                "" if hit.kind == "letters" else hit.obj.label or hit.obj.order,
                round(hit.rank, 4),
                letter.date,
                letter_kinds.get(letter.kind, letter.kind),
                letter.subject,
                letter.committee.name if letter.committee else "",
                str(letter.minister) if letter.minister else "",
                letter.dossier.number if letter.dossier else "",
                statuses.get(deadline.status, "") if deadline else "",
                site + hit.obj.get_letter_url() if hit.kind == "answers" else links[hit.kind](hit.obj.pk),
            ]

    header = [
        _("Found in"),
        field_label(Question, "label"),
        _("Rank"),
        field_label(Letter, "date"),
        field_label(Letter, "kind"),
        field_label(Letter, "subject"),
        field_label(Letter, "committee"),
        field_label(Letter, "minister"),
        field_label(Letter, "dossier"),
        _("Deadline status"),
        pgettext("csv column", "Link"),
    ]
    return csv_response(filename=_("search"), header=[str(label) for label in header], rows=rows())
