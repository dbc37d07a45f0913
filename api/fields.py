"""Link fields for every row of a list: cheap enough to write fifty times a page.

DRF's HyperlinkedIdentityField reverses its URL and builds an absolute address for each row, and a
`CharField(source="get_absolute_url")` inspects the method's signature for each row before calling
it; on a page of 50 letters the links alone cost more than reading the page from the database.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.links import pk_url


@extend_schema_field(OpenApiTypes.URI)
class RowLinkField(serializers.Field):
    """The absolute address of the row's `<int:pk>` API view `view_name`: the URL reversed once per
    process (core.links.pk_url), the site's address once per serializer (that is, per request)."""

    def __init__(self, view_name: str, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)
        self.view_name = view_name
        self._site: str | None = None

    def to_representation(self, obj: Any) -> str:
        if self._site is None:
            request = self.context.get("request")
            self._site = request.build_absolute_uri("/").rstrip("/") if request else ""
        return self._site + pk_url(self.view_name)(obj.pk)


@extend_schema_field(OpenApiTypes.STR)
class PageLinkField(serializers.Field):
    """The row's page on the site (`get_absolute_url`, or another method named by `method`)."""

    def __init__(self, method: str = "get_absolute_url", **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)
        self.method = method

    def to_representation(self, obj: Any) -> str:
        return getattr(obj, self.method)()


class BriefSerializer(serializers.ModelSerializer):
    """A related row nested in each row of a list (a letter's committee, its deadline): the few
    `Meta.fields` read straight off the row. They are keys, texts, choices and dates, which the
    JSON renderer writes as the model fields would (`api/tests/test_reads.py` compares them), and
    skipping the fields' own conversion spares building them for every request."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in self.Meta.fields}


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class NamesField(serializers.Field):
    """The `name` of each object of a list prefetched onto the row (`Prefetch(..., to_attr=...)`):
    read as a plain list, where a many-related field asks each row's related manager for it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, objects: list[Any]) -> list[str]:
        return [obj.name for obj in objects]
