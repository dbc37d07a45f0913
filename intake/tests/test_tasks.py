"""The import task on a real Celery worker and the Redis broker."""

from __future__ import annotations

import pytest

from intake import imports
from intake.tasks import import_source_document
from letters.choices import ImportStatus, LetterKind

pytestmark = [pytest.mark.redis, pytest.mark.corpus]


def test_worker_imports_an_uploaded_pdf_once(celery_worker, corpus_dir):
    path = sorted((corpus_dir / "kamervragen").glob("*.pdf"))[0]
    source, _ = imports.store_path(path=path)

    first = import_source_document.delay(source.pk).get(timeout=120)
    second = import_source_document.delay(source.pk).get(timeout=120)

    source.refresh_from_db()
    assert source.status == ImportStatus.IMPORTED and first["status"] == ImportStatus.IMPORTED
    assert first["letters"] == second["letters"] == source.letters.count() == 2
    assert second["new_file"] is False  # the second run found it imported and changed nothing
    assert set(source.letters.values_list("kind", flat=True)) == {LetterKind.QUESTIONS, LetterKind.ANSWER}
    assert source.page_count == source.pages_done > 0
