"""The parser on written rounds on bills (`formats.bill_round`), in fixtures written for these tests.

`fixtures/parser/bill_rounds/` holds one fictitious dossier of each chamber: Tweede Kamer 36 450
(verslag nr. 5, nota nr. 6, nader verslag nr. 7, nota naar aanleiding van het nader verslag nr. 8)
and Eerste Kamer 36 123 (voorlopig verslag B, memorie van antwoord C, nader voorlopig verslag D,
nadere memorie van antwoord E without numbers or "Antwoord", eindverslag F), and a budget's list
of questions and answers (36 600 VIII nr. 14). The expectations
were written from the fixture text. A PDF built here checks the same on positioned text: item
numbers on lines of their own, an answer running over a page past a footnote and running footer.
PDFs typeset here (`pdfs.typeset_pdf`) set a memorie van antwoord's questions, or its answers,
apart by italics, a block indent or both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from letters.parser import ParseResult, extract, metadata, parse_file, parse_text
from letters.parser.extract import extract_document, text_pages
from letters.parser.formats import bill_round
from letters.parser.text import build_document
from letters.tests.test_parser_corpus import covers, kinds, refers

from .pdfs import build_pdf, styled_pdf, text_op, typeset_pdf, wrap

ROUNDS = Path(__file__).resolve().parents[2] / "fixtures" / "parser" / "bill_rounds"


def parsed(name: str) -> ParseResult:
    return parse_file(ROUNDS / name)


def parties(result: ParseResult) -> list[str]:
    return [q.party for q in result.questions]


# --- Tweede Kamer ----------------------------------------------------------------------------


def test_tk_verslag_header_gives_kamerstuk_date_chamber_and_bill_title():
    result = parsed("tk_verslag.txt")
    assert kinds(result) == ["verslag"]
    [letter] = result.letters
    assert letter.dossier == ["36450, nr. 5"]
    assert letter.date == date(2024, 3, 1)  # "Vastgesteld 1 maart 2024"
    assert letter.chamber == "TK"
    assert letter.bill_round == 1
    assert letter.subject == (
        "Wijziging van de Wet op de jeugdzorg in verband met het versterken van de regionale "
        "samenwerking (Wet regionale jeugdzorg)"
    )
    assert letter.committee == "vaste commissie voor Volksgezondheid, Welzijn en Sport"
    assert (letter.first_page, letter.last_page) == (1, 2)
    assert result.warnings == []


def test_tk_verslag_asking_fraction_paragraphs_are_questions_of_their_fraction():
    result = parsed("tk_verslag.txt")
    # "hebben kennisgenomen ... Zij hebben nog enkele vragen" and the table of contents ask nothing
    assert parties(result) == ["VVD", "VVD", "GroenLinks-PvdA", "CDA", "CDA", "SP, PvdD", "VVD"]
    assert result.letters[0].parties == ["VVD", "GroenLinks-PvdA", "CDA", "SP", "PvdD"]
    # "Deze leden vragen ..." continues the fraction before it, asking without a question mark
    assert result.questions[1].text.startswith("Deze leden vragen verder of de regering")
    # the question on page 2 continues past the footnote and the running footer of page 1
    assert result.questions[4].page == 2
    assert "Tweede Kamer, vergaderjaar" not in result.letters[0].text
    assert "Inhoudsopgave" not in result.letters[0].text
    assert all(q.label is None for q in result.questions)


def test_tk_nota_numbered_items_with_antwoord_markers():
    result = parsed("tk_nota.txt")
    assert kinds(result) == ["nota"]
    [letter] = result.letters
    assert (letter.dossier, letter.date, letter.chamber, letter.bill_round) == (
        ["36450, nr. 6"],
        date(2024, 3, 27),  # "Ontvangen 27 maart 2024"
        "TK",
        1,
    )
    assert letter.sender == "Minister van Volksgezondheid, Welzijn en Sport"
    # items 1, 2, 3, [number missing in print], "Vraag 5", 6, 7
    assert [q.label for q in result.questions] == ["1", "2", "3", None, "5", "6", "7"]
    assert [a.label for a in result.answers] == ["1", "2", "3", None, "5", "6", "7"]
    assert covers(result) == [[0], [1], [2], [3], [4], [5], [6]]
    assert parties(result) == ["VVD", "VVD", "GroenLinks-PvdA", "CDA", "CDA", "SP, PvdD", "VVD"]
    assert result.warnings == []


def test_tk_nota_context_headings_and_answers_over_pages():
    result = parsed("tk_nota.txt")
    texts = [q.text for q in result.questions]
    # unnumbered fraction paragraphs are context, not questions
    assert not any("hebben kennisgenomen" in t or "met belangstelling" in t for t in texts)
    # section headings between items belong to neither
    assert not any("Noodzaak voor dit wetsvoorstel" in a.text for a in result.answers)
    assert not any("Artikelsgewijs" in a.text or a.text == "Artikel 2.1a" for a in result.answers)
    # the answer to item 2 runs over to page 2, past the footnote, footer, kst-id and ISSN
    assert result.answers[1].text.endswith(
        "gezamenlijk doen. De regering compenseert de gemeenten via het gemeentefonds voor deze kosten."
    )
    assert "Kamerstukken II" not in result.answers[1].text
    assert "kst-" not in result.answers[1].text
    # the item whose number is missing still gets its answer
    assert result.questions[3].text.startswith("De leden van de CDA-fractie lezen in de memorie")
    assert result.answers[3].text.startswith("Door de regionale inkoop")
    # the answer ends before the signature
    assert result.answers[-1].text.endswith("verwijst de regering naar het antwoord op vraag 4.")


def test_tk_nota_answers_pointing_elsewhere_are_linked_where_they_name_an_item():
    result = parsed("tk_nota.txt")
    # "zoals hierboven aangegeven bij paragraaf 1" (answer 5) points to the items of section
    # "1. Inleiding"; "Zie het antwoord op vraag 1" (answer 6); "het antwoord op vraag 4" (answer 7)
    # is the item between 3 and 5 whose number is missing
    assert refers(result) == {4: [0, 1, 2], 5: [0], 6: [3]}
    assert result.questions[3].label is None and result.answers[3].label is None


def test_tk_nota_nader_verslag_combined_item_splits_into_its_questions():
    result = parsed("tk_nota_nader.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.dossier) == ("nota", 2, ["36450, nr. 8"])
    assert [q.label for q in result.questions] == ["1", "2", "3", "4"]
    assert [a.label for a in result.answers] == ["1, 2 en 3", "4"]
    assert covers(result) == [[0, 1, 2], [3]]
    assert refers(result) == {1: [1]}  # "Zie ook het antwoord op vraag 2"
    assert parties(result) == ["VVD", "VVD", "VVD", "D66"]


def test_tk_nader_verslag_kind_on_a_line_of_its_own():
    result = parsed("tk_nader_verslag.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.dossier, letter.date) == (
        "verslag",
        2,
        ["36450, nr. 7"],
        date(2024, 4, 18),
    )
    assert len(result.questions) == 4
    assert parties(result) == ["VVD", "VVD", "VVD", "D66"]


def test_tk_list_of_questions_and_answers_pairs_every_numbered_question_with_its_answer():
    result = parsed("tk_lijst_van_vragen.txt")
    assert kinds(result) == ["answer"]
    [letter] = result.letters
    # signed by the committee, answered by the minister it put its questions to
    assert letter.sender == "Minister van Onderwijs, Cultuur en Wetenschap"
    assert letter.bill_round is None
    # the budget's chapter printed after its number: "36 600 VIII Vaststelling ..."
    assert (letter.dossier, letter.date, letter.chamber) == (["36600-VIII, nr. 14"], date(2024, 10, 31), "TK")
    assert letter.subject.startswith("Vaststelling van de begrotingsstaten")
    assert letter.committee == "vaste commissie voor Onderwijs, Cultuur en Wetenschap"
    # the opening and the committee's signatures are no question
    assert [q.label for q in result.questions] == ["1", "2", "3", "4", "5", "6"]
    assert result.questions[0].text.startswith("Hoeveel voltijdbanen")
    # "De vragen 3 en 4 worden samen beantwoord" under question 4 answers 3 too
    assert covers(result) == [[0], [1], [2, 3], [4], [5]]
    assert refers(result) == {3: [1]}
    assert result.warnings == []


def test_tk_list_with_a_paragraph_per_line_and_no_answer_heading_pairs_each_item():
    # an older list, copied from the web: each paragraph on one line, the answer after the question
    result = parsed("tk_lijst_per_regel.txt")
    [letter] = result.letters
    assert (letter.kind, letter.sender) == ("answer", "Minister van Financiën")
    assert letter.dossier == ["36512, nr. 4"]
    assert letter.committee == "commissie voor de Rijksuitgaven"
    assert [q.label for q in result.questions] == ["1", "2", "3", "4"]
    assert result.questions[0].text.endswith("suppletoire begrotingen bekeken?")
    # the context before an item's question is part of it
    assert result.questions[2].text.startswith("De evaluatie noemt")
    assert covers(result) == [[0], [1], [2], [3]]
    assert result.answers[0].text.endswith("in een eerder onderzoek al zijn bekeken.")
    assert refers(result) == {2: [1]}
    assert result.warnings == []


def test_tk_written_consultation_pairs_the_reply_with_the_questions_it_repeats():
    result = parsed("tk_schriftelijk_overleg.txt")
    assert kinds(result) == ["answer"]
    [letter] = result.letters
    assert (letter.dossier, letter.date, letter.chamber, letter.bill_round) == (
        ["29689, nr. 1301"],
        date(2025, 3, 14),  # "Vastgesteld 14 maart 2025"
        "TK",
        None,
    )
    assert letter.sender == "Minister van Volksgezondheid, Welzijn en Sport"
    assert letter.parties == ["VVD", "SP", "GroenLinks-PvdA", "D66"]
    # the questions once, as the reply repeats them; the first part's taking note is no question
    assert parties(result) == ["VVD", "VVD", "SP", "GroenLinks-PvdA, D66"]
    assert (
        result.questions[1].text
        == "Deze leden vragen daarnaast wanneer de Kamer de evaluatie van de regioplannen ontvangt."
    )
    assert covers(result) == [[0], [1], [2], [3]]
    assert result.answers[2].text.startswith("De gemiddelde wachttijd in de ggz was in 2024 veertien weken.")
    # a fraction's heading closes the answer before it
    assert not any("Vragen en opmerkingen" in answer.text for answer in result.answers)
    assert "Tweede Kamer, vergaderjaar" not in result.answers[-1].text
    assert result.warnings == []


def test_a_written_consultation_printed_as_the_letters_exchanged_is_correspondence():
    text = HEADER.format(
        part="AB VERSLAG VAN EEN NADER SCHRIFTELIJK OVERLEG",
        date="Vastgesteld 14 mei 2024",
        body=(
            "De vaste commissie voor Justitie en Veiligheid heeft kennisgenomen van de brief.\n\n"
            "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR JUSTITIE EN VEILIGHEID\n\n"
            "Aan de Minister van Justitie en Veiligheid\n\nDen Haag, 10 april 2024\n\n"
            "De leden van de fractie van de VVD vragen of de regering de kosten kan toelichten?\n"
        ),
    )
    assert not bill_round.detect(build_document(text_pages(text)))


@pytest.mark.parametrize(
    ("opening", "covered"),
    [
        ("De vragen 1 en 2 worden gezamenlijk beantwoord.", [[0, 1]]),
        ("Vraag 1 en 2 beantwoord ik in samenhang.", [[0, 1]]),
        # naming other questions without answering them together is no cover
        ("Vraag 1 is in de vorige nota beantwoord.", [[1]]),
        # a joint answer about other questions than the one it stands under says nothing of this one
        ("De vragen 5 en 6 worden samen beantwoord.", [[1]]),
    ],
)
def test_an_answer_that_opens_by_answering_questions_together_covers_them(opening, covered):
    body = (
        "1\nDe leden van de VVD-fractie vragen of de regering de kosten kan toelichten.\n\n"
        "2\nDe leden van de CDA-fractie vragen wie de kosten draagt.\n\n"
        f"Antwoord\n{opening} Het Rijk draagt de kosten van € 12 miljoen.\n"
    )
    text = HEADER.format(
        part="Nr. 9 NOTA NAAR AANLEIDING VAN HET VERSLAG", date="Ontvangen 2 mei 2024", body=body
    )
    assert covers(parse_text(text, source="nota.txt")) == covered


# --- Eerste Kamer ----------------------------------------------------------------------------


def test_ek_voorlopig_verslag_committee_from_the_kind_line_and_lettered_part():
    result = parsed("ek_voorlopig_verslag.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.chamber) == ("verslag", 1, "EK")
    assert letter.dossier == ["36123, B"]
    assert letter.date == date(2025, 2, 4)
    assert letter.committee == "vaste commissie voor Justitie en Veiligheid"
    assert parties(result) == ["BBB", "GroenLinks-PvdA", "SGP"]
    # the closing "zien de memorie van antwoord met belangstelling tegemoet" asks nothing
    assert len(result.questions) == 3


def test_ek_memorie_van_antwoord_with_numbers_and_markers():
    result = parsed("ek_memorie_van_antwoord.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.chamber, letter.dossier) == ("nota", 1, "EK", ["36123, C"])
    assert letter.date == date(2025, 3, 11)
    assert letter.sender == "Staatssecretaris van Justitie en Veiligheid"
    assert covers(result) == [[0], [1], [2]]
    assert refers(result) == {1: [0]}  # "zoals ook in het antwoord op vraag 1 is aangegeven"
    assert parties(result) == ["BBB", "GroenLinks-PvdA", "SGP"]


def test_ek_nadere_memorie_without_numbers_or_markers_is_read_by_its_paragraphs():
    result = parsed("ek_nadere_memorie_van_antwoord.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.dossier) == ("nota", 2, ["36123, E"])
    assert parties(result) == ["BBB", "SGP"]
    assert covers(result) == [[0], [1]]
    assert result.answers[0].text.endswith("De Raad voor de rechtspraak zal daarover jaarlijks rapporteren.")
    assert (
        result.answers[1].text
        == "Ja, de rapporten worden op de website van de Raad voor de rechtspraak gepubliceerd."
    )
    # the government's introduction is no question
    assert not any("dankt" in q.text for q in result.questions)


def test_tk_nota_without_numbers_pairs_each_asking_fraction_paragraph_with_the_reply_after_it():
    result = parsed("tk_nota_zonder_nummers.txt")
    [letter] = result.letters
    assert (letter.kind, letter.bill_round, letter.dossier) == ("nota", 1, ["36410, nr. 6"])
    assert letter.committee == "vaste commissie voor Sociale Zaken en Werkgelegenheid"
    # "hebben kennisgenomen ... Zij hebben nog enkele vragen" asks nothing: context, as is the
    # government's thanks for it; the table of contents and the section headings are no text
    assert [q.text.split()[:5] for q in result.questions] == [
        ["De", "leden", "van", "de", "VVD-fractie"],
        ["De", "leden", "van", "de", "SP-fractie"],
        ["Deze", "leden", "vragen", "voorts", "wanneer"],
        ["De", "leden", "van", "de", "D66-fractie"],
    ]
    assert parties(result) == ["VVD", "SP", "SP", "D66"]
    assert covers(result) == [[0], [1], [2], [3]]
    assert result.answers[1].text.endswith("gaan er licht op achteruit.")
    assert result.warnings == []


def test_ek_nader_voorlopig_verslag_and_eindverslag():
    nader = parsed("ek_nader_voorlopig_verslag.txt")
    assert (nader.letters[0].kind, nader.letters[0].bill_round, nader.letters[0].dossier) == (
        "verslag",
        2,
        ["36123, D"],
    )
    assert len(nader.questions) == 2
    final = parsed("ek_eindverslag.txt")
    assert kinds(final) == ["eindverslag"]
    assert (final.letters[0].bill_round, final.letters[0].dossier, final.letters[0].date) == (
        None,
        ["36123, F"],
        date(2025, 3, 25),
    )
    assert final.questions == [] and final.warnings == []


# --- the header ------------------------------------------------------------------------------


HEADER = """Vergaderjaar 2023–2024

36 450 Wet regionale jeugdzorg

{part}
{date}

{body}
"""


@pytest.mark.parametrize(
    ("part", "kind", "number", "chamber"),
    [
        ("Nr. 9 VERSLAG", "verslag", 1, "TK"),
        ("Nr. 9 NOTA NAAR AANLEIDING VAN HET TWEEDE NADER VERSLAG", "nota", 3, "TK"),
        ("G NADER VOORLOPIG VERSLAG", "verslag", 2, "EK"),
        ("H NADERE MEMORIE VAN ANTWOORD", "nota", 2, "EK"),
        ("Nr. 9 MEMORIE VAN ANTWOORD", "nota", 1, "EK"),
        # questions printed with their answers: no round, an answer letter answering its own questions
        ("Nr. 9 LIJST VAN VRAGEN EN ANTWOORDEN", "answer", None, "TK"),
        ("Nr. 9 VERSLAG HOUDENDE EEN LIJST VAN VRAGEN EN ANTWOORDEN", "answer", None, "TK"),
    ],
)
def test_kind_round_and_chamber_from_the_header_alone(part, kind, number, chamber):
    text = HEADER.format(part=part, date="Vastgesteld 2 mei 2024", body="De leden vragen iets.")
    [letter] = parse_text(text, source="x.txt").letters
    assert (letter.kind, letter.bill_round, letter.chamber) == (kind, number, chamber)


def test_chamber_from_the_running_footer_beats_the_kind():
    text = HEADER.format(
        part="Nr. 9 MEMORIE VAN ANTWOORD",
        date="Ontvangen 2 mei 2024",
        body="Tekst.\n\nTweede Kamer, vergaderjaar 2023–2024, 36 450, nr. 9 1",
    )
    assert parse_text(text, source="x.txt").letters[0].chamber == "TK"


@pytest.mark.parametrize(
    "line",
    [
        "Nr. 9 VERSLAG VAN EEN SCHRIFTELIJK OVERLEG",
        "Nr. 9 VERSLAG VAN EEN WETGEVINGSOVERLEG",
        "Nr. 9 BRIEF VAN DE MINISTER VAN FINANCIËN",
    ],
)
def test_other_kamerstukken_are_no_bill_round(line):
    text = HEADER.format(part=line, date="Vastgesteld 2 mei 2024", body="Tekst.")
    document = build_document(text_pages(text))
    assert not bill_round.detect(document)


def test_undated_round_is_reported():
    text = HEADER.format(part="Nr. 9 VERSLAG", date="", body="De leden van de VVD-fractie vragen of dat kan.")
    result = parse_text(text, source="x.txt")
    assert result.letters[0].date is None
    assert [w.code for w in result.warnings] == ["letter_undated"]


# --- a PDF -----------------------------------------------------------------------------------


def _page(lines: list[tuple[int, str]], footer: list[bytes]) -> bytes:
    """Body lines (indent, text) from the top at 13 pt, 10 pt Helvetica, then the page's extras."""
    ops = [text_op(72 + indent, 780 - 13 * row, 10, text) for row, (indent, text) in enumerate(lines)]
    return b"".join(ops + footer)


NOTA_PAGE_1 = [
    "Tweede Kamer der Staten-Generaal",
    "Vergaderjaar 2023–2024",
    "36 450 Wijziging van de Wet op de jeugdzorg (Wet regionale jeugdzorg)",
    "Nr. 6 NOTA NAAR AANLEIDING VAN HET VERSLAG",
    "Ontvangen 27 maart 2024",
    "1. Inleiding",
    "De leden van de VVD-fractie hebben kennisgenomen van het wetsvoorstel en hebben nog",
    "enkele vragen.",
    "24",
    "De leden van de VVD-fractie vragen hoe de regering voorkomt dat kleine gemeenten in",
    "een regio worden overstemd door de grote gemeenten.",
    "Antwoord",
    "Iedere gemeente heeft een stem in het regionale overleg. Een besluit vergt de instemming",
    "van een meerderheid van de gemeenten, niet van een meerderheid van de inwoners van de",
]
NOTA_PAGE_2 = [
    "regio. Dat is in het wetsvoorstel vastgelegd in artikel 2.1a.",
    "2. Noodzaak voor dit wetsvoorstel",
    "25, 26 en 27",
    "De leden van de CDA-fractie vragen hoe lang de wachtlijsten nu zijn.",
    "Deze leden vragen of de regering de wachtlijsten per regio kan weergeven.",
    "Deze leden vragen ten slotte wanneer de wachtlijsten zijn weggewerkt.",
    "Antwoord",
    "De wachtlijsten verschillen per regio; zie het antwoord op vraag 24 over de regio's.",
    "De Minister van Volksgezondheid, Welzijn en Sport,",
    "C. de Jong",
]


def test_pdf_nota_item_numbers_on_own_lines_and_answer_over_a_page(tmp_path):
    footer_1 = [
        # a footnote in small type, then the running footer in the bottom band
        b"BT /F1 5 Tf 72 130 Td 3 Ts (1) Tj 0 Ts "
        b"/F1 7 Tf 4 0 Td (Kamerstukken II 2023/24, 36 450, nr. 3.) Tj ET\n",
        text_op(72, 60, 8, "kst-36450-6"),
        text_op(200, 60, 8, "Tweede Kamer, vergaderjaar 2023–2024, 36 450, nr. 6"),
        text_op(520, 60, 8, "1"),
    ]
    footer_2 = [
        text_op(200, 60, 8, "Tweede Kamer, vergaderjaar 2023–2024, 36 450, nr. 6"),
        text_op(520, 60, 8, "2"),
    ]
    pdf = build_pdf(
        [_page([(0, t) for t in NOTA_PAGE_1], footer_1), _page([(0, t) for t in NOTA_PAGE_2], footer_2)]
    )
    path = tmp_path / "nota.pdf"
    path.write_bytes(pdf)
    result = parse_file(path)
    [letter] = result.letters
    assert (letter.kind, letter.dossier, letter.date, letter.chamber) == (
        "nota",
        ["36450, nr. 6"],
        date(2024, 3, 27),
        "TK",
    )
    assert [q.label for q in result.questions] == ["24", "25", "26", "27"]
    assert [a.label for a in result.answers] == ["24", "25, 26 en 27"]
    assert covers(result) == [[0], [1, 2, 3]]
    assert result.answers[0].text.endswith(
        "van de inwoners van de regio. Dat is in het wetsvoorstel vastgelegd in artikel 2.1a."
    )
    assert result.answers[0].page == 1
    assert refers(result) == {1: [0]}
    assert parties(result) == ["VVD", "CDA", "CDA", "CDA"]
    assert result.warnings == []


@pytest.mark.parametrize(
    ("pointer", "refers_to"),
    [
        ("Zie het antwoord op vraag 1.", {1: [0]}),
        ("Zie de beantwoording van vraag 1.", {1: [0]}),
        ("Voor het overige wordt verwezen naar vraag 1.", {1: [0]}),
        ("Zoals hierboven aangegeven bij paragraaf 1 is dat zo.", {}),  # a section, not an item
        ("Zie het antwoord op vraag 1 in het Aanhangsel van de Handelingen.", {}),  # another set
    ],
)
def test_answers_pointing_to_another_item_of_the_reply(pointer, refers_to):
    body = (
        "1\nDe leden van de VVD-fractie vragen of de regering de kosten kan toelichten.\n\n"
        "Antwoord\nDe kosten bedragen € 12 miljoen.\n\n"
        "2\nDe leden van de CDA-fractie vragen wie de kosten draagt.\n\n"
        f"Antwoord\nHet Rijk draagt de kosten. {pointer}\n"
    )
    text = HEADER.format(
        part="Nr. 9 NOTA NAAR AANLEIDING VAN HET VERSLAG", date="Ontvangen 2 mei 2024", body=body
    )
    result = parse_text(text, source="nota.txt")
    assert covers(result) == [[0], [1]]
    assert refers(result) == refers_to


def test_a_bare_number_below_the_last_item_is_text_not_an_item():
    body = (
        "11\nDe leden van de VVD-fractie vragen hoeveel regio's er zijn.\n\n"
        "Antwoord\nHet aantal regio's per jaar:\n2023\n42\n\nDat aantal blijft gelijk.\n\n"
        "12\nDe leden van de CDA-fractie vragen wie de kosten draagt.\n\n"
        "Antwoord\nHet Rijk.\n"
    )
    text = HEADER.format(
        part="Nr. 9 NOTA NAAR AANLEIDING VAN HET VERSLAG", date="Ontvangen 2 mei 2024", body=body
    )
    result = parse_text(text, source="nota.txt")
    assert [a.label for a in result.answers] == ["11", "12"]
    assert "42" in result.answers[0].text and result.answers[0].text.endswith("Dat aantal blijft gelijk.")


def test_kind_line_with_a_footnote_marker_and_the_date_a_line_further():
    text = (
        "Eerste Kamer der Staten-Generaal\nVergaderjaar 2024–2025\n\n36 123 Wet digitale rechtspraak\n\n"
        "B VOORLOPIG VERSLAG VAN DE VASTE COMMISSIE VOOR JUSTITIE EN\nVEILIGHEID1\n\n"
        "Vastgesteld 4 februari 2025\n\nDe leden van de SGP-fractie vragen of dat kan.\n"
    )
    [letter] = parse_text(text, source="vv.txt").letters
    assert (letter.date, letter.committee) == (
        date(2025, 2, 4),
        "vaste commissie voor Justitie en Veiligheid",
    )


@pytest.mark.parametrize(
    ("paragraph", "party"),
    [
        ("De leden van de CDA-fractie sluiten zich aan bij de vragen van de VVD-fractie.", "CDA"),
        ("De leden van de fracties van de SP en de PvdD vragen of dat kan.", "SP, PvdD"),
        ("Ook de leden van de fractie van GroenLinks-PvdA vragen of dat kan.", "GroenLinks-PvdA"),
        ("De BBB-fractie vraagt of de regering dat wil toelichten.", "BBB"),
        (
            "De leden van de BBB-fractie, de fractie van JA21 en de SGP-fractie vragen of dat kan.",
            "BBB, JA21, SGP",
        ),
        ("Deze leden vragen of dat kan.", ""),
        ("De regering deelt de mening van de leden van de VVD-fractie.", ""),
        ("de VVD-fractie gevraagd, zodat de regering daarop ingaat.", ""),  # a wrapped line
        # named after the verb that asks
        ("In hoeverre regelt het voorstel dat, vragen de leden van de VVD-fractie de regering.", "VVD"),
        ("Hoe verhoudt zich dat tot artikel 2, willen de leden van de fractie van de SP weten.", "SP"),
    ],
)
def test_the_fraction_is_the_one_the_paragraph_opens_with_or_names_as_asking(paragraph, party):
    assert metadata.speaking_fraction(paragraph) == party


def test_a_verslag_question_asked_by_a_fraction_named_at_its_end_is_that_fractions_question():
    text = (
        "Eerste Kamer der Staten-Generaal\nVergaderjaar 2024–2025\n\n36 123 Wet digitale rechtspraak\n\n"
        "B VOORLOPIG VERSLAG VAN DE VASTE COMMISSIE VOOR JUSTITIE EN VEILIGHEID\n"
        "Vastgesteld 4 februari 2025\n\n1. Toegang tot de rechter\n\n"
        "Overwegende dat burgers via de papieren weg met de rechter moeten kunnen blijven procederen;\n"
        "in hoeverre regelt het voorstel dat, vragen de leden van de VVD-fractie de regering.\n\n"
        "De leden van de SP-fractie vragen of de regering dat wil toelichten.\n"
    )
    result = parse_text(text, source="vv.txt")
    assert [(q.party, q.text[:12]) for q in result.questions] == [
        ("VVD", "Overwegende "),
        ("SP", "De leden van"),
    ]


# --- a memorie van antwoord set apart by italics alone ------------------------------------------

ITALIC_MEMORIE = [
    (False, "Eerste Kamer der Staten-Generaal"),
    (False, "Vergaderjaar 2024–2025"),
    (False, ""),
    (False, "36 200 Regels over de fictieve digitale kluis voor burgers (Wet digitale kluis)"),
    (False, ""),
    (False, "C MEMORIE VAN ANTWOORD"),
    (False, "Ontvangen 2 juni 2025"),
    (False, ""),
    (False, "De regering dankt de leden van de fracties van VVD en D66 voor hun vragen. Hieronder"),
    (False, "worden de vragen beantwoord; de vragen zijn cursief weergegeven."),
    (True, "De leden van de VVD-fractie vragen hoe de kluis wordt beveiligd tegen inbraak door"),
    (True, "derden."),
    (True, "Zij vragen daarnaast wie verantwoordelijk is wanneer gegevens toch uitlekken."),
    (False, "De kluis wordt beveiligd met versleuteling volgens de geldende normen van de"),
    (False, "overheid. Iedere toegang wordt vastgelegd en gecontroleerd."),
    (False, "Zij die een kluis aanbieden, zijn verantwoordelijk voor de beveiliging ervan. Bij een"),
    (False, "datalek geldt de meldplicht van de Algemene verordening gegevensbescherming."),
    (True, "Hoe verhoudt de kluis zich tot de bestaande voorzieningen van gemeenten? Deze leden"),
    (True, "ontvangen graag een overzicht."),
    (False, "De kluis vervangt de voorzieningen van gemeenten niet, maar sluit erop aan. Een"),
    (False, "overzicht is bijgevoegd."),
    (True, "De leden van de D66-fractie vragen of burgers de kluis kunnen weigeren."),
    (False, "Ja. Het gebruik van de kluis is vrijwillig."),
    (False, "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,"),
    (False, "J. Jansen"),
]


def test_extracted_pages_name_the_lines_set_in_italics(tmp_path):
    path = tmp_path / "memorie.pdf"
    path.write_bytes(styled_pdf(ITALIC_MEMORIE))
    [page] = extract_document(path)
    assert page.set_apart == [text for italic, text in ITALIC_MEMORIE if italic]


def test_memorie_without_numbers_or_markers_pairs_its_italic_questions_with_the_roman_answers(tmp_path):
    path = tmp_path / "memorie.pdf"
    path.write_bytes(styled_pdf(ITALIC_MEMORIE))
    result = parse_file(path)
    [letter] = result.letters
    assert (letter.kind, letter.dossier, letter.parties) == ("nota", ["36200, C"], ["VVD", "D66"])
    # "Zij vragen ..." in italics still asks, "Zij die een kluis aanbieden ..." in roman answers;
    # an italic question that names no fraction is the committee's all the same
    assert [(q.party, " ".join(q.text.split())) for q in result.questions] == [
        (
            "VVD",
            "De leden van de VVD-fractie vragen hoe de kluis wordt beveiligd tegen inbraak door derden. "
            "Zij vragen daarnaast wie verantwoordelijk is wanneer gegevens toch uitlekken.",
        ),
        (
            "VVD",
            "Hoe verhoudt de kluis zich tot de bestaande voorzieningen van gemeenten? Deze leden ontvangen "
            "graag een overzicht.",
        ),
        ("D66", "De leden van de D66-fractie vragen of burgers de kluis kunnen weigeren."),
    ]
    assert [" ".join(a.text.split()) for a in result.answers] == [
        "De kluis wordt beveiligd met versleuteling volgens de geldende normen van de overheid. Iedere "
        "toegang wordt vastgelegd en gecontroleerd. Zij die een kluis aanbieden, zijn verantwoordelijk voor "
        "de beveiliging ervan. Bij een datalek geldt de meldplicht van de Algemene verordening "
        "gegevensbescherming.",
        "De kluis vervangt de voorzieningen van gemeenten niet, maar sluit erop aan. Een overzicht is "
        "bijgevoegd.",
        "Ja. Het gebruik van de kluis is vrijwillig.",
    ]
    assert covers(result) == [[0], [1], [2]]
    assert result.warnings == []


def test_an_older_list_header_with_its_part_in_lower_case_and_its_chapter_alone_on_the_dossier_line():
    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2005–2006\n30 550 XI\n"
        "Jaarverslag en slotwet ministerie van Volkshuisvesting 2005\nnr. 6\n"
        "LIJST VAN VRAGEN EN ANTWOORDEN\nVastgesteld 6 juni 2006\n\n"
        "De vaste commissie voor Volkshuisvesting heeft over het jaarverslag de navolgende vragen ter\n"
        "beantwoording aan de regering voorgelegd. De regering heeft deze vragen beantwoord.\n\n"
        "De griffier van de commissie,\nVan der Leeden\n\n1\nBelooft u beterschap op dit punt?\n\n"
        "Ja, dat beloof ik.\n"
    )
    result = parse_text(text, source="lijst.txt")
    [letter] = result.letters
    assert (letter.kind, letter.dossier, letter.date) == ("answer", ["30550-XI, nr. 6"], date(2006, 6, 6))
    assert letter.subject == "Jaarverslag en slotwet ministerie van Volkshuisvesting 2005"
    # put to the government, answered by it: not the committee's clerk who signs the cover
    assert letter.sender == "regering"
    assert covers(result) == [[0]]


# --- a memorie van antwoord set apart by its typography: italics, indentation or both --------------

TYPESET_HEAD = [
    "Eerste Kamer der Staten-Generaal",
    "Vergaderjaar 2024–2025",
    "36 200 Regels over de fictieve digitale kluis voor burgers (Wet digitale kluis)",
    "C MEMORIE VAN ANTWOORD",
    "Ontvangen 2 juni 2025",
    "De regering dankt de leden van de fracties van VVD en D66 voor hun vragen over dit wetsvoorstel. "
    "Hieronder worden de vragen beantwoord in de volgorde van het verslag.",
]
TYPESET_SIGN_OFF = ["De Minister van Binnenlandse Zaken en Koninkrijksrelaties,", "J. Jansen"]
# (committee's, text): the committee's text opens with its fraction, or asks without naming one
TYPESET_BODY = [
    (
        True,
        "De leden van de VVD-fractie vragen hoe de kluis wordt beveiligd tegen inbraak door derden. "
        "Zij vragen daarnaast wie verantwoordelijk is wanneer gegevens toch uitlekken.",
    ),
    (
        False,
        "De kluis wordt beveiligd met versleuteling volgens de geldende normen van de overheid. "
        "Iedere toegang wordt vastgelegd en gecontroleerd.",
    ),
    (
        False,
        "Zij die een kluis aanbieden, zijn verantwoordelijk voor de beveiliging ervan. Bij een datalek "
        "geldt de meldplicht van de Algemene verordening gegevensbescherming.",
    ),
    (
        True,
        "Hoe verhoudt de kluis zich tot de bestaande voorzieningen van gemeenten? Deze leden ontvangen "
        "graag een overzicht van die voorzieningen.",
    ),
    (
        False,
        "De kluis vervangt de voorzieningen van gemeenten niet, maar sluit erop aan. Een overzicht is "
        "bijgevoegd.",
    ),
    (True, "De leden van de D66-fractie vragen of burgers de kluis kunnen weigeren."),
    (False, "Ja. Het gebruik van de kluis is vrijwillig."),
]
TYPESET_QUESTIONS = [
    ("VVD", TYPESET_BODY[0][1]),
    ("VVD", TYPESET_BODY[3][1]),
    ("D66", TYPESET_BODY[5][1]),
]
TYPESET_ANSWERS = [
    f"{TYPESET_BODY[1][1]} {TYPESET_BODY[2][1]}",
    TYPESET_BODY[4][1],
    TYPESET_BODY[6][1],
]


def typeset(tmp_path: Path, body: list[tuple[str, str]], **layout: float) -> Path:
    """The memorie van antwoord with `body` between its header and its sign-off, as a PDF."""
    path = tmp_path / "memorie.pdf"
    plain = [("", text) for text in TYPESET_HEAD]
    path.write_bytes(typeset_pdf([*plain, *body, *[("", text) for text in TYPESET_SIGN_OFF]], **layout))
    return path


def styled(committee: str, government: str = "") -> list[tuple[str, str]]:
    return [(committee if asked else government, text) for asked, text in TYPESET_BODY]


def read(result: ParseResult) -> tuple[list[tuple[str, str]], list[str]]:
    """The questions (party, text) and the answers' texts, each text on one line."""
    questions = [(q.party, " ".join(q.text.split())) for q in result.questions]
    return questions, [" ".join(a.text.split()) for a in result.answers]


def test_extracted_pages_name_the_lines_indented_as_a_block(tmp_path):
    [page] = extract_document(typeset(tmp_path, styled("indent")))
    set_apart = " ".join(page.set_apart)
    assert set_apart.startswith("De leden van de VVD-fractie vragen hoe")
    assert "De leden van de D66-fractie vragen of burgers de kluis kunnen weigeren." in page.set_apart
    assert "De kluis wordt beveiligd" not in set_apart
    assert "De regering dankt" not in set_apart


def test_first_line_indents_and_a_hanging_list_set_no_line_apart(tmp_path):
    sentence = "De kluis wordt beveiligd met versleuteling volgens de geldende normen van de overheid. "
    rows, y = [], 780
    # paragraphs indented on their first line only, wrapped back to the edge
    for _ in range(3):
        for index, line in enumerate(wrap(sentence * 3, 420, 10)):
            rows.append(text_op(100 if index == 0 else 72, y, 10, line))
            y -= 13
        y -= 13
    # a numbered item whose wrapped lines hang under its text
    for index, line in enumerate(wrap("1. Alle producten met een fluitend effect " + sentence * 2, 420, 10)):
        rows.append(text_op(72 if index == 0 else 84, y, 10, line))
        y -= 13
    path = tmp_path / "indents.pdf"
    path.write_bytes(build_pdf([b"".join(rows)]))
    [page] = extract_document(path)
    assert page.set_apart == []


@pytest.mark.parametrize("style", ["italic", "indent", "italic indent"])
def test_memorie_pairs_the_questions_set_apart_with_the_plain_answers_after_them(tmp_path, style):
    result = parse_file(typeset(tmp_path, styled(style)))
    [letter] = result.letters
    assert (letter.kind, letter.dossier, letter.parties) == ("nota", ["36200, C"], ["VVD", "D66"])
    assert read(result) == (TYPESET_QUESTIONS, TYPESET_ANSWERS)
    assert covers(result) == [[0], [1], [2]]
    assert result.warnings == []


@pytest.mark.parametrize("style", ["italic", "indent"])
def test_memorie_setting_its_answers_apart_reads_the_plain_paragraphs_as_the_questions(tmp_path, style):
    result = parse_file(typeset(tmp_path, styled("", style)))
    assert read(result) == (TYPESET_QUESTIONS, TYPESET_ANSWERS)
    assert covers(result) == [[0], [1], [2]]


def test_without_typography_the_same_memorie_is_read_by_its_fractions_as_before(tmp_path):
    questions, answers = read(parse_file(typeset(tmp_path, styled(""))))
    assert questions == [TYPESET_QUESTIONS[0], TYPESET_QUESTIONS[2]]
    # the question naming no fraction cannot be told from the answer before it
    first = f"{TYPESET_ANSWERS[0]} {TYPESET_QUESTIONS[1][1]} {TYPESET_ANSWERS[1]}"
    assert answers == [first, TYPESET_ANSWERS[2]]


def test_an_answer_over_a_page_break_stays_one_answer(tmp_path):
    long_answer = " ".join(f"Zin {number} van het lange antwoord over de kluis." for number in range(40))
    body = [*styled("indent")[:1], ("", long_answer), *styled("indent")[5:]]
    path = typeset(tmp_path, body, lines_per_page=14)
    result = parse_file(path)
    assert read(result) == (
        [TYPESET_QUESTIONS[0], TYPESET_QUESTIONS[2]],
        [long_answer, TYPESET_ANSWERS[2]],
    )
    # the answer runs over page 2 into page 3, where the next question stands alone on its line
    pages = [(q.page, a.page) for q, a in zip(result.questions, result.answers, strict=True)]
    assert pages == [(1, 2), (3, 3)]


def test_a_section_heading_between_items_is_neither_answer_nor_question(tmp_path):
    body = styled("italic")
    body.insert(5, ("", "2. Keuzevrijheid"))
    result = parse_file(typeset(tmp_path, body))
    assert read(result) == (TYPESET_QUESTIONS, TYPESET_ANSWERS)


def test_a_fraction_heading_or_opening_paragraph_names_the_party_of_the_questions_set_apart(tmp_path):
    body = [
        ("", "Vragen en opmerkingen van de leden van de SP-fractie"),
        (
            "indent",
            "Welke gegevens mag de aanbieder van een kluis zelf inzien, en onder welke voorwaarden mag hij "
            "die gegevens aan derden verstrekken?",
        ),
        ("", "Geen. De aanbieder ziet alleen versleutelde gegevens."),
        (
            "indent",
            "De leden van de CDA-fractie hebben met belangstelling kennisgenomen van het wetsvoorstel en "
            "hebben nog een enkele vraag.",
        ),
        ("indent", "Kan de regering toelichten hoe lang gegevens in de kluis worden bewaard?"),
        ("", "Zolang de burger dat wil; hij kan ze op elk moment verwijderen."),
        ("indent", "Wie houdt toezicht op de aanbieders van een kluis, en met welke bevoegdheden?"),
        ("", "De Autoriteit Persoonsgegevens houdt toezicht."),
    ]
    result = parse_file(typeset(tmp_path, body))
    questions, answers = read(result)
    assert [party for party, _ in questions] == ["SP", "CDA", "CDA"]
    # the fraction's opening paragraph and its question are the one question it asks
    assert questions[1][1] == (
        "De leden van de CDA-fractie hebben met belangstelling kennisgenomen van het wetsvoorstel en "
        "hebben nog een enkele vraag. Kan de regering toelichten hoe lang gegevens in de kluis worden "
        "bewaard?"
    )
    assert answers == [body[2][1], body[5][1], body[7][1]]
    assert [answer.covers for answer in result.answers] == [[0], [1], [2]]


def test_an_indented_quotation_in_an_answer_does_not_make_the_plain_text_the_questions(tmp_path):
    body = [("", text) for _, text in TYPESET_BODY]
    quotation = (
        "Iedere aanbieder van een kluis treft passende technische en organisatorische maatregelen "
        "om de gegevens in de kluis te beveiligen tegen verlies en onrechtmatige verwerking."
    )
    body.insert(2, ("indent", quotation))
    questions, answers = read(parse_file(typeset(tmp_path, body)))
    # read by its fractions, as without the quotation
    assert questions == [TYPESET_QUESTIONS[0], TYPESET_QUESTIONS[2]]
    assert answers[0].startswith(f"{TYPESET_BODY[1][1]} {quotation} {TYPESET_BODY[2][1]}")


@pytest.mark.parametrize(
    "font, italic",
    [
        ("Times-Italic", True),
        ("ABCDEF+Arial-ItalicMT", True),
        ("Helvetica-Oblique", True),
        ("ABCDEF+MinionPro-It", True),
        ("MinionPro-BoldIt", True),
        ("Times-Roman", False),
        ("Frutiger-Italy", False),
        ("Arial-Item", False),
    ],
)
def test_italic_fonts_are_known_by_their_name(font, italic):
    assert bool(extract._ITALIC_FONT.search(font)) is italic


@pytest.mark.parametrize(
    ("answer", "referred"),
    [
        ("Zoals hierboven aangegeven bij paragraaf 2 volgt de evaluatie na drie jaar.", [1, 2]),
        ("Zie ook paragraaf 2.1.", [1]),
        ("Dat is eerder in hoofdstuk 1 toegelicht.", [0]),
        # another paper's section is not this reply's
        ("Zie paragraaf 2 van de memorie van toelichting.", []),
        ("In paragraaf 2 van het wetsvoorstel staat dat niet.", []),
    ],
)
def test_an_answer_pointing_to_a_section_of_the_reply_refers_to_that_sections_questions(answer, referred):
    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2024–2025\n\n36 450 Wet fictieve zorg\n\n"
        "Nr. 6 NOTA NAAR AANLEIDING VAN HET VERSLAG\nOntvangen 27 maart 2025\n\n"
        "1. Inleiding\n\n1\nDe leden van de VVD-fractie vragen wanneer de wet ingaat.\n\nAntwoord\n"
        "Op 1 januari 2026.\n\n2. Uitvoering\n\n2.1 Gemeenten\n\n2\n"
        "De leden van de SP-fractie vragen hoe gemeenten worden betrokken.\n\nAntwoord\n"
        "Via de VNG.\n\n2.2 Evaluatie\n\n3\n"
        "De leden van de D66-fractie vragen wanneer de evaluatie volgt.\n\n"
        f"Antwoord\n{answer}\n\nDe Minister van Volksgezondheid, Welzijn en Sport,\nJ. Jansen\n"
    )
    result = parse_text(text, source="nota.txt")
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    own = {2}  # an answer never refers to its own question
    assert refers(result).get(2, []) == [index for index in referred if index not in own]
