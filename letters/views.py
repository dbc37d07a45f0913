"""Letter pages: the filtered list, one letter with its questions and answers, the original PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from deadlines import services as deadline_services
from deadlines.models import Deadline, Postponement
from dossiers.pagination import keyset_paginate
from questions.models import Answer, Question
from questions.services import detect_links

from . import services
from .choices import DELAYING_KINDS, ImportStatus, LetterKind, LinkConfidence
from .filters import LetterFilterSet
from .forms import (
    AnswerFormSet,
    LetterForm,
    ManualLetterForm,
    QuestionFormSet,
    UploadForm,
    save_item_corrections,
    save_with_history,
)
from .models import Letter, SourceDocument
from .rows import LIST_COLUMNS, letter_rows
from .tasks import import_source_document


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
        page.items = letter_rows(page.items)
        # Each row is escaped where it is written (letters.rows).
        context.update(filter=filterset, page=page, rows=mark_safe("".join(row.html for row in page.items)))
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
class SourcePdfView(LoginRequiredMixin, View):
    """The original file, only for logged-in users; framed by Griffie's own pages only."""

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
        response["Cache-Control"] = "private, max-age=3600"
        return response


RECENT_UPLOADS = 20
DEADLINE_FIELDS = {"kind", "date", "received_on", "term_days", "chamber"}


class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Upload PDFs; each is stored, then imported by a Celery task; recent uploads show progress."""

    permission_required = "letters.add_sourcedocument"
    template_name = "letters/intake.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
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
        for upload in form.cleaned_data["files"]:
            try:
                source, created = services.store_upload(uploaded_file=upload, uploaded_by=request.user)
            except services.UploadRejected as rejected:
                messages.error(request, rejected.message)
                continue
            if created or source.status == ImportStatus.PENDING:
                # Queue after commit so the worker finds the row.
                transaction.on_commit(lambda pk=source.pk: import_source_document.delay(pk))
            else:
                messages.info(
                    request,
                    _("%(name)s was uploaded before; showing that import.") % {"name": source.original_name},
                )
            stored.append(source)
        if len(stored) == 1:
            return HttpResponseRedirect(stored[0].get_absolute_url())
        if stored:
            messages.success(request, _("%(n)d files are being imported.") % {"n": len(stored)})
        return HttpResponseRedirect(reverse("letters:intake"))


class SourceView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """One upload: import progress, then the review of what was recognised beside the PDF."""

    permission_required = "letters.change_letter"
    template_name = "letters/source_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source = get_object_or_404(SourceDocument.objects.select_related("uploaded_by"), pk=kwargs["pk"])
        letters = list(
            source.letters.select_related(
                "committee", "dossier", "minister", "in_reply_to", "deadline", "confirmed_by"
            )
            .prefetch_related(
                "parties",
                Prefetch("questions", queryset=Question.objects.select_related("party").order_by("order")),
                Prefetch("answers", queryset=Answer.objects.prefetch_related("covers").order_by("order")),
            )
            .order_by("order_in_source")
        )
        for letter in letters:
            letter.form = LetterForm(instance=letter, prefix=f"l{letter.pk}")
        context.update(
            source=source,
            letters=letters,
            finished=source.status in (ImportStatus.IMPORTED, ImportStatus.FAILED),
            unconfirmed=sum(1 for letter in letters if not letter.confirmed_at),
        )
        return context


class SourceStatusView(LoginRequiredMixin, View):
    """Import progress as JSON, polled by the review page while the task runs."""

    def get(self, request, pk: int) -> JsonResponse:
        source = get_object_or_404(
            SourceDocument.objects.only("status", "pages_done", "page_count", "error_message"), pk=pk
        )
        return JsonResponse(
            {
                "status": source.status,
                "status_display": source.get_status_display(),
                "pages_done": source.pages_done,
                "page_count": source.page_count,
                "error": source.error_message,
            }
        )


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def after_correction(letter: Letter, *, changed: set[str], old_kind: str, old_target_id: int | None) -> None:
    """Keep deadlines and threads true after a clerk changed a letter."""
    now = timezone.now()
    if old_kind == LetterKind.QUESTIONS and letter.kind != LetterKind.QUESTIONS:
        Deadline.objects.filter(letter=letter).delete()
    if letter.kind == LetterKind.QUESTIONS and (changed & DEADLINE_FIELDS or old_kind != letter.kind):
        deadline_services.sync_deadline(letter=letter, now=now)
    relinked = "in_reply_to" in changed or "kind" in changed
    if relinked:
        if letter.in_reply_to_id:
            letter.link_confidence = LinkConfidence.MANUAL
            letter.save(update_fields=["link_confidence"])
        if letter.in_reply_to_id != old_target_id or letter.kind not in DELAYING_KINDS:
            # The notice no longer postpones the letter it was recorded against.
            Postponement.objects.filter(letter=letter).delete()
    if letter.in_reply_to_id and (relinked or changed & {"date", "received_on"}):
        services.record_reply(letter, now=now)
    if old_target_id and old_target_id != letter.in_reply_to_id:
        old_target = Letter.objects.filter(pk=old_target_id, kind=LetterKind.QUESTIONS).first()
        if old_target is not None:
            deadline_services.sync_deadline(letter=old_target, now=now)
    if letter.kind == LetterKind.QUESTIONS:
        detect_links(letter=letter)


class LetterEditView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Correct a letter's fields, its questions and answers; every change is kept in the history."""

    permission_required = "letters.change_letter"
    template_name = "letters/letter_edit.html"

    def get_letter(self, pk: int) -> Letter:
        return get_object_or_404(
            Letter.objects.select_related("dossier", "source", "committee", "minister", "in_reply_to"), pk=pk
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        letter = kwargs.get("letter") or self.get_letter(kwargs["pk"])
        prefix = f"l{letter.pk}"
        context.update(
            letter=letter,
            form=kwargs.get("form") or LetterForm(instance=letter, prefix=prefix),
            question_formset=kwargs.get("question_formset")
            or QuestionFormSet(queryset=letter.questions.order_by("order"), prefix="questions"),
            answer_formset=kwargs.get("answer_formset")
            or AnswerFormSet(queryset=letter.answers.order_by("order"), prefix="answers"),
            changes=list(letter.changes.select_related("user")[:50]),
            next=safe_next(self.request, letter.get_absolute_url()),
        )
        return context

    def post(self, request, pk: int):
        letter = self.get_letter(pk)
        old_kind, old_target_id = letter.kind, letter.in_reply_to_id
        form = LetterForm(request.POST, instance=letter, prefix=f"l{letter.pk}")
        # The review page posts only the letter's fields; the edit page also its questions and answers.
        with_items = "questions-TOTAL_FORMS" in request.POST
        question_formset = answer_formset = None
        if with_items:
            question_formset = QuestionFormSet(
                request.POST, queryset=letter.questions.order_by("order"), prefix="questions"
            )
            answer_formset = AnswerFormSet(
                request.POST, queryset=letter.answers.order_by("order"), prefix="answers"
            )
        valid = form.is_valid() and (
            not with_items or (question_formset.is_valid() and answer_formset.is_valid())
        )
        if not valid:
            context = self.get_context_data(
                pk=pk,
                letter=letter,
                form=form,
                question_formset=question_formset,
                answer_formset=answer_formset,
            )
            return self.render_to_response(context, status=400)
        with transaction.atomic():
            letter, changed = save_with_history(form, user=request.user)
            if with_items:
                save_item_corrections(question_formset, letter=letter, user=request.user, noun="question")
                save_item_corrections(answer_formset, letter=letter, user=request.user, noun="answer")
            after_correction(letter, changed=changed, old_kind=old_kind, old_target_id=old_target_id)
            if request.POST.get("action") == "confirm":
                letter.confirmed_at, letter.confirmed_by = timezone.now(), request.user
                letter.save(update_fields=["confirmed_at", "confirmed_by"])
        if request.POST.get("action") == "confirm":
            messages.success(request, _("The letter is saved and confirmed."))
        elif changed:
            messages.success(request, _("Your corrections are saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return HttpResponseRedirect(safe_next(request, letter.get_absolute_url()))


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
        with transaction.atomic():
            letter = form.save()
            Question.objects.bulk_create(
                Question(letter=letter, order=order, label=str(order), text=text)
                for order, text in enumerate(form.question_paragraphs(), start=1)
            )
            after_correction(
                letter,
                changed={"kind", "in_reply_to"} if letter.in_reply_to_id else {"kind"},
                old_kind="",
                old_target_id=None,
            )
            letter.confirmed_at, letter.confirmed_by = timezone.now(), request.user
            letter.save(update_fields=["confirmed_at", "confirmed_by"])
        messages.success(request, _("The letter is saved."))
        return HttpResponseRedirect(letter.get_absolute_url())
