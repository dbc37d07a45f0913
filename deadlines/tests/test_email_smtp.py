"""The digest through a real SMTP server: what actually goes over the wire."""

from __future__ import annotations

from datetime import date

from deadlines.choices import SubscriptionScope
from deadlines.delivery import plan_deliveries, send_pending
from deadlines.services import refresh_deadlines, sync_deadline

from .conftest import at

D = date


def test_digest_over_smtp_is_multipart_with_unsubscribe_headers(smtp_server, make_user, make_letter):
    letter = make_letter(D(2025, 6, 24), subject="Evaluatie Woo", questions=4)
    deadline = sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    make_user("griffier", scope=SubscriptionScope.COMMITTEE, committee=letter.committee)
    refresh_deadlines(now=at(D(2025, 7, 15)))
    plan_deliveries(now=at(D(2025, 7, 15)))
    assert send_pending(now=at(D(2025, 7, 15))) == 2

    assert sorted(smtp_server.recipients) == ["clerk@example.org", "griffier@example.org"]
    message = next(m for m in smtp_server.messages if m["To"] == "clerk@example.org")
    assert message["Subject"] == "Griffie: 1 deadline alert"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<https://griffie.example/deadlines/unsubscribe/")
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    assert "Due in a few days (1)" in text and "Evaluatie Woo\n  Due in 7 days." in text
    assert "Open questions: 4" in text and "Due date: 22 July 2025" in text
    assert f"https://griffie.example/deadlines/{deadline.pk}/" in text
    assert f'href="https://griffie.example/deadlines/{deadline.pk}/"' in html
    dutch = next(m for m in smtp_server.messages if m["To"] == "griffier@example.org")
    assert "22 juli 2025" in dutch.get_body(("plain",)).get_content()
