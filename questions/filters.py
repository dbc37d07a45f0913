"""The FilterSets of questions and answers (NetBox style, one per model): the question list, its CSV
and the API share them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ANSWERED_OR_NOT, FilterForm
from dossiers.choices import Chamber
from dossiers.models import Committee, Minister, Party
from letters.filters import DateRangeWidget, ListedModelChoiceFilter

from .models import Answer, Question
from .selectors import is_answered


class QuestionFilterSet(django_filters.FilterSet):
    # One letter's questions (the API's `?letter=`, a link from a letter): kept, not shown, by the bar.
    letter = django_filters.NumberFilter(field_name="letter_id", label=_("Letter"), widget=forms.HiddenInput)
    committee = ListedModelChoiceFilter(
        field_name="letter__committee", queryset=Committee.objects.all(), label=_("Committee")
    )
    chamber = django_filters.ChoiceFilter(
        field_name="letter__chamber", choices=Chamber.choices, label=_("Chamber")
    )
    # A number to type, as on the letter list: a select of every dossier would be thousands of options.
    dossier = django_filters.CharFilter(
        field_name="letter__dossier__number", lookup_expr="iexact", label=_("Dossier number")
    )
    minister = ListedModelChoiceFilter(
        field_name="letter__minister", queryset=Minister.objects.all(), label=_("Minister")
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
        fields: list[str] = []
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
