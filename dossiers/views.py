"""Dashboard (home), committee dashboards, the dossier list and a dossier's timeline."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from deadlines.choices import CLOSED_STATUSES, PENDING_STATUSES, DeadlineStatus
from deadlines.models import Deadline
from letters.choices import LETTER_KIND_COLOURS, LetterKind
from letters.models import Letter

from . import (
    context_processors,  # noqa: F401  (connects the login receiver that primes the menu's permissions)
    timeline,
)
from .filters import DossierFilterSet
from .models import Committee, Dossier
from .pagination import cheap_paginate

DASHBOARD_ROWS = 15
RECENTLY_ANSWERED_DAYS = 30


class DashboardView(LoginRequiredMixin, TemplateView):
    """What needs attention: due soon, overdue, postponed, recently answered; counts on top."""

    template_name = "dossiers/dashboard.html"
    committee: Committee | None = None

    def deadlines(self) -> QuerySet[Deadline]:
        queryset = Deadline.objects.select_related(
            "letter__committee", "letter__minister", "letter__dossier"
        ).only(
            "status",
            "due_date",
            "answered_on",
            "days_late",
            "unanswered_questions",
            "letter__id",
            "letter__kind",
            "letter__date",
            "letter__subject",
            "letter__sender",
            "letter__committee__name",
            "letter__committee__short_name",
            "letter__committee__chamber",
            "letter__minister__portfolio",
            "letter__minister__name",
            "letter__dossier__number",
        )
        if self.committee is not None:
            queryset = queryset.filter(letter__committee=self.committee)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        horizon = today + timedelta(days=settings.GRIFFIE_DUE_SOON_DAYS * 2)
        answered_since = today - timedelta(days=RECENTLY_ANSWERED_DAYS)
        pending = self.deadlines().filter(status__in=PENDING_STATUSES)
        due = pending.filter(
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON], due_date__range=(today, horizon)
        ).order_by("due_date", "pk")
        overdue = pending.filter(status=DeadlineStatus.OVERDUE).order_by("due_date", "pk")
        postponed = pending.filter(status=DeadlineStatus.POSTPONED).order_by("due_date", "pk")
        answered = (
            self.deadlines()
            .filter(status__in=CLOSED_STATUSES, answered_on__gte=answered_since)
            .order_by("-answered_on", "-pk")
        )
        # Only pending deadlines and the last month's answers are counted: both stay small however
        # many letters the archive holds, and the (status, due_date) index finds them.
        scope = Deadline.objects.filter(
            Q(status__in=PENDING_STATUSES) | Q(status__in=CLOSED_STATUSES, answered_on__gte=answered_since)
        )
        if self.committee is not None:
            scope = scope.filter(letter__committee=self.committee)
        count_filters = {
            "due": Q(
                status__in=[DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON], due_date__range=(today, horizon)
            ),
            "overdue": Q(status=DeadlineStatus.OVERDUE),
            "postponed": Q(status=DeadlineStatus.POSTPONED),
            "answered": Q(status__in=CLOSED_STATUSES, answered_on__gte=answered_since),
        }
        counts = scope.aggregate(**{name: Count("pk", filter=q) for name, q in count_filters.items()})
        overdue_rows = list(overdue[:DASHBOARD_ROWS])
        for deadline in overdue_rows:
            deadline.late_by = (today - deadline.due_date).days if deadline.due_date else None
        answered_rows = list(answered[:DASHBOARD_ROWS])
        for deadline in answered_rows:
            deadline.reply_days = timeline.reply_days(deadline.letter.date, deadline.answered_on)
        due_rows = list(due[:DASHBOARD_ROWS])
        for deadline in due_rows:
            deadline.left = (deadline.due_date - today).days
        per_committee = []
        if self.committee is None:
            per_committee = list(
                scope.values("letter__committee", "letter__committee__name", "letter__committee__chamber")
                .annotate(**{name: Count("pk", filter=q) for name, q in count_filters.items()})
                .order_by("letter__committee__chamber", "letter__committee__name")
            )
        context.update(
            today=today,
            horizon=horizon,
            committee=self.committee,
            committees=Committee.objects.only("id", "name", "chamber"),
            counts=counts,
            due=due_rows,
            overdue=overdue_rows,
            postponed=list(postponed[:DASHBOARD_ROWS]),
            answered=answered_rows,
            per_committee=per_committee,
            rows_shown=DASHBOARD_ROWS,
            answered_days=RECENTLY_ANSWERED_DAYS,
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
            timeline=mark_safe("\n".join(item.html for item in page.items)),  # each item is escaped
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
