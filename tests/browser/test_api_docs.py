"""The API's docs page (Swagger UI from our own static files) renders under the site's CSP."""

from __future__ import annotations

import pytest

from dossiers.roles import STAFFER
from dossiers.tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_the_schema_and_nothing_is_blocked(page, live_server):
    make_user("medewerker", STAFFER)
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.fill("#id_username", "medewerker")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Griffie API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/letters/").count() >= 1
    assert blocked == []
