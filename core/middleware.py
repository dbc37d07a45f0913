"""Response headers every page needs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """A page shown to a logged-in user is kept by no cache: not the browser's (a shared office
    machine's back button after logging out), not a proxy's. Static files never get here
    (WhiteNoise, or the proxy in front, answers them first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            # Replaces, not adds to, what a view said: "no-store" beside a max-age would be ambiguous.
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response
