"""Making, checking and revoking personal API tokens: the one place a token's secret is handled."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser

from .models import ApiToken

# A token's last use is written at most this often: not a write per request.
LAST_USED_PRECISION = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, user: AbstractBaseUser, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored nor shown again."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), digest=digest(secret), prefix=secret[:8], created_at=now
    )
    return token, secret


def revoke_token(*, user: AbstractBaseUser, token_id: int, now: datetime) -> bool:
    """Revoke one of `user`'s own tokens; False when it is not theirs or was revoked already."""
    return bool(ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(revoked_at=now))


def authenticate_token(*, secret: str, now: datetime) -> ApiToken | None:
    """The live token this secret belongs to, with its user, or None: unknown, revoked, or its user
    deactivated (a deactivated account's tokens stop working with it)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
