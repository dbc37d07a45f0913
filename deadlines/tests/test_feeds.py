"""Atom feeds of new letters, new answers and deadline changes at the calendar's secret addresses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines.choices import DeadlineStatus, SubscriptionScope
from deadlines.feeds import FEEDS
from deadlines.models import AlertProfile, CommitteeCalendar, DeadlineEvent, EventKind, Subscription
from deadlines.services import sync_deadline
from dossiers.models import Committee, Dossier
from letters.choices import LetterKind

from .conftest import at

ATOM = "{http://www.w3.org/2005/Atom}"
D = date


def feed_url(token: str, kind: str, dossier: int | None = None) -> str:
    if dossier is None:
        return reverse("deadlines:feed", args=[token, kind])
    return reverse("deadlines:dossier_feed", args=[token, dossier, kind])


def own_token(user) -> str:
    return AlertProfile.objects.get(user=user).calendar_token


def committee_token(user, committee) -> str:
    return CommitteeCalendar.objects.get_or_create(user=user, committee=committee)[0].token


def read(client, url: str, **extra) -> ET.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    """Each entry's title, link, id, updated and summary, as a reader reads them."""
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def titles(feed: ET.Element) -> list[str]:
    return [entry["title"] for entry in entries(feed)]


@pytest.fixture
def letters(make_letter):
    """Questions of BiZa (dossier 36521) with a minister's answer that names no committee or dossier
    of its own, and questions of FIN (dossier 36600)."""
    questions = make_letter(D(2025, 6, 2), subject="Evaluatie Woo")
    answer = make_letter(
        D(2025, 6, 20),
        subject="Antwoord over de Woo",
        kind=LetterKind.ANSWER,
        committee=None,
        dossier=None,
        in_reply_to=questions,
        sender="De minister",
    )
    other = make_letter(
        D(2025, 6, 5),
        subject="Begroting 2026",
        committee=Committee.objects.create(name="vaste commissie voor Financiën", short_name="FIN"),
        dossier=Dossier.objects.create(number="36600", title="Begroting"),
    )
    return questions, answer, other


def test_a_feed_is_atom_whose_entries_have_a_title_link_id_and_update_time(client, make_user, letters):
    questions, answer, _other = letters
    user = make_user("clerk", language="en", scope=SubscriptionScope.LETTER, letter=questions)
    feed = read(client, feed_url(own_token(user), "letters"))
    assert feed.findtext(f"{ATOM}title") == "New letters: what you follow"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(feed_url(own_token(user), "letters"))
    newest, oldest = entries(feed)
    assert newest["title"] == "Answer 20 June 2025: Antwoord over de Woo"
    assert newest["link"] == f"http://testserver/letters/{answer.pk}/" == newest["id"]
    assert datetime.fromisoformat(newest["updated"]) == answer.created_at
    # The letter it replies to, named as its own entry's title names it.
    assert (
        f'href="http://testserver/letters/{questions.pk}/">Questions 2 June 2025: Evaluatie Woo</a>'
        in (newest["summary"])
    )
    assert "De minister" in newest["summary"]
    assert oldest["title"] == "Questions 2 June 2025: Evaluatie Woo"
    assert "vaste commissie voor Binnenlandse Zaken" in oldest["summary"]


def test_the_own_feed_holds_what_the_user_follows_and_the_replies_to_it(client, make_user, letters, dossier):
    questions, answer, other = letters
    by_letter = make_user("letter", scope=SubscriptionScope.LETTER, letter=questions)
    by_dossier = make_user("dossier", scope=SubscriptionScope.DOSSIER, dossier=dossier)
    everything = make_user("all", scope=SubscriptionScope.ALL)
    nothing = make_user("nothing")
    paused = make_user("paused", scope=SubscriptionScope.ALL)
    Subscription.objects.filter(user=paused).update(active=False)

    def links(user) -> set[str]:
        return {entry["link"] for entry in entries(read(client, feed_url(own_token(user), "letters")))}

    def urls(*shown) -> set[str]:
        return {f"http://testserver/letters/{letter.pk}/" for letter in shown}

    assert links(by_letter) == links(by_dossier) == urls(questions, answer)
    assert links(everything) == urls(questions, answer, other)
    both = make_user("both", scope=SubscriptionScope.LETTER, letter=questions)
    Subscription.objects.create(user=both, scope=SubscriptionScope.COMMITTEE, committee=other.committee)
    assert links(both) == urls(questions, answer, other)
    assert links(nothing) == links(paused) == set()


def test_a_committee_feed_holds_its_letters_and_the_replies_to_them_in_dutch(
    client, make_user, letters, committee, settings
):
    settings.LANGUAGE_CODE = "nl"  # the site's default; the tests' is English
    _questions, _answer, _other = letters
    user = make_user("clerk", language="en", scope=SubscriptionScope.COMMITTEE, committee=committee)
    feed = read(client, feed_url(committee_token(user, committee), "letters"))
    assert feed.findtext(f"{ATOM}title") == "Nieuwe brieven: BiZa"
    assert titles(feed) == [
        "Antwoordbrief 20 juni 2025: Antwoord over de Woo",
        "Vragenbrief 2 juni 2025: Evaluatie Woo",
    ]
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href")
        == f"http://testserver/dossiers/committees/{committee.pk}/"
    )


def test_the_answer_feed_holds_answer_letters_only(client, make_user, letters, committee, settings):
    settings.LANGUAGE_CODE = "nl"
    _questions, answer, _other = letters
    user = make_user("clerk", language="en", scope=SubscriptionScope.COMMITTEE, committee=committee)
    feed = read(client, feed_url(committee_token(user, committee), "answers"))
    assert [entry["link"] for entry in entries(feed)] == [f"http://testserver/letters/{answer.pk}/"]
    assert feed.findtext(f"{ATOM}title") == "Nieuwe antwoorden: BiZa"


def test_a_dossier_feed_serves_a_dossier_the_user_follows_only(client, make_user, letters, dossier):
    questions, answer, other = letters
    user = make_user("clerk", language="en", scope=SubscriptionScope.DOSSIER, dossier=dossier)
    Subscription.objects.filter(user=user).update(active=False)  # paused: its feed still works
    feed = read(client, feed_url(own_token(user), "letters", dossier.pk))
    assert feed.findtext(f"{ATOM}title") == "New letters: 36521 Wet open overheid; evaluatie"
    assert {entry["link"] for entry in entries(feed)} == {
        f"http://testserver/letters/{questions.pk}/",
        f"http://testserver/letters/{answer.pk}/",
    }
    assert client.get(feed_url(own_token(user), "letters", other.dossier_id)).status_code == 404
    committee_address = committee_token(user, questions.committee)
    assert client.get(feed_url(committee_address, "letters", dossier.pk)).status_code == 404


def event(deadline, kind: str, day: date, **fields) -> DeadlineEvent:
    return DeadlineEvent.objects.create(deadline=deadline, kind=kind, created_at=at(day), **fields)


def test_the_change_feed_holds_status_changes_postponements_and_answers_not_reminders(
    client, make_user, letters, committee, settings
):
    settings.LANGUAGE_CODE = "nl"
    questions, answer, other = letters
    deadline = sync_deadline(letter=questions, now=at(D(2025, 6, 3)))
    elsewhere = sync_deadline(letter=other, now=at(D(2025, 6, 6)))
    DeadlineEvent.objects.all().delete()
    overdue = event(deadline, EventKind.STATUS, D(2025, 7, 1), from_status="open", to_status="overdue")
    event(deadline, EventKind.REMINDER, D(2025, 7, 8))
    event(deadline, EventKind.DUE_IN, D(2025, 6, 23), days=7)
    answered = event(deadline, EventKind.ANSWER, D(2025, 7, 10), letter=answer, due_date=deadline.due_date)
    event(elsewhere, EventKind.STATUS, D(2025, 7, 4), from_status="open", to_status="overdue")
    user = make_user("clerk", language="en", scope=SubscriptionScope.COMMITTEE, committee=committee)
    feed = read(client, feed_url(committee_token(user, committee), "changes"))
    shown = entries(feed)
    assert [entry["title"] for entry in shown] == [
        "Antwoord ontvangen: Evaluatie Woo",
        "Status gewijzigd: Open → Termijn verstreken: Evaluatie Woo",
    ]
    page = f"http://testserver/deadlines/{deadline.pk}/"
    assert [entry["link"] for entry in shown] == [page, page]
    assert [entry["id"] for entry in shown] == [f"{page}#event-{answered.pk}", f"{page}#event-{overdue.pk}"]
    assert f'href="http://testserver/letters/{answer.pk}/"' in shown[0]["summary"]
    own = read(client, feed_url(own_token(user), "changes"))
    assert titles(own)[1] == "Status changed: Open → Overdue: Evaluatie Woo"


@pytest.mark.parametrize("follows", [SubscriptionScope.ALL, SubscriptionScope.DOSSIER])
def test_a_feed_holds_the_newest_entries_up_to_the_setting(
    client, make_user, make_letter, dossier, settings, follows
):
    settings.GRIFFIE_FEED_ENTRIES = 3
    made = [make_letter(D(2025, 6, 1) + timedelta(days=n), subject=f"Brief {n}") for n in range(5)]
    # Recorded last, a reply to the first letter (naming no dossier) is the newest entry.
    made.append(make_letter(D(2025, 6, 9), kind=LetterKind.ANSWER, dossier=None, in_reply_to=made[0]))
    target = {"dossier": dossier} if follows == SubscriptionScope.DOSSIER else {}
    user = make_user("clerk", scope=follows, **target)
    feed = read(client, feed_url(own_token(user), "letters"))
    assert [entry["link"] for entry in entries(feed)] == [
        f"http://testserver/letters/{letter.pk}/" for letter in reversed(made[3:])
    ]


@pytest.mark.parametrize("kind", list(FEEDS))
@pytest.mark.parametrize("follows", [SubscriptionScope.ALL, SubscriptionScope.COMMITTEE])
def test_a_feed_costs_the_same_queries_for_two_entries_or_twenty(
    client, make_user, make_letter, committee, kind, follows
):
    target = {"committee": committee} if follows == SubscriptionScope.COMMITTEE else {}
    user = make_user("clerk", scope=follows, **target)
    url = feed_url(own_token(user), kind)

    def add(count: int) -> None:
        for n in range(count):
            letter = make_letter(D(2025, 6, 1) + timedelta(days=n), kind=LetterKind.ANSWER)
            deadline = sync_deadline(letter=make_letter(D(2025, 6, 1)), now=at(D(2025, 6, 2)))
            letter.in_reply_to = deadline.letter
            letter.save()
            event(deadline, EventKind.ANSWER, D(2025, 7, 1), letter=letter)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(entries(read(client, url))) >= 2
        return len(captured)

    add(2)
    few = queries()
    add(18)
    # The address, its subscriptions, the newest keys by each way a row reaches a letter, the rows.
    assert queries() == few <= 5


def test_feeds_need_a_working_address(client, make_user, letters, committee):
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    colleague = make_user("colleague", scope=SubscriptionScope.COMMITTEE, committee=committee)
    own, address = own_token(user), committee_token(user, committee)
    colleagues = committee_token(colleague, committee)
    for kind in FEEDS:
        assert client.get(feed_url("not-a-token", kind)).status_code == 404
        assert client.get(feed_url(own, kind)).status_code == 200
    assert client.get("/deadlines/feeds/{own}/other.atom").status_code == 404
    # Revoked one by one, as calendar addresses are: the new one works, the colleague's still does.
    client.force_login(user)
    client.post(
        reverse("deadlines:profile_update"), {"action": "new_committee_token", "committee": committee.pk}
    )
    client.get(reverse("deadlines:subscriptions"))
    client.logout()
    renewed = committee_token(user, committee)
    assert [
        client.get(feed_url(token, "changes")).status_code for token in (address, renewed, colleagues)
    ] == [
        404,
        200,
        200,
    ]
    # A committee address ends with its subscription, and every address with its user's account.
    Subscription.objects.filter(user=colleague).delete()
    assert client.get(feed_url(colleagues, "letters")).status_code == 404
    user.is_active = False
    user.save()
    assert [client.get(feed_url(token, "letters")).status_code for token in (own, renewed)] == [404, 404]


def test_a_new_own_address_ends_the_old_feeds(client, make_user, letters, dossier):
    user = make_user("clerk", scope=SubscriptionScope.DOSSIER, dossier=dossier)
    old = own_token(user)
    client.force_login(user)
    client.post(reverse("deadlines:profile_update"), {"action": "new_calendar_token"})
    client.logout()
    assert client.get(feed_url(old, "letters")).status_code == 404
    assert client.get(feed_url(old, "letters", dossier.pk)).status_code == 404
    assert client.get(feed_url(own_token(user), "letters", dossier.pk)).status_code == 200


def test_feed_links_use_the_address_the_feed_was_fetched_from(client, make_user, letters, settings):
    settings.ALLOWED_HOSTS = ["griffie.eerstekamer.example"]
    questions, _answer, _other = letters
    user = make_user("clerk", scope=SubscriptionScope.LETTER, letter=questions)
    feed = read(client, feed_url(own_token(user), "letters"), HTTP_HOST="griffie.eerstekamer.example")
    assert {entry["link"] for entry in entries(feed)} >= {
        f"http://griffie.eerstekamer.example/letters/{questions.pk}/"
    }


def test_the_alerts_page_shows_every_feed_address(client, make_user, committee, dossier):
    user = make_user("clerk", scope=SubscriptionScope.COMMITTEE, committee=committee)
    Subscription.objects.create(user=user, scope=SubscriptionScope.DOSSIER, dossier=dossier)
    client.force_login(user)
    page = client.get(reverse("deadlines:subscriptions")).content.decode()
    address = CommitteeCalendar.objects.get(user=user, committee=committee).token
    for kind in FEEDS:
        assert feed_url(own_token(user), kind) in page
        assert feed_url(address, kind) in page
        assert feed_url(own_token(user), kind, dossier.pk) in page


def test_status_labels_stay_what_the_deadline_page_shows(client, make_user, letters):
    questions, _answer, _other = letters
    deadline = sync_deadline(letter=questions, now=at(D(2025, 6, 3)))
    event(deadline, EventKind.STATUS, D(2025, 7, 1), from_status="open", to_status=DeadlineStatus.OVERDUE)
    user = make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    client.force_login(user)
    page = client.get(deadline.get_absolute_url()).content.decode()
    assert "Status changed: Open → Overdue" in page


def test_titles_are_plain_text_and_summaries_html_escaped_once(client, make_user, make_letter):
    make_letter(D(2025, 6, 2), subject="Woo & <Archiefwet>", sender="BZK & OCW")
    user = make_user("clerk", language="en", scope=SubscriptionScope.ALL)
    [entry] = entries(read(client, feed_url(own_token(user), "letters")))
    assert entry["title"] == "Questions 2 June 2025: Woo & <Archiefwet>"
    assert "<dd>BZK &amp; OCW</dd>" in entry["summary"]


def test_an_own_feed_speaks_its_users_language_whatever_the_reader_asks(client, make_user, letters):
    questions, _answer, _other = letters
    dutch = make_user("clerk", language="nl", scope=SubscriptionScope.LETTER, letter=questions)
    feed = read(client, feed_url(own_token(dutch), "answers"), HTTP_ACCEPT_LANGUAGE="en")
    assert feed.findtext(f"{ATOM}title") == "Nieuwe antwoorden: wat u volgt"
    assert titles(feed) == ["Antwoordbrief 20 juni 2025: Antwoord over de Woo"]
