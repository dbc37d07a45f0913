"""What every filter select offers, whichever app's list it narrows."""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms.renderers import Jinja2
from django.utils import formats
from django.utils.translation import gettext_lazy as _

# The empty choice: no narrowing. The same words as FILTERS_EMPTY_CHOICE_LABEL (settings), which
# django-filter puts first in the selects it makes itself.
EMPTY_CHOICE = _("All")
# A yes/no filter: "All" like every other select, not NullBooleanSelect's "Unknown".
YES_NO = [("", EMPTY_CHOICE), ("true", _("Yes")), ("false", _("No"))]
# Answered or not (letters, questions): the same choices, named for what they ask.
ANSWERED_OR_NOT = [("", EMPTY_CHOICE), ("true", _("Answered")), ("false", _("Not answered"))]

# Django's select (and multiple select) template, and the same markup with each option written in
# place instead of an include per option and per option's attributes (core/jinja2/forms/select.html).
SELECT_TEMPLATE = forms.Select.template_name
FILTER_SELECT_TEMPLATE = "forms/select.html"


class FilterForm(forms.Form):
    """A filter form: its widgets drawn by Django's own widget templates, in their Jinja2 form.

    A list or search page draws every filter with every option (committees, parties,
    ministers) on each request; through Django's template language, an include per option,
    that cost more than the page's own SQL. The same templates in Jinja2 take a fraction, and
    the selects' options written in place a fraction less.
    """

    default_renderer = Jinja2()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select) and field.widget.template_name == SELECT_TEMPLATE:
                field.widget.template_name = FILTER_SELECT_TEMPLATE


def active_filters(form: forms.Form) -> list[tuple[str, str]]:
    """(label, value as shown) of each filter a valid form narrows by: printed above a list, so a
    printed page says what it lists ("Committee: BiZa")."""
    if not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", []) or (
            isinstance(value, slice) and value.start is None and value.stop is None
        ):
            continue
        field = form.fields[name]
        labels = {str(key): str(label) for key, label in getattr(field, "choices", ())}
        if isinstance(value, slice):
            text = " – ".join(formats.date_format(day) if day else "…" for day in (value.start, value.stop))
        elif isinstance(value, list | tuple):
            text = ", ".join(labels.get(str(item), str(item)) for item in value)
        elif isinstance(value, date):
            text = formats.date_format(value)
        elif isinstance(value, bool):
            text = labels.get(str(value).lower(), str(_("Yes") if value else _("No")))
        else:
            text = labels.get(str(value), str(value))
        shown.append((str(field.label), text))
    return shown
