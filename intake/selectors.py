"""Reads the clerk's pages share."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from core.db import count_shown
from letters.models import Letter


def letters_to_confirm(user: AbstractBaseUser) -> int | None:
    """How many letters still wait for a clerk's check, for users who may confirm them (the
    menu's count beside "Intake", the intake page's link to the review queue), up to "99+"."""
    if not user.has_perm("letters.change_letter"):
        return None
    return count_shown(Letter.objects.filter(confirmed_at=None))
