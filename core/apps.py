from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide machinery shared by every app (pages, menu, header, links, SQL parameters).

    The base of the project: it imports no app of its own, and every app may import it.
    """

    name = "core"
