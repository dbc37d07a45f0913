"""Clerks uploading the same new file at the same moment all get the one stored document."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.base import ContentFile
from django.db import connections

from intake import imports
from letters.models import SourceDocument

CLERKS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_new_file_uploaded_at_once_is_stored_once_without_orphan_files(
    settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    # Every upload has hashed the file before any looks for it: all of them find it new.
    everyone_hashed = threading.Barrier(CLERKS)
    hash_file = imports._sha256

    def hash_then_wait(stream):
        result = hash_file(stream)
        everyone_hashed.wait(timeout=30)
        return result

    monkeypatch.setattr(imports, "_sha256", hash_then_wait)

    def upload(_n: int) -> tuple[int, bool]:
        try:
            document, created = imports.store_upload(
                uploaded_file=ContentFile(b"%PDF-1.4 the same letter", name="brief.pdf")
            )
            return document.pk, created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CLERKS) as pool:
        results = list(pool.map(upload, range(CLERKS)))

    assert len({pk for pk, _created in results}) == 1
    assert sum(created for _pk, created in results) == 1
    document = SourceDocument.objects.get()
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert stored == [tmp_path / document.file.name]
