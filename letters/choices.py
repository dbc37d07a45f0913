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
    # A written round on a bill: the committee's (nader/voorlopig) verslag, the government's nota naar
    # aanleiding van het verslag or memorie van antwoord, and the eindverslag that closes the round.
    VERSLAG = "verslag", _("Report on a bill")
    NOTA = "nota", _("Reply to a report")
    EINDVERSLAG = "eindverslag", _("Final report")


LETTER_KIND_COLOURS = {
    LetterKind.QUESTIONS: "blue",
    LetterKind.POSTPONEMENT: "orange",
    LetterKind.ANSWER: "green",
    LetterKind.MEDEDELING: "orange",
    LetterKind.COVER: "grey",
    LetterKind.OTHER: "grey",
    LetterKind.VERSLAG: "blue",
    LetterKind.NOTA: "green",
    LetterKind.EINDVERSLAG: "grey",
}

# Kinds that put off an answer: both start or extend a postponement.
DELAYING_KINDS = (LetterKind.POSTPONEMENT, LetterKind.MEDEDELING)
# Kinds that ask and so have a reply deadline, and the kinds that answer them.
ASKING_KINDS = (LetterKind.QUESTIONS, LetterKind.VERSLAG)
ANSWERING_KINDS = (LetterKind.ANSWER, LetterKind.NOTA)


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
    # A bill's nota or memorie van antwoord and the verslag of its round: same dossier, earlier part.
    KAMERSTUK = "kamerstuk", _("By dossier and Kamerstuk number")
    MANUAL = "manual", _("By a clerk")
