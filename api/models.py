"""Personal API tokens: a user makes, names and revokes their own; only a hash is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A secret a program sends as `Authorization: Token <secret>` to act as its user.

    The secret is shown once, when it is made; the database keeps its SHA-256 only (a random
    secret of 256 bits needs no slow hash: nothing can be guessed from the digest), so a leaked
    database or backup holds no usable token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What it is for, e.g. the program using it.")
    )
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    # The first characters of the secret, shown on the settings page so a user can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=8)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
