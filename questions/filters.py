"""The FilterSets of questions and answers (NetBox style, one per model): the question list, its CSV
and the API share them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ANSWERED_OR_NOT, FilterForm
from dossiers.models import Party
from letters.filters import DateRangeWidget, LetterScopeFilterSet, ListedModelChoiceFilter

from .models import Answer, Question
from .selectors import is_answered


class QuestionFilterSet(LetterScopeFilterSet):
    # One letter's questions (the API's `?letter=`, a link from a letter): kept, not shown, by the bar.
    letter = django_filters.NumberFilter(field_name="letter_id", label=_("Letter"), widget=forms.HiddenInput)
    # A number to type, as on the letter list: a select of every dossier would be thousands of options.
    dossier = django_filters.CharFilter(
        field_name="letter__dossier__number", lookup_expr="iexact", label=_("Dossier number")
    )
    party = ListedModelChoiceFilter(queryset=Party.objects.all(), label=_("Party"))
    member = django_filters.CharFilter(field_name="member__name", lookup_expr="icontains", label=_("Member"))
    answered = django_filters.BooleanFilter(
        method="filter_answered",
        label=_("Answered"),
        widget=forms.Select(choices=ANSWERED_OR_NOT),
    )
    date = django_filters.DateFromToRangeFilter(
        field_name="letter__date",
        label=_("Asked from – to"),
        widget=DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Question
        # The order of the bar: the shared filters among the list's own.
        fields = [
            "letter",
            "committee",
            "chamber",
            "dossier",
            "minister",
            "party",
            "member",
            "answered",
            "date",
        ]
        form = FilterForm

    def filter_answered(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(is_answered() if value else ~is_answered())


class AnswerFilterSet(django_filters.FilterSet):
    letter = django_filters.NumberFilter(field_name="letter_id", label=_("Letter"))
    covers = django_filters.NumberFilter(field_name="covers", label=_("Answers question"))

    class Meta:
        model = Answer
        form = FilterForm
        fields: list[str] = []
