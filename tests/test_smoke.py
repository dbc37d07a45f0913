"""Every page, list filter and form answers every role as it should, on real and on ragged data.

Each page is requested as anonymous, staffer, clerk and admin, with (a) the quick start's sample
data and (b) a generated set of a few hundred letters of every kind with and without each optional
field (tests/conftest.py). A page shows each distinct kind of row: the letters, questions and
deadlines it is requested for are picked so that together they have and lack every field.
"""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import pytest
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.urls import reverse

from deadlines.choices import DeadlineStatus
from deadlines.feeds import FEEDS
from deadlines.models import Deadline, Postponement
from dossiers.models import Committee, Dossier, Minister, Party
from dossiers.tests.factories import SiteData
from letters.choices import LetterKind
from letters.models import Letter, SourceDocument
from questions.models import Question, QuestionLink

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staffer", "clerk", "admin")
NEXT_LINK = re.compile(r'<a href="(\?[^"]*)" rel="next">')


def covering(features: dict[Hashable, set[Hashable]]) -> list[Hashable]:
    """Few keys whose feature sets together hold every feature (greedy set cover)."""
    uncovered = set().union(*features.values()) if features else set()
    chosen = []
    while uncovered:
        best = max(features, key=lambda key: len(features[key] & uncovered))
        chosen.append(best)
        uncovered -= features[best]
    return chosen


def missing(row: dict, *names: str) -> set[tuple[str, bool]]:
    return {(name, row[name] in (None, "")) for name in names}


def letters_to_show() -> list[int]:
    """Letters that together cover every kind × (has / lacks each field) × deadline status."""
    rows = Letter.objects.annotate(
        questions_n=Count("questions", distinct=True), answers_n=Count("answers", distinct=True)
    ).values(
        "pk",
        "kind",
        "committee",
        "minister",
        "dossier",
        "subject",
        "sender",
        "date",
        "term_days",
        "in_reply_to",
        "source",
        "confirmed_at",
        "deadline__status",
        "questions_n",
        "answers_n",
    )
    features = {}
    for row in rows.order_by("pk"):
        shape = missing(
            row,
            "committee",
            "minister",
            "dossier",
            "subject",
            "sender",
            "date",
            "term_days",
            "in_reply_to",
            "source",
            "confirmed_at",
        )
        shape |= {("status", row["deadline__status"]), ("questions", bool(row["questions_n"]))}
        shape |= {("answers", bool(row["answers_n"]))}
        features[row["pk"]] = {(row["kind"], *feature) for feature in shape}
    return covering(features)


def questions_to_show() -> list[int]:
    linked = QuestionLink.objects.filter(Q(earlier=OuterRef("pk")) | Q(later=OuterRef("pk")))
    rows = Question.objects.annotate(answers_n=Count("answers"), linked=Exists(linked)).values(
        "pk",
        "label",
        "party",
        "member",
        "letter__committee",
        "letter__committee__short_name",
        "letter__dossier",
        "letter__minister",
        "letter__date",
        "letter__source",
        "answers_n",
        "linked",
    )
    features = {}
    for row in rows.order_by("pk"):
        shape = missing(
            row,
            "label",
            "party",
            "member",
            "letter__committee",
            "letter__committee__short_name",
            "letter__dossier",
            "letter__minister",
            "letter__date",
            "letter__source",
        )
        features[row["pk"]] = shape | {("answered", bool(row["answers_n"])), ("linked", row["linked"])}
    return covering(features)


def deadlines_to_show() -> list[int]:
    postponed = Postponement.objects.filter(deadline=OuterRef("pk"))
    rows = Deadline.objects.annotate(postponed=Exists(postponed)).values(
        "pk",
        "status",
        "due_date",
        "answered_on",
        "days_late",
        "late_postponements",
        "unanswered_questions",
        "postponed",
        "letter__committee",
        "letter__committee__short_name",
        "letter__minister",
        "letter__dossier",
        "letter__subject",
        "letter__date",
    )
    features = {}
    for row in rows.order_by("pk"):
        shape = missing(
            row,
            "due_date",
            "answered_on",
            "days_late",
            "letter__committee",
            "letter__committee__short_name",
            "letter__minister",
            "letter__dossier",
            "letter__subject",
            "letter__date",
        )
        shape |= {("status", row["status"]), ("postponed", row["postponed"])}
        shape |= {("late", bool(row["late_postponements"])), ("partial", bool(row["unanswered_questions"]))}
        features[row["pk"]] = shape
    return covering(features)


def pks(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def with_queries(path: str, queries: Iterable[str]) -> list[str]:
    return [path, *(f"{path}?{query}" for query in queries)]


def dashboard_filters(data: SiteData) -> list[str]:
    return [*(f"/?committee={pk}" for pk in pks(Committee)), "/?committee=999999"]


def search_with_query(data: SiteData) -> list[str]:
    return ["/search/?q=vragen", "/search/?q=de&scope=questions"]


def search_filters(data: SiteData) -> list[str]:
    committee = pks(Committee)[0]
    return with_queries(
        "/search/",
        [
            "q=",
            "scope=questions",
            *(f"q=vragen&scope={scope}" for scope in ("all", "questions", "answers", "letters")),
            f"q=vragen&committee={committee}&status=overdue&kind=questions&answered=false",
            "q=vragen&date_after=2000-01-01&date_before=2100-12-31&chamber=EK",
            "q=zzqqxxnothing",
            "q=vragen&page=2",
            "q=vragen&page=abc",
            "q=vragen&date_after=not-a-date",
            "q=vragen&committee=999999",
            "q=%22unbalanced",
        ],
    )


def dossier_list_filters(data: SiteData) -> list[str]:
    return with_queries("/dossiers/", ["q=3", "q=zzz", "chamber=EK", "chamber=XX", "page=2", "page=abc"])


def dossier_detail(data: SiteData) -> list[str]:
    urls = [reverse("dossiers:detail", args=[pk]) for pk in pks(Dossier)]
    return [*urls, f"{urls[0]}?after=garbage", f"{urls[0]}?after=_1"]


def committee(data: SiteData) -> list[str]:
    return [reverse("dossiers:committee", args=[pk]) for pk in pks(Committee)]


def letter_list_filters(data: SiteData) -> list[str]:
    dossier = Dossier.objects.order_by("pk").first()
    return with_queries(
        "/letters/",
        [
            *(f"status={status}" for status in DeadlineStatus.values),
            *(f"kind={kind}" for kind in LetterKind.values),
            *(f"committee={pk}" for pk in pks(Committee)),
            *(f"minister={pk}" for pk in pks(Minister)),
            *(f"party={pk}" for pk in pks(Party)),
            f"dossier={dossier.number}",
            "answered=true",
            "answered=false",
            "chamber=TK",
            "member=Kamerlid",
            "date_after=2000-01-01&date_before=2100-12-31",
            "kind=questions&status=overdue&answered=false",
            # Values no form offers: the page says so instead of failing.
            "committee=999999",
            "status=bogus",
            "date_after=not-a-date",
            "after=garbage",
            "after=_999999",
        ],
    )


def letter_detail(data: SiteData) -> list[str]:
    return [reverse("letters:detail", args=[pk]) for pk in letters_to_show()]


def letter_edit(data: SiteData) -> list[str]:
    return [f"/letters/{pk}/edit/" for pk in letters_to_show()]


def source_review(data: SiteData) -> list[str]:
    return [f"/letters/sources/{pk}/" for pk in pks(SourceDocument)]


def source_status(data: SiteData) -> list[str]:
    return [f"/letters/sources/{pk}/status/" for pk in pks(SourceDocument)]


def thread(data: SiteData) -> list[str]:
    return [reverse("questions:thread", args=[pk]) for pk in questions_to_show()]


def deadline_list_filters(data: SiteData) -> list[str]:
    return with_queries(
        "/deadlines/",
        [
            *(f"status={status}" for status in DeadlineStatus.values),
            "status=overdue&status=postponed&status=answered_late",
            *(f"committee={pk}" for pk in pks(Committee)),
            *(f"dossier={number}" for number in Dossier.objects.values_list("number", flat=True)),
            *(f"minister={pk}" for pk in pks(Minister)),
            "chamber=EK",
            "partial=true",
            "partial=false",
            "late_notice=true",
            "q=vragen",
            "due_after=2000-01-01&due_before=2100-12-31",
            "after=2025-06-24_1",
            "after=_999999",
            "after=garbage",
            "committee=999999",
            "status=bogus",
            "due_after=not-a-date",
        ],
    )


def deadline_detail(data: SiteData) -> list[str]:
    return [reverse("deadlines:detail", args=[pk]) for pk in deadlines_to_show()]


def subscriptions_filled_in(data: SiteData) -> list[str]:
    letter = Letter.objects.filter(kind=LetterKind.QUESTIONS).order_by("pk").first()
    return with_queries(
        "/deadlines/subscriptions/",
        [f"scope=committee&committee={pks(Committee)[0]}", f"scope=letter&letter={letter.pk}"],
    )


def calendar(data: SiteData) -> list[str]:
    return [
        reverse("deadlines:calendar", args=[token]) for token in (data.calendar_token, *data.committee_tokens)
    ]


def atom_feeds(data: SiteData) -> list[str]:
    followed = Dossier.objects.order_by("pk").first().pk  # the staffer's dossier (tests/conftest.py)
    return [
        *(
            reverse("deadlines:feed", args=[token, kind])
            for token in (data.calendar_token, *data.committee_tokens)
            for kind in FEEDS
        ),
        *(reverse("deadlines:dossier_feed", args=[data.calendar_token, followed, kind]) for kind in FEEDS),
    ]


def admin(data: SiteData) -> list[str]:
    letters = letters_to_show()[:5]
    return [
        "/admin/",
        *(reverse("admin:letters_letter_change", args=[pk]) for pk in letters),
        *(reverse("admin:deadlines_deadline_change", args=[pk]) for pk in deadlines_to_show()[:3]),
    ]


@dataclass(frozen=True)
class Page:
    name: str
    urls: Callable[[SiteData], list[str]]
    # "open": anyone; "login": any user; "clerk": clerks (and admins) only; "admin": superusers only
    access: str

    def expected_status(self, role: str) -> int:
        if self.access == "open":
            return 200
        if role == "anonymous":
            return 302
        if self.access == "admin":
            return 200 if role == "admin" else 302
        if self.access == "clerk" and role == "staffer":
            return 403
        return 200

    def login_urls(self) -> tuple[str, ...]:
        # The admin sends visitors to its own login page, except from pages that need a login
        # before the admin is reached (LoginRequiredMiddleware).
        return (reverse("admin:login"), reverse("login")) if self.access == "admin" else (reverse("login"),)


def only(path: str) -> Callable[[SiteData], list[str]]:
    return lambda data: [path]


PAGES = [
    Page("dashboard", only("/"), "login"),
    Page("search", only("/search/"), "login"),
    Page("search_with_query", search_with_query, "login"),
    Page("dossier_list", only("/dossiers/"), "login"),
    Page("dossier_detail", dossier_detail, "login"),
    Page("committee", committee, "login"),
    Page("letter_list", only("/letters/"), "login"),
    Page("letter_create", only("/letters/new/"), "clerk"),
    Page("intake", only("/letters/intake/"), "clerk"),
    Page("review_queue", only("/letters/review/"), "clerk"),
    Page("letter_detail", letter_detail, "login"),
    Page("letter_edit", letter_edit, "clerk"),
    Page("source_review", source_review, "clerk"),
    # Polled by the review page; staffers may read uploads (view_sourcedocument).
    Page("source_status", source_status, "login"),
    Page("question_thread", thread, "login"),
    Page("deadline_list", only("/deadlines/"), "login"),
    Page("deadline_detail", deadline_detail, "login"),
    Page("subscriptions", only("/deadlines/subscriptions/"), "login"),
    Page("calendar_feed", calendar, "open"),  # the token in the address is the credential
    Page("atom_feeds", atom_feeds, "open"),
    Page("admin", admin, "admin"),
    Page("login", only("/login/"), "open"),
]
# The lists and forms again with filters and values filled in, some of them invalid, as a staffer:
# what a list shows does not depend on the role.
FILTERED = {
    "dashboard": dashboard_filters,
    "search": search_filters,
    "dossier_list": dossier_list_filters,
    "letter_list": letter_list_filters,
    "deadline_list": deadline_list_filters,
    "subscriptions": subscriptions_filled_in,
}


def client_for(data: SiteData, role: str) -> Client:
    # Errors come back as 500 responses, so a failure can name the address as well as the error.
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(data.users[role])
    return client


def failure(url: str, response) -> str:
    error = getattr(response, "exc_info", None)
    details = "".join(traceback.format_exception(*error)[-6:]) if error else ""
    return f"{url} answered {response.status_code}\n{details}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_answers_each_role_as_its_access_rule_says(site_data: SiteData, page: Page, role: str) -> None:
    client = client_for(site_data, role)
    urls = page.urls(site_data)
    assert urls
    expected = page.expected_status(role)
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, failure(url, response)
        if expected == 302:
            assert response["Location"].startswith(page.login_urls()), url


@pytest.mark.parametrize("name", FILTERED)
def test_list_renders_with_every_filter(site_data: SiteData, name: str) -> None:
    client = client_for(site_data, "staffer")
    for url in FILTERED[name](site_data):
        response = client.get(url)
        assert response.status_code == 200, failure(url, response)
        # Keyset lists have no page numbers to ask for: follow the link to the next page.
        found = NEXT_LINK.search(response.content.decode())
        if found:
            following = url.split("?")[0] + html.unescape(found[1])
            response = client.get(following)
            assert response.status_code == 200, failure(following, response)


def test_generated_data_has_every_kind_status_and_gap(site_data: SiteData) -> None:
    if site_data.name != "generated":
        pytest.skip("the sample data is what the quick start imports, whatever it holds")
    assert set(Letter.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    assert set(Deadline.objects.values_list("status", flat=True)) == set(DeadlineStatus.values)
    assert 200 <= Letter.objects.count() <= 500
    for kind, name in [
        *(
            (kind, name)
            for kind in LetterKind.values
            for name in ("committee", "minister", "dossier", "date")
        ),
        (LetterKind.QUESTIONS, "term_days"),
        (LetterKind.ANSWER, "in_reply_to"),
        (LetterKind.POSTPONEMENT, "in_reply_to"),
        (LetterKind.COVER, "in_reply_to"),
    ]:
        letters = Letter.objects.filter(kind=kind)
        assert letters.filter(**{f"{name}__isnull": True}).exists(), (kind, name)
        assert letters.filter(**{f"{name}__isnull": False}).exists(), (kind, name)
    assert Letter.objects.filter(subject="").exists()
    assert Postponement.objects.filter(late=True).exists()
    assert Postponement.objects.filter(promised_date__isnull=True).exists()
    assert Deadline.objects.filter(answered_on__isnull=False, unanswered_questions__gt=0).exists()
    assert QuestionLink.objects.exists()


def test_deadline_list_shows_a_letter_without_committee(site_data: SiteData) -> None:
    deadline = Deadline.objects.filter(letter__committee__isnull=True).exclude(letter__subject="").first()
    if deadline is None:
        pytest.skip("every letter of this data set has a committee")
    client = client_for(site_data, "staffer")
    response = client.get("/deadlines/", {"q": deadline.letter.subject})
    assert response.status_code == 200, failure("/deadlines/", response)
    assert deadline.get_absolute_url() in response.content.decode()


def forms_sent_back(data: SiteData) -> list[tuple[str, dict[str, str]]]:
    """Each form posted with nothing filled in, and with nonsense, the way a hurried clerk sends it."""
    nonsense = {"kind": "bogus", "date": "31-31-2025", "committee": "999999", "in_reply_to": "abc"}
    return [
        ("/letters/new/", {}),
        ("/letters/new/", nonsense),
        ("/letters/intake/", {}),
        *((f"/letters/{pk}/edit/", {}) for pk in letters_to_show()[:8]),
        *(
            (f"/letters/{pk}/edit/", {**nonsense, "questions-TOTAL_FORMS": "x"})
            for pk in letters_to_show()[:3]
        ),
        *((reverse("questions:thread", args=[pk]), {"other": "-1"}) for pk in questions_to_show()),
        ("/deadlines/subscriptions/", {"scope": "committee"}),
    ]


def test_forms_sent_back_incomplete_show_their_errors(site_data: SiteData) -> None:
    client = client_for(site_data, "clerk")
    for url, form in forms_sent_back(site_data):
        response = client.post(url, form)
        assert response.status_code in (200, 400), failure(url, response)
        assert "error" in response.content.decode(), url


def test_confirming_nothing_or_nonsense_says_so_and_returns(site_data: SiteData) -> None:
    client = client_for(site_data, "clerk")
    for form in ({}, {"letters": ["abc", "-1", "999999999"]}, {"next": "https://example.org/"}):
        response = client.post("/letters/confirm/", form)
        assert response.status_code == 302 and response["Location"] == "/letters/review/", form
