"""FilterSets for the dossier list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm

from .choices import Chamber
from .models import Dossier


class DossierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Number or title"))
    chamber = django_filters.ChoiceFilter(choices=Chamber.choices, label=_("Chamber"))

    class Meta:
        model = Dossier
        form = FilterForm
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__istartswith=value) | Q(title__icontains=value))
