"""Questions as asked, answers as given, and the threads that connect rounds of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.links import pk_url
from letters.models import ANSWERS_FROM, QUESTIONS_FROM, letter_position_url

from .choices import LinkKind, LinkSource


class Question(models.Model):
    """One question unit of a letter: a numbered question or an asking paragraph."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("label"), max_length=40, blank=True, help_text=_("As printed: '3', '(12)'."))
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("text"))
    party = models.ForeignKey(
        "dossiers.Party", on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    member = models.ForeignKey(
        "dossiers.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    page = models.PositiveIntegerField(_("page"), default=1)
    # Kept by a PostgreSQL trigger (migration 0002_search_vectors); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["letter", "order"]
        verbose_name = _("question")
        indexes = [GinIndex(fields=["search_vector"], name="question_search_vector")]
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["letter", "order"], name="question_unique_order_per_letter"),
            models.CheckConstraint(condition=Q(page__gte=1), name="question_page_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.order}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return pk_url("questions:thread")(self.pk)

    def get_letter_url(self) -> str:
        """The question on its letter's page."""
        return letter_position_url(
            self.letter_id, param=QUESTIONS_FROM, number=self.order, anchor=f"q{self.pk}"
        )


class Answer(models.Model):
    """An answer in an answer letter; one answer may cover several questions."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="answers")
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("As printed: '3, 4 en 5'."))
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("text"))
    page = models.PositiveIntegerField(_("page"), default=1)
    covers = models.ManyToManyField(
        Question, blank=True, related_name="answers", verbose_name=_("answers questions")
    )
    refers_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="referred_by",
        verbose_name=_("refers to"),
        help_text=_("Answers this one points to: 'Zie antwoord op vraag 14'."),
    )
    # Kept by a PostgreSQL trigger (migration 0002_search_vectors); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["letter", "order"]
        verbose_name = _("answer")
        indexes = [GinIndex(fields=["search_vector"], name="answer_search_vector")]
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["letter", "order"], name="answer_unique_order_per_letter"),
            models.CheckConstraint(condition=Q(page__gte=1), name="answer_page_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.order}: {self.text[:80]}"

    def get_letter_url(self) -> str:
        """The answer on its letter's page."""
        return letter_position_url(
            self.letter_id, param=ANSWERS_FROM, number=self.order, anchor=f"a{self.pk}"
        )


class QuestionLink(models.Model):
    """A later question that follows up on, or asks again, an earlier one."""

    earlier = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="followed_by")
    later = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(_("kind"), max_length=12, choices=LinkKind.choices, default=LinkKind.FOLLOW_UP)
    source = models.CharField(
        _("source"), max_length=10, choices=LinkSource.choices, default=LinkSource.DETECTED
    )
    score = models.FloatField(_("score"), null=True, blank=True, help_text=_("Detection confidence, 0-1."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A clerk removed a detected link: kept (not deleted) so detection does not bring it back.
    rejected = models.BooleanField(_("removed by a clerk"), default=False)

    class Meta:
        verbose_name = _("question link")
        verbose_name_plural = _("question links")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="question_link_unique_pair"),
            models.CheckConstraint(condition=~Q(earlier=F("later")), name="question_link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.earlier_id} -> {self.later_id}"
