"""A clerk's day in a real browser: log in, upload, correct, confirm, dashboard, search, thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.roles import CLERK
from dossiers.tests.factories import PASSWORD, make_user
from letters.choices import ImportStatus, LetterKind
from letters.models import SourceDocument

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.django_db(transaction=True)]

# Run in the page: every visible form control has an accessible name, the page has one h1 and a
# language, and images have alt text; returns the problems found.
A11Y_CHECK = """
() => {
  const problems = [];
  const controls = document.querySelectorAll('input:not([type=hidden]), select, textarea, button');
  for (const el of controls) {
    if (el.offsetParent === null && el.type !== 'file') continue;
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.textContent.trim());
    if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id}`);
  }
  if (document.querySelectorAll('h1').length !== 1) problems.push('expected exactly one h1');
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  for (const img of document.querySelectorAll('img:not([alt])')) problems.push(`img without alt ${img.src}`);
  for (const frame of document.querySelectorAll('iframe:not([title])')) problems.push('iframe without title');
  return problems;
}
"""


def check_page(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    assert page.evaluate(A11Y_CHECK) == [], name


def test_clerk_uploads_corrects_confirms_and_finds_the_letter(
    page, live_server, artifacts, corpus_dir, imports_inline
):
    make_user("griffier", CLERK)
    pdf = corpus_dir / "kamervragen" / "00fe7edd-24c8-4857-98da-774ed3b06836.pdf"
    if not pdf.exists():
        pytest.skip(f"{pdf.name} is not in the corpus")

    # Anonymous: only the login page.
    page.goto(f"{live_server.url}/letters/")
    assert "/login/" in page.url
    check_page(page, artifacts, "01-login")
    # Keyboard only: the username field has focus, Tab reaches the password, Enter logs in.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("griffier")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/letters/")  # back where the login started
    # The first Tab on a page reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Intake: upload one corpus PDF.
    page.locator("nav a[href='/letters/intake/']").click()
    check_page(page, artifacts, "02-intake")
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/letters/sources/*/")
    source = SourceDocument.objects.get()
    assert source.status == ImportStatus.IMPORTED, source.error_message
    page.wait_for_selector(".review-letter")
    check_page(page, artifacts, "03-review")

    # Correct the answer's date (it arrived recently) and confirm.
    answer = source.letters.get(kind=LetterKind.ANSWER)
    asked = answer.in_reply_to
    new_date = (timezone.localdate() - timedelta(days=2)).isoformat()
    section = page.locator(f"#letter-{answer.pk}")
    section.locator(f"#id_l{answer.pk}-date").fill(new_date)
    section.locator("button[value=confirm]").click()
    page.wait_for_selector(".message-success")
    answer.refresh_from_db()
    assert answer.date.isoformat() == new_date
    assert answer.confirmed_at is not None
    assert answer.changes.filter(field="date").exists()

    # The question letter is now recently answered on the dashboard.
    page.locator("a.brand").click()
    answered = page.locator("#answered")
    assert asked.subject[:30] in answered.inner_text()
    check_page(page, artifacts, "04-dashboard")

    # Search a question, open its thread.
    page.locator("nav a[href='/search/']").click()
    page.locator("#id_q").fill("Friesland")
    page.locator("#id_q").press("Enter")
    page.wait_for_selector(".results")
    check_page(page, artifacts, "05-search")
    assert "<mark>" in page.inner_html(".results").lower()
    page.locator(".results a[href^='/questions/']").first.click()
    page.wait_for_selector(".thread")
    assert page.locator(".thread .qa-answer .prose").count() >= 1
    check_page(page, artifacts, "06-thread")

    # The letter page: questions beside answers, the PDF beside them.
    page.goto(f"{live_server.url}{asked.get_absolute_url()}")
    assert page.locator("iframe.pdf-frame").count() == 1
    check_page(page, artifacts, "07-letter")

    # On a phone the dashboard stacks into one column.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the dashboard scrolls sideways on a phone"
    check_page(page, artifacts, "08-dashboard-phone")
