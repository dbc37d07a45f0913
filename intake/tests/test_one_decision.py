"""One import or correction makes one decision per deadline; an abandoned import is taken again."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from deadlines.choices import DeadlineStatus, SubscriptionScope
from deadlines.delivery import plan_deliveries
from deadlines.models import Deadline, DeadlineEvent, EventKind, Subscription
from intake import imports
from intake.corrections import correct_letter
from intake.forms import LetterForm
from letters.choices import ImportStatus, LetterKind
from letters.models import Letter, SourceDocument

from .conftest import upload

pytestmark = pytest.mark.django_db


def status_events() -> list[tuple[str, str]]:
    return list(
        DeadlineEvent.objects.filter(kind=EventKind.STATUS)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def without_answer(result):
    """The bundle as it stood before the answer came: cover, question letter, postponement."""
    return replace(result, letters=result.letters[:3], answers=[])


def import_at(parsed, result, now: datetime, content: bytes = b"%PDF-1.4 bundle") -> SourceDocument:
    parsed(result)
    source, _ = upload(content)
    imports.import_source(source_id=source.pk, now=now)
    return source


def test_a_file_with_a_letter_and_its_postponement_records_only_the_postponed_state(parsed, bundle_result):
    # Imported on 1 August: the letter's own term ended on 22 July, the notice moved it to 6 August.
    import_at(parsed, without_answer(bundle_result), datetime(2025, 8, 1, 9, tzinfo=UTC))

    assert status_events() == [("", DeadlineStatus.POSTPONED)]
    assert not DeadlineEvent.objects.filter(to_status=DeadlineStatus.OVERDUE).exists()


def test_a_file_with_a_letter_its_postponement_and_answer_records_only_the_answer(parsed, bundle_result):
    import_at(parsed, bundle_result, datetime(2025, 11, 24, 9, tzinfo=UTC))

    assert status_events() == [("", DeadlineStatus.ANSWERED_LATE)]


def test_subscribers_are_not_told_of_an_overdue_state_the_same_file_postpones(parsed, bundle_result):
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw")
    Subscription.objects.create(user=clerk, scope=SubscriptionScope.ALL)
    now = datetime(2025, 7, 15, 9, tzinfo=UTC)  # a week after the notice: it is news
    import_at(parsed, without_answer(bundle_result), now)

    plan_deliveries(now=now)

    alerts = [event.alert for event in DeadlineEvent.objects.filter(deliveries__user=clerk)]
    assert alerts == ["postponement"]


def test_a_backlog_import_records_old_notices_and_answers_without_mailing_them(parsed, bundle_result):
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw")
    Subscription.objects.create(user=clerk, scope=SubscriptionScope.ALL)
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)  # months after the answer of 19 November 2025
    import_at(parsed, bundle_result, now)

    assert DeadlineEvent.objects.filter(kind=EventKind.POSTPONEMENT).exists()
    assert DeadlineEvent.objects.filter(kind=EventKind.ANSWER).exists()
    assert plan_deliveries(now=now) == 0


def test_an_answer_within_the_news_window_is_mailed(parsed, bundle_result):
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw")
    Subscription.objects.create(user=clerk, scope=SubscriptionScope.ALL)
    import_at(parsed, bundle_result, datetime(2025, 11, 24, 9, tzinfo=UTC))  # answer dated 5 days before

    plan_deliveries(now=datetime(2025, 11, 24, 9, 30, tzinfo=UTC))

    alerts = sorted(event.alert for event in DeadlineEvent.objects.filter(deliveries__user=clerk))
    assert alerts == ["answer"]  # the notice of 9 July is history by now


def test_the_promise_is_stored_on_the_notice_and_moves_the_deadline(parsed, bundle_result):
    notice = replace(bundle_result.letters[2], promised_term_days=21)
    result = replace(without_answer(bundle_result), letters=[*bundle_result.letters[:2], notice])
    source = import_at(parsed, result, datetime(2025, 7, 15, 9, tzinfo=UTC))

    stored = source.letters.get(kind=LetterKind.POSTPONEMENT)
    assert (stored.promised_date, stored.promised_term_days) == (None, 21)
    deadline = Deadline.objects.get()
    assert deadline.due_date == date(2025, 7, 30)  # three weeks from the notice of 9 July


def test_a_clerk_correcting_the_promised_date_moves_the_deadline_with_one_event(parsed, bundle_result):
    source = import_at(parsed, without_answer(bundle_result), datetime(2025, 7, 15, 9, tzinfo=UTC))
    notice = source.letters.get(kind=LetterKind.POSTPONEMENT)
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw")
    data = {
        f"l{notice.pk}-{name}": value
        for name, value in LetterForm(instance=notice, prefix=f"l{notice.pk}").initial.items()
        if value is not None and name != "parties"
    }
    data[f"l{notice.pk}-promised_date"] = "2025-07-10"  # already passed when corrected
    data[f"l{notice.pk}-in_reply_to"] = notice.in_reply_to_id
    form = LetterForm(data, instance=notice, prefix=f"l{notice.pk}")
    assert form.is_valid(), form.errors

    changed = correct_letter(form=form, user=clerk, now=datetime(2025, 7, 20, 9, tzinfo=UTC))

    assert changed == {"promised_date"}
    deadline = Deadline.objects.get()
    assert (deadline.status, deadline.due_date) == (DeadlineStatus.OVERDUE, date(2025, 7, 10))
    assert status_events() == [
        ("", DeadlineStatus.POSTPONED),
        (DeadlineStatus.POSTPONED, DeadlineStatus.OVERDUE),
    ]


# --- the import claim is a lease ---------------------------------------------------------------------


def stuck(source: SourceDocument, since: datetime | None) -> None:
    SourceDocument.objects.filter(pk=source.pk).update(status=ImportStatus.PROCESSING, processing_since=since)


def test_an_import_abandoned_between_claim_and_commit_is_taken_again(parsed, bundle_result, settings):
    parsed(bundle_result)
    source, _ = upload(b"%PDF-1.4 bundle")
    stuck(source, timezone.now() - timedelta(seconds=settings.GRIFFIE_IMPORT_LEASE_SECONDS + 1))

    summary = imports.import_source(source_id=source.pk)

    assert (summary.status, summary.letters) == (ImportStatus.IMPORTED, 4)
    source.refresh_from_db()
    assert source.processing_since is None


def test_a_claim_from_before_leases_existed_counts_as_stale(parsed, bundle_result):
    parsed(bundle_result)
    source, _ = upload(b"%PDF-1.4 bundle")
    stuck(source, None)

    assert imports.import_source(source_id=source.pk).status == ImportStatus.IMPORTED


def test_an_import_another_worker_holds_is_left_to_it(parsed, bundle_result):
    parsed(bundle_result)
    source, _ = upload(b"%PDF-1.4 bundle")
    stuck(source, timezone.now() - timedelta(seconds=5))

    summary = imports.import_source(source_id=source.pk)

    assert (summary.status, summary.letters) == (ImportStatus.PROCESSING, 0)
    assert not Letter.objects.exists()


def test_of_two_claims_at_once_one_wins(bundle_result):
    source, _ = upload(b"%PDF-1.4 bundle")

    assert imports.claim_source(source.pk) is not None
    assert imports.claim_source(source.pk) is None


def test_a_worker_whose_lease_was_taken_over_does_not_import_twice(parsed, bundle_result, monkeypatch):
    source, _ = upload(b"%PDF-1.4 bundle")

    def parse_while_another_worker_finishes(path, *, name, on_progress):
        # The lease went stale and another worker imported the file meanwhile.
        SourceDocument.objects.filter(pk=source.pk).update(status=ImportStatus.IMPORTED)
        return bundle_result

    monkeypatch.setattr(imports, "parse_source_file", parse_while_another_worker_finishes)
    summary = imports.import_source(source_id=source.pk)

    assert summary.new_file is False
    assert not Letter.objects.exists()


def test_a_worker_whose_stale_lease_another_worker_claimed_does_not_import_twice(
    parsed, bundle_result, monkeypatch
):
    source, _ = upload(b"%PDF-1.4 bundle")

    def parse_while_another_worker_claims(path, *, name, on_progress):
        stuck(source, timezone.now() + timedelta(seconds=1))  # a newer claim than ours
        return bundle_result

    monkeypatch.setattr(imports, "parse_source_file", parse_while_another_worker_claims)
    imports.import_source(source_id=source.pk)

    assert not Letter.objects.exists()


def test_import_letters_says_in_progress_for_a_file_another_process_is_importing(fixtures_dir):
    path = fixtures_dir / "parser" / "lone_answer_letter.txt"
    source, _ = imports.store_path(path=path)
    stuck(source, timezone.now())
    out = io.StringIO()

    call_command("import_letters", str(path), stdout=out, stderr=io.StringIO())

    assert "in progress  lone_answer_letter.txt: another process is importing it" in out.getvalue()


def test_a_letter_without_its_own_subject_takes_the_files_topic_and_the_dossier_a_title(
    parsed, bundle_result
):
    cover = replace(bundle_result.letters[0], subject="de kabinetsreactie op het jaarverslag")
    questions = replace(bundle_result.letters[1], subject="")
    result = replace(bundle_result, letters=[cover, questions, *bundle_result.letters[2:]])
    source = import_at(parsed, result, datetime(2025, 11, 24, 9, tzinfo=UTC))

    letter = source.letters.get(kind=LetterKind.QUESTIONS)
    assert letter.subject == "de kabinetsreactie op het jaarverslag"
    assert letter.dossier.title == "De kabinetsreactie op het jaarverslag"
    assert "voorzitter" not in str(letter)


def test_a_letter_no_document_names_a_topic_for_is_titled_as_such_not_by_its_sender():
    letter = Letter(kind=LetterKind.ANSWER, date=date(2025, 6, 24), sender="de minister van Financiën")
    assert str(letter) == "Answer 2025-06-24: (no subject)"
