"""Issue 13 §2: the parser's units survive what real letters do around them.

Openings that end in a question mark or announce the questions, signature blocks of every
shape, page breaks anywhere in a unit, combined labels whose text asks more than once, and
member lists of any length. The fixtures in `fixtures/parser/variants/` are fictitious; the
expectations were written from their text, not copied from parser output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from letters.parser import ParseResult, parse_file, parse_text
from letters.parser.answers import member_heading
from letters.tests.pdfs import text_pdf
from letters.tests.test_parser_corpus import covers, kinds
from letters.tests.test_parser_variants import VARIANTS, parsed


def texts(units) -> list[str]:
    return [unit.text for unit in units]


def as_pdf(name: str, tmp_path: Path) -> ParseResult:
    path = tmp_path / name.replace(".txt", ".pdf")
    path.write_bytes(text_pdf((VARIANTS / name).read_text(encoding="utf-8")))
    return parse_file(path)


# --- a committee letter's opening ---------------------------------------------------------

BUNDLE_QUESTIONS = [
    "Welke regelingen worden volgens de evaluatie te weinig gebruikt, en wat zijn daarvan de oorzaken?",
    "Is de minister bereid de regelingen met het laagste bereik af te schaffen? Zo nee, waarom niet?",
    "De leden van de fractie van GroenLinks-PvdA hebben nog een vraag. Hoe verhouden de kosten van de "
    "uitvoering zich tot de opbrengst voor de doelgroep van de regelingen, uitgesplitst naar regeling?",
]


def test_an_opening_with_a_rhetorical_question_and_an_announcing_colon_is_no_question():
    result = parsed("ek_bundel_opening_ondertekening.txt")
    assert kinds(result) == ["cover", "questions", "answer"]
    # "Werken de regelingen zoals bedoeld?" is the opening's context; "... hebben de volgende
    # vragen aan de minister:" announces the questions; the closing formula after a page break
    # is not glued to the last question
    assert texts(result.questions) == BUNDLE_QUESTIONS
    assert {q.letter for q in result.questions} == {1}
    assert covers(result) == [[0], [1], [2]]
    assert result.warnings == []


def test_an_opening_glued_to_the_first_question_by_doubled_blank_lines_is_cut_off():
    result = parsed("ek_commissiebrief_dubbele_witregels.txt")
    assert kinds(result) == ["questions"]
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    assert texts(result.questions) == [
        "Hoeveel aanvragen zijn sinds de start van de regeling ingediend, en hoeveel daarvan zijn afgewezen?",
        "Wat zijn de meest voorkomende redenen voor afwijzing? Kunt u daarbij aangeven welke aanvullende "
        "ondersteuning aanvragers krijgen bij het indienen van een nieuwe aanvraag?",
        "Bent u bereid de regeling te vereenvoudigen?",
    ]
    assert result.letters[0].sender == "Voorzitter van de vaste commissie voor Economische Zaken"
    assert result.letters[0].term_days == 28


@pytest.mark.parametrize(
    "opening",
    [
        # the announcement and the first question on one line
        "De leden van de fractie van de SP hebben de volgende vragen: Hoe vaak is de regeling gebruikt?",
        # an opening ending in a question mark, then the announcement in a paragraph of its own
        "De leden hebben kennisgenomen van de brief. Is dit de goede weg?\n\n"
        "Zij hebben naar aanleiding daarvan enkele vragen.\n\nHoe vaak is de regeling gebruikt?",
        # numbered after the announcement
        "De leden van de fractie van de SP hebben een aantal vragen.\n\n1. Hoe vaak is de regeling gebruikt?",
    ],
)
def test_the_announced_first_question_stands_alone(opening):
    text = (
        "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN\n\nAan de minister van Financiën\n\n"
        f"Den Haag, 1 maart 2025\n\n{opening}\n\nWat kost de uitvoering van de regeling?\n\n"
        "De voorzitter van de vaste commissie voor Financiën,\nA. Bakker\n"
    )
    result = parse_text(text, source="opening")
    assert texts(result.questions) == [
        "Hoe vaak is de regeling gebruikt?",
        "Wat kost de uitvoering van de regeling?",
    ]


# --- signature blocks ---------------------------------------------------------------------

LAST_ANSWER = (
    "Ik onderzoek samen met het Openbaar Ministerie en de Raad voor de rechtspraak of dat uitvoerbaar is "
    "en informeer uw Kamer over de uitkomst van dat onderzoek uiterlijk in het najaar van 2025."
)


def test_a_signature_after_a_page_break_is_not_glued_to_the_last_answer():
    result = parsed("ek_antwoordbrief_ondertekening.txt")
    assert kinds(result) == ["answer"]
    assert result.letters[0].sender == "staatssecretaris van Justitie en Veiligheid"
    assert [q.label for q in result.questions] == ["1", "2"]
    assert covers(result) == [[0], [1]]
    assert result.answers[-1].text == LAST_ANSWER
    assert result.warnings == []


def test_namens_deze_after_a_page_break_ends_the_last_answer_of_a_repeating_letter():
    result = parsed("ek_bundel_opening_ondertekening.txt")
    assert result.answers[-1].text == (
        "De uitvoeringskosten bedragen gemiddeld vier procent van de opbrengst voor de doelgroep. Een "
        "uitsplitsing naar regeling is opgenomen in de bijlage bij deze brief, die ook de ontwikkeling van "
        "de kosten over de afgelopen vijf jaar laat zien en de verschillen tussen de regelingen toelicht "
        "in detail."
    )
    assert result.letters[2].sender == "minister van Financiën"


def test_a_pdf_without_blank_lines_keeps_each_answer_apart_from_the_next_repeated_question(tmp_path):
    # the PDF keeps no blank line, so "Antwoord" + "Nee. ... brengen." runs into the question repeated
    # after it; the answer keeps its statements and the question still pairs
    result = as_pdf("ek_bundel_opening_ondertekening.txt", tmp_path)
    assert kinds(result) == ["cover", "questions", "answer"]
    assert texts(result.answers) == texts(parsed("ek_bundel_opening_ondertekening.txt").answers)
    assert result.answers[1].text == (
        "Nee. Wat is het alternatief? Ik kies ervoor de regelingen eerst beter onder de aandacht te brengen."
    )
    assert len(result.questions) == 3
    assert covers(result) == [[0], [1], [2]]
    assert result.warnings == []


SIGNATURES = [
    "De staatssecretaris van Justitie en Veiligheid,\nM.L. Verbeek",
    "Hoogachtend,\nM.L. Verbeek\nstaatssecretaris van Justitie en Veiligheid",
    "De Minister van Justitie en Veiligheid,\nnamens deze,\nDe staatssecretaris van Justitie en Veiligheid,\n"
    "M.L. Verbeek",
    "Met vriendelijke groet,\nDe Minister voor Rechtsbescherming,\nF.M. de Wit",
    "De Minister van Volksgezondheid,\nWelzijn en Sport,\nA.B. Jansen",
    "De Minister-President,\nMinister van Algemene Zaken,\nC.D. Smit",
]


@pytest.mark.parametrize("page_break", ["\n", "\n\f "], ids=["same-page", "next-page"])
@pytest.mark.parametrize("signature", SIGNATURES)
def test_no_signature_shape_is_a_question_or_part_of_the_last_answer(signature, page_break):
    text = (VARIANTS / "ek_antwoordbrief_ondertekening.txt").read_text(encoding="utf-8")
    body = text[: text.index("De staatssecretaris van Justitie en Veiligheid,\nM.L. Verbeek")]
    result = parse_text(body.rstrip("\n").replace("\f ", "") + page_break + signature + "\n", source="sig")
    assert [q.label for q in result.questions] == ["1", "2"]
    assert covers(result) == [[0], [1]]
    assert result.answers[-1].text == LAST_ANSWER


@pytest.mark.parametrize(
    "signature",
    [
        "De griffier van de vaste commissie voor Financiën,\nHendriks",
        "De voorzitter van de vaste commissie voor Financiën,\nA.M. Bakker",
        "Hoogachtend,\nA.M. Bakker\nVoorzitter van de vaste commissie voor Financiën",
    ],
)
@pytest.mark.parametrize("page_break", ["\n", "\n\f "], ids=["same-page", "next-page"])
def test_a_committee_signature_right_after_the_last_question_is_no_part_of_it(signature, page_break):
    last = (
        "Hoe verhouden de kosten van de uitvoering zich tot de opbrengst voor de doelgroep van de regelingen "
        "die in de evaluatie zijn onderzocht, uitgesplitst naar regeling en naar jaar van invoering?"
    )
    text = (
        "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN\n\nAan de minister van Financiën\n\n"
        "Den Haag, 1 maart 2025\n\nDe leden van de fractie van de SP hebben de volgende vragen.\n\n"
        f"Hoe vaak is de regeling gebruikt?\n{last}{page_break}{signature}\n"
    )
    result = parse_text(text, source="committee")
    assert texts(result.questions) == ["Hoe vaak is de regeling gebruikt?", last]


# --- page breaks ----------------------------------------------------------------------------

PAGE_BREAK_QUESTIONS = [
    ("1", 1, "Hoe lang is de gemiddelde wachttijd voor een sociale huurwoning in de vier grote steden?"),
    (
        "2",
        2,
        "Hoeveel woningzoekenden staan op dit moment ingeschreven? Kunt u daarbij onderscheid maken naar "
        "leeftijd en huishoudtype, en aangeven hoeveel van hen actief zoekend zijn?",
    ),
    ("3", 3, "Welke maatregelen neemt u om de wachttijden te verkorten?"),  # the label ends page 3
    (
        "4",
        6,
        "Kent u het fictieve rapport «Wachten op een thuis» van de Woonbond? Het rapport verscheen op "
        "1 november 2025 en beschrijft de situatie in twintig gemeenten.",
    ),
    ("5", 7, "Bent u bereid de wachttijden jaarlijks te publiceren?"),
]
PAGE_BREAK_ANSWERS = [
    (
        "1",
        1,
        "De gemiddelde wachttijd bedraagt in Amsterdam elf jaar, in Rotterdam zes jaar, in Den Haag acht"
        " jaar en in Utrecht negen jaar. Deze cijfers komen uit de fictieve Woonmonitor 2025 en zijn "
        "gebaseerd op de inschrijfduur van woningzoekenden die in 2024 een woning hebben gevonden. De "
        "cijfers lopen sterk uiteen per wijk. In sommige wijken is de wachttijd korter dan vijf jaar. "
        "Daarnaast verschilt de wachttijd per type woning.",
    ),
    (
        "2",
        3,
        "In totaal staan ruim 900.000 woningzoekenden ingeschreven. Een uitsplitsing naar leeftijd en "
        "huishoudtype is opgenomen in de bijlage bij deze antwoorden.",
    ),
    (
        "3",
        4,
        "Ik neem drie maatregelen. Ten eerste versnel ik de bouw van sociale huurwoningen. Ten tweede "
        "stimuleer ik doorstroming van ouderen naar geschikte woningen. Ten derde maak ik met de corporaties "
        "afspraken over voorrang voor urgente woningzoekenden.",
    ),
    ("4", 7, "Ja."),
    (
        "5",
        7,
        "Ja. Ik publiceer de wachttijden voortaan jaarlijks in de Woonmonitor. Die verschijnt steeds in het "
        "voorjaar, voor het eerst in april 2026. Gemeenten leveren daarvoor hun gegevens aan.",
    ),
]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("as_file", ["txt", "pdf"])
def test_page_breaks_inside_answers_questions_and_after_labels_start_no_unit(as_file, tmp_path):
    name = "tk_paginagrenzen.txt"
    result = parsed(name) if as_file == "txt" else as_pdf(name, tmp_path)
    assert kinds(result) == ["questions", "answer"]
    assert [(q.label, q.page, flat(q.text)) for q in result.questions] == PAGE_BREAK_QUESTIONS
    assert [(a.label, a.page, flat(a.text)) for a in result.answers] == PAGE_BREAK_ANSWERS
    assert covers(result) == [[0], [1], [2], [3], [4]]
    assert result.warnings == []


# --- combined labels --------------------------------------------------------------------------


def test_combined_labels_cover_every_number_and_make_no_question_of_a_last_sentence():
    result = parsed("tk_gecombineerde_labels.txt")
    assert kinds(result) == ["questions", "answer"]
    assert [q.label for q in result.questions] == [str(n) for n in range(1, 12)]
    assert texts(result.questions)[1:3] == [
        "Sinds wanneer is bekend dat de brug versneld moet worden gerenoveerd?",
        "Wie heeft de gemeente daarover geïnformeerd?",
    ]
    # "Zo nee, waarom niet?" continues question 8; it is no question 9
    assert texts(result.questions)[6:8] == [
        "Welke compensatie krijgen ondernemers in het havengebied?",
        "Kunt u daarbij ingaan op de positie van kleine transportbedrijven? Zo nee, waarom niet?",
    ]
    assert [a.label for a in result.answers] == ["1", "2 en 3", "4, 5 en 6", "7 en 8", "9 t/m 11"]
    assert covers(result) == [[0], [1, 2], [3, 4, 5], [6, 7], [8, 9, 10]]
    # question marks inside answers ("Waarom duurde het ...?", "Wie komt daarvoor in aanmerking?")
    assert result.answers[1].text.endswith(
        "Omdat eerst een omleidingsroute voor het vrachtverkeer moest worden gevonden."
    )
    assert result.answers[3].text.endswith("Dat wordt in december bekendgemaakt.")
    assert result.answers[4].text.endswith("zou vooral administratieve lasten opleveren.")
    assert result.warnings == []


@pytest.mark.parametrize(
    ("question", "label", "expected"),
    [
        ("Vraag 2 en 3", "Antwoord op vraag 2 en 3", ["Wat kost het?", "Is dat gedekt? Zo ja, waaruit?"]),
        ("Vraag 2, 3", "Antwoord 2, 3", ["Wat kost het?", "Is dat gedekt? Zo ja, waaruit?"]),
        ("Vragen 2 t/m 3", "Antwoord 2 t/m 3", ["Wat kost het?", "Is dat gedekt? Zo ja, waaruit?"]),
    ],
)
def test_a_follow_up_sentence_stays_with_its_question_in_a_combined_item(question, label, expected):
    text = (
        "Vragen van het lid Jansen (SP) aan de Minister van Financiën (ingezonden 2 september 2024).\n"
        "Antwoord van Minister Bakker (Financiën) (ontvangen 20 september 2024).\n"
        "Vraag 1\nKent u het plan?\nAntwoord 1\nJa.\n"
        f"{question}\nWat kost het? Is dat gedekt? Zo ja, waaruit?\n"
        f"{label}\nHet kost een miljoen. Is dat veel? Nee, het is gedekt uit de begroting.\n"
    )
    result = parse_text(text, source="combined")
    assert texts(result.questions)[1:] == expected
    assert covers(result) == [[0], [1, 2]]
    assert result.answers[1].text == "Het kost een miljoen. Is dat veel? Nee, het is gedekt uit de begroting."


# --- member lists -----------------------------------------------------------------------------

MEMBER_LISTS = [
    ("het lid Van der Plas (BBB)", ["Van der Plas"], ["BBB"]),
    (
        "de leden Van Weyenberg, Romke de Jong en Kat (allen D66)",
        ["Van Weyenberg", "Romke de Jong", "Kat"],
        ["D66"],
    ),
    (
        "de leden Paternotte (D66), Bikker (ChristenUnie) en Kathmann-van Veen (GroenLinks-PvdA)",
        ["Paternotte", "Bikker", "Kathmann-van Veen"],
        ["D66", "ChristenUnie", "GroenLinks-PvdA"],
    ),
    (
        "de leden Dekker-Smit en Hoogland (beiden NSC), El Abassi (DENK) en Van den Berg (CDA)",
        ["Dekker-Smit", "Hoogland", "El Abassi", "Van den Berg"],
        ["NSC", "DENK", "CDA"],
    ),
    (
        "de leden Jansen, De Vries, Bakker, Visser, Smit, Meijer, De Boer en Mulder (allen VVD)",
        ["Jansen", "De Vries", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder"],
        ["VVD"],
    ),
    (
        # a list wrapped over lines, a double surname broken at its hyphen
        "de leden Kathmann-\nvan Veen (GroenLinks-PvdA), Janssen-\nvan der Berg (CDA), Ter Laak (D66),\n"
        "Van der Werf (D66), Öztürk (DENK) en Zwart (SP)",
        ["Kathmann-van Veen", "Janssen-van der Berg", "Ter Laak", "Van der Werf", "Öztürk", "Zwart"],
        ["GroenLinks-PvdA", "CDA", "D66", "DENK", "SP"],
    ),
]


@pytest.mark.parametrize(("listing", "names", "parties"), MEMBER_LISTS)
def test_every_member_of_a_kamervragen_header_is_kept_with_their_party(listing, names, parties):
    text = (
        f"Vragen van {listing} aan de Minister van Financiën en de Staatssecretaris van\n"
        "Financiën over de fictieve fietsbelasting (ingezonden 2 september 2024).\n"
        "Antwoord van Minister Bakker (Financiën) (ontvangen 20 september 2024).\n"
        "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\n"
    )
    result = parse_text(text, source="members")
    questions = result.letters[0]
    assert questions.recipient == "Minister van Financiën en de Staatssecretaris van Financiën"
    assert questions.parties == parties
    assert result.questions[0].member == ", ".join(names)
    assert result.questions[0].party == ", ".join(parties)


def test_three_members_of_one_party_in_the_fixture_all_ask():
    result = parsed("tk_gecombineerde_labels.txt")
    assert result.letters[0].date == date(2025, 10, 6)
    assert {(q.member, q.party) for q in result.questions} == {("Van Weyenberg, Romke de Jong, Kat", "D66")}


def test_a_double_surname_broken_over_lines_keeps_its_hyphen():
    result = parsed("tk_paginagrenzen.txt")
    assert result.letters[0].sender == "Kathmann-van Veen (GroenLinks-PvdA)"
    assert {q.member for q in result.questions} == {"Kathmann-van Veen"}


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Vragen van de leden Bos, A. (CDA) en Kok, B. (VVD)", ("Bos, A.; Kok, B.", "CDA, VVD")),
        (
            "Vragen van de leden Bos, A., Kok, B.C. en Smit, Th. (allen CDA)",
            ("Bos, A.; Kok, B.C.; Smit, Th.", "CDA"),
        ),
        ("Vragen van de leden Van Dijk en De Jong (beiden SP)", ("Van Dijk, De Jong", "SP")),
    ],
)
def test_a_bijvoegsel_member_heading_keeps_every_member(heading, expected):
    assert member_heading(heading) == expected


def test_a_bijvoegsel_member_heading_wrapped_over_lines_keeps_every_member():
    text = (VARIANTS / "bijvoegsel_klimaat.txt").read_text(encoding="utf-8")
    wrapped = text.replace(
        "Vragen van de leden Bos, A. (CDA) en Kok, B. (VVD)",
        "Vragen van de leden Bos, A. (CDA), Kok, B. (VVD), Van der Plas, C. (BBB), Kathmann-\n"
        "van Veen, D. (GroenLinks-PvdA), Smit, E. en Jansen, F. (beiden SP), De Vries, G. (D66)\n"
        "en El Idrissi, H. (D66)",
    )
    result = parse_text(wrapped, source="bijvoegsel")
    assert [q.label for q in result.questions] == ["(1)", "(2)", "(4)", "(3)", "(5)"]
    assert (result.questions[-1].member, result.questions[-1].party) == (
        "Bos, A.; Kok, B.; Van der Plas, C.; Kathmann-van Veen, D.; Smit, E.; Jansen, F.; De Vries, G.; "
        "El Idrissi, H.",
        "CDA, VVD, BBB, GroenLinks-PvdA, SP, D66",
    )
    assert result.questions[-1].text == "Komt er een evaluatie van de warmtefondsregeling?"
    assert covers(result) == [[0], [1], [2], [3], [4]]


def test_a_fraction_asking_before_another_fractions_announcement_keeps_its_question():
    text = (
        "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN\n\nAan de minister van Financiën\n\n"
        "Den Haag, 1 maart 2025\n\n"
        "De leden van de fractie van de SP vragen waarom de regeling zo weinig wordt gebruikt?\n\n"
        "De leden van de fractie van de VVD hebben de volgende vragen:\n\n"
        "Wat kost de uitvoering van de regeling?\n"
    )
    result = parse_text(text, source="fractions")
    assert texts(result.questions) == [
        "De leden van de fractie van de SP vragen waarom de regeling zo weinig wordt gebruikt?",
        "Wat kost de uitvoering van de regeling?",
    ]
