"""Who writes to whom, about what: committees, dossiers (Kamerstukken), parties, members, ministers."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.links import pk_url

from .choices import Chamber


class Committee(models.Model):
    """A parliamentary committee, e.g. the Eerste Kamer's vaste commissie voor Binnenlandse Zaken."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    chamber = models.CharField(_("chamber"), max_length=2, choices=Chamber.choices)
    clerk = models.CharField(_("clerk"), max_length=200, blank=True, help_text=_("The griffier."))
    chair = models.CharField(_("chair"), max_length=200, blank=True)

    class Meta:
        ordering = ["chamber", "name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(Lower("name"), "chamber", name="committee_unique_name_per_chamber"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.chamber})"

    def get_absolute_url(self) -> str:
        return pk_url("dossiers:committee")(self.pk)


def dossier_name(number: str, title: str) -> str:
    """A dossier as people name it, from its columns (for rows read without the model)."""
    return f"{number} {title}".strip()


def minister_name(portfolio: str, name: str) -> str:
    """A minister as people name them, from their columns (for rows read without the model)."""
    return f"{portfolio} ({name})" if name else portfolio


class Dossier(models.Model):
    """A Kamerstuk dossier such as 36521 or 36600-XX.

    The lettered or numbered documents within it (`36521, C`, `36521, nr. 4`) are kept per letter
    (`Letter.dossier_document`), not here.
    """

    number = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    chamber = models.CharField(_("chamber"), max_length=2, choices=Chamber.choices, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(condition=~models.Q(number=""), name="dossier_number_not_empty")
        ]

    def __str__(self) -> str:
        return dossier_name(self.number, self.title)

    def get_absolute_url(self) -> str:
        return pk_url("dossiers:detail")(self.pk)


class Party(models.Model):
    """A political party or fraction (GroenLinks-PvdA, BBB, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other spellings, e.g. GL/PvdA.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A member of parliament who asks questions."""

    name = models.CharField(_("name"), max_length=200)
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("party"),
    )
    chamber = models.CharField(_("chamber"), max_length=2, choices=Chamber.choices, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("name"), "party", name="member_unique_name_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party})" if self.party_id else self.name


class Minister(models.Model):
    """A minister or state secretary as addressee or sender; the portfolio outlives the person."""

    portfolio = models.CharField(
        _("portfolio"),
        max_length=300,
        help_text=_("As addressed, e.g. 'minister van Binnenlandse Zaken en Koninkrijksrelaties'."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    ministry = models.CharField(_("ministry"), max_length=200, blank=True)

    class Meta:
        ordering = ["portfolio", "name"]
        verbose_name = _("minister")
        verbose_name_plural = _("ministers")
        constraints = [
            models.UniqueConstraint(Lower("portfolio"), Lower("name"), name="minister_unique_portfolio_name"),
        ]

    def __str__(self) -> str:
        return minister_name(self.portfolio, self.name)
