"""`perms` for templates, read with one query instead of ModelBackend's two."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Value
from django.http import HttpRequest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def load_permissions(user) -> None:
    """Fill ModelBackend's per-request permission caches on `user` with a single query.

    ModelBackend reads a user's own and their groups' permissions in two queries and caches the
    sets on the user object. This reads both in one UNION and fills the same three caches, so
    every later `has_perm` (templates and views alike) answers exactly as ModelBackend would.
    Skipped when another backend is configured, or when ModelBackend would not query at all.
    """
    if (
        list(settings.AUTHENTICATION_BACKENDS) != [MODEL_BACKEND]
        or not user.is_active
        or user.is_anonymous
        or user.is_superuser
        or hasattr(user, "_perm_cache")
    ):
        return
    columns = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).values_list(*columns, Value(True, output_field=BooleanField()))
    via_groups = Permission.objects.filter(group__user=user).values_list(
        *columns, Value(False, output_field=BooleanField())
    )
    user_perms: set[str] = set()
    group_perms: set[str] = set()
    for app_label, codename, is_own in own.order_by().union(via_groups.order_by(), all=True):
        (user_perms if is_own else group_perms).add(f"{app_label}.{codename}")
    user._user_perm_cache = user_perms
    user._group_perm_cache = group_perms
    user._perm_cache = user_perms | group_perms


class OneQueryPermWrapper(PermWrapper):
    """Django's PermWrapper, loading the permissions in one query on first use."""

    def __getitem__(self, app_label):
        load_permissions(self.user)
        return super().__getitem__(app_label)

    def __contains__(self, perm_name):
        load_permissions(self.user)
        return super().__contains__(perm_name)


def permissions(request: HttpRequest) -> dict[str, PermWrapper]:
    """Replaces the `perms` of django.contrib.auth's context processor (listed after it)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"perms": OneQueryPermWrapper(user)}
