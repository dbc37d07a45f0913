from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LetterKind(models.TextChoices):
    QUESTIONS = "questions", pgettext_lazy("letter kind", "Questions")
    POSTPONEMENT = "postponement", _("Postponement")
    ANSWER = "answer", pgettext_lazy("letter kind", "Answer")
    MEDEDELING = "mededeling", _("Mededeling")
    COVER = "cover", _("Cover note")
    OTHER = "other", _("Other")


LETTER_KIND_COLOURS = {
    LetterKind.QUESTIONS: "blue",
    LetterKind.POSTPONEMENT: "orange",
    LetterKind.ANSWER: "green",
    LetterKind.MEDEDELING: "orange",
    LetterKind.COVER: "grey",
    LetterKind.OTHER: "grey",
}

# Kinds that put off an answer: both start or extend a postponement.
DELAYING_KINDS = (LetterKind.POSTPONEMENT, LetterKind.MEDEDELING)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    # Its letters look like letters stored before: held, nothing saved, until a clerk decides.
    DUPLICATE = "duplicate", _("Probable duplicate")
    REJECTED = "rejected", _("Rejected as duplicate")


IMPORT_STATUS_COLOURS = {
    ImportStatus.PENDING: "grey",
    ImportStatus.PROCESSING: "blue",
    ImportStatus.IMPORTED: "green",
    ImportStatus.FAILED: "red",
    ImportStatus.DUPLICATE: "orange",
    ImportStatus.REJECTED: "grey",
}


class LinkConfidence(models.TextChoices):
    """How sure the import is that `in_reply_to` is right."""

    NONE = "", _("Not linked")
    REFERENCE = "reference", _("By reference number")
    SAME_DOCUMENT = "document", _("In the same document")
    EVIDENCE = "evidence", _("By date, addressee and dossier")
    MANUAL = "manual", _("By a clerk")
