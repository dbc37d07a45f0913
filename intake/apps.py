from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The clerk's actions: upload and import, correct, enter by hand.

    A use-case layer above `letters`, `questions` and `deadlines`: it may import them, they never
    import it.
    """

    name = "intake"
    verbose_name = _("Intake")
