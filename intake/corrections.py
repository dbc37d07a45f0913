"""The clerk's second and third actions: correct a recognised letter, or enter one by hand.

Each is one transaction: save the fields (keeping a history line per changed field), then settle
the deadlines the change touched, each once, so a correction records one state change at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.forms import BaseModelFormSet

from deadlines import services as deadline_services
from deadlines.models import Deadline, Postponement
from letters.choices import DELAYING_KINDS, LetterKind, LinkConfidence
from letters.models import Letter, LetterChange
from questions.models import Question
from questions.services import detect_links

from .forms import LetterForm, ManualLetterForm, unchanged_data, version_of

# Fields the deadline rules read: a change to any of them settles the deadlines again.
DEADLINE_FIELDS = {"kind", "date", "received_on", "term_days", "chamber"}
PROMISE_FIELDS = {"date", "received_on", "promised_date", "promised_term_days"}
# Fields thread detection reads to find the earlier letters a question letter follows up on
# (questions.services.earlier_letters): a change to any of them links all its questions again.
LINK_FIELDS = {
    "kind",
    "date",
    "committee",
    "minister",
    "dossier_number",
    "dossier_document",
    "cites_reference",
    "cites_date",
}
# Never corrected on a form, and megabytes for a big letter: neither read nor written back.
UNEDITED = ("text", "search_vector")


@transaction.atomic
def correct_letter(
    *,
    form: LetterForm,
    question_formset: BaseModelFormSet | None = None,
    answer_formset: BaseModelFormSet | None = None,
    user: AbstractBaseUser,
    confirm: bool = False,
    now: datetime,
) -> set[str]:
    """Save a clerk's valid correction of a letter (and a block of its questions and answers);
    returns the names of the letter's fields that really changed, with "questions" ("answers")
    when some of its questions (answers) did.

    Raises `EditConflict`, saving nothing, when another clerk changed a field since this clerk's
    form was made and this clerk changed the same field to something else (see `reconcile`)."""
    letters = Letter.objects.defer(*UNEDITED)
    old = letters.select_for_update().get(pk=form.instance.pk)
    # A copy of its own: a merged form puts its values on the instance it edits.
    form = reconcile(form, current=letters.get(pk=old.pk))
    letter, changed = save_with_history(form, old=old, user=user)
    retexted: list[int] = []
    if question_formset is not None:
        corrected = save_item_corrections(question_formset, letter=letter, user=user, noun="question")
        retexted = [pk for pk, names in corrected.items() if "text" in names]
        if corrected:
            changed.add("questions")
    if answer_formset is not None and save_item_corrections(
        answer_formset, letter=letter, user=user, noun="answer"
    ):
        changed.add("answers")
    settle_after_change(
        letter,
        changed=changed,
        old_kind=old.kind,
        old_target_id=old.in_reply_to_id,
        now=now,
        retexted=retexted,
    )
    if confirm:
        letter.confirmed_at, letter.confirmed_by = now, user
        letter.save(update_fields=["confirmed_at", "confirmed_by"])
    return changed


@dataclass(frozen=True)
class Conflict:
    """A field two clerks changed differently: what it holds now, and what this clerk sent."""

    field: str
    label: str
    theirs: str
    mine: str
    by: str
    at: datetime


class EditConflict(Exception):
    """Another clerk's change collides with this one. `form` is this clerk's form again, with the
    other clerk's other changes taken over and the letter's current version, for a second look."""

    def __init__(self, form: LetterForm, conflicts: list[Conflict]) -> None:
        super().__init__(", ".join(conflict.field for conflict in conflicts))
        self.form = form
        self.conflicts = conflicts


def reconcile(form: LetterForm, *, current: Letter) -> LetterForm:
    """A correction made on a form older than the letter's last change, brought up to date.

    For each field another clerk changed since (the correction history says which): when this
    clerk left it as it was, the other clerk's value is kept, so an old form never silently undoes
    a newer correction; when this clerk changed it too, differently, that is a conflict for the
    clerk to decide (`EditConflict`). Returns the form to save."""
    seen = form.cleaned_data.get("version")
    if not seen or seen == version_of(current):
        return form
    earliest: dict[str, LetterChange] = {}
    since = datetime.fromisoformat(seen)
    for change in (
        current.changes.filter(changed_at__gt=since).select_related("user").order_by("changed_at", "pk")
    ):
        if change.field in form.fields:
            earliest.setdefault(change.field, change)
    data = form.data.copy()
    theirs = unchanged_data(LetterForm(instance=current, prefix=form.prefix))
    conflicts = []
    for name, change in earliest.items():
        mine, now = posted_display(form, name), field_display(current, name)
        if mine == change.before:
            key = form.add_prefix(name)
            value = theirs.get(key, "")
            data.setlist(key, value if isinstance(value, list) else [value])
        elif mine != now:
            conflicts.append(
                Conflict(
                    name,
                    str(form.fields[name].label),
                    now,
                    mine,
                    change.user.get_username() if change.user else "?",
                    change.changed_at,
                )
            )
    data[form.add_prefix("version")] = version_of(current)
    merged = LetterForm(data, instance=current, prefix=form.prefix)
    if conflicts or not merged.is_valid():
        raise EditConflict(merged, conflicts)
    return merged


def posted_display(form: LetterForm, name: str) -> str:
    """A field of a valid form as the history shows it (`field_display`), before it is saved."""
    if name == "dossier_number":
        return form.cleaned_data["dossier_number"].strip()
    if name == "parties":
        return ", ".join(sorted(party.name for party in form.cleaned_data["parties"]))
    return field_display(form.instance, name)  # validation put the posted values on the instance


@transaction.atomic
def enter_letter(*, form: ManualLetterForm, user: AbstractBaseUser, now: datetime) -> Letter:
    """Save a letter entered by hand (confirmed: the clerk typed it), with its questions."""
    letter = form.save()
    Question.objects.bulk_create(
        Question(letter=letter, order=order, label=str(order), text=text)
        for order, text in enumerate(form.question_paragraphs(), start=1)
    )
    settle_after_change(
        letter,
        changed={"kind", "in_reply_to"} if letter.in_reply_to_id else {"kind"},
        old_kind="",
        old_target_id=None,
        now=now,
    )
    letter.confirmed_at, letter.confirmed_by = now, user
    letter.save(update_fields=["confirmed_at", "confirmed_by"])
    return letter


@transaction.atomic
def confirm_letters(*, letter_ids: list[int], user: AbstractBaseUser, now: datetime) -> int:
    """A clerk has checked these letters; returns how many were still unconfirmed (confirming
    twice changes nothing, so the first clerk and time stay)."""
    return Letter.objects.filter(pk__in=letter_ids, confirmed_at=None).update(
        confirmed_at=now, confirmed_by=user
    )


def settle_after_change(
    letter: Letter,
    *,
    changed: set[str],
    old_kind: str,
    old_target_id: int | None,
    now: datetime,
    retexted: list[int] | None = None,
) -> None:
    """Keep deadlines and threads true after a letter's fields (and the texts of its questions
    `retexted`, ids) changed, deciding each deadline once.

    Threads are detected again only for what changed: a correction of one block of a letter of
    25,000 questions measures that block's corrected questions, not the whole letter."""
    if old_kind == LetterKind.QUESTIONS and letter.kind != LetterKind.QUESTIONS:
        Deadline.objects.filter(letter=letter).delete()
    questions: list[Letter] = []
    replies: list[Letter] = []
    if letter.kind == LetterKind.QUESTIONS and (changed & DEADLINE_FIELDS or old_kind != letter.kind):
        questions.append(letter)
    relinked = bool(changed & {"in_reply_to", "kind"})
    if relinked:
        if letter.in_reply_to_id:
            letter.link_confidence = LinkConfidence.MANUAL
            letter.save(update_fields=["link_confidence"])
        if letter.in_reply_to_id != old_target_id or letter.kind not in DELAYING_KINDS:
            # The notice no longer postpones the letter it was recorded against.
            Postponement.objects.filter(letter=letter).delete()
    if letter.in_reply_to_id and (relinked or changed & PROMISE_FIELDS):
        replies.append(letter)
    if old_target_id and old_target_id != letter.in_reply_to_id:
        questions.extend(Letter.objects.filter(pk=old_target_id, kind=LetterKind.QUESTIONS))
    deadline_services.settle_deadlines(questions=questions, replies=replies, now=now)
    if letter.kind == LetterKind.QUESTIONS:
        if changed & LINK_FIELDS:
            detect_links(letter=letter)
        elif retexted:
            detect_links(letter=letter, questions=retexted)


def field_display(letter: Letter, name: str) -> str:
    """A field's value as a clerk reads it, for the correction history."""
    if name == "dossier_number":
        return letter.dossier.number if letter.dossier_id else ""
    if name == "parties":
        return ", ".join(sorted(party.name for party in letter.parties.all()))
    field = Letter._meta.get_field(name)
    if field.choices:
        return str(getattr(letter, f"get_{name}_display")())
    value = getattr(letter, name)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def save_with_history(form: LetterForm, *, old: Letter, user) -> tuple[Letter, set[str]]:
    """Save a correction and keep one LetterChange per field that really changed.

    Only the columns the clerk changed are written (with the version): writing them all would run
    PostgreSQL's search-vector trigger over the letter's whole text on every correction."""
    names = [name for name in form.changed_data if name in form.fields and name != "version"]
    before = {name: field_display(old, name) for name in names}
    letter = form.save(commit=False)
    columns = {"dossier" if name == "dossier_number" else name for name in names} - {"parties"}
    if names:
        letter.save(update_fields=[*columns, "updated_at"])
    form.save_m2m()
    changes = []
    for name in names:
        after = field_display(letter, name)
        if after != before[name]:
            changes.append(
                LetterChange(letter=letter, user=user, field=name, before=before[name], after=after)
            )
    LetterChange.objects.bulk_create(changes)
    return letter, {change.field for change in changes}


def save_item_corrections(formset, *, letter: Letter, user, noun: str) -> dict[int, set[str]]:
    """Save corrected questions or answers, recording each changed field as `<noun> <label> <field>`;
    returns the names of the fields that really changed, per question or answer (id)."""
    changes = []
    changed: dict[int, set[str]] = {}
    for form in formset.forms:
        if not form.has_changed():
            continue
        old = type(form.instance).objects.get(pk=form.instance.pk)
        item = form.save()
        for name in form.changed_data:
            before, after = str(getattr(old, name)), str(getattr(item, name))
            if before != after:
                label = item.label or item.order
                changes.append(
                    LetterChange(
                        letter=letter, user=user, field=f"{noun} {label} {name}", before=before, after=after
                    )
                )
                changed.setdefault(item.pk, set()).add(name)
    LetterChange.objects.bulk_create(changes)
    return changed
