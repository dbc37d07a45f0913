"""Shared reads of questions and answers."""

from __future__ import annotations

from django.db.models import QuerySet

# What a page prints of a question or answer: never its search vector.
ITEM_FIELDS = ("letter_id", "label", "order", "text", "page")


def beside_their_letter(items: QuerySet) -> QuerySet:
    """Questions or answers as a page prints them beside their letter's kind, date and file (a
    thread, the answers on a question letter's page): the letter's text, which can run to
    megabytes, is never read."""
    return items.select_related("letter").only(*ITEM_FIELDS, "letter__kind", "letter__date", "letter__source")
