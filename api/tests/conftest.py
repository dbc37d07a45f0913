from __future__ import annotations

import pytest
from django.core.cache import caches

from dossiers.tests.factories import clerk, clerk_client, staffer, staffer_client  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with every request budget full (the counters live in the "api" cache)."""
    caches["api"].clear()
    yield
    caches["api"].clear()
