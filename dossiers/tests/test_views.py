import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from dossiers.models import Committee
from dossiers.roles import CLERK, STAFFER
from dossiers.tests.factories import make_archive
from letters.choices import LetterKind
from letters.models import Letter


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    archive = make_archive(1)
    letter = archive.question_letters[0]
    question = letter.questions.first()
    urls = [
        "/",
        reverse("search") + "?q=asiel",
        reverse("dossiers:list"),
        reverse("dossiers:detail", args=[archive.dossier.pk]),
        reverse("dossiers:committee", args=[archive.committee.pk]),
        reverse("letters:list"),
        reverse("letters:detail", args=[letter.pk]),
        reverse("intake:edit", args=[letter.pk]),
        reverse("intake:create"),
        reverse("intake:upload"),
        reverse("questions:thread", args=[question.pk]),
        reverse("deadlines:list"),
        reverse("deadlines:detail", args=[letter.deadline.pk]),
        reverse("deadlines:subscriptions"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_roles_exist_with_reading_and_correcting_permissions(clerk, staffer):
    assert staffer.has_perm("letters.view_letter")
    assert not staffer.has_perm("letters.change_letter")
    assert not staffer.has_perm("letters.add_sourcedocument")
    assert clerk.has_perm("letters.change_letter")
    assert clerk.has_perm("letters.add_sourcedocument")
    assert clerk.has_perm("questions.delete_questionlink")
    assert {g.name for g in clerk.groups.all()} == {CLERK}
    assert {g.name for g in staffer.groups.all()} == {STAFFER}


@pytest.mark.django_db
def test_navigation_shows_intake_to_clerks_only(clerk_client, staffer_client):
    intake = reverse("intake:upload")
    assert intake in clerk_client.get("/").content.decode()
    assert intake not in staffer_client.get("/").content.decode()


@pytest.mark.django_db
def test_navigation_marks_the_current_section(staffer_client):
    archive = make_archive(1)
    html = staffer_client.get(reverse("dossiers:detail", args=[archive.dossier.pk])).content.decode()
    assert f'<a href="{reverse("dossiers:list")}" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
    html = staffer_client.get(reverse("dossiers:committee", args=[archive.committee.pk])).content.decode()
    assert '<a href="/" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_dashboard_lists_overdue_postponed_and_answered_letters_with_counts(staffer_client):
    archive = make_archive(8)
    response = staffer_client.get("/")
    assert response.status_code == 200
    counts = response.context["counts"]
    statuses = dict(Deadline.objects.values_list("status").order_by().annotate(n=Count("pk")))
    assert counts["overdue"] == statuses.get(DeadlineStatus.OVERDUE, 0) > 0
    assert counts["postponed"] == statuses.get(DeadlineStatus.POSTPONED, 0) > 0
    # Rounds 3 and 7 are answered, 28 and 32 days ago: only the first is recent.
    assert counts["answered"] == 1
    overdue = response.context["overdue"]
    assert all(late_by == (timezone.localdate() - d.due_date).days for d, _letter, late_by in overdue)
    assert overdue[0][2] > 0
    html = response.content.decode()
    assert archive.question_letters[1].get_absolute_url() in html


@pytest.mark.django_db
def test_dashboard_shows_letters_due_in_the_coming_days(staffer_client):
    archive = make_archive(1)
    letter = archive.question_letters[0]
    response = staffer_client.get("/")
    assert [summary.pk for _deadline, summary, _left in response.context["due"]] == [letter.pk]
    assert response.context["counts"]["due"] == 1


@pytest.mark.django_db
def test_dashboard_per_committee_narrows_to_that_committee(staffer_client):
    make_archive(4)
    other = Committee.objects.create(name="vaste commissie voor Justitie", chamber="EK")
    response = staffer_client.get(reverse("dossiers:committee", args=[other.pk]))
    assert response.status_code == 200
    assert response.context["counts"] == {"due": 0, "overdue": 0, "postponed": 0, "answered": 0}
    response = staffer_client.get("/", {"committee": other.pk})
    assert response.context["committee"] == other


@pytest.mark.parametrize("rounds", [4, 24])
@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_rows(staffer_client, django_assert_max_num_queries, rounds):
    make_archive(rounds)
    # 12, and one for the verslagen on bills awaiting a reply
    with django_assert_max_num_queries(13):
        staffer_client.get("/")


@pytest.mark.parametrize("rounds", [3, 30])
@pytest.mark.django_db
def test_dossier_page_shows_a_timeline_with_reply_times(
    staffer_client, django_assert_max_num_queries, rounds
):
    archive = make_archive(rounds)
    url = reverse("dossiers:detail", args=[archive.dossier.pk])
    # session, user, the menu's permissions (the user's own and their groups'), the dossier, its
    # letters, and the counts per kind only when the dossier does not fit on one page
    with django_assert_max_num_queries(7):
        response = staffer_client.get(url)
    letters = response.context["page"].items
    dates = [item.letter.date for item in letters]
    assert dates == sorted(dates)
    answered = [item for item in letters if item.kind == "answer"]
    if answered:
        assert answered[0].reply_days == 25


@pytest.mark.parametrize("rounds", [3, 30])
@pytest.mark.django_db
def test_dossier_list_counts_letters_per_dossier(staffer_client, django_assert_max_num_queries, rounds):
    archive = make_archive(rounds)
    with django_assert_max_num_queries(6):
        response = staffer_client.get(reverse("dossiers:list"), {"q": "365"})
    [dossier] = response.context["page"].items
    assert dossier.letter_count == Letter.objects.filter(dossier=archive.dossier).count()
    assert dossier.question_count == rounds


@pytest.mark.django_db
def test_dossier_timeline_pages_with_a_cursor(staffer_client):
    archive = make_archive(6)
    url = reverse("dossiers:detail", args=[archive.dossier.pk])
    from dossiers.views import DossierDetailView

    DossierDetailView.per_page = 4
    try:
        first = staffer_client.get(url).context["page"]
        second = staffer_client.get(url, {"after": first.next_cursor}).context["page"]
    finally:
        DossierDetailView.per_page = 100
    seen = [item.letter.pk for item in first.items + second.items]
    assert len(seen) == len(set(seen)) == Letter.objects.filter(dossier=archive.dossier).count()


@pytest.mark.django_db
def test_dossier_timeline_pages_through_dated_and_undated_letters_in_order():
    from datetime import date

    from django.db.models import F

    from dossiers.timeline import timeline_page

    archive = make_archive(3)
    question = archive.question_letters[0]
    for day in (None, date(2025, 6, 24), None, date(2025, 6, 24), date(2024, 2, 29), None):
        Letter.objects.create(
            kind=LetterKind.ANSWER, date=day, dossier=archive.dossier, in_reply_to=question, subject="x"
        )
    letters = Letter.objects.filter(dossier=archive.dossier)
    expected = list(letters.order_by(F("date").asc(nulls_last=True), "pk").values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = timeline_page(archive.dossier.pk, cursor=cursor, per_page=2)
        seen += [row.pk for row in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert [row.date for row in timeline_page(archive.dossier.pk, cursor=None, per_page=100).items][-3:] == [
        None
    ] * 3
    rows = {row.pk: row for row in timeline_page(archive.dossier.pk, cursor=None, per_page=100).items}
    asked = rows[question.pk]
    assert (asked.committee, asked.minister) == (archive.committee.name, archive.minister.portfolio)
    assert asked.status == question.deadline.status
    assert rows[expected[-1]].in_reply_to_date == question.date


@pytest.mark.parametrize("per_page", [4, 100])
@pytest.mark.django_db
def test_dossier_page_counts_letters_per_kind_whether_or_not_they_fit_on_one_page(
    staffer_client, django_assert_num_queries, monkeypatch, per_page
):
    archive = make_archive(6)
    from dossiers.views import DossierDetailView

    expected = dict(
        Letter.objects.filter(dossier=archive.dossier).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    monkeypatch.setattr(DossierDetailView, "per_page", per_page)
    # session, user, the menu's two permission reads, the dossier, its letters (and its counts)
    with django_assert_num_queries(7 if per_page == 4 else 6):
        response = staffer_client.get(reverse("dossiers:detail", args=[archive.dossier.pk]))
    shown = {str(label): n for label, _colour, n in response.context["kind_counts"]}
    assert shown == {str(LetterKind(kind).label): n for kind, n in expected.items()}


@pytest.mark.django_db
def test_text_from_documents_is_escaped(staffer_client):
    archive = make_archive(1)
    letter = archive.question_letters[0]
    letter.subject = "<script>alert('x')</script>"
    letter.save()
    for url in (
        "/",
        letter.get_absolute_url(),
        reverse("dossiers:detail", args=[archive.dossier.pk]),
        reverse("letters:list"),
    ):
        html = staffer_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url
