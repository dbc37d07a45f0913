"""The parser on variants of the document families, in fixtures written for these tests.

Each fixture in `fixtures/parser/variants/` is fictitious and exercises ways the real families
vary (several members, staatssecretaris or minister-president, labels with colons, full stops,
ranges and sub-letters, missing numbers, unanswered questions, mededelingen with a term or a
date, EK letters with other salutations, date lines, reply terms and fraction phrasings).
The expectations were written from the fixture text, not copied from parser output.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from letters.parser import Notice, ParseResult, parse_file, parse_text
from letters.tests.test_parser_corpus import codes, covers, kinds, refers

VARIANTS = Path(__file__).resolve().parents[2] / "fixtures" / "parser" / "variants"


def parsed(name: str) -> ParseResult:
    return parse_file(VARIANTS / name)


# --- Tweede Kamer Kamervragen ----------------------------------------------------------------


def test_kamervragen_by_three_members_to_a_staatssecretaris_with_colon_labels():
    result = parsed("tk_leden_staatssecretaris.txt")
    assert kinds(result) == ["questions", "answer"]
    questions, answer = result.letters
    assert (questions.date, answer.date, answer.cites_date) == (
        date(2025, 1, 14),
        date(2025, 2, 4),
        date(2025, 1, 14),
    )
    assert questions.parties == ["CDA", "VVD", "D66"]
    assert questions.recipient == "Staatssecretaris van Financiën"
    assert questions.aanhangsel_number == "1187"
    assert answer.sender == "Staatssecretaris Verhoef (Financiën)"  # "mede namens" is dropped
    assert questions.term_days is None  # "binnen drie weken" inside a question is not a term
    assert [q.label for q in result.questions] == ["1", "2", "3", "4", "5", "6"]
    assert {q.member for q in result.questions} == {"Van den Akker, De Wit-Haverkamp, El Idrissi"}
    assert {q.party for q in result.questions} == {"CDA, VVD, D66"}
    assert [a.label for a in result.answers] == ["1", "2 en 3", "4", "5", "6"]
    assert covers(result) == [[0], [1, 2], [3], [4], [5]]
    assert refers(result) == {3: [3]}  # "Zie het antwoord op vraag 4."
    # a numbered list and "Vraag en aanbod" inside answers are answer text, not markers
    assert "1. Ik ga in gesprek" in result.answers[2].text
    assert "3. Ik informeer uw Kamer" in result.answers[2].text
    assert "Vraag en aanbod" in result.answers[1].text
    # the footnote below the last answer is not part of it
    assert result.answers[-1].text == "De vragen zijn zo snel mogelijk beantwoord."
    assert result.warnings == []


def test_kamervragen_inline_labels_sub_letters_and_ranges():
    result = parsed("tk_labels_inline.txt")
    assert kinds(result) == ["questions", "answer"]
    questions, answer = result.letters
    assert questions.recipient == (
        "Minister van Sociale Zaken en Werkgelegenheid en de Staatssecretaris van Financiën"
    )
    assert (questions.date, answer.date) == (date(2025, 9, 8), date(2025, 9, 29))  # "(ontvangen" wraps
    assert questions.aanhangsel_number == "311"  # a short number is not taken for a page number
    assert [q.label for q in result.questions] == ["1", "2a", "2b", "3", "4", "5"]
    assert result.questions[0].text == "Kent u de fictieve Toeslagenmonitor 2025?"
    assert result.questions[4].text == "Wanneer worden die maatregelen ingevoerd?"
    assert [a.label for a in result.answers] == ["1", "2a en 2b", "3 t/m 5"]
    assert result.answers[0].text == "Ja."
    assert covers(result) == [[0], [1, 2], [3, 4, 5]]
    assert refers(result) == {2: [0]}
    assert result.warnings == []


def test_kamervragen_with_a_missing_number_and_an_unanswered_question():
    result = parsed("tk_onvolledig.txt")
    assert kinds(result) == ["questions", "answer"]
    assert [q.label for q in result.questions] == ["1", "2", "4", "5"]
    assert [a.label for a in result.answers] == ["1", "2", "4"]
    assert covers(result) == [[0], [1], [2]]
    assert refers(result) == {2: [1]}  # "Zie ook het antwoord op vraag 2."
    # "Vraag niet hoe lang ..." starts a line inside an answer and stays there
    assert "Vraag niet hoe lang het duurde" in result.answers[1].text
    assert len(result.questions) == 4
    # Named as the reader finds it: question "5" of the first letter, not index 3 of letter 0.
    assert result.warnings == [
        Notice(
            "question_unanswered",
            {
                "question": "5",
                "letters": 2,
                "letter": 1,
                "letter_kind": "questions",
                "letter_date": "2024-12-02",
                "answer": 2,
                "answer_kind": "answer",
                "answer_date": "2025-01-09",
                "text": "Wanneer ontvangt de Kamer de evaluatie van de regeling?",
            },
        )
    ]


def test_kamervragen_in_the_older_print_number_questions_and_answers_on_lines_of_their_own():
    # all questions "1", "2", "3", then "Antwoord van minister ... (Ontvangen ...)" and the answers
    result = parsed("tk_oude_druk.txt")
    assert kinds(result) == ["questions", "answer"]
    questions, answer = result.letters
    assert (questions.date, questions.sender, questions.aanhangsel_number) == (
        date(2010, 3, 3),
        "Van der Linde (CDA)",
        "1877",
    )
    assert (answer.date, answer.sender) == (date(2010, 3, 25), "minister Eurlings (Verkeer en Waterstaat)")
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    assert result.questions[1].text.endswith("Wie draagt die kosten?")
    assert covers(result) == [[0], [1], [2]]
    assert result.answers[0].text == "Ja."
    assert refers(result) == {2: [1]}
    assert result.warnings == []


def test_kamervragen_printing_all_questions_before_their_numbered_answers_pairs_them_by_number():
    text = (
        "Vragen van het lid Bikker (ChristenUnie) aan de Minister van Justitie en Veiligheid over\n"
        "gokreclame (ingezonden 2 februari 2024).\n"
        "Antwoord van Minister Yeşilgöz-Zegerius (Justitie en Veiligheid) (ontvangen 1 maart 2024).\n"
        "Vraag 1\nKent u het bericht over gokreclame op sociale media?\n"
        "Vraag 2\nHoeveel meldingen kreeg de toezichthouder in 2023?\n"
        "Antwoord 1\nJa.\n"
        "Antwoord 2\nDe toezichthouder kreeg 412 meldingen.\n"
    )
    result = parse_text(text, source="ah.txt")
    assert [q.text for q in result.questions] == [
        "Kent u het bericht over gokreclame op sociale media?",
        "Hoeveel meldingen kreeg de toezichthouder in 2023?",
    ]
    assert covers(result) == [[0], [1]]
    assert [a.text for a in result.answers] == ["Ja.", "De toezichthouder kreeg 412 meldingen."]


def test_mededeling_of_the_minister_president_promises_a_term():
    result = parsed("tk_minister_president_mededeling.txt")
    assert kinds(result) == ["questions", "mededeling"]
    questions, mededeling = result.letters
    assert questions.recipient == "Minister-President"
    assert questions.parties == ["DENK"]
    assert (mededeling.date, mededeling.cites_date) == (date(2025, 3, 24), date(2025, 3, 3))
    assert mededeling.sender == "Minister-President Van Leeuwen"
    assert mededeling.promised_term_days == 21  # the negated "niet binnen ... drie weken" is skipped
    assert mededeling.promised_date is None
    assert [q.label for q in result.questions] == ["1", "2"]
    assert result.answers == []
    assert result.warnings == []


def test_mededeling_promising_a_date_for_two_members_of_one_party():
    result = parsed("tk_mededeling_datum.txt")
    assert kinds(result) == ["questions", "mededeling"]
    questions, mededeling = result.letters
    assert questions.parties == ["NSC"]
    assert questions.sender == "Dekker-Smit en Hoogland (beiden NSC)"
    assert mededeling.promised_date == date(2025, 7, 1)
    assert mededeling.promised_term_days is None  # "niet binnen de gebruikelijke termijn"
    assert [q.label for q in result.questions] == ["1", "2", "3", "4"]
    assert {q.member for q in result.questions} == {"Dekker-Smit, Hoogland"}
    assert result.questions[2].text == "Wat zijn de kosten van de visie?"
    assert result.answers == []


# --- Handelingen Bijvoegsel --------------------------------------------------------------


def test_bijvoegsel_out_of_order_numbers_and_a_reference_in_parentheses():
    result = parsed("bijvoegsel_klimaat.txt")
    assert kinds(result) == ["answer"]
    letter = result.letters[0]
    assert letter.sender == "minister van Klimaat en Groene Groei"
    assert letter.dossier == ["36800-XXIII"]
    assert letter.parties == ["CDA", "GroenLinks-PvdA", "VVD"]
    assert [q.label for q in result.questions] == ["(1)", "(2)", "(4)", "(3)", "(5)"]
    assert [(q.member, q.party) for q in result.questions] == [
        ("Kramer, L.", "CDA"),
        ("Kramer, L.", "CDA"),
        ("Öztürk-de Jong, S.", "GroenLinks-PvdA"),
        ("Öztürk-de Jong, S.", "GroenLinks-PvdA"),
        ("Bos, A.; Kok, B.", "CDA, VVD"),  # "Vragen van de leden Bos, A. (CDA) en Kok, B. (VVD)"
    ]
    assert covers(result) == [[0], [1], [2], [3], [4]]
    assert refers(result) == {3: [0]}  # "Zie antwoord op vraag (1)."
    assert "Vraag en aanbod op het net" in result.answers[1].text


# --- Eerste Kamer ------------------------------------------------------------------------


def test_ek_bundle_printed_as_a_kamerstuk_pairs_answers_repeating_the_questions_without_markers():
    result = parsed("ek_bundel_kamerstuk.txt")
    assert kinds(result) == ["cover", "questions", "answer"]
    cover, questions, answer = result.letters
    assert cover.date == date(2025, 5, 14)  # "Vastgesteld 14 mei 2025"
    assert {letter.dossier[0] for letter in result.letters} == {"36410, AA"}
    assert questions.term_days == 28
    # "Deze leden vragen voorts wanneer ..." asks without a question mark
    assert [q.text.split()[:4] for q in result.questions] == [
        ["De", "leden", "van", "de"],
        ["Deze", "leden", "vragen", "voorts"],
        ["De", "leden", "van", "de"],
    ]
    # "Hierbij beantwoord ik de vragen": an answer letter, though it prints no "Antwoord"
    assert answer.sender == "Minister van Volkshuisvesting en Ruimtelijke Ordening"
    assert covers(result) == [[0], [1], [2]]
    assert [a.text.split(".")[0] for a in result.answers] == [
        "Op 1 mei 2025 hadden 212 gemeenten een volkshuisvestingsprogramma vastgesteld",
        "De evaluatie verschijnt in het voorjaar van 2027",
        "Gemeenten mogen natuurinclusief bouwen in hun programma opnemen",
    ]
    # the repeated questions are the questions letter's, not new ones; the signature ends the last answer
    assert all(q.letter == 1 for q in result.questions)
    assert result.answers[-1].text.endswith("van de fractie van GroenLinks-PvdA.")
    assert codes(result) == []


def test_ek_bundle_with_comma_committee_date_term_and_yearless_promise():
    result = parsed("ek_bundel_ocw.txt")
    assert kinds(result) == ["cover", "questions", "postponement", "answer"]
    cover, questions, postponement, answer = result.letters
    committee = "vaste commissie voor Onderwijs, Cultuur en Wetenschap/Erfgoed"
    assert {letter.committee for letter in result.letters} == {committee}
    assert {letter.chamber for letter in result.letters} == {"EK"}
    assert questions.date == date(2025, 7, 1)  # "'s-Gravenhage, 1 juli 2025"
    assert questions.term_days == 76  # "ontvangen deze graag voor 15 september 2025"
    assert questions.parties == ["VVD", "GroenLinks-PvdA", "D66"]
    assert questions.dossier == ["36700-VIII, A"]
    assert questions.cites_date == date(2025, 5, 12)
    assert questions.recipient == "minister van Onderwijs, Cultuur en Wetenschap"
    assert postponement.date == date(2025, 9, 5)  # "Datum 5 september 2025"
    assert postponement.reference == "51234567"
    assert postponement.cites_date == date(2025, 7, 1)  # "Op 1 juli 2025 heeft de ... commissie"
    assert postponement.promised_date == date(2025, 10, 1)  # "uiterlijk 1 oktober"
    assert postponement.promised_term_days is None
    assert (answer.date, answer.cites_date, answer.reference) == (
        date(2025, 10, 14),
        date(2025, 7, 1),
        "51234567",
    )
    assert questions.reference == "51234567"  # quoted by the letters that cite its date
    assert cover.sender == "griffier van de vaste commissie voor Onderwijs, Cultuur en Wetenschap / Erfgoed"
    assert [q.party for q in result.questions] == [
        "VVD",
        "VVD",
        "GroenLinks-PvdA, D66",
        "GroenLinks-PvdA, D66",
    ]
    assert {q.letter for q in result.questions} == {1}
    assert {a.letter for a in result.answers} == {3}
    assert covers(result) == [[0], [1], [2], [3]]
    assert refers(result) == {3: [2]}  # "Zie ook het antwoord hierboven."
    # the signature after the last answer is not part of it
    assert result.answers[-1].text.endswith("Zie ook het antwoord hierboven.")
    assert result.warnings == []


def test_lone_ek_committee_letter_with_numbered_questions_and_a_six_week_term():
    result = parsed("ek_commissiebrief_los.txt")
    assert kinds(result) == ["questions"]
    letter = result.letters[0]
    assert letter.date is None
    assert letter.recipient == "mevrouw Van der Linden"
    assert letter.sender == "Voorzitter van de vaste commissie voor Justitie en Veiligheid"
    assert letter.term_days == 42
    assert letter.parties == ["SGP", "ChristenUnie"]
    assert letter.dossier == ["36200, B"]
    assert letter.cites_date == date(2025, 2, 3)
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    assert result.questions[1].text.endswith("Graag ontvangen deze leden een overzicht per aanbeveling.")
    assert "letter_undated" in codes(result)


def test_lone_answer_letter_with_a_datum_field_and_a_list_inside_an_answer():
    result = parsed("ek_antwoordbrief_los.txt")
    assert kinds(result) == ["answer"]
    letter = result.letters[0]
    assert letter.date == date(2025, 3, 28)
    assert letter.sender == "staatssecretaris van Justitie en Veiligheid"
    assert letter.reference == "6123456"
    assert letter.cites_date == date(2025, 2, 17)  # "ingezonden op 17 februari 2025"
    assert letter.parties == ["SGP", "ChristenUnie"]
    assert letter.subject == "Antwoorden op vragen over de Wet digitale rechtspraak"
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    assert {q.letter for q in result.questions} == {0}
    assert covers(result) == [[0], [1], [2]]
    assert refers(result) == {2: [1]}  # "zie ook mijn antwoord op vraag 2"
    second = result.answers[1].text
    assert "1. de verplichte digitale indiening" in second
    assert second.endswith("Vraag 3 uit uw brief beantwoord ik hieronder.")
    assert result.answers[2].text == "Ja, zie ook mijn antwoord op vraag 2."
    assert result.warnings == []


# --- ministry letter ---------------------------------------------------------------------


def test_ministry_letter_is_other_with_a_wrapped_lower_case_signature():
    result = parsed("ministerie_brief.txt")
    assert kinds(result) == ["other"]
    letter = result.letters[0]
    assert letter.date == date(2025, 6, 12)
    assert letter.sender == "minister van Volksgezondheid, Welzijn en Sport"
    assert letter.reference == "4012345-1078901-PG"
    assert letter.subject == "Voortgang fictief programma Gezonde Schoolkantines"
    assert letter.chamber == "TK"
    assert (letter.term_days, letter.cites_date, letter.dossier, letter.parties) == (None, None, [], [])
    assert (result.questions, result.answers) == ([], [])


# --- the JSON shape ----------------------------------------------------------------------

LETTER_KEYS = {
    "kind",
    "date",
    "sender",
    "recipient",
    "reference",
    "cites_date",
    "term_days",
    "parties",
    "dossier",
    "first_page",
    "last_page",
    "subject",
    "committee",
    "chamber",
    "document_number",
    "aanhangsel_number",
    "promised_date",
    "promised_term_days",
    "text",
    "bill_round",  # added with the written rounds on bills; null for every other letter
}


def test_parse_letter_json_keeps_its_documented_shape():
    out = StringIO()
    call_command("parse_letter", str(VARIANTS / "tk_leden_staatssecretaris.txt"), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"source", "pages", "letters", "questions", "answers", "warnings", "ocr"}
    assert data["ocr"] == []  # no page was read by OCR
    assert (data["source"], data["pages"]) == ("tk_leden_staatssecretaris.txt", 1)
    assert all(set(letter) == LETTER_KEYS for letter in data["letters"])
    assert [(letter["kind"], letter["date"], letter["cites_date"]) for letter in data["letters"]] == [
        ("questions", "2025-01-14", None),
        ("answer", "2025-02-04", "2025-01-14"),
    ]
    assert data["letters"][0]["parties"] == ["CDA", "VVD", "D66"]
    assert data["questions"][1] == {
        "letter": 0,
        "label": "2",
        "party": "CDA, VVD, D66",
        "member": "Van den Akker, De Wit-Haverkamp, El Idrissi",
        "page": 1,
        "text": "Hoeveel gemeenten hebben sinds 2023 een fietsbelasting ingevoerd?",
    }
    assert data["answers"][3] == {
        "letter": 1,
        "label": "5",
        "covers": [4],
        "refers_to": [3],
        "page": 1,
        "text": "Zie het antwoord op vraag 4.",
    }
    assert data["warnings"] == []


@pytest.mark.parametrize("name", sorted(p.name for p in VARIANTS.glob("*.txt")))
def test_every_variant_round_trips_through_json(name):
    result = parsed(name)
    assert json.loads(json.dumps(result.to_dict()))["source"] == name


def test_answer_letter_with_a_mededeling_note_for_a_question_answered_later():
    text = (VARIANTS / "tk_onvolledig.txt").read_text(encoding="utf-8")
    text += "Mededeling\nHet antwoord op vraag 5 volgt in een afzonderlijke brief voor 1 maart 2025.\n"
    result = parse_text(text, source="note")
    assert kinds(result) == ["questions", "answer"]
    assert covers(result) == [[0], [1], [2]]
    assert result.letters[1].promised_date is None  # only a mededeling letter promises
    assert [(w.code, w.params["question"]) for w in result.warnings] == [("question_unanswered", "5")]


def test_a_committee_letters_questions_take_the_fraction_their_paragraph_opens_with():
    # "De leden van de fractie van de PvdD vragen ...": that fraction asks it, and the questions
    # after it until another fraction speaks ("Deze leden vragen voorts ...")
    kamerstuk = parsed("ek_bundel_kamerstuk.txt")
    assert [q.party for q in kamerstuk.questions] == ["GroenLinks-PvdA", "GroenLinks-PvdA", "PvdD"]
    opening = parsed("ek_bundel_opening_ondertekening.txt")
    assert [q.party for q in opening.questions] == ["VVD, CDA", "VVD, CDA", "GroenLinks-PvdA"]
