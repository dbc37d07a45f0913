"""Pages: deadline list and detail, subscription management, one-click unsubscribe, calendar feeds."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deadlines import rules
from deadlines.choices import AlertKind, DeadlineStatus, SubscriptionScope
from deadlines.models import AlertProfile, CommitteeCalendar, Subscription
from deadlines.services import sync_deadline
from deadlines.tokens import UNSUBSCRIBE, sign_id
from deadlines.views import PAGE_SIZE

from .conftest import at

D = date


@pytest.fixture
def clerk(make_user):
    return make_user("clerk", language="en")


@pytest.fixture
def deadline(make_letter):
    return sync_deadline(letter=make_letter(D(2025, 6, 24), subject="Evaluatie Woo"), now=at(D(2025, 6, 25)))


@pytest.fixture
def current(make_letter):
    """A deadline due three weeks from today: inside every calendar feed's window."""
    today = rules.local_date(timezone.now())
    letter = make_letter(today - timedelta(days=7), subject="Evaluatie Woo")
    return sync_deadline(letter=letter, now=timezone.now())


def test_pages_need_a_login(client, deadline):
    for url in (reverse("deadlines:list"), deadline.get_absolute_url(), reverse("deadlines:subscriptions")):
        assert client.get(url).status_code == 302


def test_list_filters_by_status_and_search(client, clerk, deadline, make_letter):
    sync_deadline(letter=make_letter(D(2025, 6, 1), subject="Archiefwet"), now=at(D(2025, 7, 1)))
    client.force_login(clerk)
    page = client.get(reverse("deadlines:list"), {"status": "overdue"}).content.decode()
    assert "Archiefwet" in page and "Evaluatie Woo" not in page
    page = client.get(reverse("deadlines:list"), {"q": "woo"}).content.decode()
    assert "Evaluatie Woo" in page and "Archiefwet" not in page


def test_list_filtered_by_statuses_reads_its_page_without_distinct(client, clerk, deadline, make_letter):
    sync_deadline(letter=make_letter(D(2025, 6, 1), subject="Archiefwet"), now=at(D(2025, 7, 1)))
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("deadlines:list"), {"status": ["overdue", "open"]})
    assert [letter.title for _, letter, _ in page.context["rows"]].count("Archiefwet") == 1
    # DISTINCT would sort every matching deadline before the first page could be read.
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"] and "deadlines_deadline" in q["sql"]]


def test_list_pages_by_due_date_and_counts_the_questions_of_the_rows_shown_only(client, clerk, make_letter):
    first_day = D(2025, 1, 1)
    for n in range(PAGE_SIZE + 5):
        letter = make_letter(first_day + timedelta(days=n), questions=1 + n % 3, subject=f"Brief {n}")
        sync_deadline(letter=letter, now=at(first_day))
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("deadlines:list"))
    rows = first.context["rows"]
    assert [letter.title for _, letter, _ in rows] == [f"Brief {n}" for n in range(PAGE_SIZE)]
    assert [count for _, _, count in rows] == [1 + n % 3 for n in range(PAGE_SIZE)]
    # The questions are counted for the rows shown, not joined to (and grouped over) every deadline.
    assert not [
        q["sql"] for q in queries if "deadlines_deadline" in q["sql"] and "questions_question" in q["sql"]
    ]
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"] and "deadlines_deadline" in q["sql"]]
    rest = client.get(reverse("deadlines:list"), {"after": first.context["page"].next_cursor}).context["rows"]
    assert [(letter.title, count) for _, letter, count in rest] == [
        (f"Brief {n}", 1 + n % 3) for n in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]


def test_list_reads_as_many_queries_for_many_deadlines_as_for_one(client, clerk, make_letter):
    client.force_login(clerk)
    first_day = D(2025, 1, 1)
    sync_deadline(letter=make_letter(first_day), now=at(first_day))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("deadlines:list"))
    for n in range(1, PAGE_SIZE + 5):
        sync_deadline(letter=make_letter(first_day + timedelta(days=n)), now=at(first_day))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("deadlines:list"))
    assert len(many) == len(one)


def test_list_filters_by_dossier_number(client, clerk, deadline, make_letter):
    client.force_login(clerk)
    assert "Evaluatie Woo" in client.get(reverse("deadlines:list"), {"dossier": "36521"}).content.decode()
    assert "Evaluatie Woo" not in client.get(reverse("deadlines:list"), {"dossier": "36522"}).content.decode()


def test_detail_offers_to_follow_the_letter(client, clerk, deadline):
    client.force_login(clerk)
    page = client.get(deadline.get_absolute_url()).content.decode()
    assert "Evaluatie Woo" in page and "22 July 2025" in page
    response = client.post(
        reverse("deadlines:subscriptions"),
        {"scope": "letter", "letter": deadline.letter_id, "alerts": AlertKind.values},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=clerk)
    assert (subscription.scope, subscription.letter_id) == (SubscriptionScope.LETTER, deadline.letter_id)
    assert "You follow this letter." in client.get(deadline.get_absolute_url()).content.decode()


def test_subscribing_to_a_committee_needs_the_committee(client, clerk, committee):
    client.force_login(clerk)
    response = client.post(
        reverse("deadlines:subscriptions"), {"scope": "committee", "alerts": ["overdue"], "dossier": ""}
    )
    assert response.status_code == 200 and "This scope needs a choice here." in response.content.decode()
    client.post(
        reverse("deadlines:subscriptions"),
        {"scope": "committee", "committee": committee.pk, "alerts": ["overdue", "reminder"]},
    )
    subscription = Subscription.objects.get(user=clerk)
    assert (subscription.committee, subscription.alerts) == (committee, ["overdue", "reminder"])
    page = client.get(reverse("deadlines:subscriptions")).content.decode()
    assert "Overdue, Weekly reminder while overdue" in page
    address = CommitteeCalendar.objects.get(user=clerk, committee=committee)
    assert reverse("deadlines:calendar", args=[address.token]) in page


def test_pause_resume_and_remove_only_own_subscriptions(client, clerk, make_user):
    own = Subscription.objects.create(user=clerk, scope=SubscriptionScope.ALL)
    other = make_user("other", scope=SubscriptionScope.ALL).subscriptions.get()
    client.force_login(clerk)
    client.post(reverse("deadlines:subscription_update", args=[own.pk]), {"action": "pause"})
    own.refresh_from_db()
    assert not own.active
    assert (
        client.post(
            reverse("deadlines:subscription_update", args=[other.pk]), {"action": "delete"}
        ).status_code
        == 404
    )
    client.post(reverse("deadlines:subscription_update", args=[own.pk]), {"action": "delete"})
    assert not Subscription.objects.filter(pk=own.pk).exists()


def test_unsubscribe_link_asks_on_get_and_stops_on_post_without_login(client, make_user):
    user = make_user("clerk", scope=SubscriptionScope.ALL)
    Subscription.objects.create(user=user, scope=SubscriptionScope.ALL, alerts=["answer"])
    url = reverse("deadlines:unsubscribe", args=[sign_id(user.pk, purpose=UNSUBSCRIBE)])
    response = client.get(url)
    assert response.status_code == 200 and '<form method="post">' in response.content.decode()
    assert (
        Subscription.objects.filter(user=user, active=True).count() == 2
    )  # a prefetching scanner changes nothing
    assert client.post(url).status_code == 200
    assert Subscription.objects.filter(user=user, active=True).count() == 0


def test_tampered_unsubscribe_token_is_refused(client, make_user):
    user = make_user("clerk", scope=SubscriptionScope.ALL)
    token = sign_id(user.pk, purpose=UNSUBSCRIBE)
    response = client.post(reverse("deadlines:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert Subscription.objects.get(user=user).active


def test_user_calendar_lists_due_dates_of_followed_letters_only(client, make_user, make_letter, current):
    today = rules.local_date(timezone.now())
    other = sync_deadline(letter=make_letter(today, subject="Archiefwet"), now=timezone.now())
    user = make_user("clerk", scope=SubscriptionScope.LETTER, letter=current.letter)
    token = AlertProfile.objects.get(user=user).calendar_token
    response = client.get(reverse("deadlines:calendar", args=[token]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:deadline-{current.pk}@" in body and f"UID:deadline-{other.pk}@" not in body
    due = current.due_date
    assert f"DTSTART;VALUE=DATE:{due:%Y%m%d}\r\n" in body
    assert f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}\r\n" in body


def test_calendar_holds_the_pending_deadlines_due_from_the_recent_past_on(client, make_user, make_letter):
    now = timezone.now()
    today = rules.local_date(now)

    def deadline(letter_date: date, **fields):
        return sync_deadline(letter=make_letter(letter_date, **fields), now=now)

    long_overdue = deadline(today - timedelta(days=28 + 91))
    recently_overdue = deadline(today - timedelta(days=28 + 89))
    coming = deadline(today - timedelta(days=7))
    answered = deadline(today - timedelta(days=20))
    answered.status, answered.answered_on = DeadlineStatus.ANSWERED, today
    answered.save()
    assert (long_overdue.status, recently_overdue.status) == (DeadlineStatus.OVERDUE, DeadlineStatus.OVERDUE)
    user = make_user("clerk", scope=SubscriptionScope.ALL)
    body = client.get(
        reverse("deadlines:calendar", args=[AlertProfile.objects.get(user=user).calendar_token])
    ).content.decode()
    assert [
        int(line.split("-")[1].split("@")[0]) for line in body.split("\r\n") if line.startswith("UID:")
    ] == [
        recently_overdue.pk,
        coming.pk,
    ]


def test_calendar_holds_at_most_the_configured_number_of_events_the_earliest_first(
    client, make_user, make_letter, settings
):
    settings.GRIFFIE_CALENDAR_MAX_EVENTS = 3
    today = rules.local_date(timezone.now())
    deadlines = [
        sync_deadline(letter=make_letter(today - timedelta(days=days)), now=timezone.now())
        for days in range(5)
    ]
    user = make_user("clerk", scope=SubscriptionScope.ALL)
    body = client.get(
        reverse("deadlines:calendar", args=[AlertProfile.objects.get(user=user).calendar_token])
    ).content.decode()
    assert body.count("BEGIN:VEVENT") == 3
    assert all(f"UID:deadline-{deadline.pk}@" in body for deadline in deadlines[2:])


def committee_address(user, committee) -> str:
    token = CommitteeCalendar.objects.get_or_create(user=user, committee=committee)[0].token
    return reverse("deadlines:calendar", args=[token])


def test_committee_calendar_and_unknown_tokens(client, make_user, committee, current):
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    body = client.get(committee_address(user, committee)).content
    assert f"UID:deadline-{current.pk}@".encode() in body
    assert client.get(reverse("deadlines:calendar", args=["not-a-token"])).status_code == 404


def test_calendar_links_use_the_address_the_feed_was_fetched_from(
    client, make_user, committee, current, settings
):
    settings.ALLOWED_HOSTS = ["griffie.eerstekamer.example"]
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    token = CommitteeCalendar.objects.create(user=user, committee=committee).token
    body = client.get(
        reverse("deadlines:calendar", args=[token]), HTTP_HOST="griffie.eerstekamer.example"
    ).content.decode()
    assert f"URL:http://griffie.eerstekamer.example/deadlines/{current.pk}/\r\n" in body
    assert f"UID:deadline-{current.pk}@griffie.eerstekamer.example\r\n" in body


def test_feeds_of_a_deactivated_user_stop_working(client, make_user, committee, deadline):
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    feeds = [
        reverse("deadlines:calendar", args=[AlertProfile.objects.get(user=user).calendar_token]),
        committee_address(user, committee),
    ]
    assert [client.get(url).status_code for url in feeds] == [200, 200]
    user.is_active = False
    user.save()
    assert [client.get(url).status_code for url in feeds] == [404, 404]


def test_committee_addresses_are_revoked_one_by_one(client, make_user, committee, deadline):
    clerk = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    colleague = make_user("colleague", scope=SubscriptionScope.COMMITTEE, committee=committee)
    old, colleagues = committee_address(clerk, committee), committee_address(colleague, committee)
    client.force_login(clerk)
    response = client.post(
        reverse("deadlines:profile_update"), {"action": "new_committee_token", "committee": committee.pk}
    )
    assert response.status_code == 302
    page = client.get(reverse("deadlines:subscriptions")).content.decode()
    new = committee_address(clerk, committee)
    assert new != old and new in page and old not in page
    client.logout()
    assert [client.get(url).status_code for url in (old, new, colleagues)] == [404, 200, 200]


def test_an_admin_revokes_one_committee_address(admin_client, client, make_user, committee, deadline):
    clerk = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    colleague = make_user("colleague", scope=SubscriptionScope.COMMITTEE, committee=committee)
    revoked, kept = committee_address(clerk, committee), committee_address(colleague, committee)
    address = CommitteeCalendar.objects.get(user=clerk)
    admin_client.post(reverse("admin:deadlines_committeecalendar_delete", args=[address.pk]), {"post": "yes"})
    assert [client.get(url).status_code for url in (revoked, kept)] == [404, 200]


def test_a_committee_address_ends_with_the_subscription(client, make_user, committee, deadline):
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    url = committee_address(user, committee)
    Subscription.objects.filter(user=user).delete()
    assert client.get(url).status_code == 404


def test_unsubscribe_links_expire_after_a_year_with_a_page_saying_so(client, make_user, settings):
    settings.LANGUAGE_CODE = "nl"
    user = make_user("clerk", scope=SubscriptionScope.ALL)

    class YearAndADayAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time() - timedelta(days=366).total_seconds()))

    old = YearAndADayAgo(salt=UNSUBSCRIBE).sign_object(user.pk)
    response = client.post(reverse("deadlines:unsubscribe", args=[old]))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert Subscription.objects.get(user=user).active
