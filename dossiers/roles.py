"""The two roles, as auth groups: clerks register and correct, staffers read.

Groups are (re)created after every migrate so a fresh database is usable at once, and so a
permission added by a later migration reaches the groups without a data migration per change.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CLERK = "clerk"
STAFFER = "staffer"

READ_MODELS = {
    "dossiers": ["committee", "dossier", "party", "member", "minister"],
    "letters": ["sourcedocument", "letter", "letterchange"],
    "questions": ["question", "answer", "questionlink"],
    "deadlines": ["deadline", "postponement", "deadlineevent"],
}
# What a clerk may do beyond reading: upload, correct, confirm, enter letters by hand, link threads.
CLERK_EXTRA = {
    "letters": ["add_sourcedocument", "change_sourcedocument", "add_letter", "change_letter"],
    "questions": [
        "add_question",
        "change_question",
        "add_answer",
        "change_answer",
        "add_questionlink",
        "change_questionlink",
        "delete_questionlink",
    ],
    "dossiers": ["add_dossier", "change_dossier"],
}


def permission_query(spec: dict[str, list[str]]) -> Q:
    query = Q(pk__in=[])
    for app_label, codenames in spec.items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return query


def ensure_roles() -> None:
    """Create the groups and grant their permissions; safe to run any number of times."""
    read = {app: [f"view_{model}" for model in models] for app, models in READ_MODELS.items()}
    staffer, _ = Group.objects.get_or_create(name=STAFFER)
    staffer.permissions.add(*Permission.objects.filter(permission_query(read)))
    clerk, _ = Group.objects.get_or_create(name=CLERK)
    clerk.permissions.add(*Permission.objects.filter(permission_query(read) | permission_query(CLERK_EXTRA)))


def create_roles_after_migrate(sender, **kwargs) -> None:
    # Permissions of every app exist only once the last app has migrated, so run on each signal.
    if kwargs.get("using", "default") == "default":
        ensure_roles()
