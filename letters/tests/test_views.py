import html
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from deadlines.choices import DeadlineStatus
from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from letters.choices import LetterKind
from letters.models import Letter, SourceDocument

# The web tests' shared fixtures (this app's conftest belongs to the import pipeline's tests).
clerk, clerk_client, staffer, staffer_client = (
    factories.clerk,
    factories.clerk_client,
    factories.staffer,
    factories.staffer_client,
)


@pytest.mark.parametrize("rounds", [4, 40])
@pytest.mark.django_db
def test_letter_list_query_count_is_constant(staffer_client, django_assert_max_num_queries, rounds):
    make_archive(rounds)
    # session, user, the menu's permissions (the user's own and their groups'), the page, three
    # filter option lists
    with django_assert_max_num_queries(8):
        response = staffer_client.get(reverse("letters:list"))
    assert response.status_code == 200
    assert len(response.context["page"].items) == min(Letter.objects.count(), 50)


@pytest.mark.django_db
def test_letter_list_filters_combine(staffer_client):
    archive = make_archive(8)
    response = staffer_client.get(
        reverse("letters:list"),
        {"kind": "questions", "status": "postponed", "committee": archive.committee.pk, "dossier": "36521"},
    )
    letters = response.context["page"].items
    assert letters
    assert all(letter.kind == LetterKind.QUESTIONS for letter in letters)
    assert all(letter.status == DeadlineStatus.POSTPONED for letter in letters)
    unanswered = staffer_client.get(reverse("letters:list"), {"kind": "questions", "answered": "false"})
    assert all(letter.answered_on is None for letter in unanswered.context["page"].items)


@pytest.mark.django_db
def test_letter_list_rows_show_status_due_date_and_unconfirmed_imports(staffer_client):
    archive = make_archive(4)  # open, overdue, postponed and answered question letters
    archive.committee.name = "Commissie <b>BiZa</b>"
    archive.committee.short_name = ""
    archive.committee.save()
    open_letter, _overdue, _postponed, answered = archive.question_letters
    open_letter.subject = ""
    open_letter.sender = "Voorzitter"
    open_letter.source = SourceDocument.objects.create(original_name="brief.pdf", sha256="c" * 64, size=8)
    open_letter.save()
    answered.subject = "Lang " * 40
    answered.save()

    response = staffer_client.get(reverse("letters:list"), {"kind": "questions"})
    html = response.content.decode()
    rows = {letter.pk: row_of(html, letter.get_absolute_url()) for letter in archive.question_letters}

    due = open_letter.deadline.due_date
    opened = rows[open_letter.pk]
    # A letter without a subject says so; it is never titled by its sender.
    assert f'href="{open_letter.get_absolute_url()}">(no subject)</a>' in opened
    assert "Voorzitter" not in opened
    assert f"due {due.day} " in opened
    assert "Commissie &lt;b&gt;BiZa&lt;/b&gt; · minister van Asiel en Migratie · 36521" in opened
    assert '<span class="badge badge-yellow">unconfirmed</span>' in opened
    assert '<span class="badge badge-blue">Questions</span>' in opened
    closed = rows[answered.pk]
    assert "due " not in closed and "unconfirmed" not in closed
    assert "Lang Lang" in closed and "…" in closed and "Lang " * 40 not in closed
    assert '<span class="badge badge-green">Answered</span>' in closed
    assert "<b>BiZa" not in html


def row_of(html: str, url: str) -> str:
    """The table row that links to `url`."""
    start = html.rindex("<tr>", 0, html.index(f'href="{url}"'))
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_letter_list_pages_by_cursor_without_counting(staffer_client, django_assert_max_num_queries):
    make_archive(40)
    first = staffer_client.get(reverse("letters:list")).context["page"]
    assert first.has_next
    with django_assert_max_num_queries(8):
        second = staffer_client.get(reverse("letters:list"), {"after": first.next_cursor}).context["page"]
    seen = [letter.pk for letter in first.items + second.items]
    assert len(seen) == len(set(seen)) == Letter.objects.count()


@pytest.mark.django_db
def test_letter_list_next_page_link_opens_the_next_page(staffer_client):
    make_archive(40)
    first = staffer_client.get(reverse("letters:list"), {"chamber": "EK"})
    link = html.unescape(re.search(r'href="([^"]*)" rel="next"', first.content.decode())[1])
    following = staffer_client.get(f"{reverse('letters:list')}{link}")
    assert following.context["page"].cursor == first.context["page"].next_cursor
    assert following.context["filter"].data["chamber"] == "EK"


@pytest.mark.parametrize("rounds", [4, 12])
@pytest.mark.django_db
def test_letter_page_shows_questions_beside_answers(staffer_client, django_assert_max_num_queries, rounds):
    archive = make_archive(rounds)
    answered = next(
        letter for letter in archive.question_letters if letter.replies.filter(kind="answer").exists()
    )
    with django_assert_max_num_queries(12):
        response = staffer_client.get(answered.get_absolute_url())
    html = response.content.decode()
    assert "Hoeveel asielzoekers" in html
    assert "Het kabinet werkt dagelijks" in html
    reply = answered.replies.get(kind="answer")
    assert reply.get_absolute_url() in html
    with django_assert_max_num_queries(12):
        answer_page = staffer_client.get(reply.get_absolute_url()).content.decode()
    assert answered.get_absolute_url() in answer_page
    assert "Hoeveel asielzoekers" in answer_page


@pytest.mark.django_db
def test_original_pdf_is_served_inline_to_logged_in_users_only(staffer_client, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    source = SourceDocument(original_name="brief.pdf", sha256="b" * 64, size=8)
    source.file.save("brief.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    archive = make_archive(1)
    letter = archive.question_letters[0]
    letter.source, letter.first_page = source, 2
    letter.save()
    url = reverse("letters:source_pdf", args=[source.pk])
    assert client.get(url).status_code == 302
    response = staffer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    page = staffer_client.get(letter.get_absolute_url()).content.decode()
    assert f'{url}#page=2"' in page
    assert f'{url}#page=1"' in page  # question 1 is on page 1


@pytest.mark.django_db
def test_an_original_text_file_is_shown_inline_as_plain_text(staffer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    source = SourceDocument(original_name="brief.txt", sha256="d" * 64, size=12)
    source.file.save("brief.txt", ContentFile(b"<b>Vraag 1</b>"), save=True)
    response = staffer_client.get(reverse("letters:source_pdf", args=[source.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<b>Vraag 1</b>"


@pytest.mark.django_db
def test_staffers_cannot_correct_letters(staffer_client):
    letter = make_archive(1).question_letters[0]
    assert staffer_client.get(reverse("intake:edit", args=[letter.pk])).status_code == 403
    assert staffer_client.post(reverse("intake:edit", args=[letter.pk]), {}).status_code == 403
    assert staffer_client.get(reverse("intake:create")).status_code == 403


@pytest.mark.django_db
def test_filter_selects_offer_all_first_and_escape_their_options(django_assert_num_queries):
    from dossiers.models import Committee
    from letters.filters import LetterFilterSet

    committee = Committee.objects.create(name="Commissie <J&V>", chamber="TK")
    form = LetterFilterSet({"committee": str(committee.pk), "date_after": "2018-01-01"}).form
    # One read of the committees both validates the choice and lists the options.
    with django_assert_num_queries(1):
        assert form.is_valid()
        select = str(form["committee"])
    assert '<option value="">All</option>' in select
    assert f'<option value="{committee.pk}" selected>Commissie &lt;J&amp;V&gt; (TK)</option>' in select
    for name in ("chamber", "party", "minister", "kind", "status", "answered"):
        assert '<option value="" selected>All</option>' in str(form[name]), name
    dates = str(form["date"])
    assert 'type="date" name="date_after" value="2018-01-01" id="id_date_0" aria-label="from">' in dates
    assert 'aria-label="to"' in dates


@pytest.mark.django_db
def test_committee_choice_is_validated_against_the_listed_options(
    staffer_client, django_assert_max_num_queries
):
    from letters.filters import LetterFilterSet

    archive = make_archive(2)
    pk = archive.committee.pk
    for value in (str(pk), f"0{pk}", f" {pk} "):
        form = LetterFilterSet({"committee": value}).form
        assert form.is_valid(), value
        assert form.cleaned_data["committee"] == archive.committee
    for value in ("999999", "abc", "1.5", "\x00"):
        form = LetterFilterSet({"committee": value}).form
        assert not form.is_valid(), value
        assert "committee" in form.errors
    # session, user, two permission reads, the page, three option lists (the committee's among
    # them: no lookup of its own)
    with django_assert_max_num_queries(8):
        response = staffer_client.get(reverse("letters:list"), {"committee": pk})
    assert response.status_code == 200
    assert f'<option value="{pk}" selected>' in response.content.decode()
