"""A request budget per API token (per user for a session, per address for anyone else)."""

from __future__ import annotations

import logging

from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class PerTokenThrottle(SimpleRateThrottle):
    """Each token has its own budget (`GRIFFIE_API_RATE`), so one busy program slows only itself;
    counted in the "api" cache, which all web workers share when Redis is configured."""

    scope = "api"

    @property
    def cache(self):
        return caches["api"]

    def get_rate(self) -> str | None:
        # Read per request rather than once at import, so the setting can be changed in tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            # The site survives Redis being down; its API should too, unthrottled meanwhile.
            logger.warning("the throttle's cache is unreachable; request let through")
            return True
