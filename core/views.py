"""The site's own error pages: a server error (Django's 403 and 404 views already render theirs
with the request, so they keep the menu; its 500 view renders without one), and a locked login."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html with the menu and the user's language; a plain page if even that fails (the error
    may be the database the menu reads)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("the styled error page failed; showing the plain one")
        return HttpResponseServerError("<h1>Server Error (500)</h1>")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What django-axes answers a login attempt while it is locked (settings.AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
