"""Letter pages: the filtered list, one letter with its questions and answers, the original PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import FileResponse, Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from core.csv_export import wants_csv
from core.pagination import BlockPage, block_paginate, keyset_paginate, page_number
from questions.models import Answer, Question
from questions.selectors import ITEM_FIELDS, beside_their_letter

from .exports import letters_csv
from .filters import LetterFilterSet
from .models import ANSWERS_FROM, QUESTIONS_FROM, Letter, SourceDocument, letter_position_url
from .rows import LIST_COLUMNS, summaries


class LetterListView(LoginRequiredMixin, TemplateView):
    """Letters, newest first, narrowed by the shared LetterFilterSet; keyset pages, no count."""

    template_name = "letters/letter_list.html"
    per_page = 50

    def get(self, request, *args, **kwargs):
        if wants_csv(request):
            filterset = LetterFilterSet(request.GET, queryset=Letter.objects.all())
            return letters_csv(request, filterset.qs)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = LetterFilterSet(self.request.GET, queryset=Letter.objects.all())
        page = keyset_paginate(
            filterset.qs.values_list(*LIST_COLUMNS, named=True),
            field="date",
            cursor=self.request.GET.get("after"),
            per_page=self.per_page,
        )
        page.items = summaries(page.items)
        context.update(filter=filterset, page=page)
        return context


# The letter page shows a block of questions, each beside at most ANSWERS_PER_QUESTION answers, and
# a block of answers, each beside at most QUESTIONS_PER_ANSWER questions: a letter of 25,000
# questions costs what one of 50 does.
QUESTIONS_PER_PAGE = 50
ANSWERS_PER_PAGE = 50
ANSWERS_PER_QUESTION = 10
QUESTIONS_PER_ANSWER = 20
REPLIES_SHOWN = 50
CHANGES_SHOWN = 50
# The letter's own text as read from the PDF: its start; the PDF beside it holds the rest.
TEXT_SHOWN = 20_000
LARGEST_ORDER = 2_147_483_647  # a PositiveIntegerField's


class LetterDetailView(LoginRequiredMixin, TemplateView):
    """Metadata, a page of questions beside their answers, a page of answers beside their questions,
    linked letters, the PDF and the correction history; every list is bounded and nothing is read
    that the page does not print."""

    template_name = "letters/letter_detail.html"

    def get(self, request, *args, **kwargs):
        """ "Go to question N" (or answer N): the page holding it, scrolled to it."""
        for param, items in zip(GOTO_PARAMS, (Question.objects, Answer.objects), strict=True):
            wanted = request.GET.get(param, "").strip()
            if not wanted:
                continue
            found = numbered(items.filter(letter_id=kwargs["pk"]).only("letter_id", "order"), wanted)
            if found is not None:
                return HttpResponseRedirect(found.get_letter_url())
            messages.warning(request, _("There is no number %(wanted)s in this letter.") % {"wanted": wanted})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        letter = get_object_or_404(
            Letter.objects.select_related(
                "committee", "dossier", "minister", "source", "in_reply_to", "deadline", "confirmed_by"
            )
            .prefetch_related("parties", "members")
            .defer(*UNSHOWN)
            .annotate(text_start=Substr("text", 1, TEXT_SHOWN + 1)),
            pk=kwargs["pk"],
        )
        questions = block_paginate(
            letter.questions.select_related("party", "member")
            .only(*ITEM_FIELDS, "party__name", "member__name")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=first_covered(
                        beside_their_letter(Answer.objects),
                        letter_id=letter.pk,
                    ).order_by("letter__date", "order")[: ANSWERS_PER_QUESTION + 1],
                    to_attr="found_answers",  # a sliced prefetch must be kept as a list
                )
            ),
            field="order",
            number=block_number(self.request.GET, QUESTIONS_FROM),
            per_page=QUESTIONS_PER_PAGE,
        )
        answers = block_paginate(
            letter.answers.only(*ITEM_FIELDS).prefetch_related(
                Prefetch(
                    "covers",
                    queryset=beside_their_letter(Question.objects).order_by("letter__date", "order")[
                        : QUESTIONS_PER_ANSWER + 1
                    ],
                    to_attr="found_covers",
                )
            ),
            field="order",
            number=block_number(self.request.GET, ANSWERS_FROM),
            per_page=ANSWERS_PER_PAGE,
        )
        for question in questions.items:
            shown_beside(question, letter_id=letter.pk, page=questions)
        for answer in answers.items:
            covered = answer.found_covers
            answer.shown_covers, answer.more_covers = (
                covered[:QUESTIONS_PER_ANSWER],
                len(covered) > QUESTIONS_PER_ANSWER,
            )
        replies = list(
            letter.replies.only("in_reply_to", "kind", "date", "subject").order_by("date", "pk")[
                : REPLIES_SHOWN + 1
            ]
        )
        context.update(
            letter=letter,
            text=letter.text_start[:TEXT_SHOWN],
            text_cut=len(letter.text_start) > TEXT_SHOWN,
            deadline=getattr(letter, "deadline", None),
            questions=questions,
            question_pages=block_links(self.request.GET, questions, param=QUESTIONS_FROM, anchor="questions"),
            answers=answers,
            answer_pages=block_links(self.request.GET, answers, param=ANSWERS_FROM, anchor="answers"),
            # The correction page of the blocks shown (intake's, paged alike).
            blocks_query=blocks_query(questions, answers),
            replies=replies[:REPLIES_SHOWN],
            more_replies=len(replies) > REPLIES_SHOWN,
            changes=list(letter.changes.select_related("user")[:CHANGES_SHOWN]),
            questions_per_answer=QUESTIONS_PER_ANSWER,
        )
        return context


def block_number(query: QueryDict, param: str) -> int:
    """The question (or answer) number whose block a page shows: `?from=N`, else 1."""
    return page_number(query.get(param), maximum=LARGEST_ORDER)


def blocks_query(questions: BlockPage, answers: BlockPage) -> str:
    """`from=N&answers_from=M`: the blocks of questions and answers a letter's page shows, and its
    correction page corrects."""
    return urlencode({QUESTIONS_FROM: questions.start, ANSWERS_FROM: answers.start})


def block_links(query: QueryDict, page: BlockPage, *, param: str, anchor: str) -> dict[str, str | None]:
    """The links to the previous and next block, keeping the other section's place (the letter
    page's and the correction page's)."""

    def url(number: int | None) -> str | None:
        if number is None:
            return None
        moved = query.copy()
        moved[param] = str(number)
        for goto in GOTO_PARAMS:
            moved.pop(goto, None)
        return f"?{moved.urlencode()}#{anchor}"

    return {"previous": url(page.previous_start), "next": url(page.next_start)}


# "Go to question N", "go to answer N".
GOTO_PARAMS = ("goto", "goto_answer")
# What the letter page never prints: the full text (it prints its start), the search vectors, the
# file's extracted text and the parser's output.
UNSHOWN = (
    "text",
    "search_vector",
    "source__extracted_text",
    "source__parse_result",
    "in_reply_to__text",
    "in_reply_to__search_vector",
)


def first_covered(answers: QuerySet[Answer], *, letter_id: int) -> QuerySet[Answer]:
    """Each answer with the first question of the letter that it answers (`first_order`,
    `first_question`, `first_label`).

    One answer often covers several questions: the letter page prints it in full beside the first
    of them and refers back to that one from the others, on the same page or an earlier one.
    """
    covered = Answer.covers.through.objects.filter(
        answer=OuterRef("pk"), question__letter_id=letter_id
    ).order_by("question__order")
    return answers.annotate(
        first_order=Subquery(covered.values("question__order")[:1]),
        first_question=Subquery(covered.values("question_id")[:1]),
        first_label=Subquery(covered.values("question__label")[:1]),
    )


def shown_beside(question: Question, *, letter_id: int, page: BlockPage) -> None:
    """The answers printed beside `question` (at most ANSWERS_PER_QUESTION), each in full beside
    the first question of the letter it answers and referring back to that one from the others:
    `earlier_url` when that question is on an earlier page."""
    found = question.found_answers
    question.shown_answers, question.more_answers = (
        found[:ANSWERS_PER_QUESTION],
        len(found) > ANSWERS_PER_QUESTION,
    )
    for answer in question.shown_answers:
        answer.in_full = answer.first_order == question.order
        answer.earlier_url = (
            letter_position_url(
                letter_id, param=QUESTIONS_FROM, number=answer.first_order, anchor=f"q{answer.first_question}"
            )
            if answer.first_order < page.start
            else None
        )


def numbered(items: QuerySet, wanted: str):
    """The question or answer a reader means by `wanted`: its label as printed ("12", "3a"), else
    its place in the letter."""
    found = items.filter(label=wanted).order_by("order").first()
    if found is None and wanted.isdigit():
        found = items.filter(order=int(wanted)).first()
    return found


# The originals a browser shows in the letter page's pane, by suffix.
SHOWN_INLINE = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8"}


@method_decorator(xframe_options_sameorigin, name="dispatch")
# Browsers show a PDF through a plugin (object-src) and our pages frame it (frame-ancestors).
@method_decorator(csp_replace({"object-src": [SELF], "frame-ancestors": [SELF]}), name="dispatch")
class SourcePdfView(LoginRequiredMixin, View):
    """The original file, only for logged-in users (never cached: core.middleware); framed by
    Griffie's own pages only."""

    def get(self, request, pk: int) -> FileResponse:
        source = get_object_or_404(SourceDocument, pk=pk)
        if not source.file or not source.file.storage.exists(source.file.name):
            raise Http404("The stored file is missing.")
        # A text file is shown as plain text in the letter page's pane (never sniffed as HTML:
        # nosniff below); anything else would only be downloaded.
        content_type = SHOWN_INLINE.get(Path(source.file.name).suffix.lower())
        response = FileResponse(
            source.file.open("rb"),
            as_attachment=content_type is None,
            filename=source.original_name or f"{source.sha256}.pdf",
            content_type=content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
