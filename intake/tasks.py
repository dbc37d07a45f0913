import threading
from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.db import connections

from . import imports


@shared_task(acks_late=True)
def import_source_document(source_id: int) -> dict:
    """Import one stored document; safe to run twice: an imported document is left as it is, one
    another worker is importing is left to it, and one whose worker died is taken again."""
    return asdict(imports.import_source(source_id=source_id))


def queue_import(source_id: int) -> None:
    """Queue a stored document's import (call after commit, so the worker finds the row).

    With `GRIFFIE_IMPORT_IN_THREAD` (the quick start, no broker) it runs in a thread of this
    process instead of inside the request, so the review page shows its progress."""
    if settings.GRIFFIE_IMPORT_IN_THREAD:
        threading.Thread(target=_import_in_thread, args=(source_id,), daemon=True).start()
    else:
        import_source_document.delay(source_id)


def _import_in_thread(source_id: int) -> None:
    try:
        import_source_document.apply(args=[source_id])
    finally:
        connections.close_all()  # this thread's own connections, not the server's
