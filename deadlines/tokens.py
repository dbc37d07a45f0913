"""Signed tokens for links that must work without logging in: the unsubscribe link in alert emails.

A token is a primary key signed with SECRET_KEY, a salt per purpose and the time it was made, so it
serves no other purpose and expires: an unsubscribe link works for a year (every alert email brings
a fresh one). Calendar feeds use stored random tokens instead (deadlines.models), which can be
revoked one by one.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

UNSUBSCRIBE = "deadlines.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)


def sign_id(pk: int, *, purpose: str) -> str:
    return signing.dumps(pk, salt=purpose)


def read_id(token: str, *, purpose: str, max_age: timedelta) -> int | None:
    """The key a token was made for; None when it was altered or made for another purpose.

    Raises signing.SignatureExpired for a genuine token older than max_age, so the page can say so.
    """
    try:
        return int(signing.loads(token, salt=purpose, max_age=max_age))
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, TypeError, ValueError):
        return None
