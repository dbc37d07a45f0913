"""The review queue: letters still to confirm across imports, and "confirm the checked letters"."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files import File
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.tests import factories
from intake import imports
from letters.models import Letter, SourceDocument

clerk, clerk_client, staffer, staffer_client = (
    factories.clerk,
    factories.clerk_client,
    factories.staffer,
    factories.staffer_client,
)

pytestmark = pytest.mark.django_db


def import_text(name: str, *, uploaded_days_ago: int, fixtures_dir) -> SourceDocument:
    text = (fixtures_dir / "parser" / "lone_answer_letter.txt").read_text(encoding="utf-8")
    # A letter of its own per upload day: the same letter twice is held as a probable duplicate.
    text = text.replace("3 maart 2025", f"{3 + uploaded_days_ago} maart 2025")
    source, _ = imports.store_upload(uploaded_file=File(io.BytesIO(f"{text}\n{name}".encode()), name=name))
    imports.import_source(source_id=source.pk)
    SourceDocument.objects.filter(pk=source.pk).update(
        uploaded_at=timezone.now() - timedelta(days=uploaded_days_ago)
    )
    return source


def test_the_queue_lists_unconfirmed_letters_of_every_import_oldest_upload_first(clerk_client, fixtures_dir):
    import_text("nieuw.txt", uploaded_days_ago=1, fixtures_dir=fixtures_dir)
    older = import_text("oud.txt", uploaded_days_ago=5, fixtures_dir=fixtures_dir)

    response = clerk_client.get(reverse("intake:review"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("oud.txt") < page.index("nieuw.txt")
    assert [letter.source for letter in response.context["letters"]][:1] == [older]


def test_the_queue_is_for_clerks(staffer_client):
    assert staffer_client.get(reverse("intake:review")).status_code == 403
    assert staffer_client.post(reverse("intake:confirm"), {"letters": ["1"]}).status_code == 403


def test_confirming_the_checked_letters_confirms_those_once(clerk_client, clerk, fixtures_dir):
    source = import_text("brief.txt", uploaded_days_ago=0, fixtures_dir=fixtures_dir)
    letters = list(source.letters.order_by("pk"))
    earlier = timezone.now() - timedelta(hours=3)
    Letter.objects.filter(pk=letters[0].pk).update(confirmed_at=earlier)

    response = clerk_client.post(
        reverse("intake:confirm"),
        {"letters": [str(letter.pk) for letter in letters] + ["nonsense"], "next": source.get_absolute_url()},
    )

    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert not Letter.objects.filter(source=source, confirmed_at=None).exists()
    assert Letter.objects.get(pk=letters[0].pk).confirmed_at == earlier  # kept: confirmed before
    assert clerk_client.get(reverse("intake:review")).context["total"] == 0


def test_the_review_page_has_a_checkbox_per_unconfirmed_letter_for_the_confirm_form(
    clerk_client, fixtures_dir
):
    source = import_text("brief.txt", uploaded_days_ago=0, fixtures_dir=fixtures_dir)

    page = clerk_client.get(source.get_absolute_url()).content.decode()

    for letter in source.letters.all():
        assert f'name="letters" value="{letter.pk}" form="confirm-checked"' in page
    assert 'id="confirm-checked"' in page


def test_the_menu_counts_the_letters_to_confirm_for_clerks(clerk_client, staffer_client, fixtures_dir):
    import_text("brief.txt", uploaded_days_ago=0, fixtures_dir=fixtures_dir)
    waiting = Letter.objects.filter(confirmed_at=None).count()
    assert waiting

    page = clerk_client.get(reverse("letters:list")).content.decode()
    intake_entry = page[page.index('href="/letters/intake/"') :].split("</li>", 1)[0]
    assert f">{waiting}</span>" in intake_entry

    assert 'href="/letters/intake/"' not in staffer_client.get(reverse("letters:list")).content.decode()


def test_the_menu_count_stops_at_99_plus_and_counts_no_further(clerk_client):
    Letter.objects.bulk_create(Letter(kind="questions", subject=f"Brief {n}") for n in range(150))

    with CaptureQueriesContext(connection) as queries:
        page = clerk_client.get(reverse("letters:list")).content.decode()

    intake_entry = page[page.index('href="/letters/intake/"') :].split("</li>", 1)[0]
    assert ">99+</span>" in intake_entry
    assert "99+ letters to confirm" in intake_entry
    counts = [sql for sql in (q["sql"] for q in queries.captured_queries) if "COUNT" in sql]
    assert counts and all("LIMIT 100" in sql for sql in counts if "confirmed_at" in sql)


def test_the_member_filter_finds_a_letter_by_the_member_as_printed_on_its_questions(
    staffer_client, fixtures_dir
):
    text = (fixtures_dir / "samples" / "tk-kamervragen-asiel.txt").read_text(encoding="utf-8")
    source, _ = imports.store_upload(uploaded_file=File(io.BytesIO(text.encode()), name="asiel.txt"))
    imports.import_source(source_id=source.pk)
    asked = set(source.letters.filter(kind="questions").values_list("pk", flat=True))

    def listed(member: str) -> set[int]:
        page = staffer_client.get(reverse("letters:list"), {"member": member}).context["page"]
        return {letter.pk for letter in page.items}

    assert asked and listed("van dijk") == asked
    assert listed("Omtzigt") == set()
