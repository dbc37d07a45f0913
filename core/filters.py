"""What every filter select offers, whichever app's list it narrows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The empty choice: no narrowing. The same words as FILTERS_EMPTY_CHOICE_LABEL (settings), which
# django-filter puts first in the selects it makes itself.
EMPTY_CHOICE = _("All")
# A yes/no filter: "All" like every other select, not NullBooleanSelect's "Unknown".
YES_NO = [("", EMPTY_CHOICE), ("true", _("Yes")), ("false", _("No"))]
