"""Dashboard (home), committee dashboards, the dossier list and a dossier's timeline."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.pagination import cheap_paginate
from deadlines import selectors
from letters.choices import LETTER_KIND_COLOURS, LetterKind
from letters.models import Letter

from . import timeline
from .filters import DossierFilterSet
from .models import Committee, Dossier

DASHBOARD_ROWS = 15


class DashboardView(LoginRequiredMixin, TemplateView):
    """What needs attention: due soon, overdue, postponed, recently answered; counts on top."""

    template_name = "dossiers/dashboard.html"
    committee: Committee | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        committee_id = self.committee.pk if self.committee is not None else None
        found = selectors.attention(now=now, committee_id=committee_id, rows=DASHBOARD_ROWS)
        verslagen = selectors.open_verslagen(now=now, committee_id=committee_id, rows=DASHBOARD_ROWS)
        context.update(
            today=found.windows.today,
            horizon=found.windows.due_until,
            committee=self.committee,
            committees=Committee.objects.only("id", "name", "chamber"),
            counts=found.counts,
            due=found.due,
            overdue=found.overdue,
            postponed=found.postponed,
            answered=found.answered,
            open_verslagen=verslagen.oldest,
            more_verslagen=verslagen.more,
            per_committee=selectors.attention_per_committee(now=now) if committee_id is None else [],
            rows_shown=DASHBOARD_ROWS,
            answered_days=(found.windows.today - found.windows.answered_since).days,
        )
        return context

    def get(self, request, *args, **kwargs):
        committee_id = request.GET.get("committee", "")
        if committee_id.isdigit():
            self.committee = Committee.objects.filter(pk=committee_id).first()
        return super().get(request, *args, **kwargs)


class CommitteeView(DashboardView):
    """One committee's dashboard: the same lists, for its letters only."""

    def get(self, request, *args, **kwargs):
        self.committee = get_object_or_404(Committee, pk=kwargs["pk"])
        return TemplateView.get(self, request, *args, **kwargs)


def letter_count(kind: str | None = None) -> Subquery:
    # A correlated count per listed dossier uses the (dossier, date) index; a GROUP BY over the
    # join would aggregate every letter in the archive before the page is cut.
    letters = Letter.objects.filter(dossier=OuterRef("pk"))
    if kind:
        letters = letters.filter(kind=kind)
    return Coalesce(
        Subquery(
            letters.order_by().values("dossier").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class DossierListView(LoginRequiredMixin, TemplateView):
    template_name = "dossiers/dossier_list.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = DossierFilterSet(self.request.GET, queryset=Dossier.objects.all())
        queryset = filterset.qs.annotate(
            letter_count=letter_count(), question_count=letter_count(LetterKind.QUESTIONS)
        ).order_by("-number")
        context.update(
            filter=filterset,
            page=cheap_paginate(queryset, page=self.request.GET.get("page"), per_page=self.per_page),
            query_string=query_without(self.request, "page"),
        )
        return context


class DossierDetailView(LoginRequiredMixin, TemplateView):
    """All letters in a dossier, oldest first, with status and reply times."""

    template_name = "dossiers/dossier_detail.html"
    per_page = 100

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dossier = get_object_or_404(Dossier, pk=kwargs["pk"])
        page = timeline.timeline_page(
            dossier.pk, cursor=self.request.GET.get("after"), per_page=self.per_page
        )
        page.items = timeline.timeline_items(page.items)
        if page.is_first and not page.has_next:
            # The page holds the whole dossier: count its letters here instead of in the database.
            kinds = Counter(item.kind for item in page.items)
        else:
            letters = Letter.objects.filter(dossier=dossier).order_by()
            kinds = Counter(dict(letters.values_list("kind").annotate(n=Count("pk"))))
        context.update(
            dossier=dossier,
            page=page,
            kind_counts=[
                (LetterKind(kind).label, LETTER_KIND_COLOURS[LetterKind(kind)], kinds[kind])
                for kind in LetterKind.values
                if kinds[kind]
            ],
        )
        return context


def query_without(request, *names: str) -> str:
    """The current query string minus `names`, for pagination links that keep the filters."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
