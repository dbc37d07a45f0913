"""Forms for the search page and for linking questions by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm

from .choices import LinkKind
from .models import Question
from .search import SCOPES


class SearchForm(FilterForm):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autofocus": True, "placeholder": _("e.g. asielzoekers")}
        ),
    )
    scope = forms.ChoiceField(label=_("In"), choices=SCOPES, required=False, initial="all")


class QuestionLinkForm(forms.Form):
    """Link this question to another one, chosen by its number in Griffie (shown on every thread)."""

    other = forms.IntegerField(
        label=_("Other question number"),
        min_value=1,
        help_text=_("The number shown as '#' on the other question's thread page."),
    )
    kind = forms.ChoiceField(label=_("Kind of link"), choices=LinkKind.choices, initial=LinkKind.FOLLOW_UP)

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_other(self) -> Question:
        pk = self.cleaned_data["other"]
        if pk == self.question.pk:
            raise forms.ValidationError(_("A question cannot be linked to itself."))
        other = Question.objects.select_related("letter").filter(pk=pk).first()
        if other is None:
            raise forms.ValidationError(_("There is no question with this number."))
        return other
