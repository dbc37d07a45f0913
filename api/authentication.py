"""`Authorization: Token <secret>` (or `Bearer <secret>`): a personal token from the settings page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .services import authenticate_token

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None  # no token: the session may still authenticate the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as 'Authorization: Token <token>'."))
        token = authenticate_token(secret=header[1].decode(errors="replace"), now=timezone.now())
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is unknown, revoked, or its user is inactive.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return "Token"
