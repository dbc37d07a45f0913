from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up question")
    REPEATS = "repeats", _("Asks again")


class LinkSource(models.TextChoices):
    DETECTED = "detected", _("Detected")
    MANUAL = "manual", _("Added by a clerk")
