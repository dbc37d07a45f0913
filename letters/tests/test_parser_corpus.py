"""The parser on the real corpus documents.

Every expectation here was written by reading the documents (counting "Vraag"/"Antwoord"
labels and question paragraphs by hand), not by copying parser output.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from letters.parser import Notice, ParseResult, parse_file

pytestmark = pytest.mark.corpus


@cache
def _parse(path: Path) -> ParseResult:
    return parse_file(path)


def parsed(corpus_dir: Path, folder: str, prefix: str) -> ParseResult:
    matches = sorted((corpus_dir / folder).glob(prefix + "*"))
    assert matches, f"{prefix} not found in {folder}"
    return _parse(matches[0])


def kinds(result: ParseResult) -> list[str]:
    return [letter.kind for letter in result.letters]


def codes(result: ParseResult) -> list[str]:
    return [warning.code for warning in result.warnings]


def covers(result: ParseResult) -> list[list[int]]:
    return [answer.covers for answer in result.answers]


def refers(result: ParseResult) -> dict[int, list[int]]:
    return {number: a.refers_to for number, a in enumerate(result.answers) if a.refers_to}


# --- Eerste Kamer bundles ---------------------------------------------------------------


def test_seed_000_bundle_splits_into_cover_questions_postponement_and_answer(corpus_dir):
    result = parsed(corpus_dir, "seeds", "000_")
    assert kinds(result) == ["cover", "questions", "postponement", "answer"]
    cover, questions, postponement, answer = result.letters
    assert [letter.date for letter in result.letters] == [
        None,
        date(2025, 6, 24),
        date(2025, 7, 9),
        date(2025, 11, 19),
    ]
    assert questions.term_days == 28
    assert questions.parties == ["GroenLinks-PvdA"]
    assert questions.dossier == ["36521, B"]
    assert questions.committee == "vaste commissie voor Binnenlandse Zaken"
    assert questions.recipient == "minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert questions.sender == "Voorzitter van de vaste commissie voor Binnenlandse Zaken"
    assert questions.chamber == "EK"
    # the kenmerk is quoted by the postponement and answer for the letter of 24 June
    assert questions.reference == "177400"
    assert (postponement.reference, postponement.cites_date) == ("177400", date(2025, 6, 24))
    assert postponement.term_days is None
    assert postponement.promised_date is None
    assert (answer.reference, answer.cites_date) == ("177400", date(2025, 6, 24))
    assert answer.sender == "minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert cover.sender == "griffier van de vaste commissie voor Binnenlandse Zaken"


def test_seed_000_five_questions_and_a_joint_unlabelled_answer_to_four_and_five(corpus_dir):
    result = parsed(corpus_dir, "seeds", "000_")
    assert len(result.questions) == 5
    assert {q.letter for q in result.questions} == {1}
    assert {q.party for q in result.questions} == {"GroenLinks-PvdA"}
    assert len(result.answers) == 4
    assert {a.letter for a in result.answers} == {3}
    assert covers(result) == [[0], [1], [2], [3, 4]]
    assert [a.label for a in result.answers] == ["1", "2", "3", None]
    assert refers(result) == {1: [3, 4]}  # "In het antwoord op vragen 4 en 5"
    assert "question_unanswered" not in codes(result)


def test_seed_001_lone_committee_letter_without_date_is_imported_with_a_warning(corpus_dir):
    result = parsed(corpus_dir, "seeds", "001_")
    assert kinds(result) == ["questions"]
    letter = result.letters[0]
    assert letter.date is None
    assert letter.term_days == 28
    assert letter.dossier == ["36521, C"]
    assert letter.parties == ["GroenLinks-PvdA"]
    assert letter.cites_date == date(2025, 11, 19)  # "uw brief van 19 november 2025"
    assert len(result.questions) == 1
    assert "verzoeken u daarom nogmaals" in result.questions[0].text
    assert result.answers == []
    assert codes(result) == ["letter_undated"]


def test_seed_002_bundle_metadata(corpus_dir):
    result = parsed(corpus_dir, "seeds", "002_")
    assert kinds(result) == ["cover", "questions", "postponement", "answer"]
    _, questions, postponement, answer = result.letters
    assert questions.date == date(2025, 2, 25)
    assert questions.term_days == 28
    assert questions.parties == ["BBB", "GroenLinks-PvdA"]
    assert questions.dossier == ["36521, A"]
    assert questions.cites_date == date(2024, 10, 24)  # "uw brief d.d. 24 oktober 2024"
    assert questions.reference == "175990U"
    assert (postponement.date, postponement.reference, postponement.cites_date) == (
        date(2025, 3, 28),
        "175990U",
        date(2025, 2, 25),
    )
    assert (answer.date, answer.reference, answer.cites_date) == (
        date(2025, 5, 13),
        "175990U",
        date(2025, 2, 25),
    )
    assert answer.sender == (
        "minister van Binnenlandse Zaken en Koninkrijksrelaties en minister van Asiel en Migratie"
    )


def test_seed_002_paragraphs_split_where_the_answer_letter_repeats_separate_questions(corpus_dir):
    result = parsed(corpus_dir, "seeds", "002_")
    # 4 BBB questions and 16 GroenLinks-PvdA questions, each repeated before a bare "Antwoord"
    assert len(result.questions) == 20
    assert [q.party for q in result.questions] == ["BBB"] * 4 + ["GroenLinks-PvdA"] * 16
    assert {q.letter for q in result.questions} == {1}
    assert len(result.answers) == 20
    assert covers(result) == [[n] for n in range(20)]
    starts = {
        3: "Het staat decentrale overheden vrij",
        4: "Over deze reactie hebben de leden",
        5: "In de reactie wordt verwezen",
        10: "Hoe verhoudt de reactie van de regering",
        12: "Ook schrijft u dat u streeft",
        16: "Hoe verhouden de voorgenomen bezuinigingen",
        18: "Meer in algemene zin",
    }
    for number, start in starts.items():
        assert result.questions[number].text.startswith(start), number
    assert refers(result) == {5: [4]}  # "Ja, zie het antwoord hierboven."
    assert not {"question_unanswered", "answer_unmatched", "repeated_question_unmatched"} & set(codes(result))


def test_seed_003_bijvoegsel_is_one_answer_letter_with_eighty_questions(corpus_dir):
    result = parsed(corpus_dir, "seeds", "003_")
    assert kinds(result) == ["answer"]
    letter = result.letters[0]
    assert letter.date is None
    assert letter.dossier == ["36600-XX"]
    assert letter.sender == "minister van Asiel en Migratie"
    assert codes(result) == ["letter_undated"]
    assert len(result.questions) == 80
    assert len(result.answers) == 80
    assert covers(result) == [[n] for n in range(80)]
    labels = [q.label for q in result.questions]
    assert labels[:3] == ["(1)", "(2)", "(3)"]
    assert labels[33] == "(43)"  # printed out of order
    assert labels[-5:] == ["(78)", "(80)", "(76)", "(77)", "(79)"]
    first = result.questions[0]
    assert (first.member, first.party) == ("Piri, K.", "GL/PvdA")
    last = result.questions[-1]
    assert (last.member, last.party) == ("Eerdmans, J.", "JA21")
    assert letter.parties[:3] == ["GL/PvdA", "PVV", "D66"]


def test_seed_003_see_answer_references_point_at_the_labelled_questions(corpus_dir):
    result = parsed(corpus_dir, "seeds", "003_")
    index = {q.label: n for n, q in enumerate(result.questions)}
    answer_of = {result.questions[a.covers[0]].label: a for a in result.answers}
    assert answer_of["(15)"].refers_to == [index["(14)"]]  # "Zie antwoord op 14"
    assert answer_of["(52)"].refers_to == [index["(14)"]]  # "Zie antwoord op vraag 14"
    assert answer_of["(39)"].refers_to == [index["(24)"]]  # "Eerste deel gelijk aan 24"
    assert answer_of["(68)"].refers_to == [index["(36)"]]  # "Antwoord is gelijk aan 36."
    assert answer_of["(60)"].refers_to == [index["(76)"]]
    assert answer_of["(73)"].refers_to == [index["(76)"]]
    assert sum(1 for a in result.answers if a.refers_to) == 6


def test_seed_004_numbered_answer_letter_pairs_with_the_prose_questions(corpus_dir):
    result = parsed(corpus_dir, "seeds", "004_")
    assert kinds(result) == ["cover", "questions", "answer"]
    _, questions, answer = result.letters
    assert questions.date == date(2024, 10, 23)
    assert questions.term_days == 28
    assert questions.parties == ["GroenLinks-PvdA", "D66", "PVV", "ChristenUnie"]
    assert questions.dossier == ["30573, I"]
    assert questions.committee == "vaste commissie voor Immigratie en Asiel/JBZ-Raad"
    assert (answer.date, answer.reference, answer.cites_date) == (
        date(2025, 1, 7),
        "175416.01U",
        date(2024, 11, 28),
    )
    # the answer letter numbers 32 questions: 8 GL-PvdA, 14 D66, 8 PVV, 2 ChristenUnie
    assert len(result.questions) == 32
    parties = [q.party for q in result.questions]
    assert parties == ["GroenLinks-PvdA"] * 8 + ["D66"] * 14 + ["PVV"] * 8 + ["ChristenUnie"] * 2
    assert len(result.answers) == 32
    assert covers(result) == [[n] for n in range(32)]
    assert result.questions[1].text.startswith("En kan de regering bevestigen")
    assert refers(result) == {3: [2], 8: [2, 3]}  # "Zie (ook) het antwoord op vraag 3 (en 4)"


def test_seed_004_cited_date_disagreeing_with_the_letter_is_a_warning(corpus_dir):
    result = parsed(corpus_dir, "seeds", "004_")
    assert result.warnings == [
        Notice(
            "cited_date_differs",
            {
                "letters": 3,
                "letter": 3,
                "letter_kind": "answer",
                "letter_date": "2025-01-07",
                "cited_date": "2024-11-28",
                "actual_date": "2024-10-23",
            },
        )
    ]
    # the kenmerk is not copied onto a letter whose date the answer does not confirm
    assert result.letters[1].reference is None


# --- Tweede Kamer Kamervragen -----------------------------------------------------------

KAMERVRAGEN = {
    # prefix: (ingezonden, ontvangen, number, questions, answer covers, refers, parties)
    "00fe7edd": (
        date(2024, 3, 6),
        date(2024, 3, 25),
        "1314",
        6,
        [[0], [1], [2, 3, 4], [5]],
        {},
        ["GroenLinks-PvdA", "PvdD"],
    ),
    "1a2d8959": (
        date(2024, 7, 2),
        date(2024, 7, 23),
        "2210",
        13,
        [[n] for n in range(13)],
        {5: [2, 3]},
        ["VVD"],
    ),
    "1aa9bd01": (
        date(2023, 11, 20),
        date(2024, 2, 20),
        "1076",
        5,
        [[n] for n in range(5)],
        {},
        ["Groep Van Haga"],
    ),
    "1b26915f": (
        date(2024, 3, 29),
        date(2024, 5, 17),
        "1771",
        6,
        [[n] for n in range(6)],
        {},
        ["SP"],
    ),
    "1b38043f": (
        date(2024, 3, 11),
        date(2024, 3, 21),
        "1292",
        10,
        [[n] for n in range(10)],
        {7: [6]},
        ["BBB"],
    ),
    "1bca1484": (
        date(2024, 7, 5),
        date(2024, 8, 22),
        "2313",
        10,
        [[n] for n in range(10)],
        {8: [6]},
        ["GroenLinks-PvdA"],
    ),
    "1cf0c343": (
        date(2024, 6, 18),
        date(2024, 7, 17),
        "2168",
        10,
        [[n] for n in range(10)],
        {4: [1, 3], 5: [1], 9: [1, 5, 7]},
        ["VVD"],
    ),
}


@pytest.mark.parametrize("prefix", sorted(KAMERVRAGEN))
def test_kamervragen_yield_a_questions_letter_and_an_answer_letter(corpus_dir, prefix):
    asked, received, number, count, expected_covers, expected_refers, parties = KAMERVRAGEN[prefix]
    result = parsed(corpus_dir, "kamervragen", prefix)
    assert kinds(result) == ["questions", "answer"]
    questions, answer = result.letters
    assert (questions.date, answer.date, answer.cites_date) == (asked, received, asked)
    assert questions.term_days is None  # the three-week default is not printed
    assert questions.chamber == answer.chamber == "TK"
    assert questions.document_number == answer.document_number == f"ah-tk-20232024-{number}"
    assert questions.aanhangsel_number == number
    assert questions.parties == parties
    assert len(result.questions) == count
    assert {q.letter for q in result.questions} == {0}
    assert {a.letter for a in result.answers} == {1}
    assert all(q.party and q.member for q in result.questions)
    assert covers(result) == expected_covers
    assert refers(result) == expected_refers
    assert "question_unanswered" not in codes(result)


def test_kamervragen_combined_label_splits_into_one_question_per_number(corpus_dir):
    result = parsed(corpus_dir, "kamervragen", "00fe7edd")
    assert [q.label for q in result.questions] == ["1", "2", "3", "4", "5", "6"]
    assert result.questions[3].text.startswith("Deelt u de mening dat regenboogprovincies")
    assert result.questions[4].text.startswith("Kent u de Inventarisatie")
    assert result.answers[2].label == "3, 4 en 5"
    assert result.questions[0].member == "Mutluer, Kostić"


def test_kamervragen_with_a_mededeling_instead_of_answers(corpus_dir):
    result = parsed(corpus_dir, "kamervragen", "01bf9f06")
    assert kinds(result) == ["questions", "mededeling"]
    questions, mededeling = result.letters
    assert (questions.date, mededeling.date, mededeling.cites_date) == (
        date(2024, 5, 30),
        date(2024, 6, 7),
        date(2024, 5, 30),
    )
    assert questions.parties == ["D66", "GroenLinks-PvdA", "SP"]
    assert mededeling.sender.startswith("Minister De Jonge")
    assert questions.document_number == "ah-tk-20232024-1999"
    assert len(result.questions) == 3
    assert result.answers == []


# --- other documents --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Kamerbrief_1pag", "Kamerbrief_circulaire_economie"])
def test_ministry_letter_is_other_with_its_header_metadata(corpus_dir, name):
    result = parsed(corpus_dir, "other", name + ".")
    assert kinds(result) == ["other"]
    letter = result.letters[0]
    assert letter.date == date(2023, 2, 3)
    assert letter.reference == "IENW/BSK-2023/33017"
    assert letter.subject.startswith("Nationaal Programma Circulaire Economie 2023-2030")
    assert letter.sender == "Ministerie van Infrastructuur en Waterstaat"
    assert letter.chamber == "TK"
    assert (letter.term_days, letter.cites_date, letter.dossier, letter.parties) == (None, None, [], [])
    assert result.questions == []
    assert result.answers == []
