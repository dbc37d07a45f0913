"""A correction sent to the API, made by the correction page's own forms and use case.

The JSON is turned into what the page would post (the letter's form, and for a question or answer
a formset of that one item), so `intake.corrections.correct_letter` validates, reconciles and saves
it exactly as it does the page's: same fields, same history, same edit-conflict check."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Model
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from intake.corrections import EditConflict, correct_letter
from intake.forms import AnswerFormSet, LetterForm, QuestionFormSet, unchanged_data, version_of
from letters.models import Letter

FORMSETS = {"question": QuestionFormSet, "answer": AnswerFormSet}


def correct(
    request,
    *,
    letter: Letter,
    letter_fields: dict[str, Any],
    version: str,
    confirm: bool = False,
    item: Model | None = None,
    noun: str = "",
    item_fields: dict[str, Any] | None = None,
) -> tuple[set[str], Response | None]:
    """Save the correction; returns the fields that changed, or a 409 response on a conflict.
    Raises a ValidationError (400) with the form's messages when the values are not valid."""
    prefix = f"l{letter.pk}"
    shown: list = [LetterForm(instance=letter, prefix=prefix)]
    formset_class = FORMSETS.get(noun)
    items = None
    if item is not None:
        items = type(item).objects.filter(pk=item.pk).only("letter_id", "order", "label", "text", "page")
        shown.append(formset_class(queryset=items, prefix=f"{noun}s"))
    data = QueryDict(mutable=True)
    for key, value in unchanged_data(*shown).items():
        put(data, key, value)
    for name, value in letter_fields.items():
        put(data, f"{prefix}-{name}", value)
    for name, value in (item_fields or {}).items():
        put(data, f"{noun}s-0-{name}", value)
    data[f"{prefix}-version"] = version
    form = LetterForm(data, instance=letter, prefix=prefix)
    formset = formset_class(data, queryset=items, prefix=f"{noun}s") if item is not None else None
    valid = form.is_valid()
    if formset is not None:
        valid = formset.is_valid() and valid
    if not valid:
        errors = dict(form.errors)
        if formset is not None:
            for error in formset.errors:
                errors.update(error)
        raise exceptions.ValidationError({name: list(messages) for name, messages in errors.items()})
    try:
        changed = correct_letter(
            form=form,
            question_formset=formset if noun == "question" else None,
            answer_formset=formset if noun == "answer" else None,
            user=request.user,
            confirm=confirm,
            now=timezone.now(),
        )
    except EditConflict as conflict:
        return set(), conflict_response(letter, conflict)
    return changed, None


def put(data: QueryDict, key: str, value: Any) -> None:
    """A value as a form posts it: text, a date in ISO form, a list as repeated keys, None empty."""
    if isinstance(value, list | tuple):
        data.setlist(key, [str(getattr(v, "pk", v)) for v in value])
    elif value is None:
        data.setlist(key, [""])
    elif isinstance(value, date):
        data.setlist(key, [value.isoformat()])
    else:
        data.setlist(key, [str(getattr(value, "pk", value))])


def conflict_response(letter: Letter, conflict: EditConflict) -> Response:
    current = Letter.objects.only("updated_at").get(pk=letter.pk)
    return Response(
        {
            "detail": _(
                "Another clerk changed the same field since you read the letter; nothing was saved. "
                "Read the letter again and resend your correction with its new version."
            ),
            "code": "edit_conflict",
            "version": version_of(current),
            "conflicts": [
                {
                    "field": item.field,
                    "label": item.label,
                    "theirs": item.theirs,
                    "mine": item.mine,
                    "by": item.by,
                    "at": item.at,
                }
                for item in conflict.conflicts
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )
