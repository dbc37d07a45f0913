"""Alert digests: planned once per recipient per run, rendered with context, sent exactly once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from deadlines.choices import AlertKind, DeliveryStatus, SubscriptionScope
from deadlines.delivery import plan_deliveries, send_pending
from deadlines.models import Delivery, Subscription
from deadlines.services import refresh_deadlines, settle_deadlines, sync_deadline
from dossiers.choices import Chamber
from dossiers.models import Committee
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer

from .conftest import at

D = date

pytestmark = pytest.mark.usefixtures("locmem_email")


@pytest.fixture
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://griffie.example"


@pytest.fixture
def overdue_and_due_soon(make_letter):
    """One letter overdue on 23 July, one due in 7 days then, both synced in June."""
    overdue = make_letter(D(2025, 6, 24), subject="Evaluatie Woo", dossier_document="36521, C", questions=3)
    soon = make_letter(D(2025, 7, 2), subject="Archiefwet")
    for letter in (overdue, soon):
        sync_deadline(letter=letter, now=at(D(2025, 6, 30)))
    plan_deliveries(now=at(D(2025, 6, 30)))  # the sync's own status events are not alerts
    refresh_deadlines(now=at(D(2025, 7, 23)))
    return overdue, soon


def deliver(day: date) -> int:
    plan_deliveries(now=at(day))
    return send_pending(now=at(day))


def test_one_digest_per_recipient_with_everything_new(make_user, overdue_and_due_soon):
    make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    assert deliver(D(2025, 7, 23)) == 1
    [message] = mail.outbox
    assert message.to == ["clerk@example.org"]
    assert message.subject == "Griffie: 2 deadline alerts"
    text = message.body
    assert text.index("Overdue (1)") < text.index("Due in a few days (1)")
    assert "Evaluatie Woo\n  1 day overdue." in text
    assert "Archiefwet\n  Due in 7 days." in text
    assert "Committee: vaste commissie voor Binnenlandse Zaken" in text
    assert "Dossier: 36521 Wet open overheid; evaluatie (36521, C)" in text
    assert "Minister: minister van Binnenlandse Zaken en Koninkrijksrelaties" in text
    assert "Letter dated: 24 June 2025" in text and "Due date: 22 July 2025" in text
    assert "Open questions: 3" in text
    deadline = overdue_and_due_soon[0].deadline
    assert f"https://griffie.example/deadlines/{deadline.pk}/" in text
    html = message.alternatives[0][0]
    assert f'href="https://griffie.example/deadlines/{deadline.pk}/"' in html and "1 day overdue." in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://griffie.example/deadlines/unsubscribe/")
    assert unsubscribe[1:-1] in text and message.extra_headers["List-Unsubscribe-Post"]


def test_digest_is_rendered_in_the_recipients_language_dutch_by_default(make_user, overdue_and_due_soon):
    make_user("griffier", scope=SubscriptionScope.ALL)
    make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    deliver(D(2025, 7, 23))
    messages = {message.to[0]: message for message in mail.outbox}
    dutch, english = messages["griffier@example.org"], messages["clerk@example.org"]
    assert '<html lang="nl">' in dutch.alternatives[0][0] and "24 juni 2025" in dutch.body
    assert '<html lang="en">' in english.alternatives[0][0] and "24 June 2025" in english.body


def test_nothing_is_sent_twice(make_user, overdue_and_due_soon):
    make_user("clerk", scope=SubscriptionScope.ALL)
    assert deliver(D(2025, 7, 23)) == 1
    assert deliver(D(2025, 7, 23)) == 0
    refresh_deadlines(now=at(D(2025, 7, 23)))
    assert deliver(D(2025, 7, 23)) == 0
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_subscription_scope_and_alert_choice_decide_who_hears_what(
    make_user, make_letter, overdue_and_due_soon
):
    other = Committee.objects.create(name="commissie voor Justitie", chamber=Chamber.EK)
    overdue, soon = overdue_and_due_soon
    make_user("bystander", scope=SubscriptionScope.COMMITTEE, committee=other)
    make_user("followers", language="en", scope=SubscriptionScope.LETTER, letter=soon)
    make_user("overdue_only", language="en", scope=SubscriptionScope.ALL, alerts=[AlertKind.OVERDUE])
    make_user("paused", scope=SubscriptionScope.ALL, active=False)
    make_user("dossier", language="en", scope=SubscriptionScope.DOSSIER, dossier=overdue.dossier)
    deliver(D(2025, 7, 23))
    bodies = {message.to[0].split("@")[0]: message.body for message in mail.outbox}
    assert sorted(bodies) == ["dossier", "followers", "overdue_only"]
    assert "Archiefwet" in bodies["followers"] and "Evaluatie Woo" not in bodies["followers"]
    assert "Evaluatie Woo" in bodies["overdue_only"] and "Archiefwet" not in bodies["overdue_only"]
    assert "Evaluatie Woo" in bodies["dossier"] and "Archiefwet" in bodies["dossier"]


def test_postponement_and_partial_late_answer_alerts(make_user, make_letter):
    letter = make_letter(D(2025, 6, 24), subject="Evaluatie Woo")
    sync_deadline(letter=letter, now=at(D(2025, 6, 25)))
    make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    notice = Letter.objects.create(
        kind=LetterKind.POSTPONEMENT, date=D(2025, 7, 25), in_reply_to=letter, promised_term_days=21
    )
    settle_deadlines(replies=[notice], now=at(D(2025, 7, 26)))
    deliver(D(2025, 7, 26))
    text = mail.outbox[-1].body
    assert "Postponement received (1)" in text
    assert "Postponement notice of 25 July 2025. The notice came 3 days after the due date." in text
    assert "New due date in 20 days." in text
    assert "(originally 22 July 2025)" in text

    reply = Letter.objects.create(kind=LetterKind.ANSWER, date=D(2025, 8, 20), in_reply_to=letter)
    Answer.objects.create(letter=reply, order=1, text="Antwoord").covers.add(letter.questions.first())
    settle_deadlines(replies=[reply], now=at(D(2025, 8, 20)))
    deliver(D(2025, 8, 20))
    text = mail.outbox[-1].body
    assert "Answer received (1)" in text
    assert "Answered on 20 August 2025, 5 days late. Partial answer: 1 question not answered." in text
    assert "Open questions: 1" in text


def test_weekly_reminder_is_an_alert(make_user, overdue_and_due_soon):
    make_user("clerk", language="en", scope=SubscriptionScope.ALL, alerts=[AlertKind.REMINDER])
    refresh_deadlines(now=at(D(2025, 7, 30)))
    deliver(D(2025, 7, 30))
    [message] = mail.outbox
    assert "Weekly reminder while overdue (1)" in message.body and "8 days overdue." in message.body


def test_refused_recipient_stays_pending_and_others_are_sent(make_user, overdue_and_due_soon, monkeypatch):
    make_user("good", scope=SubscriptionScope.ALL)
    make_user("refused", scope=SubscriptionScope.ALL)
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == ["refused@example.org"]:
            raise ConnectionRefusedError("mailbox unavailable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    assert deliver(D(2025, 7, 23)) == 1
    refused = Delivery.objects.get(email="refused@example.org")
    assert (refused.status, refused.attempts) == (DeliveryStatus.PENDING, 1)
    assert "mailbox unavailable" in refused.last_error
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert send_pending(now=at(D(2025, 7, 23))) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["good@example.org", "refused@example.org"]


def test_users_without_email_are_skipped(make_user, overdue_and_due_soon):
    user = make_user("noemail", scope=SubscriptionScope.ALL)
    user.email = ""
    user.save()
    assert deliver(D(2025, 7, 23)) == 0
    assert Subscription.objects.filter(user=user).exists()


def test_a_verslag_still_waiting_is_mailed_with_its_age(make_user, make_letter, settings):
    settings.GRIFFIE_WAITING_REMINDER_DAYS = 28
    make_user("clerk", language="en", scope=SubscriptionScope.ALL, alerts=[AlertKind.WAITING])
    verslag = make_letter(D(2025, 3, 1), kind=LetterKind.VERSLAG, subject="Wet regionale jeugdzorg")
    sync_deadline(letter=verslag, now=at(D(2025, 3, 10)))
    refresh_deadlines(now=at(D(2025, 3, 29)))
    assert deliver(D(2025, 3, 29)) == 1
    [message] = mail.outbox
    assert "Verslag still awaiting its reply (1)" in message.body
    assert "Wet regionale jeugdzorg\n  Awaiting its reply for 28 days." in message.body
    assert "Awaiting its reply for 28 days." in message.alternatives[0][0]
