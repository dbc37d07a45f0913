"""Every API error is JSON: `{"detail": message, "code": code}`, and for invalid input also
`"errors"`: the message(s) per field."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500 logs and answers it
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The request is not valid; see 'errors'."),
            "code": "invalid",
            "errors": exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail},
        }
    else:
        # Django's Http404 and PermissionDenied arrive here turned into DRF's, their message kept.
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """The site's 404 (handler404): JSON for an unknown address under /api/, the page otherwise."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
