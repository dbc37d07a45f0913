"""Links: URLs for many rows at once, and safe redirect targets."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.http import url_has_allowed_host_and_scheme


@cache
def _pk_url_parts(name: str, script_prefix: str) -> tuple[str, str]:
    marker = 987654321
    head, _, tail = reverse(name, args=[marker]).partition(str(marker))
    return head, tail


def pk_url(name: str) -> Callable[[int], str]:
    """reverse() once per process for a `<int:pk>` URL; each row then only formats its pk."""
    head, tail = _pk_url_parts(name, get_script_prefix())
    return lambda pk: f"{head}{pk}{tail}"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the request names, if it stays on this site; otherwise `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
