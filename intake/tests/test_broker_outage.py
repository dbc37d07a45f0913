"""The database holds the work, not the broker: an upload while the broker is down is kept and
imported once it is back; the sweep queues whatever no queue holds."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dossiers.tests import factories
from intake import imports, tasks
from letters.choices import ImportStatus
from letters.models import SourceDocument

clerk, clerk_client = factories.clerk, factories.clerk_client


def stored(name: str, **fields) -> SourceDocument:
    source, _ = imports.store_upload(uploaded_file=SimpleUploadedFile(name, f"%PDF-1.4 {name}".encode()))
    SourceDocument.objects.filter(pk=source.pk).update(**fields)
    return source


@pytest.mark.django_db
def test_the_sweep_takes_what_no_queue_holds(settings):
    now = timezone.now()
    lease = timedelta(seconds=settings.GRIFFIE_IMPORT_LEASE_SECONDS + 1)
    requeue = timedelta(seconds=settings.GRIFFIE_IMPORT_REQUEUE_SECONDS + 1)
    never_queued = stored("a.pdf")
    queued_long_ago = stored("b.pdf", queued_at=now - requeue)
    stored("c.pdf", queued_at=now)  # just queued: the worker will come to it
    abandoned = stored("d.pdf", status=ImportStatus.PROCESSING, processing_since=now - lease)
    stored("e.pdf", status=ImportStatus.PROCESSING, processing_since=now)  # being imported
    stored("f.pdf", status=ImportStatus.IMPORTED)
    stored("g.pdf", status=ImportStatus.FAILED, error_message="damaged")

    assert set(imports.waiting_sources()) == {never_queued.pk, queued_long_ago.pk, abandoned.pk}


@pytest.mark.redis
@pytest.mark.corpus
@pytest.mark.django_db(transaction=True)
def test_an_upload_while_the_broker_is_down_is_imported_by_itself_once_it_is_back(
    clerk_client, settings, tmp_path, corpus_dir
):
    from celery.contrib.testing.worker import start_worker
    from django.db import connections

    from config.celery import app

    settings.MEDIA_ROOT = tmp_path
    pdf = sorted((corpus_dir / "kamervragen").glob("*.pdf"))[0]
    broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # the broker is down: nothing listens there
    try:
        response = clerk_client.post(
            reverse("intake:upload"),
            {"files": [SimpleUploadedFile(pdf.name, pdf.read_bytes(), content_type="application/pdf")]},
            follow=True,
        )
    finally:
        app.conf.broker_url = broker  # and back

    source = SourceDocument.objects.get()
    assert response.status_code == 200
    assert (source.status, source.queued_at) == (ImportStatus.PENDING, None)
    assert "starts by itself as soon as it is back" in response.content.decode()

    app.control.purge()
    with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
        tasks.sweep_imports.delay()  # what beat runs every minute
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            source.refresh_from_db()
            if source.status in (ImportStatus.IMPORTED, ImportStatus.FAILED):
                break
            time.sleep(0.5)
    connections.close_all()
    assert source.status == ImportStatus.IMPORTED, source.error_message
    assert source.letters.exists()
