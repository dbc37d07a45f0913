"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("GRIFFIE_CORPUS", REPO.parent / "shared" / "corpus"))
FIXTURES = REPO / "fixtures"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real documents in ../shared/corpus; tests using them skip where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (set GRIFFIE_CORPUS to its location)")
    return CORPUS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, saying why, the tests whose real service this run does not have."""
    from django.conf import settings

    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI always does)")
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        pytest.skip("needs a Redis broker: set REDIS_URL=redis://... (CI always does)")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory) -> None:
    """Settings every test shares.

    - Uploaded files go to a throwaway folder, never into the checkout.
    - Static files are looked up without the manifest, so pages render without `collectstatic`
      (and WhiteNoise gets an existing, empty root to watch).
    - Pages and emails speak English unless a test asks for Dutch, so assertions read the same
      whatever message catalogs are compiled (tests of the Dutch default set it themselves).
    """
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.STATIC_ROOT = tmp_path_factory.getbasetemp() / "static-root"
    settings.STATIC_ROOT.mkdir(exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread consuming from the Redis broker (REDIS_URL).

    Tests using it commit their rows (`transactional_db`): the worker's own connection only sees
    committed data.
    """
    from django.conf import settings
    from django.db import connections

    if not settings.REDIS_URL:
        pytest.skip("needs a Redis broker: set REDIS_URL=redis://... (CI always does)")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.control.purge()
    with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
        yield
    connections.close_all()


@pytest.fixture
def imports_inline(monkeypatch):
    """Run each queued import at once, in this process, whatever broker the settings name (the
    live server and test client run here; no worker is started)."""
    from intake import imports, tasks

    def run_now(args, **options):
        return imports.import_source(source_id=args[0])

    monkeypatch.setattr(tasks.import_source_document, "apply_async", run_now)
