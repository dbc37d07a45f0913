import logging
import threading
from dataclasses import asdict, dataclass

from celery import current_app, shared_task
from django.conf import settings
from django.db import connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from letters.choices import ImportStatus
from letters.models import SourceDocument

from . import imports

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def import_source_document(source_id: int) -> dict:
    """Import one stored document; safe to run twice: an imported document is left as it is, one
    another worker is importing is left to it, and one whose worker died is taken again."""
    return asdict(imports.import_source(source_id=source_id))


def queue_import(source_id: int) -> bool:
    """Queue a stored document's import; False when the broker cannot be reached.

    Call it once the document's row is committed, so the worker finds it. The database holds the
    work: a document the queue never got stays pending, and `sweep_imports` queues it later.
    With `GRIFFIE_IMPORT_IN_THREAD` (the quick start, no broker) the import runs in a thread of this
    process instead, so the review page shows its progress."""
    if settings.GRIFFIE_IMPORT_IN_THREAD:
        threading.Thread(target=_import_in_thread, args=(source_id,), daemon=True).start()
        return True
    try:
        # A connection of its own, made from the current broker settings, rather than the pool's:
        # uploads are rare, and a broken pooled connection would fail the next upload too.
        with current_app.connection_for_write() as connection:
            import_source_document.apply_async((source_id,), connection=connection)
    except (OperationalError, OSError):
        logger.warning("the task queue is unreachable; document %s waits for the sweep", source_id)
        return False
    SourceDocument.objects.filter(pk=source_id).update(queued_at=timezone.now())
    return True


@dataclass(frozen=True)
class Received:
    """An upload kept: its document, whether these bytes were new, and whether its import is queued
    (False: the queue was unreachable and the sweep starts it later, or it had been imported)."""

    source: SourceDocument
    created: bool
    queued: bool


def receive_upload(*, uploaded_file, uploaded_by) -> Received:
    """A clerk's upload, from the intake page or the API: store it and queue its import unless the
    same bytes were imported before. Raises `imports.UploadRejected` for a file not worth keeping."""
    source, created = imports.store_upload(uploaded_file=uploaded_file, uploaded_by=uploaded_by)
    queued = False
    if created or source.status == ImportStatus.PENDING:
        # store_upload committed the row, so a worker will find it.
        queued = queue_import(source.pk)
    return Received(source, created, queued)


@shared_task
def sweep_imports() -> int:
    """Queue every document whose import no queue holds (scheduled by beat; safe to run twice, an
    import claims its document). Returns how many were queued."""
    return sum(queue_import(pk) for pk in imports.waiting_sources())


def _import_in_thread(source_id: int) -> None:
    try:
        import_source_document.apply(args=[source_id])
    finally:
        connections.close_all()  # this thread's own connections, not the server's
