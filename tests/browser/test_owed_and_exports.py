"""A committee chair's list in a real browser: what the ministers owe, one minister's list printed,
its CSV downloaded, and the question list."""

from __future__ import annotations

import pytest

from dossiers.roles import STAFFER
from dossiers.tests.factories import PASSWORD, make_archive, make_user

from .test_clerk_flow import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_staffer_prints_and_downloads_what_a_minister_owes(page, live_server, artifacts):
    make_user("medewerker", STAFFER)
    archive = make_archive(8)
    page.goto(f"{live_server.url}/login/?next=/deadlines/")
    page.fill("#id_username", "medewerker")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/deadlines/")

    page.locator("main a[href='/deadlines/owed/']").click()
    page.wait_for_url(f"{live_server.url}/deadlines/owed/")
    check_page(page, artifacts, "owed-all")
    assert page.locator("tbody tr").count() == 1 + 6  # a minister's count, then six open letters
    assert page.locator("button[data-print]").is_visible()  # shown by the script

    page.locator(f"a[href='/deadlines/owed/minister/{archive.minister.pk}/']").click()
    page.wait_for_url(f"**/deadlines/owed/minister/{archive.minister.pk}/")
    check_page(page, artifacts, "owed-minister")
    assert "dagen te laat" in page.locator("main table").inner_text()
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "owed-minister-print.png"), full_page=True)
    assert not page.locator("form.filters").is_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.locator("a[download]").click()
    body = download.value.path().read_bytes().decode("utf-8")
    lines = body.removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("Uiterste datum;") or lines[0].split(";")[1] == "Status"
    assert len(lines) == 1 + 6

    page.locator("nav a[href='/questions/']").click()
    page.wait_for_url(f"{live_server.url}/questions/")
    page.select_option("#id_answered", "false")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/questions/?*")
    check_page(page, artifacts, "questions-unanswered")
    assert page.locator("tbody tr").count() == 12
