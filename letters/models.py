"""Uploaded documents and the letters found in them."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.links import pk_url
from dossiers.choices import Chamber

from .choices import IMPORT_STATUS_COLOURS, LETTER_KIND_COLOURS, ImportStatus, LetterKind, LinkConfidence
from .messages import render_all, render_error


def source_upload_path(instance: SourceDocument, filename: str) -> str:
    # Content-addressed, so the same bytes never land under two names.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sources/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


# The letter page's query parameters: the question, and the answer, its page of each starts from.
QUESTIONS_FROM = "from"
ANSWERS_FROM = "answers_from"


def letter_position_url(letter_id: int, *, param: str, number: int, anchor: str) -> str:
    """A place on a letter's page: the page of its questions (or answers) holding `number`, scrolled
    to `anchor`. Questions and answers are paged (letters.views.LetterDetailView), so a bare
    `#anchor` would miss everything beyond the first page."""
    return f"{pk_url('letters:detail')(letter_id)}?{param}={number}#{anchor}"


class SourceDocument(models.Model):
    """An uploaded file, kept exactly as received, whether or not it could be parsed."""

    file = models.FileField(_("file"), upload_to=source_upload_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pages_done = models.PositiveIntegerField(_("pages read"), default=0, help_text=_("Import progress."))
    extracted_text = models.TextField(_("extracted text"), blank=True)
    status = models.CharField(
        _("import status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    parse_result = models.JSONField(
        _("parser output"), null=True, blank=True, help_text=_("What the parser recognised, for review.")
    )
    # Small and kept apart from `parse_result`, which the letter page never reads.
    ocr_pages = models.JSONField(
        _("pages read by OCR"),
        default=list,
        blank=True,
        help_text=_("Scanned pages read by text recognition: page, mean confidence (0-100), flagged."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    processing_since = models.DateTimeField(
        _("processing since"),
        null=True,
        blank=True,
        help_text=_("When the import last claimed the file or reported progress."),
    )
    queued_at = models.DateTimeField(
        _("queued at"),
        null=True,
        blank=True,
        help_text=_("When the import was last handed to the task queue; empty while the queue was down."),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # A file whose letters look like letters stored before (`letters.duplicates`) waits for a clerk.
    duplicate_of = models.ManyToManyField(
        "Letter",
        blank=True,
        related_name="duplicate_uploads",
        verbose_name=_("probably the same as"),
        help_text=_("Stored letters this file's letters look like."),
    )
    duplicate_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_decided_at = models.DateTimeField(
        _("duplicate decided at"),
        null=True,
        blank=True,
        help_text=_("When a clerk imported the file anyway or rejected it as a duplicate."),
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_hex"),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.FAILED) | ~Q(error_message=""),
                name="source_failed_has_error",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return pk_url("intake:source")(self.pk)

    @property
    def status_colour(self) -> str:
        return IMPORT_STATUS_COLOURS[ImportStatus(self.status)]

    @property
    def warning_texts(self) -> list[str]:
        return render_all(self.warnings)

    @property
    def error_text(self) -> str:
        return render_error(self.error_code, self.error_message)

    def ocr_pages_between(self, first: int, last: int) -> list[dict]:
        """The pages from `first` to `last` read by OCR (a letter's pages of the file)."""
        return [page for page in self.ocr_pages if first <= page["page"] <= last]


class Letter(models.Model):
    """One letter: a committee's questions, a minister's postponement or answer, a cover note, ..."""

    kind = models.CharField(_("kind"), max_length=12, choices=LetterKind.choices, db_index=True)
    date = models.DateField(_("date"), null=True, blank=True, db_index=True, help_text=_("Dagtekening."))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    chamber = models.CharField(_("chamber"), max_length=2, choices=Chamber.choices, blank=True)
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    minister = models.ForeignKey(
        "dossiers.Minister",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("minister"),
        help_text=_("The minister addressed by questions, or sending a postponement or answer."),
    )
    committee = models.ForeignKey(
        "dossiers.Committee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("committee"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("dossier"),
    )
    dossier_document = models.CharField(
        _("Kamerstuk"), max_length=60, blank=True, help_text=_("The document cited, e.g. '36521, B'.")
    )
    parties = models.ManyToManyField(
        "dossiers.Party", blank=True, related_name="letters", verbose_name=_("asking parties")
    )
    members = models.ManyToManyField(
        "dossiers.Member", blank=True, related_name="letters", verbose_name=_("asking members")
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, db_index=True, help_text=_("Kenmerk of this letter.")
    )
    cites_reference = models.CharField(
        _("cited reference"), max_length=100, blank=True, help_text=_("Kenmerk of the letter it answers.")
    )
    cites_date = models.DateField(_("cited date"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    term_days = models.PositiveSmallIntegerField(
        _("reply term (days)"), null=True, blank=True, help_text=_("As stated in the letter.")
    )
    # What a postponement notice promises; the deadline rules read these (a clerk may correct them).
    promised_date = models.DateField(
        _("answer promised by"), null=True, blank=True, help_text=_("Postponement: the date it promises.")
    )
    promised_term_days = models.PositiveSmallIntegerField(
        _("answer promised within (days)"),
        null=True,
        blank=True,
        help_text=_("Postponement: 'binnen drie weken' is 21, counted from the notice's date."),
    )
    # A written round on a bill (verslag / nota): 1 for the first, 2 for "nader", 3 for "tweede nader".
    bill_round = models.PositiveSmallIntegerField(
        _("round"),
        null=True,
        blank=True,
        help_text=_("Verslag or nota: 1 for the first round, 2 for 'nader'."),
    )
    # A verslag has no reply term: the clerk may say when the reply is expected (deadlines.rules).
    expected_reply_on = models.DateField(
        _("reply expected on"),
        null=True,
        blank=True,
        help_text=_("Verslag: when the government's reply is expected; empty while nobody knows."),
    )
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    link_confidence = models.CharField(
        _("link"), max_length=10, choices=LinkConfidence.choices, blank=True, default=LinkConfidence.NONE
    )
    link_note = models.JSONField(
        _("link notes"),
        default=list,
        blank=True,
        help_text=_("Discrepancies found while linking, as codes with parameters."),
    )
    source = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("source document"),
    )
    first_page = models.PositiveIntegerField(_("first page"), null=True, blank=True)
    last_page = models.PositiveIntegerField(_("last page"), null=True, blank=True)
    order_in_source = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a PostgreSQL trigger (migration 0002_search_vectors); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_page__isnull=True)
                | Q(last_page__isnull=True)
                | Q(first_page__lte=F("last_page")),
                name="letter_page_range_ordered",
            ),
            models.CheckConstraint(condition=~Q(in_reply_to=F("pk")), name="letter_not_reply_to_itself"),
            models.UniqueConstraint(
                fields=["source", "order_in_source"],
                condition=Q(source__isnull=False),
                name="letter_unique_position_in_source",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "-date"]),
            models.Index(fields=["dossier", "date"]),
            # The letter list's keyset order: newest first, undated last.
            models.Index(F("date").desc(nulls_last=True), F("id").desc(), name="letter_date_keyset"),
            GinIndex(fields=["search_vector"], name="letter_search_vector"),
            # The letters still to confirm, counted on every clerk's page (the menu's count).
            models.Index(fields=["id"], condition=Q(confirmed_at__isnull=True), name="letter_unconfirmed"),
            # Each letter's committee without reading the table: the dashboard counts the deadlines
            # needing attention per committee (deadlines.selectors.attention_per_committee), 98 -> 38 ms
            # at 100,000 letters.
            models.Index(fields=["committee", "id"], name="letter_committee_key"),
        ]

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else _("undated")
        # Never the sender's name as a title: a letter without a subject says so.
        return f"{self.get_kind_display()} {when}: {self.subject or _('(no subject)')}"[:200]

    def get_absolute_url(self) -> str:
        return pk_url("letters:detail")(self.pk)

    @property
    def link_note_texts(self) -> list[str]:
        return render_all(self.link_note)

    @property
    def ocr_pages(self) -> list[dict]:
        """This letter's pages of its file that text recognition read (a scan), with its confidence."""
        if self.source_id is None:
            return []
        if self.first_page is None:  # pages unknown: the whole file's
            return self.source.ocr_pages
        return self.source.ocr_pages_between(self.first_page, max(self.last_page or 0, self.first_page))

    @property
    def kind_colour(self) -> str:
        return LETTER_KIND_COLOURS[LetterKind(self.kind)]

    @property
    def date_missing(self) -> bool:
        return self.date is None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class LetterChange(models.Model):
    """One correction a clerk made to an imported letter: who, when, which field, before and after."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    # "answer <label> <field>": an answer's label alone may be 60 characters ("3, 4, 5, ... en 18").
    field = models.CharField(_("field"), max_length=100)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("letter change")
        verbose_name_plural = _("letter changes")

    def __str__(self) -> str:
        return f"{self.letter_id}.{self.field}"

    @property
    def field_label(self) -> str:
        """The field as the clerk saw it on the form ("Onderwerp", "Vraag 3: tekst"), not its name.

        `field` is a Letter field's name, the form's "dossier_number", or "<question|answer> <label>
        <field>" for a corrected question or answer (see intake.corrections)."""
        if self.field == "dossier_number":
            return str(_("Dossier number"))
        noun, _space, rest = self.field.partition(" ")
        item_models = {"question": "questions.Question", "answer": "questions.Answer"}
        if noun in item_models and rest:
            label, _space, name = rest.rpartition(" ")
            model = apps.get_model(item_models[noun])
            return f"{capfirst(model._meta.verbose_name)} {label}: {_verbose(model, name)}"
        return capfirst(_verbose(Letter, self.field))


def _verbose(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field removed since the change was made
        return name
