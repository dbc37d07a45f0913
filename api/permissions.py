"""Who may do what through the API: the same permissions the pages check (dossiers.roles).

Staffers read (the `view_` permission of what a view lists); clerks write, each action with the
permission its page requires (`write_permission` on the view)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ModelPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            permission = getattr(view, "read_permission", None) or view_permission(view)
        else:
            permission = getattr(view, "write_permission", None)
        return bool(permission) and user.has_perm(permission)


def view_permission(view) -> str:
    opts = view.get_queryset().model._meta
    return f"{opts.app_label}.view_{opts.model_name}"
