from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from .roles import create_roles_after_migrate

        post_migrate.connect(create_roles_after_migrate, dispatch_uid="dossiers.create_roles")
