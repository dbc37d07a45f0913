"""FilterSets for questions and answers (the API's lists; NetBox style, one per model)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm
from dossiers.models import Party
from letters.filters import ListedModelChoiceFilter

from .models import Answer, Question


class QuestionFilterSet(django_filters.FilterSet):
    letter = django_filters.NumberFilter(field_name="letter_id", label=_("Letter"))
    party = ListedModelChoiceFilter(queryset=Party.objects.all(), label=_("Party"))
    member = django_filters.CharFilter(field_name="member__name", lookup_expr="icontains", label=_("Member"))

    class Meta:
        model = Question
        form = FilterForm
        fields: list[str] = []


class AnswerFilterSet(django_filters.FilterSet):
    letter = django_filters.NumberFilter(field_name="letter_id", label=_("Letter"))
    covers = django_filters.NumberFilter(field_name="covers", label=_("Answers question"))

    class Meta:
        model = Answer
        form = FilterForm
        fields: list[str] = []
