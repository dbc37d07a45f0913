"""One FilterSet for letters, shared by the letter list, the search page and any API."""

from __future__ import annotations

import html

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from deadlines.choices import DeadlineStatus
from dossiers.choices import Chamber
from dossiers.models import Committee, Minister, Party

from .choices import LetterKind
from .models import Letter


def escape(value: object) -> str:
    """conditional_escape() without its overhead: a few hundred options per page go through it."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        ""
        if value is False
        else format_html(" {}", name)
        if value is True
        else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
    )


def input_html(widget: dict) -> str:
    """Django's widgets/input.html for one widget context, written out in Python."""
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html('<input type="{}" name="{}"', widget["type"], widget["name"]) + (
        value + html_attrs(widget["attrs"]) + ">"
    )


class QuickRenderer(DjangoTemplates):
    """Django's template form renderer, with labels written out in Python (django/forms/label.html).

    Every filter field's label was a template render of its own, on every list and search page.
    """

    def render(self, template_name, context, request=None):
        if template_name == "django/forms/label.html":
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return label.strip()
            tag = conditional_escape(context["tag"])
            return f"<{tag}{html_attrs(context['attrs'] or {})}>{label}</{tag}>".strip()
        return super().render(template_name, context, request=request)


class QuickForm(forms.Form):
    default_renderer = QuickRenderer()


class QuickTextInput(forms.TextInput):
    """A text input written out in Python, the same markup as Django's input.html template."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return mark_safe(input_html(self.get_context(name, value, attrs)["widget"]))


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """`date_after` / `date_before` date inputs, each with its own accessible name.

    Written out in Python like QuickSelect: the same markup as django-filter's multiwidget.html,
    without a template include per input.
    """

    labels = (_("from"), _("to"))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["attrs"]["aria-label"] = str(label)
        return context

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        first, second = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        # multiwidget.html puts "-" after the first input, whose template ends in a newline.
        return mark_safe(f"{input_html(first)}\n\n-{input_html(second)}")


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice validated against the options it lists: one query for both, not two.

    Django's field looks the chosen row up with `queryset.get()` and lists the options with a
    second query; here both come from one read of the (small) option table per form.
    """

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


class QuickSelect(forms.Select):
    """A <select> written out in Python, the same markup as Django's select.html template.

    The template renders an include per option; with every committee, party and minister listed
    on each letter list and search page, that cost more than the page's own query.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if isinstance(self.choices, ModelChoiceIterator):
            # The iterator reads the queryset with .iterator(): on PostgreSQL a server-side cursor
            # (DECLARE, FETCH, CLOSE) for a few dozen rows. A plain read is one round trip.
            iterator = self.choices
            empty = [] if iterator.field.empty_label is None else [("", iterator.field.empty_label)]
            if isinstance(iterator.field, ListedModelChoiceField):
                objects = iterator.field.options()  # read once, also to validate the choice
            else:
                objects = list(iterator.queryset.all())
            self.choices = empty + [iterator.choice(obj) for obj in objects]
        # Django's get_context() builds a dict per option (optgroups, create_option) for the
        # templates to read back; the same choices and selection, written out directly.
        chosen = self.format_value(value)
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        parts = [format_html('<select name="{}"', name), html_attrs(select_attrs), ">"]
        has_selected = False
        for group_value, group_label in self.choices:
            if group_value is None:
                group_value = ""
            grouped = isinstance(group_label, (list, tuple))
            group_name = group_value if grouped else None
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in chosen
                has_selected |= selected
                # select_option.html, ending in a newline; escape() is what the template applies.
                parts.append(
                    f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                    f"{escape(label)}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class LetterFilterSet(django_filters.FilterSet):
    committee = ListedModelChoiceFilter(
        queryset=Committee.objects.all(),
        label=_("Committee"),
        empty_label=_("All committees"),
        widget=QuickSelect,
    )
    chamber = django_filters.ChoiceFilter(
        choices=Chamber.choices, label=_("Chamber"), empty_label=_("Both"), widget=QuickSelect
    )
    dossier = django_filters.CharFilter(
        field_name="dossier__number", lookup_expr="iexact", label=_("Dossier number"), widget=QuickTextInput
    )
    party = ListedModelChoiceFilter(
        queryset=Party.objects.all(),
        method="filter_party",
        label=_("Party"),
        empty_label=_("All parties"),
        widget=QuickSelect,
    )
    member = django_filters.CharFilter(method="filter_member", label=_("Member"), widget=QuickTextInput)
    minister = ListedModelChoiceFilter(
        queryset=Minister.objects.all(),
        label=_("Minister"),
        empty_label=_("All ministers"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        choices=LetterKind.choices, label=_("Kind"), empty_label=_("All kinds"), widget=QuickSelect
    )
    status = django_filters.ChoiceFilter(
        field_name="deadline__status",
        choices=DeadlineStatus.choices,
        label=_("Deadline status"),
        empty_label=_("Any status"),
        widget=QuickSelect,
    )
    answered = django_filters.BooleanFilter(
        method="filter_answered",
        label=_("Answered"),
        widget=QuickSelect(
            choices=[("", _("Either")), ("true", _("Answered")), ("false", _("Not answered"))]
        ),
    )
    date = django_filters.DateFromToRangeFilter(
        label=_("Date from – to"), widget=DateRangeWidget(attrs={"type": "date"})
    )

    class Meta:
        model = Letter
        fields: list[str] = []
        form = QuickForm

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
        # An answer letter counts as answered: it is one. A question letter is answered once its
        # deadline has an answer date.
        answered = Q(deadline__answered_on__isnull=False) | Q(kind=LetterKind.ANSWER)
        return queryset.filter(answered if value else ~answered)

    @property
    def is_active(self) -> bool:
        """Whether any filter narrows the letters; lets search skip the letter subquery entirely."""
        return self.form.is_valid() and any(has_value(value) for value in self.form.cleaned_data.values())


def has_value(value: object) -> bool:
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    return value not in (None, "", [])
