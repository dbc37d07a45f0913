"""Letter pages: the filtered list, one letter with its questions and answers, the original PDF."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from core.pagination import keyset_paginate
from questions.models import Answer, Question

from .filters import LetterFilterSet
from .models import Letter, SourceDocument
from .rows import LIST_COLUMNS, summaries


class LetterListView(LoginRequiredMixin, TemplateView):
    """Letters, newest first, narrowed by the shared LetterFilterSet; keyset pages, no count."""

    template_name = "letters/letter_list.html"
    per_page = 50

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


class LetterDetailView(LoginRequiredMixin, TemplateView):
    """Metadata, questions beside their answers, linked letters, the PDF and the correction history."""

    template_name = "letters/letter_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        letter = get_object_or_404(
            Letter.objects.select_related(
                "committee", "dossier", "minister", "source", "in_reply_to", "deadline", "confirmed_by"
            ).prefetch_related("parties", "members"),
            pk=kwargs["pk"],
        )
        questions = list(
            letter.questions.select_related("party", "member").prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related("letter").order_by("letter__date", "order"),
                )
            )
        )
        answers = list(
            letter.answers.prefetch_related(
                Prefetch("covers", queryset=Question.objects.select_related("letter").order_by("order"))
            )
        )
        replies = list(letter.replies.select_related("deadline").order_by("date", "pk"))
        # One answer often covers several questions: print it in full once, then refer back.
        seen: set[int] = set()
        answers_shown_before: dict[int, set[int]] = {}
        for question in questions:
            covering = {answer.pk for answer in question.answers.all()}
            answers_shown_before[question.pk] = covering & seen
            seen |= covering
        context.update(
            letter=letter,
            deadline=getattr(letter, "deadline", None),
            questions=questions,
            answers=answers,
            replies=replies,
            changes=list(letter.changes.select_related("user")[:50]),
            answers_shown_before=answers_shown_before,
        )
        return context


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
        is_pdf = source.file.name.lower().endswith(".pdf")
        response = FileResponse(
            source.file.open("rb"),
            as_attachment=not is_pdf,
            filename=source.original_name or f"{source.sha256}.pdf",
            content_type="application/pdf" if is_pdf else "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
