"""Filters for the deadline list, NetBox style: one `q` search plus a filter per column."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import YES_NO, FilterForm
from letters.filters import LetterScopeFilterSet

from .choices import PENDING_STATUSES, DeadlineStatus
from .models import Deadline
from .statistics import asked_on

# The browser's date picker; the value in ISO form, which it shows in the reader's own format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeadlineFilterSet(LetterScopeFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    # distinct=False: the status is the deadline's own column, so no join repeats a row; DISTINCT
    # would make PostgreSQL sort every matching row before the page's first 51.
    status = django_filters.MultipleChoiceFilter(
        choices=DeadlineStatus.choices, label=_("Status"), distinct=False
    )
    # A number to type, as on the letter list: a select of every dossier would be thousands of options.
    dossier = django_filters.CharFilter(
        field_name="letter__dossier__number", lookup_expr="iexact", label=_("Dossier number")
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due from"), widget=DATE_INPUT
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due until"), widget=DATE_INPUT
    )
    partial = django_filters.BooleanFilter(
        method="filter_partial", label=_("Partly answered"), widget=forms.Select(choices=YES_NO)
    )
    late_notice = django_filters.BooleanFilter(
        method="filter_late_notice", label=_("Late postponement notice"), widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Deadline
        form = FilterForm
        fields = ["q", "status", "chamber", "committee", "dossier", "minister", "due_after", "due_before"]

    def search(self, queryset: QuerySet[Deadline], name: str, value: str) -> QuerySet[Deadline]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(letter__subject__icontains=value)
            | Q(letter__reference__icontains=value)
            | Q(letter__dossier_document__icontains=value)
            | Q(letter__dossier__number__icontains=value)
        )

    def filter_partial(
        self, queryset: QuerySet[Deadline], name: str, value: bool | None
    ) -> QuerySet[Deadline]:
        if value is None:
            return queryset
        partial = Q(answered_on__isnull=False, unanswered_questions__gt=0)
        return queryset.filter(partial) if value else queryset.exclude(partial)

    def filter_late_notice(
        self, queryset: QuerySet[Deadline], name: str, value: bool | None
    ) -> QuerySet[Deadline]:
        if value is None:
            return queryset
        return queryset.filter(late_postponements__gt=0) if value else queryset.filter(late_postponements=0)


class StatisticsFilterSet(LetterScopeFilterSet):
    """The statistics page's filters: whose letters, and the period they were asked in (the date
    their term counts from, `statistics.asked_on`)."""

    asked_after = django_filters.DateFilter(method="asked_from", label=_("Asked from"), widget=DATE_INPUT)
    asked_before = django_filters.DateFilter(method="asked_until", label=_("Asked until"), widget=DATE_INPUT)

    class Meta:
        model = Deadline
        form = FilterForm
        fields = ["chamber", "committee", "minister", "asked_after", "asked_before"]

    def asked_from(self, queryset: QuerySet[Deadline], name: str, value: date | None) -> QuerySet[Deadline]:
        return queryset.alias(asked=asked_on()).filter(asked__gte=value) if value else queryset

    def asked_until(self, queryset: QuerySet[Deadline], name: str, value: date | None) -> QuerySet[Deadline]:
        return queryset.alias(asked=asked_on()).filter(asked__lte=value) if value else queryset


class OwedFilterSet(DeadlineFilterSet):
    """The deadline list's filters for what ministers owe: every deadline listed is pending, so the
    status offers the pending ones and "partly answered" is left out; on one minister's page the
    minister is fixed by the address."""

    status = django_filters.MultipleChoiceFilter(
        choices=[(status.value, status.label) for status in PENDING_STATUSES],
        label=_("Status"),
        distinct=False,
    )
    partial = None

    class Meta(DeadlineFilterSet.Meta):
        fields = ["q", "status", "chamber", "committee", "dossier", "minister", "due_after", "due_before"]

    def __init__(self, *args, minister_fixed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if minister_fixed:
            del self.filters["minister"]
