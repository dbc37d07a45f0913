"""The clerk's pages: upload and follow an import, review and correct letters, enter one by hand.

Each page calls one use case (`imports`, `corrections`); none writes models itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.forms import BaseModelFormSet
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core.links import safe_next
from core.pagination import BlockPage, block_paginate, cheap_paginate
from letters.choices import ImportStatus, LetterKind
from letters.models import ANSWERS_FROM, QUESTIONS_FROM, Letter, SourceDocument
from letters.views import (
    ANSWERS_PER_PAGE,
    CHANGES_SHOWN,
    QUESTIONS_PER_PAGE,
    UNSHOWN,
    block_links,
    block_number,
    blocks_query,
)
from questions.models import Answer, Question
from questions.selectors import count_per_letter

from . import imports
from .corrections import EditConflict, confirm_letters, correct_letter, enter_letter
from .forms import AnswerFormSet, LetterForm, ManualLetterForm, QuestionFormSet, UploadForm
from .selectors import letters_to_confirm
from .tasks import queue_import, receive_upload

RECENT_UPLOADS = 20
# An import's review page shows its letters this many at a time, each with its correction form.
REVIEW_LETTERS = 20
# Per letter on an import's review page: the questions and answers listed, and the characters of
# each text shown (the template cuts at REVIEW_TEXT).
REVIEW_ITEMS = 100
REVIEW_TEXT = 300


class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Upload PDFs; each is stored, then imported by a Celery task; recent uploads show progress."""

    permission_required = "letters.add_sourcedocument"
    template_name = "letters/intake.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["to_confirm"] = letters_to_confirm(self.request.user)
        context["sources"] = list(
            SourceDocument.objects.select_related("uploaded_by")
            .defer("extracted_text", "parse_result")
            .order_by("-uploaded_at", "-pk")[:RECENT_UPLOADS]
        )
        return context

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        stored: list[SourceDocument] = []
        uploads = form.cleaned_data["files"]
        for upload in uploads:
            try:
                received = receive_upload(uploaded_file=upload, uploaded_by=request.user)
            except imports.UploadRejected as rejected:
                messages.error(request, rejected.message)
                continue
            source = received.source
            if received.created or source.status == ImportStatus.PENDING:
                if not received.queued:
                    messages.warning(
                        request,
                        _(
                            "%(name)s is stored. The import queue cannot be reached right now; "
                            "the import starts by itself as soon as it is back."
                        )
                        % {"name": source.original_name},
                    )
            else:
                messages.info(
                    request,
                    _("%(name)s was uploaded before; showing that import.") % {"name": source.original_name},
                )
            stored.append(source)
        if len(stored) == 1 and len(uploads) == 1:
            return HttpResponseRedirect(stored[0].get_absolute_url())
        if len(uploads) > 1:
            # Without a worker the imports have run by now; with one, some are still waiting.
            statuses = Counter(
                SourceDocument.objects.filter(pk__in=[s.pk for s in stored]).values_list("status", flat=True)
            )
            failed = statuses[ImportStatus.FAILED] + len(uploads) - len(stored)
            summary = _(
                "%(total)d files: %(imported)d imported, %(waiting)d being imported, %(failed)d failed."
            ) % {
                "total": len(uploads),
                "imported": statuses[ImportStatus.IMPORTED],
                "waiting": statuses[ImportStatus.PENDING] + statuses[ImportStatus.PROCESSING],
                "failed": failed,
            }
            (messages.warning if failed else messages.success)(request, summary)
            if held := statuses[ImportStatus.DUPLICATE]:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d file looks like letters stored before; decide on its review page.",
                        "%(n)d files look like letters stored before; decide on their review pages.",
                        held,
                    )
                    % {"n": held},
                )
        return HttpResponseRedirect(reverse("intake:upload"))


class SourceView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """One upload: import progress, then the review of what was recognised beside the PDF."""

    permission_required = "letters.change_letter"
    template_name = "letters/source_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source = get_object_or_404(
            SourceDocument.objects.select_related("uploaded_by", "duplicate_decided_by").defer(
                "extracted_text", "parse_result"
            ),
            pk=kwargs["pk"],
        )
        page = cheap_paginate(
            source.letters.select_related(
                "committee", "dossier", "minister", "in_reply_to", "deadline", "confirmed_by"
            )
            .defer("text", "search_vector", "in_reply_to__text", "in_reply_to__search_vector")
            .prefetch_related(
                "parties",
                Prefetch(
                    "questions",
                    queryset=review_items(Question.objects.select_related("party"), "party__name"),
                    to_attr="listed_questions",  # a sliced prefetch must be kept as a list
                ),
                Prefetch(
                    "answers",
                    queryset=review_items(
                        Answer.objects.prefetch_related(
                            Prefetch("covers", queryset=Question.objects.only("label", "order"))
                        )
                    ),
                    to_attr="listed_answers",
                ),
            )
            .order_by("order_in_source"),
            page=self.request.GET.get("page"),
            per_page=REVIEW_LETTERS,
        )
        letters = page.items
        keys = [letter.pk for letter in letters]
        questions, answers = count_per_letter(Question.objects, keys), count_per_letter(Answer.objects, keys)
        for letter in letters:
            letter.question_count, letter.answer_count = (
                questions.get(letter.pk, 0),
                answers.get(letter.pk, 0),
            )
            letter.form = LetterForm(instance=letter, prefix=f"l{letter.pk}")
        context.update(
            source=source,
            page=page,
            letters=letters,
            finished=source.status not in (ImportStatus.PENDING, ImportStatus.PROCESSING),
            held=source.status in (ImportStatus.DUPLICATE, ImportStatus.REJECTED),
            duplicate_of=list(
                source.duplicate_of.select_related("source").only(
                    "kind", "date", "subject", "source__original_name", "source__uploaded_at"
                )
            ),
            # Of the whole file, counted in one statement on its (source, place) index.
            **source.letters.aggregate(
                total=Count("pk"), unconfirmed=Count("pk", filter=Q(confirmed_at=None))
            ),
        )
        return context


def review_items(items: QuerySet, *related_fields: str) -> QuerySet:
    """The first REVIEW_ITEMS questions (or answers) of each letter, with the start of their text
    that the review prints; the letter's page shows them all."""
    return (
        items.only("letter_id", "label", "order", "page", *related_fields)
        .annotate(text_start=Substr("text", 1, REVIEW_TEXT + 1))
        .order_by("order")[:REVIEW_ITEMS]
    )


class DuplicateDecisionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A clerk's answer for a probable duplicate: import it anyway, or reject it as a duplicate."""

    permission_required = "letters.change_sourcedocument"

    def post(self, request, pk: int):
        source = get_object_or_404(SourceDocument.objects.only("pk", "original_name"), pk=pk)
        action = request.POST.get("action")
        if action == "import":
            if not imports.import_anyway(source=source, user=request.user, now=timezone.now()):
                messages.info(request, _("Another clerk has already decided about this file."))
            elif queue_import(source.pk):
                messages.success(request, _("The file is being imported."))
            else:
                messages.warning(
                    request,
                    _(
                        "The import queue cannot be reached right now; "
                        "the import starts by itself as soon as it is back."
                    ),
                )
        elif action == "reject":
            if imports.reject_duplicate(source=source, user=request.user, now=timezone.now()):
                messages.success(
                    request, _("The file is kept as a duplicate; none of its letters was imported.")
                )
            else:
                messages.info(request, _("Another clerk has already decided about this file."))
        return HttpResponseRedirect(source.get_absolute_url())


class SourceStatusView(LoginRequiredMixin, View):
    """Import progress as JSON, polled by the review page while the task runs."""

    def get(self, request, pk: int) -> JsonResponse:
        source = get_object_or_404(
            SourceDocument.objects.only("status", "pages_done", "page_count", "error_code", "error_message"),
            pk=pk,
        )
        return JsonResponse(
            {
                "status": source.status,
                "status_display": source.get_status_display(),
                "pages_done": source.pages_done,
                "page_count": source.page_count,
                "error": source.error_text,
            }
        )


class LetterEditView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Correct a letter's fields and one block of its questions and answers, the blocks the letter
    page shows (`?from=N`, `?answers_from=N`): a letter of 25,000 questions is read and posted a
    block at a time. Every change is kept in the history."""

    permission_required = "letters.change_letter"
    template_name = "letters/letter_edit.html"

    def get_letter(self, pk: int) -> Letter:
        return get_object_or_404(
            Letter.objects.select_related("dossier", "source", "committee", "minister", "in_reply_to").defer(
                *UNSHOWN
            ),
            pk=pk,
        )

    def blocks(self, letter: Letter) -> tuple[BlockPage, BlockPage]:
        """The block of questions and the block of answers corrected here (only their numbers read,
        and their letter's key, which rows read through the letter are checked against)."""
        return (
            block_paginate(
                letter.questions.only("letter_id", "order"),
                field="order",
                number=block_number(self.request.GET, QUESTIONS_FROM),
                per_page=QUESTIONS_PER_PAGE,
            ),
            block_paginate(
                letter.answers.only("letter_id", "order"),
                field="order",
                number=block_number(self.request.GET, ANSWERS_FROM),
                per_page=ANSWERS_PER_PAGE,
            ),
        )

    def formsets(
        self, letter: Letter, blocks: tuple[BlockPage, BlockPage], data: QueryDict | None = None
    ) -> tuple[BaseModelFormSet, BaseModelFormSet]:
        questions, answers = blocks
        return (
            QuestionFormSet(data, queryset=in_block(letter.questions, questions), prefix="questions"),
            AnswerFormSet(data, queryset=in_block(letter.answers, answers), prefix="answers"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        letter = kwargs.get("letter") or self.get_letter(kwargs["pk"])
        blocks = kwargs.get("blocks") or self.blocks(letter)
        question_formset, answer_formset = (
            (kwargs["question_formset"], kwargs["answer_formset"])
            if kwargs.get("question_formset") is not None
            else self.formsets(letter, blocks)
        )
        questions, answers = blocks
        at = blocks_query(questions, answers)
        context.update(
            letter=letter,
            form=kwargs.get("form") or LetterForm(instance=letter, prefix=f"l{letter.pk}"),
            question_formset=question_formset,
            answer_formset=answer_formset,
            question_pages=block_links(self.request.GET, questions, param=QUESTIONS_FROM, anchor="questions"),
            answer_pages=block_links(self.request.GET, answers, param=ANSWERS_FROM, anchor="answers"),
            # The form posts to the blocks it shows, and by default returns to them on the letter page.
            action=f"{reverse('intake:edit', args=[letter.pk])}?{at}",
            changes=list(letter.changes.select_related("user")[:CHANGES_SHOWN]),
            next=safe_next(self.request, f"{letter.get_absolute_url()}?{at}"),
        )
        return context

    def post(self, request, pk: int):
        letter = self.get_letter(pk)
        form = LetterForm(request.POST, instance=letter, prefix=f"l{letter.pk}")
        # The review page posts only the letter's fields; the edit page also a block of its questions
        # and answers.
        with_items = "questions-TOTAL_FORMS" in request.POST
        blocks = self.blocks(letter)
        question_formset = answer_formset = None
        if with_items:
            question_formset, answer_formset = self.formsets(letter, blocks, request.POST)
        valid = form.is_valid() and (
            not with_items or (question_formset.is_valid() and answer_formset.is_valid())
        )
        shown = {
            "pk": pk,
            "blocks": blocks,
            "question_formset": question_formset,
            "answer_formset": answer_formset,
        }
        if not valid:
            return self.render_to_response(
                self.get_context_data(letter=letter, form=form, **shown), status=400
            )
        try:
            changed = correct_letter(
                form=form,
                question_formset=question_formset,
                answer_formset=answer_formset,
                user=request.user,
                confirm=request.POST.get("action") == "confirm",
                now=timezone.now(),
            )
        except EditConflict as conflict:
            if with_items:
                shown.update(
                    question_formset=conflict.formsets["question"], answer_formset=conflict.formsets["answer"]
                )
            context = self.get_context_data(
                letter=letter, form=conflict.form, conflicts=conflict.conflicts, **shown
            )
            return self.render_to_response(context, status=409)
        if request.POST.get("action") == "confirm":
            messages.success(request, _("The letter is saved and confirmed."))
        elif changed:
            messages.success(request, _("Your corrections are saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return HttpResponseRedirect(
            safe_next(request, f"{letter.get_absolute_url()}?{blocks_query(*blocks)}")
        )


def in_block(items: QuerySet, page: BlockPage) -> QuerySet:
    """The questions (or answers) of `page`'s block as a formset edits them: filtered, not sliced, so
    each posted id is looked up within the block."""
    return (
        items.filter(order__gte=page.start, order__lt=page.start + page.per_page)
        .only("letter_id", "order", "label", "text", "page")
        .order_by("order")
    )


class LetterCreateView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Enter a letter without a PDF: its fields and, for a question letter, its questions."""

    permission_required = "letters.add_letter"
    template_name = "letters/letter_create.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ManualLetterForm(initial={"kind": LetterKind.QUESTIONS}))
        return context

    def post(self, request):
        form = ManualLetterForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        letter = enter_letter(form=form, user=request.user, now=timezone.now())
        messages.success(request, _("The letter is saved."))
        return HttpResponseRedirect(letter.get_absolute_url())


REVIEW_QUEUE_ROWS = 100


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The letters still to confirm, across imports, oldest upload first: nothing is forgotten."""

    permission_required = "letters.change_letter"
    template_name = "intake/review_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        waiting = Letter.objects.filter(confirmed_at=None)
        context.update(
            total=waiting.count(),
            letters=list(
                waiting.select_related("source", "committee", "dossier")
                .only(
                    "kind",
                    "date",
                    "subject",
                    "sender",
                    "link_note",
                    "source__original_name",
                    "source__uploaded_at",
                    "committee__name",
                    "dossier__number",
                )
                .order_by("source__uploaded_at", "source_id", "order_in_source", "pk")[:REVIEW_QUEUE_ROWS]
            ),
            rows_shown=REVIEW_QUEUE_ROWS,
        )
        return context


class ConfirmLettersView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Confirm every letter checked on the review page or the review queue."""

    permission_required = "letters.change_letter"

    def post(self, request):
        ids = [int(value) for value in request.POST.getlist("letters") if value.isdigit()]
        confirmed = confirm_letters(letter_ids=ids, user=request.user, now=timezone.now())
        if confirmed:
            messages.success(
                request,
                ngettext("%(n)d letter confirmed.", "%(n)d letters confirmed.", confirmed) % {"n": confirmed},
            )
        else:
            messages.info(request, _("No letter was checked that still needed confirming."))
        return HttpResponseRedirect(safe_next(request, reverse("intake:review")))
