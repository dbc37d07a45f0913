"""The address a request came from, as the login lockout counts it (settings.AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind GRIFFIE_TRUSTED_PROXIES proxies the address the outermost one saw.

    Each proxy appends the address it was reached from to X-Forwarded-For; entries before those a
    client may have written itself, so they are never read.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.GRIFFIE_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [*filter(None, forwarded), remote]
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
