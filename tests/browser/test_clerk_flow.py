"""A clerk's day in a real browser: log in, upload, correct, confirm, dashboard, search, thread."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
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


def test_clerk_journey_with_progress_review_queue_list_dossier_and_deadline(
    page, live_server, artifacts, corpus_dir, settings
):
    """Upload (imported beside the server, as in the quick start), watch it finish, confirm from
    the review queue, then find the letter in the list by its member and walk the dossier and
    deadline pages, as a clerk would."""
    call_command("load_sample_data", stdout=io.StringIO())
    make_user("griffier", CLERK)
    settings.GRIFFIE_IMPORT_IN_THREAD = True
    pdf = corpus_dir / "kamervragen" / "00fe7edd-24c8-4857-98da-774ed3b06836.pdf"
    if not pdf.exists():
        pytest.skip(f"{pdf.name} is not in the corpus")

    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("griffier")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    # The menu counts the sample letters still to confirm.
    assert page.locator("nav a[href='/letters/intake/'] .badge").inner_text().isdigit()

    page.goto(f"{live_server.url}/letters/intake/")
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/letters/sources/*/")
    check_page(page, artifacts, "11-progress")
    # The review page follows the import running beside the server and shows its letters.
    page.wait_for_selector(".review-letter", timeout=60_000)
    check_page(page, artifacts, "12-review-after-progress")

    # The review queue: check two letters and confirm them together.
    page.goto(f"{live_server.url}/letters/review/")
    check_page(page, artifacts, "13-review-queue")
    boxes = page.locator("input[name=letters]")
    waiting = boxes.count()
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_selector(".message-success")
    assert page.locator("input[name=letters]").count() == waiting - 2

    # The letter list finds the uploaded letter by a member as printed on it.
    page.goto(f"{live_server.url}/letters/?member=Kosti%C4%87")
    check_page(page, artifacts, "14-list-by-member")
    source = SourceDocument.objects.get(original_name=pdf.name)
    asked = source.letters.get(kind=LetterKind.QUESTIONS)
    assert page.locator(f"a[href='{asked.get_absolute_url()}']").count() >= 1

    # A dossier's timeline, then a deadline and back to its letter.
    page.goto(f"{live_server.url}/dossiers/")
    page.locator("main table a[href^='/dossiers/']").first.click()
    page.wait_for_selector(".timeline")
    check_page(page, artifacts, "15-dossier")
    page.goto(f"{live_server.url}/deadlines/")
    check_page(page, artifacts, "16-deadlines")
    page.locator("main table a[href^='/deadlines/']").first.click()
    page.wait_for_url("**/deadlines/*/")
    check_page(page, artifacts, "17-deadline")
    page.locator(".breadcrumbs a[href^='/letters/']").last.click()
    page.wait_for_url("**/letters/*/")
    assert page.locator("h1").count() == 1
