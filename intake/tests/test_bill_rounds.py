"""Importing written rounds on bills: verslag and reply saved, linked by Kamerstuk, items to questions.

The files are the parser fixtures in `fixtures/parser/bill_rounds/` (one Tweede Kamer dossier,
36 450, and one Eerste Kamer dossier, 36 123), imported as text through the real path.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines import rules
from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from dossiers.models import Dossier
from dossiers.tests import factories
from intake import imports
from intake.tests.test_intake import letter_form_data
from letters.choices import LetterKind, LinkConfidence
from letters.models import Letter
from questions.models import Answer

from .conftest import NOW, upload

pytestmark = pytest.mark.django_db
clerk, clerk_client = factories.clerk, factories.clerk_client


def import_round(fixtures_dir, name: str) -> Letter:
    content = (fixtures_dir / "parser" / "bill_rounds" / name).read_bytes()
    source, _ = upload(content, name)
    summary = imports.import_source(source_id=source.pk, now=NOW)
    assert not summary.failed, summary.error
    return source.letters.get()


def test_verslag_is_saved_as_an_asking_letter_of_its_dossier(fixtures_dir):
    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    assert (verslag.kind, verslag.chamber, verslag.bill_round) == (LetterKind.VERSLAG, "TK", 1)
    assert (verslag.dossier.number, verslag.dossier_document) == ("36450", "36450, nr. 5")
    assert verslag.date == date(2024, 3, 1) and verslag.received_on is None
    assert verslag.committee.name == "vaste commissie voor Volksgezondheid, Welzijn en Sport"
    parties = [q.party.name for q in verslag.questions.order_by("order")]
    assert parties == ["VVD", "VVD", "GroenLinks-PvdA", "CDA", "CDA", "SP, PvdD", "VVD"]


def test_nota_is_linked_to_its_verslag_and_its_items_to_the_verslag_questions(fixtures_dir):
    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    nota = import_round(fixtures_dir, "tk_nota.txt")
    assert (nota.kind, nota.dossier_document, nota.received_on) == (
        LetterKind.NOTA,
        "36450, nr. 6",
        date(2024, 3, 27),
    )
    assert (nota.in_reply_to, nota.link_confidence) == (verslag, LinkConfidence.KAMERSTUK)
    # every repeated item was the verslag's question: merged into it, its answer covers the original
    assert nota.questions.count() == 0
    originals = list(verslag.questions.order_by("order"))
    answers = list(nota.answers.order_by("order"))
    assert [list(a.covers.all()) for a in answers] == [[q] for q in originals]
    # "Zie het antwoord op vraag 1" points at the answer to item 1
    assert list(answers[5].refers_to.all()) == [answers[0]]
    # "het antwoord op vraag 4": the item whose number is missing in print, between 3 and 5
    assert list(answers[6].refers_to.all()) == [answers[3]]
    deadline = Deadline.objects.get(letter=verslag)
    assert (deadline.status, deadline.answered_on, deadline.unanswered_questions) == (
        DeadlineStatus.ANSWERED,
        date(2024, 3, 27),
        0,
    )


def test_nota_imported_before_its_verslag_is_linked_when_the_verslag_comes(fixtures_dir):
    nota = import_round(fixtures_dir, "tk_nota.txt")
    nota.refresh_from_db()
    assert nota.in_reply_to is None and nota.questions.count() == 7
    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    nota.refresh_from_db()
    assert nota.in_reply_to == verslag and nota.questions.count() == 0
    assert Deadline.objects.get(letter=verslag).status == DeadlineStatus.ANSWERED


def test_nota_nader_verslag_answers_the_nader_verslag_not_the_first(fixtures_dir):
    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    import_round(fixtures_dir, "tk_nota.txt")
    nader = import_round(fixtures_dir, "tk_nader_verslag.txt")
    assert Deadline.objects.get(letter=nader).status == DeadlineStatus.OPEN
    reply = import_round(fixtures_dir, "tk_nota_nader.txt")
    assert reply.in_reply_to == nader and reply.bill_round == 2
    combined = reply.answers.get(label="1, 2 en 3")
    assert list(combined.covers.order_by("order")) == list(nader.questions.order_by("order")[:3])
    assert Deadline.objects.get(letter=nader).status == DeadlineStatus.ANSWERED
    assert Deadline.objects.get(letter=verslag).status == DeadlineStatus.ANSWERED


def test_eerste_kamer_round_memorie_without_markers_and_eindverslag(fixtures_dir):
    voorlopig = import_round(fixtures_dir, "ek_voorlopig_verslag.txt")
    memorie = import_round(fixtures_dir, "ek_memorie_van_antwoord.txt")
    assert memorie.in_reply_to == voorlopig and memorie.chamber == "EK"
    nader = import_round(fixtures_dir, "ek_nader_voorlopig_verslag.txt")
    nadere = import_round(fixtures_dir, "ek_nadere_memorie_van_antwoord.txt")
    assert (nadere.in_reply_to, nadere.dossier_document) == (nader, "36123, E")
    assert Answer.objects.filter(letter=nadere, covers__letter=nader).count() == 2
    final = import_round(fixtures_dir, "ek_eindverslag.txt")
    assert final.kind == LetterKind.EINDVERSLAG and final.in_reply_to is None
    assert not Deadline.objects.filter(letter=final).exists()
    assert set(Deadline.objects.values_list("status", flat=True)) == {DeadlineStatus.ANSWERED}


def test_reply_without_a_verslag_of_its_round_is_left_to_the_clerk(fixtures_dir):
    import_round(fixtures_dir, "tk_verslag.txt")  # round 1; the nota answers the nader verslag
    content = (fixtures_dir / "parser" / "bill_rounds" / "tk_nota_nader.txt").read_bytes()
    source, _ = upload(content, "tk_nota_nader.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    assert source.letters.get().in_reply_to is None
    assert [w["code"] for w in summary.warnings] == ["link_not_found"]


@pytest.mark.parametrize(
    ("reply", "verslagen", "expected"),
    [
        ("36450, nr. 8", ["36450, nr. 5", "36450, nr. 7"], "36450, nr. 7"),
        ("36450, nr. 6", ["36450, nr. 5", "36450, nr. 7"], "36450, nr. 5"),
        ("36123, AA", ["36123, B", "36123, Z"], "36123, Z"),  # letters run on after Z
        ("36123, C", ["36123, D"], None),  # printed after the reply: not what it answers
    ],
)
def test_the_verslag_a_reply_answers_is_the_latest_part_before_it(reply, verslagen, expected):
    dossier = Dossier.objects.create(number=reply.split(",")[0])
    for document in verslagen:
        Letter.objects.create(
            kind=LetterKind.VERSLAG, dossier=dossier, dossier_document=document, bill_round=1
        )
    nota = Letter.objects.create(kind=LetterKind.NOTA, dossier=dossier, dossier_document=reply, bill_round=1)
    found = imports.bill_round_verslag(nota)
    assert (found.dossier_document if found else None) == expected


def test_clerk_sets_the_expected_reply_date_and_the_verslag_becomes_due_on_it(fixtures_dir, clerk_client):
    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    deadline = Deadline.objects.get(letter=verslag)
    # no term: open (not overdue) twenty months after it was vastgesteld, and never due
    assert (deadline.term_days, deadline.due_date, deadline.status) == (None, None, DeadlineStatus.OPEN)
    data = letter_form_data(verslag, expected_reply_on="2024-04-15")
    data["action"] = "save"
    response = clerk_client.post(reverse("intake:edit", args=[verslag.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.status) == (date(2024, 4, 15), DeadlineStatus.OVERDUE)
    data = letter_form_data(Letter.objects.get(pk=verslag.pk), expected_reply_on="")
    data["action"] = "save"
    clerk_client.post(reverse("intake:edit", args=[verslag.pk]), data)
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.status) == (None, DeadlineStatus.OPEN)


def test_dashboard_lists_open_verslagen_by_age(fixtures_dir, clerk_client):
    old = import_round(fixtures_dir, "tk_verslag.txt")
    newer = import_round(fixtures_dir, "ek_voorlopig_verslag.txt")
    import_round(fixtures_dir, "tk_nota.txt")  # answers the old one
    nader = import_round(fixtures_dir, "tk_nader_verslag.txt")
    response = clerk_client.get(reverse("home"))
    shown = [(v.deadline.letter_id, v.age) for v in response.context["open_verslagen"]]
    now = timezone.now()
    assert shown == [
        (nader.pk, rules.age_days(nader.date, now=now)),
        (newer.pk, rules.age_days(newer.date, now=now)),
    ]
    assert old.pk not in {pk for pk, _ in shown}
    assert response.context["more_verslagen"] is False
    assert "36450, nr. 7" in response.content.decode()


def test_dossier_timeline_shows_how_long_the_verslag_waited_for_its_nota(fixtures_dir):
    from dossiers import timeline

    verslag = import_round(fixtures_dir, "tk_verslag.txt")
    import_round(fixtures_dir, "tk_nota.txt")
    page = timeline.timeline_page(verslag.dossier_id, cursor=None, per_page=10)
    items = {item.letter.pk: item for item in timeline.timeline_items(page.items)}
    assert items[verslag.pk].reply_days == 26  # 1 March to 27 March 2024


@pytest.mark.parametrize(
    "name", ["tk_schriftelijk_overleg.txt", "tk_lijst_van_vragen.txt", "tk_lijst_per_regel.txt"]
)
def test_questions_printed_with_their_answers_are_answered_on_import_and_miss_no_link(fixtures_dir, name):
    content = (fixtures_dir / "parser" / "bill_rounds" / name).read_bytes()
    source, _ = upload(content, name)
    summary = imports.import_source(source_id=source.pk, now=NOW)
    letter = source.letters.get()
    assert (letter.kind, letter.in_reply_to) == (LetterKind.ANSWER, None)
    assert letter.minister is not None and letter.minister.portfolio.startswith("minister van")
    # every question it prints is answered in it; no answered letter is missing
    assert letter.questions.exists()
    assert all(question.answers.exists() for question in letter.questions.all())
    assert summary.warnings == []


def test_a_lone_answer_letter_citing_its_questions_still_asks_for_its_link(fixtures_dir):
    content = (fixtures_dir / "parser" / "variants" / "ek_antwoordbrief_los.txt").read_bytes()
    source, _ = upload(content, "ek_antwoordbrief_los.txt")
    summary = imports.import_source(source_id=source.pk, now=NOW)
    letter = source.letters.get()
    # it repeats its questions too, but names the letter it answers: that one is missing
    assert letter.questions.exists() and letter.cites_date is not None
    assert [w["code"] for w in summary.warnings] == ["link_not_found"]
