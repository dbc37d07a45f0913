from datetime import date

import pytest
from django.urls import reverse

from dossiers.choices import Chamber
from dossiers.models import Committee, Minister
from letters.choices import LetterKind
from letters.models import Letter
from letters.parser.text import content_words, similarity
from questions.choices import LinkKind, LinkSource
from questions.models import Answer, Question, QuestionLink
from questions.services import REFERENCE_THRESHOLD, REPEAT_THRESHOLD, detect_links, quotations

ANSWER_SENTENCE = (
    "Het kabinet is doordrongen van de te nemen lessen uit de toeslagenaffaire en herkent de belangrijke "
    "signalerende rol van de Nationale ombudsman."
)


@pytest.fixture
def rounds(db):
    """May: questions and their answer. June: a follow-up quoting that answer. November: asked again."""
    committee = Committee.objects.create(name="vaste commissie voor Binnenlandse Zaken", chamber=Chamber.EK)
    minister = Minister.objects.create(portfolio="minister van Binnenlandse Zaken en Koninkrijksrelaties")
    common = {"committee": committee, "minister": minister, "chamber": Chamber.EK}
    may_questions = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 2, 25), **common)
    signals = Question.objects.create(
        letter=may_questions,
        order=1,
        label="1",
        text="Hoe reflecteert u op de signalerende rol van de ombudsman?",
    )
    Question.objects.create(
        letter=may_questions, order=2, label="2", text="Wat is de stand van zaken van de opvang?"
    )
    may_answer = Letter.objects.create(
        kind=LetterKind.ANSWER,
        date=date(2025, 5, 13),
        in_reply_to=may_questions,
        reference="2025-0000123",
        **common,
    )
    answer = Answer.objects.create(
        letter=may_answer, order=1, label="1", text=f"Dank voor de vraag. {ANSWER_SENTENCE}"
    )
    answer.covers.add(signals)
    june = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 6, 24), **common)
    follow_up = Question.objects.create(
        letter=june,
        order=1,
        label="1",
        text=(
            "In de antwoorden lezen de leden: ‘Het kabinet is doordrongen van de te nemen lessen uit de "
            "toeslagen-\naffaire en herkent de belangrijke signalerende rol van de Nationale ombudsman.’. "
            "Ziet u parallellen met de signalen over de asielketen?"
        ),
    )
    november = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2025, 12, 2), **common)
    again = Question.objects.create(
        letter=november,
        order=1,
        label="1",
        text="Hoe reflecteert u nu op de signalerende rol van de ombudsman?",
    )
    return {"signals": signals, "follow_up": follow_up, "june": june, "november": november, "again": again}


def test_quotations_ignore_quoted_terms_and_undo_hyphenation():
    text = "Hoe geeft u ‘vroegtijdig gevolg’ aan ‘Het kabinet werkt dage-\nlijks hard aan het verbeteren’?"
    assert quotations(text) == ["het kabinet werkt dagelijks hard aan het verbeteren"]


def similar(a: str, b: str) -> float:
    return similarity(content_words(a), content_words(b))


def test_a_question_asked_again_with_a_word_added_is_a_repeat_and_another_subject_is_not():
    assert (
        similar(
            "Hoe reflecteert u op de rol van de ombudsman?",
            "Hoe reflecteert u nu op de rol van de ombudsman?",
        )
        >= REPEAT_THRESHOLD
    )
    assert similar("Hoe reflecteert u op de rol?", "Wat kost de opvang?") == 0.0
    # one mould, two questions: only the subject differs
    assert (
        similar(
            "Bent u bereid de Kamer over de uitvoering te informeren?",
            "Bent u bereid de Kamer jaarlijks te informeren over de voortgang?",
        )
        < REPEAT_THRESHOLD
    )


@pytest.mark.parametrize(
    ("text", "repeats"),
    [
        ("Hoe reflecteert u op de rol van de ombudsman?", True),  # 0.81: a word left out
        ("Hoe reflecteert u op de signalerende rol van de Kinderombudsman?", False),  # 0.72: another body
    ],
)
def test_a_question_is_linked_as_a_repeat_from_the_repeat_threshold_on(rounds, text, repeats):
    rounds["again"].text = text
    rounds["again"].save()
    detect_links(letter=rounds["november"])
    links = QuestionLink.objects.filter(
        later=rounds["again"], earlier=rounds["signals"], kind=LinkKind.REPEATS
    )
    assert links.exists() == repeats


@pytest.mark.parametrize(
    ("earlier", "tied"),
    [
        # 3 of 15 words and word pairs shared ("kleine gemeenten"): 0.20
        ("Hoe voorkomt u dat kleine gemeenten door late vergoedingen in financiële problemen komen?", True),
        # 3 of 17: 0.18
        (
            "Hoe voorkomt u dat kleine gemeenten door late vergoedingen snel in financiële problemen komen?",
            False,
        ),
    ],
)
def test_a_question_of_a_cited_round_is_tied_from_the_reference_threshold_on(earlier, tied):
    later = (
        "De leden vragen naar de spreiding van statushouders over de regio. Hoeveel woningen zijn in 2025 "
        "opgeleverd? Welke rol spelen kleine gemeenten daarbij?"
    )
    assert (similar(earlier, later) >= REFERENCE_THRESHOLD) == tied


def test_a_quoted_answer_links_the_follow_up_to_the_question_it_answered(rounds):
    assert detect_links(letter=rounds["june"]) == 1
    link = QuestionLink.objects.get(later=rounds["follow_up"])
    assert link.earlier == rounds["signals"]
    assert (link.kind, link.source) == (LinkKind.FOLLOW_UP, LinkSource.DETECTED)
    assert link.score >= 0.9


def test_a_question_asked_again_is_linked_as_a_repeat(rounds):
    detect_links(letter=rounds["november"])
    link = QuestionLink.objects.get(later=rounds["again"], earlier=rounds["signals"])
    assert link.kind == LinkKind.REPEATS


def test_a_cited_reference_links_the_letter_to_the_round_it_cites(rounds):
    november = rounds["november"]
    november.cites_reference = "2025-0000123"
    november.save()
    rounds["again"].text = "Kunt u alsnog ingaan op de signalerende rol?"
    rounds["again"].save()
    detect_links(letter=november)
    link = QuestionLink.objects.get(later=rounds["again"])
    assert link.earlier == rounds["signals"]
    assert link.score < 0.9


def test_detection_is_idempotent_and_respects_removed_links(rounds, clerk_client):
    detect_links(letter=rounds["june"])
    assert detect_links(letter=rounds["june"]) == 0
    link = QuestionLink.objects.get(later=rounds["follow_up"])
    response = clerk_client.post(reverse("questions:link_remove", args=[rounds["follow_up"].pk, link.pk]))
    assert response.status_code == 302
    assert detect_links(letter=rounds["june"]) == 0
    link.refresh_from_db()
    assert link.rejected


@pytest.mark.parametrize("extra_rounds", [0, 6])
def test_thread_page_shows_every_round_with_constant_queries(
    rounds, staffer_client, django_assert_max_num_queries, extra_rounds
):
    detect_links(letter=rounds["june"])
    detect_links(letter=rounds["november"])
    previous = rounds["again"]
    for n in range(extra_rounds):
        letter = Letter.objects.create(kind=LetterKind.QUESTIONS, date=date(2026, 1, 1 + n))
        question = Question.objects.create(letter=letter, order=1, text=f"Nogmaals vraag {n}")
        QuestionLink.objects.create(earlier=previous, later=question, source=LinkSource.MANUAL)
        previous = question
    with django_assert_max_num_queries(10):
        response = staffer_client.get(reverse("questions:thread", args=[rounds["signals"].pk]))
    thread = response.context["thread"]
    assert [q.pk for q in thread[:3]] == [rounds["signals"].pk, rounds["follow_up"].pk, rounds["again"].pk]
    assert len(thread) == 3 + extra_rounds
    assert ANSWER_SENTENCE[:40] in response.content.decode()


def test_clerk_links_and_unlinks_questions_by_hand(rounds, clerk_client):
    url = reverse("questions:thread", args=[rounds["again"].pk])
    response = clerk_client.post(url, {"other": rounds["signals"].pk, "kind": LinkKind.REPEATS})
    assert response.status_code == 302
    link = QuestionLink.objects.get(earlier=rounds["signals"], later=rounds["again"])
    assert (link.source, link.created_by.username) == (LinkSource.MANUAL, "clerk")
    clerk_client.post(reverse("questions:link_remove", args=[rounds["again"].pk, link.pk]))
    assert not QuestionLink.objects.filter(pk=link.pk).exists()


def test_linking_to_a_missing_question_says_so(rounds, clerk_client):
    response = clerk_client.post(
        reverse("questions:thread", args=[rounds["again"].pk]), {"other": 999999, "kind": "follow_up"}
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["other"]


def test_staffers_cannot_change_links(rounds, staffer_client):
    url = reverse("questions:thread", args=[rounds["again"].pk])
    assert staffer_client.post(url, {"other": rounds["signals"].pk, "kind": "follow_up"}).status_code == 403
    assert "link-title" not in staffer_client.get(url).content.decode()


@pytest.mark.corpus
@pytest.mark.postgres  # the import pipeline's SQLite path is not what this test is about
@pytest.mark.django_db
def test_seed_rounds_are_threaded_from_quoted_answers(corpus_dir, settings, tmp_path):
    """Seed 000's June 2025 letter quotes the May 2025 answer in seed 002; seed 001 quotes November's."""
    from intake import imports

    settings.MEDIA_ROOT = tmp_path
    for name in ("002", "000", "001"):
        [seed] = (corpus_dir / "seeds").glob(f"{name}_*.txt")
        source, _ = imports.store_path(path=seed)
        imports.import_source(source_id=source.pk)
    for letter in Letter.objects.filter(kind=LetterKind.QUESTIONS):
        detect_links(letter=letter)
    links = QuestionLink.objects.filter(score__gte=0.9).select_related("earlier__letter", "later__letter")
    pairs = {(link.earlier.letter.date, link.later.letter.date) for link in links}
    assert (date(2025, 2, 25), date(2025, 6, 24)) in pairs
    assert any(
        earlier == date(2025, 6, 24) and (later is None or later > date(2025, 11, 19))
        for earlier, later in pairs
    )
