from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    POSTPONED = "postponed", _("Postponed")
    ANSWERED = "answered", _("Answered")
    ANSWERED_LATE = "answered_late", _("Answered late")


DEADLINE_STATUS_COLOURS = {
    DeadlineStatus.OPEN: "blue",
    DeadlineStatus.DUE_SOON: "yellow",
    DeadlineStatus.OVERDUE: "red",
    DeadlineStatus.POSTPONED: "orange",
    DeadlineStatus.ANSWERED: "green",
    DeadlineStatus.ANSWERED_LATE: "purple",
}

# Statuses that time alone can still change; the periodic job only looks at these.
PENDING_STATUSES = (
    DeadlineStatus.OPEN,
    DeadlineStatus.DUE_SOON,
    DeadlineStatus.POSTPONED,
    DeadlineStatus.OVERDUE,
)
CLOSED_STATUSES = (DeadlineStatus.ANSWERED, DeadlineStatus.ANSWERED_LATE)


class AlertKind(models.TextChoices):
    """What a subscriber can ask to be told about."""

    DUE_SOON = "due_soon", _("Due in a few days")
    OVERDUE = "overdue", _("Overdue")
    REMINDER = "reminder", _("Weekly reminder while overdue")
    POSTPONEMENT = "postponement", _("Postponement received")
    ANSWER = "answer", _("Answer received")
    # a verslag on a bill, open without a due date, every few weeks (rules.next_waiting_reminder)
    WAITING = "waiting", _("Verslag still awaiting its reply")


# The order in which a digest lists its sections: what needs action first.
ALERT_ORDER = (
    AlertKind.OVERDUE,
    AlertKind.REMINDER,
    AlertKind.DUE_SOON,
    AlertKind.POSTPONEMENT,
    AlertKind.ANSWER,
    AlertKind.WAITING,
)


class SubscriptionScope(models.TextChoices):
    ALL = "all", _("Everything")
    COMMITTEE = "committee", _("A committee")
    DOSSIER = "dossier", _("A dossier")
    LETTER = "letter", _("A single letter")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
