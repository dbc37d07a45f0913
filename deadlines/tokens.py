"""Signed tokens for links that must work without logging in: unsubscribe, committee calendar feeds.

A token is a primary key signed with SECRET_KEY and a salt per purpose, so an unsubscribe token can
never serve as a calendar token or the other way round.
"""

from __future__ import annotations

from django.core import signing

UNSUBSCRIBE = "deadlines.unsubscribe"
COMMITTEE_CALENDAR = "deadlines.calendar.committee"


def sign_id(pk: int, *, purpose: str) -> str:
    return signing.dumps(pk, salt=purpose)


def read_id(token: str, *, purpose: str) -> int | None:
    """The key a token was made for; None when it was altered or made for another purpose."""
    try:
        return int(signing.loads(token, salt=purpose))
    except (signing.BadSignature, TypeError, ValueError):
        return None
