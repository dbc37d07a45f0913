from django.db import models
from django.utils.translation import gettext_lazy as _


class Chamber(models.TextChoices):
    EK = "EK", _("Eerste Kamer")
    TK = "TK", _("Tweede Kamer")

    @property
    def colour(self) -> str:
        return CHAMBER_COLOURS[self]


CHAMBER_COLOURS = {Chamber.EK: "indigo", Chamber.TK: "teal"}
