"""Search, question threads, and clerks' manual thread links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.db.models.functions import Substr
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.csv_export import wants_csv
from core.links import pk_url
from core.pagination import page_number
from letters.filters import LetterFilterSet
from letters.models import Letter
from letters.rows import LetterSummary, cut, summary

from . import services
from .exports import questions_csv, search_csv
from .filters import QuestionFilterSet
from .forms import QuestionLinkForm, SearchForm
from .models import Answer, Question, QuestionLink
from .search import CANDIDATES, Hit, search
from .selectors import beside_their_letter, is_answered, question_page

PER_PAGE = 20
SUGGESTIONS = 8
# What the thread page never prints of a question and its letter: the letter's text (megabytes for
# a big file) and the search vectors.
UNSHOWN = ("search_vector", "letter__text", "letter__search_vector")


QUESTIONS_PER_PAGE = 50
QUESTION_CHARS = 300  # of each question's text, cut in SQL


@dataclass(frozen=True)
class QuestionRow:
    """A row of the question list (the component `question_row`)."""

    url: str
    label: str
    text: str
    party: str
    answered: bool
    letter: LetterSummary


class QuestionListView(LoginRequiredMixin, TemplateView):
    """Questions with their answer status, newest letter first, narrowed by QuestionFilterSet;
    keyset pages, nothing counted; the same filters as CSV (`?export=csv`)."""

    template_name = "questions/question_list.html"

    def get(self, request, *args, **kwargs):
        if wants_csv(request):
            return questions_csv(request, QuestionFilterSet(request.GET, queryset=Question.objects.all()).qs)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = QuestionFilterSet(self.request.GET, queryset=Question.objects.all())
        page = question_page(
            filterset.qs.select_related(
                "party", "letter__committee", "letter__minister", "letter__dossier", "letter__deadline"
            )
            .only(*LISTED_FIELDS)
            .annotate(answered=is_answered(), text_start=Substr("text", 1, QUESTION_CHARS + 1)),
            cursor=self.request.GET.get("after"),
            per_page=QUESTIONS_PER_PAGE,
        )
        url = pk_url("questions:thread")
        rows = [
            QuestionRow(
                url=url(question.pk),
                label=question.label or str(question.order),
                text=cut(question.text_start, QUESTION_CHARS),
                party=question.party.name if question.party else "",
                answered=question.answered,
                letter=summary(question.letter, getattr(question.letter, "deadline", None)),
            )
            for question in page.items
        ]
        context.update(filter=filterset, page=page, rows=rows)
        return context


# What a question list row reads: never a question's whole text nor its letter's.
LISTED_FIELDS = (
    "letter_id",
    "label",
    "order",
    "party__name",
    "letter__kind",
    "letter__date",
    "letter__subject",
    "letter__committee__name",
    "letter__committee__short_name",
    "letter__minister__portfolio",
    "letter__dossier__number",
    "letter__deadline__status",
    "letter__deadline__due_date",
    "letter__deadline__answered_on",
)


class SearchView(LoginRequiredMixin, TemplateView):
    """Full-text search with the letter filters; everything lives in the URL so it can be shared.
    `?export=csv` downloads the hits of the same search."""

    template_name = "questions/search.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if "export" in context:
            return context["export"]
        return self.render_to_response(context)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        filterset = LetterFilterSet(self.request.GET, queryset=Letter.objects.all())
        query, scope = "", "all"
        if form.is_valid():
            query, scope = form.cleaned_data["q"], form.cleaned_data["scope"] or "all"
        results = None
        if query and filterset.form.is_valid():
            exporting = wants_csv(self.request)
            results = search(
                query,
                scope=scope,
                letters=filterset.qs if filterset.is_active else None,
                # The export holds every hit the pages can show, best first.
                page=1
                if exporting
                else page_number(self.request.GET.get("page"), maximum=CANDIDATES // PER_PAGE),
                per_page=CANDIDATES if exporting else PER_PAGE,
                snippets=not exporting,
            )
            if exporting:
                context["export"] = search_csv(self.request, results)
        context.update(
            form=form,
            filter=filterset,
            query=query,
            results=results,
            rows=hit_rows(results.hits) if results else [],
            candidates=CANDIDATES,
        )
        return context


def hit_rows(hits: list[Hit]) -> list[tuple[Hit, LetterSummary]]:
    """Each hit beside its letter as every list of letters shows it; an answer shows no deadline."""
    rows = []
    for hit in hits:
        letter = hit.obj if hit.kind == "letters" else hit.obj.letter
        deadline = getattr(letter, "deadline", None) if hit.kind != "answers" else None
        rows.append((hit, summary(letter, deadline)))
    return rows


def thread_context(question: Question) -> dict[str, Any]:
    """The connected questions (oldest first) with their letters and answers, and the links."""
    ids = services.thread_question_ids(question.pk)
    questions = list(
        Question.objects.filter(pk__in=ids)
        .select_related("letter__committee", "party", "member")
        .defer(*UNSHOWN)
        .prefetch_related(
            Prefetch(
                "answers", queryset=beside_their_letter(Answer.objects).order_by("letter__date", "order")
            )
        )
        .order_by("letter__date", "letter_id", "order")
    )
    links = list(
        QuestionLink.objects.filter(earlier_id__in=ids, later_id__in=ids, rejected=False).select_related(
            "created_by"
        )
    )
    links_by_question: dict[int, list[QuestionLink]] = {}
    for link in links:
        links_by_question.setdefault(link.later_id, []).append(link)
        links_by_question.setdefault(link.earlier_id, []).append(link)
    for item in questions:
        item.thread_links = links_by_question.get(item.pk, [])
    return {"thread": questions, "links": links}


class ThreadView(LoginRequiredMixin, TemplateView):
    """A question, its answer, and the rounds that follow up on it or ask it again."""

    template_name = "questions/thread.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        question = get_object_or_404(
            Question.objects.select_related("letter").defer(*UNSHOWN), pk=kwargs["pk"]
        )
        context.update(question=question, **thread_context(question))
        if self.request.user.has_perm("questions.add_questionlink"):
            context["link_form"] = kwargs.get("link_form") or QuestionLinkForm(question=question)
            context["suggestions"] = suggestions(question, exclude={q.pk for q in context["thread"]})
        return context

    def post(self, request, pk: int):
        """A clerk links this question to another one."""
        if not request.user.has_perm("questions.add_questionlink"):
            raise PermissionDenied
        question = get_object_or_404(Question.objects.select_related("letter").defer(*UNSHOWN), pk=pk)
        form = QuestionLinkForm(request.POST, question=question)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(pk=pk, link_form=form), status=400)
        services.add_link(
            question=question,
            other=form.cleaned_data["other"],
            kind=form.cleaned_data["kind"],
            user=request.user,
        )
        messages.success(request, _("The questions are linked."))
        return HttpResponseRedirect(question.get_absolute_url())


def suggestions(question: Question, *, exclude: set[int]) -> list[Question]:
    """Questions a clerk may want to link: other rounds in the same dossier or to the same minister."""
    letter = question.letter
    related = Q()
    if letter.dossier_id:
        related |= Q(letter__dossier_id=letter.dossier_id)
    if letter.committee_id and letter.minister_id:
        related |= Q(letter__committee_id=letter.committee_id, letter__minister_id=letter.minister_id)
    if not related:
        return []
    return list(
        Question.objects.filter(related)
        .exclude(pk__in=exclude)
        .exclude(letter_id=letter.pk)
        .select_related("letter")
        .defer(*UNSHOWN)
        .order_by("-letter__date", "order")[:SUGGESTIONS]
    )


class LinkRemoveView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "questions.delete_questionlink"

    def post(self, request, pk: int, link_pk: int):
        question = get_object_or_404(Question, pk=pk)
        link = get_object_or_404(QuestionLink, Q(earlier=question) | Q(later=question), pk=link_pk)
        services.remove_link(link=link)
        messages.success(request, _("The link is removed."))
        return HttpResponseRedirect(question.get_absolute_url())
