"""One FilterSet for letters, shared by the letter list, the search page and any API."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.filters import ANSWERED_OR_NOT, FilterForm
from deadlines.choices import DeadlineStatus
from dossiers.choices import Chamber
from dossiers.models import Committee, Minister, Party

from .choices import ANSWERING_KINDS, ImportStatus, LetterKind
from .models import Letter, SourceDocument


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """`date_after` / `date_before` date inputs, each with its own accessible name."""

    labels = (_("from"), _("to"))
    # Django's own multiwidget template: it comes in Jinja2 too (core.filters.FilterForm).
    template_name = "django/forms/widgets/multiwidget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["attrs"]["aria-label"] = str(label)
        return context


class ListedModelChoiceIterator(ModelChoiceIterator):
    """The options of a ListedModelChoiceField, from its one read of the table.

    Django's iterator reads the queryset with .iterator(): on PostgreSQL a server-side cursor
    (DECLARE, FETCH, CLOSE) for a few dozen rows, and a second query besides the validation's.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.options()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.options())


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice validated against the options it lists: one query for both, not two.

    Django's field looks the chosen row up with `queryset.get()` and lists the options with a
    second query; here both come from one read of the (small) option table per form (the
    options are the queryset's rows as read when the form is first used).
    """

    iterator = ListedModelChoiceIterator
    _options: list | None = None

    def options(self) -> list:
        if self._options is None:
            self._options = list(self.queryset)
        return self._options

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values or self.to_field_name:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            key = value.pk if isinstance(value, self.queryset.model) else value
            key = self.queryset.model._meta.pk.to_python(key)
        except (ValueError, TypeError, ValidationError):
            key = None
        for obj in self.options() if key is not None else ():
            if obj.pk == key:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class LetterScopeFilterSet(django_filters.FilterSet):
    """Whose letters, for a model with a `letter`: the chamber, committee and minister filters the
    deadline pages and the question list share."""

    chamber = django_filters.ChoiceFilter(
        field_name="letter__chamber", choices=Chamber.choices, label=_("Chamber")
    )
    committee = ListedModelChoiceFilter(
        field_name="letter__committee", queryset=Committee.objects.all(), label=_("Committee")
    )
    minister = ListedModelChoiceFilter(
        field_name="letter__minister", queryset=Minister.objects.all(), label=_("Minister")
    )


class LetterFilterSet(django_filters.FilterSet):
    committee = ListedModelChoiceFilter(queryset=Committee.objects.all(), label=_("Committee"))
    chamber = django_filters.ChoiceFilter(choices=Chamber.choices, label=_("Chamber"))
    dossier = django_filters.CharFilter(
        field_name="dossier__number", lookup_expr="iexact", label=_("Dossier number")
    )
    party = ListedModelChoiceFilter(queryset=Party.objects.all(), method="filter_party", label=_("Party"))
    member = django_filters.CharFilter(method="filter_member", label=_("Member"))
    minister = ListedModelChoiceFilter(queryset=Minister.objects.all(), label=_("Minister"))
    kind = django_filters.ChoiceFilter(choices=LetterKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(
        field_name="deadline__status", choices=DeadlineStatus.choices, label=_("Deadline status")
    )
    answered = django_filters.BooleanFilter(
        method="filter_answered",
        label=_("Answered"),
        widget=forms.Select(choices=ANSWERED_OR_NOT),
    )
    date = django_filters.DateFromToRangeFilter(
        label=_("Date from – to"), widget=DateRangeWidget(attrs={"type": "date"})
    )

    class Meta:
        model = Letter
        fields: list[str] = []
        form = FilterForm

    # Exists() rather than a join, so a letter asked by two parties is listed once, without DISTINCT.
    def filter_party(self, queryset: QuerySet, name: str, value: Party | None) -> QuerySet:
        if not value:
            return queryset
        through = Letter.parties.through.objects.filter(letter=OuterRef("pk"), party=value)
        return queryset.filter(Exists(through))

    def filter_member(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        through = Letter.members.through.objects.filter(letter=OuterRef("pk"), member__name__icontains=value)
        return queryset.filter(Exists(through))

    def filter_answered(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        # An answer letter (or a bill's nota) counts as answered: it is one. A question letter (or
        # verslag) is answered once its deadline has an answer date.
        answered = Q(deadline__answered_on__isnull=False) | Q(kind__in=ANSWERING_KINDS)
        return queryset.filter(answered if value else ~answered)

    @property
    def is_active(self) -> bool:
        """Whether any filter narrows the letters; lets search skip the letter subquery entirely."""
        return self.form.is_valid() and any(has_value(value) for value in self.form.cleaned_data.values())


def has_value(value: object) -> bool:
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    return value not in (None, "", [])


class SourceDocumentFilterSet(django_filters.FilterSet):
    """Uploaded files by their import's state (the API's list of imports)."""

    status = django_filters.MultipleChoiceFilter(choices=ImportStatus.choices, label=_("Import status"))

    class Meta:
        model = SourceDocument
        form = FilterForm
        fields: list[str] = []
