"""Headers every page carries: a Content-Security-Policy without inline script, and no caching of
what a logged-in user sees."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from dossiers.roles import STAFFER
from dossiers.tests.factories import make_user
from letters.models import SourceDocument

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [settings.BASE_DIR / "templates", settings.BASE_DIR / "jinja2"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture
def staffer_client() -> Client:
    client = Client()
    client.force_login(make_user("medewerker", STAFFER))
    return client


def test_pages_allow_only_the_sites_own_scripts(client, staffer_client):
    for response in (client.get(reverse("login")), staffer_client.get(reverse("home"))):
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_no_template_carries_inline_script_or_event_handlers():
    # Email templates are read by mail clients, which run no script at all.
    pages = [
        path
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        if "email" not in path.relative_to(folder).parts
    ]
    assert pages
    for path in pages:
        text = path.read_text()
        assert not INLINE_SCRIPT.search(text), path
        assert not EVENT_HANDLER.search(text), path


def test_the_original_pdf_may_be_framed_and_shown_by_our_own_pages(staffer_client):
    source = SourceDocument(original_name="brief.pdf", sha256="c" * 64, size=8)
    source.file.save("brief.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    response = staffer_client.get(reverse("letters:source_pdf", args=[source.pk]))
    policy = directives(response)
    assert policy["object-src"] == ["'self'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert response["Cache-Control"] == "private, no-store"


def test_pages_for_a_logged_in_user_are_never_stored(staffer_client):
    for url in (reverse("home"), reverse("letters:list"), reverse("deadlines:subscriptions")):
        response = staffer_client.get(url)
        assert response.status_code == 200, url
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}, url


def test_static_files_stay_cacheable_for_logged_in_users(settings):
    # WhiteNoise reads its settings when the client's handler is built, on the first request.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(make_user("griffier", STAFFER))
    response = client.get(settings.STATIC_URL + "js/griffie.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
