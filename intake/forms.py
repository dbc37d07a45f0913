"""Forms for intake (upload), correcting a recognised letter, and entering a letter by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Committee, Dossier, Minister, Party
from letters.choices import ASKING_KINDS
from letters.models import Letter
from questions.models import Answer, Question

MAX_FILES_PER_UPLOAD = 20
PDF_MAGIC = b"%PDF-"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("PDF files"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("One or more letters as PDF, at most %(mb)d MB each.")
        % {"mb": settings.GRIFFIE_MAX_UPLOAD_BYTES // (1024 * 1024)},
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose at least one PDF file."))
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Upload at most %(n)d files at once.") % {"n": MAX_FILES_PER_UPLOAD}
            )
        errors = []
        for upload in files:
            if upload.size > settings.GRIFFIE_MAX_UPLOAD_BYTES:
                errors.append(
                    _("%(name)s is too large (%(size)d MB); the limit is %(limit)d MB.")
                    % {
                        "name": upload.name,
                        "size": upload.size // (1024 * 1024),
                        "limit": settings.GRIFFIE_MAX_UPLOAD_BYTES // (1024 * 1024),
                    }
                )
                continue
            head = upload.read(len(PDF_MAGIC))
            upload.seek(0)
            if not upload.name.lower().endswith(".pdf") or head != PDF_MAGIC:
                errors.append(
                    _("%(name)s is not a PDF file. Only PDF letters can be uploaded.") % {"name": upload.name}
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


class LetterForm(forms.ModelForm):
    """Every field a clerk may correct. The dossier is typed as its number, created if new."""

    dossier_number = forms.CharField(label=_("Dossier number"), max_length=40, required=False)
    # The letter as the clerk saw it (its last change), to notice another clerk's change meanwhile.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    in_reply_to = forms.ModelChoiceField(
        queryset=Letter.objects.none(),
        required=False,
        label=_("In reply to"),
        help_text=_("The question letter or verslag this postponement or answer belongs to."),
    )

    class Meta:
        model = Letter
        fields = [
            "kind",
            "date",
            "received_on",
            "chamber",
            "committee",
            "minister",
            "sender",
            "recipient",
            "subject",
            "dossier_document",
            "reference",
            "cites_reference",
            "cites_date",
            "document_number",
            "term_days",
            "promised_date",
            "promised_term_days",
            "bill_round",
            "expected_reply_on",
            "in_reply_to",
            "parties",
            "first_page",
            "last_page",
        ]
        widgets = {
            "date": DATE_INPUT,
            "received_on": DATE_INPUT,
            "cites_date": DATE_INPUT,
            "promised_date": DATE_INPUT,
            "expected_reply_on": DATE_INPUT,
            "parties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.all()
        self.fields["minister"].queryset = Minister.objects.all()
        self.fields["parties"].queryset = Party.objects.all()
        self.fields["in_reply_to"].queryset = reply_candidates(self.instance)
        self.fields["in_reply_to"].label_from_instance = describe_letter
        if self.instance.dossier_id:
            self.fields["dossier_number"].initial = self.instance.dossier.number
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_page"), cleaned.get("last_page")
        if first and last and first > last:
            self.add_error("last_page", _("The last page comes before the first page."))
        target = cleaned.get("in_reply_to")
        if target is not None and self.instance.pk and target.pk == self.instance.pk:
            self.add_error("in_reply_to", _("A letter cannot reply to itself."))
        return cleaned

    def save(self, commit: bool = True) -> Letter:
        number = self.cleaned_data.get("dossier_number", "").strip()
        if number:
            self.instance.dossier = Dossier.objects.get_or_create(
                number=number, defaults={"chamber": self.cleaned_data.get("chamber") or ""}
            )[0]
        else:
            self.instance.dossier = None
        return super().save(commit=commit)


def version_of(letter: Letter) -> str:
    return letter.updated_at.isoformat()


def unchanged_data(*forms_shown: forms.BaseForm | forms.BaseFormSet) -> dict[str, Any]:
    """What unbound forms (and formsets, with their management form) post when nothing is changed
    (a date as ISO text, a choice of a model as its key)."""
    data: dict[str, Any] = {}
    for form in forms_shown:
        if isinstance(form, forms.BaseFormSet):
            data.update(unchanged_data(form.management_form, *form.forms))
            continue
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[form.add_prefix(name)] = value.isoformat() if isinstance(value, date) else value
    return data


def describe_letter(letter: Letter) -> str:
    when = letter.date.strftime("%d-%m-%Y") if letter.date else "?"
    return f"#{letter.pk} · {letter.get_kind_display()} {when} · {(letter.subject or letter.sender)[:70]}"


def reply_candidates(letter: Letter, limit: int = 60):
    """Question letters this letter may reply to: the current one, and recent ones it plausibly answers.

    Bounded so the select stays short; the ids are listed so form validation accepts exactly these.
    """
    related = Q()
    for attribute in ("committee", "minister", "dossier"):
        value = getattr(letter, f"{attribute}_id", None)
        if value:
            related |= Q(**{f"{attribute}_id": value})
    queryset = Letter.objects.filter(kind__in=ASKING_KINDS).exclude(pk=letter.pk)
    if related:
        queryset = queryset.filter(related)
    if letter.date:
        queryset = queryset.filter(date__lte=letter.date, date__gte=letter.date - timedelta(days=730))
    ids = list(queryset.order_by("-date", "-pk").values_list("pk", flat=True)[:limit])
    if letter.in_reply_to_id:
        ids.append(letter.in_reply_to_id)
    # Only what describe_letter prints: a candidate's text can run to megabytes.
    return (
        Letter.objects.filter(pk__in=ids).only("kind", "date", "subject", "sender").order_by("-date", "-pk")
    )


class ManualLetterForm(LetterForm):
    """A letter entered by hand: its fields, and its questions as paragraphs."""

    questions_text = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For a question letter: one question per paragraph (separate them with an empty line)."),
    )

    def question_paragraphs(self) -> list[str]:
        text = self.cleaned_data.get("questions_text", "")
        return [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


class QuestionCorrectionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "text", "page"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AnswerCorrectionForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["label", "text", "page"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class BlockFormSet(forms.BaseModelFormSet):
    """One block of a letter's questions or answers (its queryset). A posted id outside the block is
    an error, not a new row: a form made for another block changes nothing."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["id"].queryset = self.get_queryset()


QuestionFormSet = forms.modelformset_factory(
    Question, form=QuestionCorrectionForm, formset=BlockFormSet, extra=0
)
AnswerFormSet = forms.modelformset_factory(Answer, form=AnswerCorrectionForm, formset=BlockFormSet, extra=0)
