from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Committee, Dossier
from letters.choices import LetterKind
from letters.models import Letter

from .choices import AlertKind, SubscriptionScope
from .models import SCOPE_FIELDS, AlertProfile, Subscription


class SubscriptionForm(forms.ModelForm):
    """Choose a scope, its target, and which alerts to receive."""

    alerts = forms.MultipleChoiceField(
        label=_("Alerts"),
        choices=AlertKind.choices,
        initial=AlertKind.values,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=SubscriptionScope.choices, initial=SubscriptionScope.ALL
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.all(), required=False, empty_label=_("Choose…")
    )
    # Typed, not picked: an archive holds thousands of dossiers, too many for one select.
    dossier = forms.ModelChoiceField(
        label=_("Dossier number"),
        queryset=Dossier.objects.all(),
        to_field_name="number",
        required=False,
        widget=forms.TextInput,
        help_text=_("The Kamerstuk number, such as 36521."),
        error_messages={"invalid_choice": _("No dossier has this number.")},
    )
    letter = forms.ModelChoiceField(
        label=_("Letter number"),
        queryset=Letter.objects.filter(kind=LetterKind.QUESTIONS),
        required=False,
        widget=forms.NumberInput,
        help_text=_("Or use 'Follow this letter' on a deadline's page."),
    )

    class Meta:
        model = Subscription
        fields = ["scope", "committee", "dossier", "letter", "alerts"]

    def clean(self) -> dict:
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope:
            wanted = SCOPE_FIELDS.get(SubscriptionScope(scope))
            for field in SCOPE_FIELDS.values():
                if field != wanted:
                    # Only the scope's own target is kept; the others may be left over in the form.
                    cleaned[field] = None
                elif not cleaned.get(field):
                    self.add_error(field, _("This scope needs a choice here."))
        return cleaned


class AlertProfileForm(forms.ModelForm):
    class Meta:
        model = AlertProfile
        fields = ["language"]
