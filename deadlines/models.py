"""Reply deadlines, the postponements that move them, and the events that record every change."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules
from .choices import DEADLINE_STATUS_COLOURS, DeadlineStatus


class Deadline(models.Model):
    """The reply term of one question letter.

    `status` and `due_date` are stored (and indexed) so the periodic job is one cheap query; they are
    always what `rules.evaluate` says for the stored facts at the last refresh.
    """

    letter = models.OneToOneField("letters.Letter", on_delete=models.CASCADE, related_name="deadline")
    term_days = models.PositiveSmallIntegerField(_("term (days)"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace after postponement (days)"), help_text=_("Used when a notice promises no date.")
    )
    original_due_date = models.DateField(_("original due date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    days_late = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    late_postponements = models.PositiveSmallIntegerField(_("late postponement notices"), default=0)
    unanswered_questions = models.PositiveIntegerField(
        _("unanswered questions"), default=0, help_text=_("Questions no answer covers (a partial answer).")
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [models.Index(fields=["status", "due_date"], name="deadline_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(term_days__gt=0), name="deadline_term_positive"),
            models.CheckConstraint(
                condition=Q(days_late__isnull=True) | Q(status=DeadlineStatus.ANSWERED_LATE),
                name="deadline_days_late_only_when_late",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[DeadlineStatus.ANSWERED, DeadlineStatus.ANSWERED_LATE])
                | Q(answered_on__isnull=False),
                name="deadline_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.get_status_display()} {self.due_date or ''}".strip()

    @property
    def status_colour(self) -> str:
        return DEADLINE_STATUS_COLOURS[DeadlineStatus(self.status)]

    @property
    def is_partial(self) -> bool:
        return self.answered_on is not None and self.unanswered_questions > 0

    def days_left(self, *, now: date | datetime) -> int | None:
        if self.due_date is None or self.answered_on is not None:
            return None
        return (self.due_date - rules.local_date(now)).days

    def evaluate(self, *, now: date | datetime, due_soon_days: int = 7) -> rules.DeadlineState:
        """What the rules say for this deadline's stored facts at `now`."""
        return rules.evaluate(
            letter_date=self.letter.date or self.letter.received_on,
            term_days=self.term_days,
            postponements=[
                rules.PostponementFact(p.received_on, p.promised_date) for p in self.postponements.all()
            ],
            answered_on=self.answered_on,
            now=now,
            grace_days=self.grace_days,
            due_soon_days=due_soon_days,
        )


class Postponement(models.Model):
    """A postponement notice (uitstelbericht or Mededeling) for a deadline; several may follow."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="postponements")
    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.CASCADE, related_name="postponement", verbose_name=_("notice")
    )
    received_on = models.DateField(_("received on"))
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    late = models.BooleanField(_("arrived after the due date"), default=False)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("postponement")
        verbose_name_plural = _("postponements")

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.received_on}"


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    DUE_IN = "due_in", _("Due in a few days")
    POSTPONEMENT = "postponement", _("Postponement received")
    ANSWER = "answer", _("Answer received")
    REMINDER = "reminder", _("Still overdue")


class DeadlineEvent(models.Model):
    """Something that happened to a deadline, recorded once; alerts are made from these rows."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events")
    letter = models.ForeignKey(
        "letters.Letter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The notice or answer that caused this event."),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(_("from"), max_length=14, choices=DeadlineStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=14, choices=DeadlineStatus.choices, blank=True)
    due_date = models.DateField(_("due date then"), null=True, blank=True)
    days = models.IntegerField(_("days left or late"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        constraints = [
            # A letter's arrival is news once, however often the import runs.
            models.UniqueConstraint(
                fields=["deadline", "kind", "letter"],
                condition=Q(letter__isnull=False),
                name="deadline_event_once_per_letter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.kind} {self.from_status}->{self.to_status}"
