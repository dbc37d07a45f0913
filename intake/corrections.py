"""The clerk's second and third actions: correct a recognised letter, or enter one by hand.

Each is one transaction: save the fields (keeping a history line per changed field), then settle
the deadlines the change touched, each once, so a correction records one state change at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.forms import BaseForm, BaseModelFormSet, ModelForm

from deadlines import services as deadline_services
from deadlines.models import Deadline, Postponement
from letters.choices import ASKING_KINDS, DELAYING_KINDS, LetterKind, LinkConfidence
from letters.models import Letter, LetterChange
from questions.models import Answer, Question
from questions.services import detect_links

from .forms import LetterForm, ManualLetterForm, unchanged_data, version_of

# Fields the deadline rules read: a change to any of them settles the deadlines again.
DEADLINE_FIELDS = {"kind", "date", "received_on", "term_days", "chamber", "expected_reply_on"}
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

    Raises `EditConflict`, saving nothing, when another clerk changed a field (of the letter or of
    one of its questions or answers) since this clerk's form was made and this clerk changed the
    same field to something else (see `reconcile`)."""
    letters = Letter.objects.defer(*UNEDITED)
    old = letters.select_for_update().get(pk=form.instance.pk)
    formsets = {
        noun: formset
        for noun, formset in (("question", question_formset), ("answer", answer_formset))
        if formset is not None
    }
    # A copy of its own: a merged form puts its values on the instance it edits.
    form, formsets = reconcile(form, formsets, current=letters.get(pk=old.pk))
    letter, changed, columns = record_letter_changes(form, old=old, user=user)
    retexted: list[int] = []
    if "question" in formsets:
        corrected = save_item_corrections(formsets["question"], letter=letter, user=user, noun="question")
        retexted = [pk for pk, names in corrected.items() if "text" in names]
        if corrected:
            changed.add("questions")
    if "answer" in formsets and save_item_corrections(
        formsets["answer"], letter=letter, user=user, noun="answer"
    ):
        changed.add("answers")
    if columns or changed:
        # The new version is stamped after every history line of this correction, so a form made
        # from it never counts them as changes made since.
        letter.save(update_fields=[*columns, "updated_at"])
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
    """Another clerk's change collides with this one. `form` (and `formsets`, per noun) are this
    clerk's forms again, with the other clerk's other changes taken over and the letter's current
    version, for a second look."""

    def __init__(
        self, form: LetterForm, formsets: dict[str, BaseModelFormSet], conflicts: list[Conflict]
    ) -> None:
        super().__init__(", ".join(conflict.field for conflict in conflicts))
        self.form = form
        self.formsets = formsets
        self.conflicts = conflicts


@dataclass(frozen=True)
class PostedField:
    """A field of a correction form, its values as the correction history shows them."""

    key: str  # its name in the posted data
    names: tuple[str, ...]  # its names in the history: an item's follow the labels it had
    label: str  # as the form shows it; empty: as the history shows it
    mine: str
    now: str


def reconcile(
    form: LetterForm, formsets: dict[str, BaseModelFormSet], *, current: Letter
) -> tuple[LetterForm, dict[str, BaseModelFormSet]]:
    """A correction made on a form older than the letter's last change, brought up to date.

    For each field of the letter, its questions or its answers that another clerk changed since
    (the correction history says which): when this clerk left it as it was, the other clerk's value
    is kept, so an old form never silently undoes a newer correction; when this clerk changed it
    too, differently, that is a conflict for the clerk to decide (`EditConflict`). Returns the
    forms to save."""
    seen = form.cleaned_data.get("version")
    if not seen or seen == version_of(current):
        return form, formsets
    changes = list(
        current.changes.filter(changed_at__gt=datetime.fromisoformat(seen))
        .select_related("user")
        .order_by("changed_at", "pk")
    )
    earliest: dict[str, int] = {}
    for position, change in enumerate(changes):
        earliest.setdefault(change.field, position)
    shown: list[BaseForm] = [LetterForm(instance=current, prefix=form.prefix)]
    posted = [
        PostedField(
            form.add_prefix(name),
            (name,),
            str(form.fields[name].label),
            posted_display(form, name),
            field_display(current, name),
        )
        for name in form.fields
        if name in earliest
    ]
    for noun, formset in formsets.items():
        items = {item.pk: item for item in formset.queryset.all()}
        for item_form in formset.forms:
            if item := items.get(item_form.instance.pk):
                shown.append(type(item_form)(instance=item, prefix=item_form.prefix))
                posted.extend(posted_item_fields(item_form, item, noun=noun, changes=changes))
    theirs = unchanged_data(*shown)
    data = form.data.copy()
    conflicts = []
    for field in posted:
        positions = [earliest[name] for name in field.names if name in earliest]
        if not positions:
            continue
        change = changes[min(positions)]
        if field.mine == change.before:
            value = theirs.get(field.key, "")
            data.setlist(field.key, value if isinstance(value, list) else [value])
        elif field.mine != field.now:
            conflicts.append(
                Conflict(
                    change.field,
                    field.label or change.field_label,
                    field.now,
                    field.mine,
                    change.user.get_username() if change.user else "?",
                    change.changed_at,
                )
            )
    data[form.add_prefix("version")] = version_of(current)
    merged = LetterForm(data, instance=current, prefix=form.prefix)
    merged_sets = {
        noun: type(formset)(data, queryset=formset.queryset.all(), prefix=formset.prefix)
        for noun, formset in formsets.items()
    }
    valid = merged.is_valid() and all(formset.is_valid() for formset in merged_sets.values())
    if conflicts or not valid:
        raise EditConflict(merged, merged_sets, conflicts)
    return merged, merged_sets


def posted_item_fields(
    form: ModelForm, item: Question | Answer, *, noun: str, changes: list[LetterChange]
) -> list[PostedField]:
    """The fields of a question's (answer's) valid form as `reconcile` compares them with the
    history: named `<noun> <label> <field>` under each label `changes` gave the item since."""
    label, labels = item.label, [item_label(item)]
    for change in reversed(changes):
        if change.field == item_field(noun, labels[-1], "label") and change.after == label:
            label = change.before
            labels.append(label or str(item.order))
    return [
        PostedField(
            form.add_prefix(name),
            tuple(item_field(noun, label, name) for label in labels),
            "",
            str(form.cleaned_data[name]),
            str(getattr(item, name)),
        )
        for name in form.Meta.fields
    ]


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
    if old_kind in ASKING_KINDS and letter.kind not in ASKING_KINDS:
        Deadline.objects.filter(letter=letter).delete()
    questions: list[Letter] = []
    replies: list[Letter] = []
    if letter.kind in ASKING_KINDS and (changed & DEADLINE_FIELDS or old_kind != letter.kind):
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
        questions.extend(Letter.objects.filter(pk=old_target_id, kind__in=ASKING_KINDS))
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


def record_letter_changes(form: LetterForm, *, old: Letter, user) -> tuple[Letter, set[str], set[str]]:
    """Take a correction of the letter's fields onto the letter (and its parties) and keep one
    LetterChange per field that really changed; returns the letter, those fields and the columns
    the caller must write.

    Only the columns the clerk changed are written (with the version): writing them all would run
    PostgreSQL's search-vector trigger over the letter's whole text on every correction."""
    names = [name for name in form.changed_data if name in form.fields and name != "version"]
    before = {name: field_display(old, name) for name in names}
    letter = form.save(commit=False)
    form.save_m2m()
    changes = []
    for name in names:
        after = field_display(letter, name)
        if after != before[name]:
            changes.append(
                LetterChange(letter=letter, user=user, field=name, before=before[name], after=after)
            )
    LetterChange.objects.bulk_create(changes)
    columns = {"dossier" if name == "dossier_number" else name for name in names} - {"parties"}
    return letter, {change.field for change in changes}, columns


def item_label(item: Question | Answer) -> str:
    """How the correction history names a question or answer."""
    return item.label or str(item.order)


def item_field(noun: str, label: str, name: str) -> str:
    """How the correction history names a field of a question or answer: `<noun> <label> <field>`
    (read back by `LetterChange.field_label`)."""
    return f"{noun} {label} {name}"


def save_item_corrections(formset, *, letter: Letter, user, noun: str) -> dict[int, set[str]]:
    """Save corrected questions or answers, writing only their columns that changed and recording
    each as `<noun> <label> <field>`; returns the names of the fields that really changed, per
    question or answer (id)."""
    changes = []
    changed: dict[int, set[str]] = {}
    for form in formset.forms:
        if not form.has_changed():
            continue
        old = type(form.instance).objects.get(pk=form.instance.pk)
        item = form.save(commit=False)
        names = [name for name in form.changed_data if str(getattr(old, name)) != str(getattr(item, name))]
        if not names:
            continue
        item.save(update_fields=names)
        changes.extend(
            LetterChange(
                letter=letter,
                user=user,
                field=item_field(noun, item_label(item), name),
                before=str(getattr(old, name)),
                after=str(getattr(item, name)),
            )
            for name in names
        )
        changed[item.pk] = set(names)
    LetterChange.objects.bulk_create(changes)
    return changed
