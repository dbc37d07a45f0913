"""`perms` for templates: kept in the session for a few minutes, else read in one query instead of two."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models import BooleanField, Value
from django.dispatch import receiver
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


SESSION_KEY = "_griffie_template_perms"
# How long the menu may show a permission a clerk just lost (or hide one just granted). The views
# never read this: they check permissions themselves, through the auth backends, on every request.
TEMPLATE_PERMS_SECONDS = 300


class SessionPermLookupDict:
    """`perms.<app_label>` answered from a set of "app_label.codename" strings."""

    def __init__(self, perms: SessionPermWrapper, app_label: str) -> None:
        self.perms, self.app_label = perms, app_label

    def __repr__(self) -> str:
        return repr(sorted(perm for perm in self.perms.all() if perm.startswith(f"{self.app_label}.")))

    def __getitem__(self, perm_name: str) -> bool:
        return f"{self.app_label}.{perm_name}" in self.perms.all()

    def __iter__(self):
        # Like PermLookupDict: templates must not loop over permissions.
        raise TypeError("SessionPermLookupDict is not iterable.")

    def __bool__(self) -> bool:
        return any(perm.startswith(f"{self.app_label}.") for perm in self.perms.all())


class SessionPermWrapper(PermWrapper):
    """`perms` for templates (menus, buttons) from the session, refreshed every few minutes.

    Which links a page offers is not a security check: every view still checks its own
    permission on each request. Read once and kept in the session, the menu costs no query.
    """

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request.user)
        self.request = request
        self._perms: frozenset[str] | None = None

    def all(self) -> frozenset[str]:
        if self._perms is None:
            user, session, now = self.user, self.request.session, int(time.time())
            cached = session.get(SESSION_KEY)
            if cached and cached[0] == user.pk and 0 <= now - cached[1] < TEMPLATE_PERMS_SECONDS:
                self._perms = frozenset(cached[2])
            else:
                load_permissions(user)
                self._perms = frozenset(user.get_all_permissions())
                session[SESSION_KEY] = [user.pk, now, sorted(self._perms)]
        return self._perms

    def __getitem__(self, app_label: str) -> SessionPermLookupDict:
        return SessionPermLookupDict(self, app_label)

    def __contains__(self, perm_name: str) -> bool:
        if "." not in perm_name:
            return bool(self[perm_name])
        return perm_name in self.all()


def permissions(request: HttpRequest) -> dict[str, PermWrapper]:
    """Replaces the `perms` of django.contrib.auth's context processor (listed after it)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    if user.is_active and not user.is_anonymous and not user.is_superuser and hasattr(request, "session"):
        return {"perms": SessionPermWrapper(request)}
    # Superusers, inactive and anonymous users: Django answers without a query anyway.
    return {"perms": OneQueryPermWrapper(user)}


@receiver(user_logged_in, dispatch_uid="griffie_template_perms")
def remember_template_permissions(sender, request, user, **kwargs) -> None:
    """Logging in saves the session anyway: keep the menu's permissions in it from the start."""
    session = getattr(request, "session", None)
    if session is not None and user.is_active and not user.is_superuser:
        load_permissions(user)
        session[SESSION_KEY] = [user.pk, int(time.time()), sorted(user.get_all_permissions())]
