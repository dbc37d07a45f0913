"""Cursor pagination: each page is one indexed range scan however deep, and nothing is counted."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Newest first by key, the one ordering every table has an index for; `?limit=` up to 200."""

    ordering = "-pk"
    page_size_query_param = "limit"
    max_page_size = 200


class InSourceCursorPagination(NewestFirstCursorPagination):
    """An import's letters in the order they stand in the file (unique per file)."""

    ordering = "order_in_source"
