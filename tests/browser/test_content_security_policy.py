"""Under the Content-Security-Policy the page behaviour still runs, from our own script files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_language_switch_works_and_nothing_is_blocked(page, live_server):
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "Inloggen"  # the browser asks for Dutch
    page.select_option("#language-select", "en")  # no button: choosing sends the form
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text() == "Log in"
    assert blocked == []
