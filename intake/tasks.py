from dataclasses import asdict

from celery import shared_task

from . import imports


@shared_task(acks_late=True)
def import_source_document(source_id: int) -> dict:
    """Import one stored document; safe to run twice: an imported document is left as it is, one
    another worker is importing is left to it, and one whose worker died is taken again."""
    return asdict(imports.import_source(source_id=source_id))
