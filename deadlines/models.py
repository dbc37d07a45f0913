"""Reply deadlines, the postponements that move them, and the events that record every change."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.links import pk_url

from . import rules
from .choices import DEADLINE_STATUS_COLOURS, AlertKind, DeadlineStatus, DeliveryStatus, SubscriptionScope


class Deadline(models.Model):
    """The reply term of one question letter.

    `status` and `due_date` are stored (and indexed) so the periodic job is one cheap query; they are
    always what `rules.evaluate` says for the stored facts at the last refresh.
    """

    letter = models.OneToOneField("letters.Letter", on_delete=models.CASCADE, related_name="deadline")
    # Empty for a verslag: it is open until the reply arrives (rules.reply_due).
    term_days = models.PositiveSmallIntegerField(_("term (days)"), null=True, blank=True)
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
    # Alert claims (see services.refresh_deadlines): the job claims a row by moving these forward in
    # the same conditional UPDATE that records the alert, so an alert is made once per due date.
    alerted_days_before = models.PositiveSmallIntegerField(
        _("last 'due in N days' alert"),
        null=True,
        blank=True,
        help_text=_("The smallest N alerted for the current due date; cleared when the due date moves."),
    )
    next_reminder_on = models.DateField(
        _("next overdue reminder"), null=True, blank=True, help_text=_("Set while overdue.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_status_due"),
            # The deadline list's order: its first page is the index's first rows, not a sort of all.
            models.Index(fields=["due_date", "id"], name="deadline_due"),
            # The dashboard's recent answers (newest first) and its counts of them, without reading
            # the tens of thousands answered before.
            models.Index(fields=["answered_on", "id"], name="deadline_answered"),
            models.Index(fields=["status", "next_reminder_on"], name="deadline_status_reminder"),
        ]
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

    def get_absolute_url(self) -> str:
        return pk_url("deadlines:detail")(self.pk)

    @property
    def status_colour(self) -> str:
        return DEADLINE_STATUS_COLOURS[DeadlineStatus(self.status)]

    @property
    def is_partial(self) -> bool:
        return rules.is_partial(self.answered_on, self.unanswered_questions)

    def days_left(self, *, now: date | datetime) -> int | None:
        return rules.days_left(self.due_date, self.answered_on, now=now)

    def evaluate(self, *, now: date | datetime, due_soon_days: int = 7) -> rules.DeadlineState:
        """What the rules say for this deadline's stored facts at `now`."""
        return rules.evaluate(
            letter_date=self.letter.date or self.letter.received_on,
            term_days=self.term_days,
            expected_on=self.letter.expected_reply_on,
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
    WAITING = "waiting", _("Still awaiting its reply")


class DeadlineEvent(models.Model):
    """Something that happened to a deadline, recorded once; alerts are made from these rows."""

    # Indexed by the unique constraint below, whose leading column it is.
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events", db_index=False)
    letter = models.ForeignKey(
        "letters.Letter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The notice or answer that caused this event."),
        db_index=False,  # indexed only where set (Meta.indexes): the refresh job adds rows without one
    )
    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=14, choices=DeadlineStatus.choices, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=14, choices=DeadlineStatus.choices, blank=True
    )
    due_date = models.DateField(_("due date then"), null=True, blank=True)
    days = models.IntegerField(_("days left or late"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"))
    planned_at = models.DateTimeField(
        _("alerts planned at"),
        null=True,
        blank=True,
        help_text=_("When the delivery job turned this event into emails; empty until then."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        constraints = [
            # A letter's arrival is news once, however often the import runs. Rows without a letter
            # never clash (NULLs are distinct), so the index needs no condition and, covering every
            # row, also serves lookups by deadline: one index fewer for the refresh job to fill.
            models.UniqueConstraint(
                fields=["deadline", "kind", "letter"], name="deadline_event_once_per_letter"
            )
        ]
        indexes = [
            # The delivery job's claim reads only unplanned events; the index stays small.
            models.Index(
                fields=["id"], condition=Q(planned_at__isnull=True), name="deadline_event_unplanned"
            ),
            models.Index(fields=["letter"], condition=Q(letter__isnull=False), name="deadline_event_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.kind} {self.from_status}->{self.to_status}"

    @property
    def alert(self) -> AlertKind | None:
        """Which alert this event is, if any: most status changes are not news on their own."""
        if self.kind == EventKind.STATUS:
            return AlertKind.OVERDUE if self.to_status == DeadlineStatus.OVERDUE else None
        return EVENT_ALERTS[EventKind(self.kind)]


EVENT_ALERTS = {
    EventKind.DUE_IN: AlertKind.DUE_SOON,
    EventKind.REMINDER: AlertKind.REMINDER,
    EventKind.POSTPONEMENT: AlertKind.POSTPONEMENT,
    EventKind.ANSWER: AlertKind.ANSWER,
    EventKind.WAITING: AlertKind.WAITING,
}


def all_alert_kinds() -> list[str]:
    return list(AlertKind.values)


SCOPE_FIELDS = {
    SubscriptionScope.COMMITTEE: "committee",
    SubscriptionScope.DOSSIER: "dossier",
    SubscriptionScope.LETTER: "letter",
}


class Subscription(models.Model):
    """What a user wants to hear about: a scope (everything, a committee, a dossier, a letter) and alerts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    scope = models.CharField(_("scope"), max_length=10, choices=SubscriptionScope.choices)
    committee = models.ForeignKey(
        "dossiers.Committee", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("committee")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("dossier")
    )
    letter = models.ForeignKey(
        "letters.Letter", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("letter")
    )
    alerts = models.JSONField(_("alerts"), default=all_alert_kinds)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scope", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            # Exactly the foreign key its scope names is set, no other.
            models.CheckConstraint(
                condition=(
                    Q(
                        scope=SubscriptionScope.ALL,
                        committee__isnull=True,
                        dossier__isnull=True,
                        letter__isnull=True,
                    )
                    | Q(
                        scope=SubscriptionScope.COMMITTEE,
                        committee__isnull=False,
                        dossier__isnull=True,
                        letter__isnull=True,
                    )
                    | Q(
                        scope=SubscriptionScope.DOSSIER,
                        committee__isnull=True,
                        dossier__isnull=False,
                        letter__isnull=True,
                    )
                    | Q(
                        scope=SubscriptionScope.LETTER,
                        committee__isnull=True,
                        dossier__isnull=True,
                        letter__isnull=False,
                    )
                ),
                name="subscription_scope_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.target_label}"

    @property
    def target(self) -> models.Model | None:
        field = SCOPE_FIELDS.get(SubscriptionScope(self.scope))
        return getattr(self, field) if field else None

    @property
    def target_label(self) -> str:
        target = self.target
        return str(target) if target is not None else str(SubscriptionScope(self.scope).label)

    @property
    def alert_labels(self) -> list[str]:
        return [str(AlertKind(kind).label) for kind in self.alerts if kind in AlertKind.values]

    def deadline_filter(self) -> Q:
        """The deadlines this subscription covers, as a filter on Deadline."""
        return self.letter_filter("letter__")

    def letter_filter(self, path: str = "") -> Q:
        """The letters this subscription covers, as a filter on the model that reaches Letter by
        `path` ("" for Letter itself, "letter__" for Deadline, "deadline__letter__" for DeadlineEvent)."""
        field = SCOPE_FIELDS.get(SubscriptionScope(self.scope))
        if field is None:
            return Q()
        # The key of the letter or of its committee or dossier: `letter__pk` reads the foreign key
        # column without joining the letter.
        column = f"{path}pk" if field == "letter" else f"{path}{field}_id"
        return Q(**{column: getattr(self, f"{field}_id")})

    def covers(self, deadline: Deadline) -> bool:
        """The same test as `deadline_filter`, in Python, for a deadline whose letter is loaded."""
        field = SCOPE_FIELDS.get(SubscriptionScope(self.scope))
        if field is None:
            return True
        if field == "letter":
            return deadline.letter_id == self.letter_id
        return getattr(deadline.letter, f"{field}_id") == getattr(self, f"{field}_id")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class AlertProfile(models.Model):
    """Per-user alert settings: the language emails are written in, and the secret calendar feed token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta:
        verbose_name = _("alert profile")
        verbose_name_plural = _("alert profiles")

    def __str__(self) -> str:
        return str(self.user)


class CommitteeCalendar(models.Model):
    """One user's secret address for one committee's calendar feed.

    An address per user and committee, not one per committee, so each can be revoked alone (deleting
    the row; the user's alerts page makes a new one) and dies with its user's account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_calendars"
    )
    committee = models.ForeignKey(
        "dossiers.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["committee", "user"]
        verbose_name = _("committee calendar address")
        verbose_name_plural = _("committee calendar addresses")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee"], name="committee_calendar_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.committee}"


class Delivery(models.Model):
    """One digest email to one recipient, covering the events of one planning run.

    Created `pending` together with the claim on its events; marked `sent` in the same transaction that
    holds its row lock while sending, so a crashed worker leaves exactly the unsent digests pending.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"))
    events = models.ManyToManyField(DeadlineEvent, related_name="deliveries", verbose_name=_("events"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.PENDING) | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status=DeliveryStatus.PENDING), name="delivery_pending")
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"
