from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions and answers")

    def ready(self) -> None:
        # The quick start's SQLite search: its stems function on every connection, its index after
        # every migrate (see questions.sqlite_search).
        from . import sqlite_search

        connection_created.connect(sqlite_search.register_stems, dispatch_uid="griffie_sqlite_stems")
        post_migrate.connect(sqlite_search.install, sender=self, dispatch_uid="griffie_sqlite_search")
