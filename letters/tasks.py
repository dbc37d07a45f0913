from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def import_source_document(source_id: int) -> dict:
    """Import one stored document; safe to run twice (an imported document is left as it is)."""
    return asdict(services.import_source(source_id=source_id))
