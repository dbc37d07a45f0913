"""Parser building blocks on small texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from letters.parser import Notice, parse_file, parse_text
from letters.parser.answers import Stream, is_signing_line, is_stream_heading
from letters.parser.dates import parse_date, term_days
from letters.parser.labels import label_numbers, parse_marker
from letters.parser.metadata import cited_date, committee, dossiers, parties, recipient, signature
from letters.parser.pairing import pair
from letters.parser.text import (
    Line,
    is_furniture,
    join_broken_words,
    join_lines,
    join_lines_with_offsets,
    paragraphs,
)
from letters.parser.units import AnswerUnit, Unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Den Haag, 24 juni 2025", date(2025, 6, 24)),
        ("op 1 januari 2024", date(2024, 1, 1)),
        ("de 1e maart 2023", date(2023, 3, 1)),
        ("28 februari 2025", date(2025, 2, 28)),
        ("31 december 2024", date(2024, 12, 31)),
        ("3 sept. 2024", date(2024, 9, 3)),
        ("bij brief van 14 juni 20243 aan de Kamer", date(2024, 6, 14)),  # glued footnote marker
        ("30 februari 2025", None),
        ("in juni 2025", None),
    ],
)
def test_dutch_dates_across_months(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("suffix", ["jl.", "j.l.", "jongstleden"])
def test_yearless_date_with_jl_takes_the_year_of_the_letter(suffix):
    assert parse_date(f"ingezonden op 24 juni {suffix}", year_hint=2025) == date(2025, 6, 24)


def test_yearless_date_without_hint_is_not_guessed():
    assert parse_date("ingezonden op 24 juni jl.") is None


def test_jl_date_after_the_letter_belongs_to_the_previous_year():
    assert cited_date("ingezonden op 15 december jl.", date(2025, 1, 10)) == date(2024, 12, 15)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("ontvangen deze graag binnen vier weken na dagtekening", 28),
        ("binnen drie weken", 21),
        ("binnen 10 dagen", 10),
        ("binnen de gebruikelijke termijn van drie weken", 21),
        ("niet binnen de termijn van vier weken kunnen worden beantwoord", None),
        ("zo spoedig mogelijk", None),
    ],
)
def test_reply_terms(text, days):
    assert term_days(text) == days


@pytest.mark.parametrize(
    ("label", "numbers"),
    [
        ("3, 4 en 5", [3, 4, 5]),
        ("3 en 4", [3, 4]),
        ("2 3 en 4", [2, 3, 4]),
        ("(12)", [12]),
        ("3 t/m 5", [3, 4, 5]),
    ],
)
def test_label_numbers(label, numbers):
    assert label_numbers(label) == numbers


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("Vraag 3, 4 en 5", "question", "3, 4 en 5"),
        ("Antwoord 2 3 en 4", "answer", "2 3 en 4"),
        ("Vraag (12):", "question", "(12)"),
        ("Antwoord vraag 3", "answer", "3"),
        ("Antwoord:", "answer", None),
        ("Vraag:", "question", None),
        ("17. Op welke manieren probeert de regering", "numbered", "17"),
    ],
)
def test_markers(line, kind, label):
    marker = parse_marker(line)
    assert marker is not None
    assert (marker.kind, marker.label) == (kind, label)


@pytest.mark.parametrize(
    "line",
    [
        "Antwoord van Minister De Jonge (BZK)",
        "Antwoord is gelijk aan 36.",
        "Vragen en opmerkingen van de leden",
    ],
)
def test_sentences_starting_with_vraag_or_antwoord_are_not_markers(line):
    marker = parse_marker(line)
    assert marker is None or marker.kind == "numbered"


def test_parties_from_fraction_phrases_in_listed_order():
    text = (
        "De leden van de fractie van GroenLinks-PvdA. "
        "Ook de leden van de fracties van D66, de PVV en de ChristenUnie."
    )
    assert parties(text) == ["GroenLinks-PvdA", "D66", "PVV", "ChristenUnie"]
    assert parties("Vragen en opmerkingen van de leden van de BBB-fractie") == ["BBB"]


def test_dossier_from_kamerstukken_citation_of_the_own_chamber():
    notes = ["2 Kamerstukken I 2024/25, 36521, B.", "5 Kamerstukken II 2023/24, 36 471, nr. 96."]
    assert dossiers(notes, "EK") == ["36521, B"]
    assert dossiers(["wetsvoorstel ... voor het jaar 2025 (36600-XX)."]) == ["36600-XX"]


def test_doubled_blank_lines_do_not_split_a_sentence_continuing_in_lower_case():
    raw = [
        "De leden hebben kennisgenomen van de brief en hebben daarover nog enkele vragen aan de",
        "minister van Financiën over de uitvoering van de regeling in de komende jaren zoals die",
        "nu is voorzien. Waarom is de regeling niet eerder geëvalueerd door het ministerie?",
        "Hoe wordt de Kamer geïnformeerd?",
        "Een nieuw onderwerp begint hier met een volledige zin die de hele regel vult tot aan",
        "het einde.",
    ]
    lines = [Line(text, 1, blank_before=number > 0) for number, text in enumerate(raw)]
    found = paragraphs(lines)
    starts = [p.text[:20] for p in found]
    assert starts == ["De leden hebben kenn", "Hoe wordt de Kamer g", "Een nieuw onderwerp "]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["hebben kennisgeno-", "men van de brief"], "hebben kennisgenomen van de brief"),
        (["de aanloop-", "en volloopverliezen"], "de aanloop- en volloopverliezen"),
        (["naar Oost-", "of Zuid-Nederland"], "naar Oost- of Zuid-Nederland"),
        (["de nieuwe EU-", "asielregels"], "de nieuwe EU-asielregels"),
        (["de fractie van GroenLinks-", "PvdA vraagt"], "de fractie van GroenLinks-PvdA vraagt"),
        (["per e-", "mail"], "per e-mail"),
        (["de zee-", "egel"], "de zee-egel"),
        (["zie https://www.example.nl/", "brief.pdf"], "zie https://www.example.nl/brief.pdf"),
        (["de kosten -", "Zoals gezegd"], "de kosten - Zoals gezegd"),
    ],
)
def test_a_paragraph_joins_its_lines_as_the_page_joined_broken_words(lines, joined):
    assert join_lines(lines) == joined
    assert " ".join(join_broken_words(lines)) == joined


def test_line_offsets_count_the_hyphen_a_broken_word_lost():
    text, offsets = join_lines_with_offsets(["De leden hebben kennisgeno-", "men van", "de brief."])
    assert text == "De leden hebben kennisgenomen van de brief."
    assert offsets == [0, 26, 34]
    assert text[offsets[1] :].startswith("men van")


@pytest.mark.parametrize(
    ("text", "on_any_line", "in_a_band"),
    [
        ("Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1314", True, True),
        ("ah-tk-20232024-1314", True, True),
        ("ISSN 0921 - 7371", True, True),
        ("’s-Gravenhage 2024", True, True),
        ("Pagina 2 van 5", True, True),
        ("- 3 -", True, True),
        # looser shapes a body line can take: only where the page's layout says header or footer
        ("Eerste Kamer, vergaderjaar 2024-2025, 36 521, B", False, True),
        ("kst-36521-B", False, True),
        ("e-mail-adressen", False, True),
        ("Blad 3", False, True),
        ("2024", False, True),
        ("Tweede Kamer", False, False),
    ],
)
def test_one_list_of_running_furniture_serves_text_lines_and_pdf_bands(text, on_any_line, in_a_band):
    assert is_furniture(text, in_band=False) == on_any_line
    assert is_furniture(text, in_band=True) == in_a_band


def test_plain_text_running_footers_leave_the_text_and_the_aanhangsel_number_stays():
    result = parse_text(
        "Vragen van het lid Jansen over gegeven antwoorden\n131\nVraag 1\nKomt het plan er?\n"
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 131\n’s-Gravenhage 2024\n- 2 -\n",
        source="footer.txt",
    )
    assert result.letters[0].text.endswith("gegeven antwoorden\n131\nVraag 1\nKomt het plan er?")


def test_lone_answer_letter_keeps_its_repeated_questions(fixtures_dir):
    result = parse_file(fixtures_dir / "parser" / "lone_answer_letter.txt")
    assert [letter.kind for letter in result.letters] == ["answer"]
    letter = result.letters[0]
    assert (letter.date, letter.cites_date) == (date(2025, 3, 3), date(2025, 2, 4))
    assert letter.reference == "180001.02U"
    assert letter.parties == ["SGP"]
    assert [q.label for q in result.questions] == ["1", "2", "3"]
    assert {q.letter for q in result.questions} == {0}
    assert {q.party for q in result.questions} == {"SGP"}
    assert [a.covers for a in result.answers] == [[0], [1], [2]]
    assert result.answers[2].refers_to == [0]


def test_letter_without_date_gets_a_warning_and_no_guessed_date(fixtures_dir):
    result = parse_file(fixtures_dir / "parser" / "undated_committee_letter.txt")
    letter = result.letters[0]
    assert (letter.kind, letter.date, letter.term_days) == ("questions", None, 21)
    assert letter.cites_date == date(2025, 1, 12)
    assert letter.parties == ["ChristenUnie"]
    assert len(result.questions) == 1
    assert result.questions[0].party == "ChristenUnie"
    assert result.warnings == [
        Notice("letter_undated", {"letters": 1, "letter": 1, "letter_kind": "questions"})
    ]


KAMERVRAGEN = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2024–2025 Aanhangsel van de Handelingen
123
Vragen van het lid Jansen (SP) aan de Minister van Financiën over de regeling (ingezonden 2
september 2024).
Antwoord van Minister Bakker (Financiën) (ontvangen 20 september 2024).
Vraag 1
Kent u het bericht?
Antwoord 1
Ja.
Vraag 2
Waarom is de regeling gewijzigd?
Vraag 3
Wanneer wordt de Kamer geïnformeerd?
Antwoord 2 3 en 4
De regeling is gewijzigd om de uitvoering te vereenvoudigen; de Kamer wordt voor de zomer geïnformeerd.
Vraag 14
Wat kost de regeling?
Antwoord 14
Zie antwoord op vraag 2.
Vraag 15
Is dat te veel?
Antwoord 16
Nee.
"""


UNNUMBERED = """BRIEF VAN DE MINISTER VAN FINANCIËN

Den Haag, 3 maart 2025

Hierbij bied ik u de antwoorden aan op de vragen van de leden van de fractie van de SP.

Vraag:
Waarom is de regeling gewijzigd?

Antwoord:
Om de uitvoering te vereenvoudigen.

Vraag:
Wanneer wordt de Kamer geïnformeerd?

Antwoord:
Voor de zomer.
"""


def test_unnumbered_vraag_and_antwoord_labels_pair_in_order():
    result = parse_text(UNNUMBERED, source="synthetic")
    assert [letter.kind for letter in result.letters] == ["answer"]
    assert [q.text for q in result.questions] == [
        "Waarom is de regeling gewijzigd?",
        "Wanneer wordt de Kamer geïnformeerd?",
    ]
    assert [a.covers for a in result.answers] == [[0], [1]]


def test_kamervragen_combined_answer_label_missing_comma_and_missing_numbers():
    result = parse_text(KAMERVRAGEN, source="synthetic")
    assert [letter.kind for letter in result.letters] == ["questions", "answer"]
    assert [q.label for q in result.questions] == ["1", "2", "3", "14", "15"]
    assert [q.member for q in result.questions] == ["Jansen"] * 5
    assert [a.label for a in result.answers] == ["1", "2 3 en 4", "14", "16"]
    assert [a.covers for a in result.answers][:3] == [[0], [1, 2], [3]]
    assert result.answers[2].refers_to == [1]
    # "Antwoord 2 3 en 4" names a question 4 that does not exist
    missing = [(w.code, w.params["label"], w.params["questions"]) for w in result.warnings]
    assert missing == [
        ("answer_names_missing_questions", "2 3 en 4", "4"),
        ("answer_names_missing_questions", "16", "16"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "De vaste commissie voor Volksgezondheid, Welzijn en Sport heeft",
            "Volksgezondheid, Welzijn en Sport",
        ),
        (
            "de vaste commissie voor Buitenlandse Zaken, Defensie en Ontwikkelingssamenwerking hebben",
            "Buitenlandse Zaken, Defensie en Ontwikkelingssamenwerking",
        ),
        ("De vaste commissie voor Binnenlandse Zaken1 heeft", "Binnenlandse Zaken"),
        ("de vaste commissie voor Immigratie en Asiel / JBZ-Raad heeft", "Immigratie en Asiel/JBZ-Raad"),
    ],
)
def test_committee_names_keep_their_comma_separated_parts(text, name):
    assert committee(text) == f"vaste commissie voor {name}"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("hebben kennisgenomen van de Defensienota.1 De leden", "de Defensienota"),
        ("heeft kennisgenomen van de Staat van Migratie 2024. De voormalig", "de Staat van Migratie 2024"),
        ("hebben kennisgenomen van het jaarverslag2. Zij hebben", "het jaarverslag"),
    ],
)
def test_a_committee_letter_without_over_is_about_what_the_members_took_note_of(sentence, expected):
    text = (
        " BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR DEFENSIE\n\nAan de minister van Defensie\n\n"
        f"Den Haag, 3 maart 2026\n\nDe leden van de vaste commissie voor Defensie {sentence} vragen.\n\n"
        "Hoe groot is het tekort aan personeel?\n\nP. Smit\nVoorzitter van de vaste commissie voor Defensie\n"
    )
    [letter] = parse_text(text, source="brief.txt").letters
    assert letter.subject == expected


def test_a_dash_at_a_line_end_keeps_its_space():
    assert join_broken_words(["de instructies -- waar nodig --", "aanpassen."]) == [
        "de instructies -- waar nodig --",
        "aanpassen.",
    ]


def test_a_signature_the_measure_wrapped_is_read_whole():
    lines = [
        "Hoogachtend,",
        "De griffier van de vaste commissie voor Volksgezondheid, Welzijn en",
        "Sport,",
        "Jansen",
    ]
    assert signature(lines) == "griffier van de vaste commissie voor Volksgezondheid, Welzijn en Sport"


@pytest.mark.parametrize(
    ("line", "signs_letter", "ends_questions"),
    [
        ("De minister van Financiën,", "minister van Financiën", True),
        ("Voorzitter van de commissie voor Defensie", "Voorzitter van de commissie voor Defensie", False),
        ("de staatssecretaris van Defensie,", "staatssecretaris van Defensie", True),
        # lower case without its comma is a sentence's start, not a signature
        ("de minister van Financiën", "", False),
        # an office without a name signs no letter, but still closes its questions
        ("De Minister-President,", "", True),
        ("namens deze,", "", True),
        # the office's words are names: a lower-case word makes it a sentence
        ("De minister van plan is,", "", False),
        ("De voorzitter van de commissie,", "voorzitter van de commissie", True),
    ],
)
def test_one_rule_reads_a_signing_office_for_the_sender_and_for_the_end_of_the_questions(
    line, signs_letter, ends_questions
):
    assert signature([line]) == signs_letter
    assert is_signing_line(line) is ends_questions


def test_a_party_heading_wrapped_over_two_lines_stays_one_heading():
    lines = [
        Line("Vragen en opmerkingen van de leden van de fracties van", 1),
        Line("GroenLinks-PvdA en D66", 1),
        Line("De leden van deze fracties vragen of de bibliotheken worden betrokken.", 1),
    ]
    found = paragraphs(lines, is_stream_heading)
    assert [p.text for p in found][:1] == [
        "Vragen en opmerkingen van de leden van de fracties van GroenLinks-PvdA en D66"
    ]
    assert found[0].heading


def test_a_footnote_marker_glued_to_a_sentence_end_still_ends_the_sentence():
    lines = [
        Line("De druk blijft groot en urgent.”29", 1),
        Line(
            "De vorige regering suggereert daarmee dat de druk op de asielopvang zal verminderen.",
            1,
            blank_before=True,
        ),
    ]
    assert len(paragraphs(lines)) == 2


def test_doubled_blank_lines_split_where_the_text_ends_a_paragraph():
    text = [
        "De leden van de vaste commissie hebben met belangstelling kennisgenomen van de brief over het",
        "plan en de kosten daarvan. Zij hebben nog enkele vragen die zij graag binnen de gebruikelijke",
        "termijn beantwoord zien, en zij danken de minister alvast voor de beantwoording van de vragen",
        "over het plan. Zij vragen de minister ook naar de gevolgen van het plan voor de gemeenten en",
        "de provincies die het plan moeten uitvoeren, en naar de kosten die het meebrengt.",
        "De commissie brengt bijgaand verslag uit van het gevoerde schriftelijk overleg.",
        "De griffier van de vaste commissie,",
        "Jansen",
    ]
    lines = [Line(line, 1, blank_before=index > 0) for index, line in enumerate(text)]
    found = [p.text for p in paragraphs(lines)]
    assert found == [
        " ".join(text[:5]),
        "De commissie brengt bijgaand verslag uit van het gevoerde schriftelijk overleg.",
        "De griffier van de vaste commissie, Jansen",
    ]


def test_a_text_with_a_paragraph_per_line_starts_one_at_every_line_that_starts_anew():
    # copied from a web page: no line is wrapped, so each is a paragraph, even one ending no sentence
    raw = [
        "De cijfers over de uitgaven in het lopende jaar komen viermaal per jaar binnen, en in de "
        "Voorjaarsnota zijn die verwerkt tot en met het vierde kwartaal van het voorgaande jaar.",
        "Zvw",
        "Voor de uitgaven onder de Zorgverzekeringswet ontvangt het ministerie viermaal per jaar "
        "nieuwe cijfers van het Zorginstituut, die in de raming voor het lopende jaar worden verwerkt",
        "en daarna in de begroting voor het volgende jaar.",
    ]
    found = [p.text for p in paragraphs([Line(text, 1) for text in raw])]
    assert found == [raw[0], "Zvw", f"{raw[2]} {raw[3]}"]


def test_a_committee_named_with_its_article_keeps_it():
    text = "De commissie voor de Rijksuitgaven heeft een aantal vragen voorgelegd aan de Minister."
    assert committee(text) == "commissie voor de Rijksuitgaven"


def test_kamervragen_with_capitalised_ingezonden_and_ontvangen_are_read_as_kamervragen():
    text = (
        "Vragen van het lid Van Bommel (SP) aan de minister van Buitenlandse Zaken over het consulaat.\n"
        "(Ingezonden 12 maart 2010)\n"
        "Antwoord van minister Verhagen (Buitenlandse Zaken) (Ontvangen 2 april 2010)\n"
        "Vraag 1\nBent u bekend met het bericht?\nAntwoord 1\nJa.\n"
    )
    result = parse_text(text, source="ah.txt")
    assert [(letter.kind, letter.date) for letter in result.letters] == [
        ("questions", date(2010, 3, 12)),
        ("answer", date(2010, 4, 2)),
    ]
    assert [q.party for q in result.questions] == ["SP"]


@pytest.mark.parametrize(
    ("lines", "office"),
    [
        (
            ["M. de Groot", "Voorzitter van de vaste commissie voor", "Justitie en Veiligheid"],
            "Voorzitter van de vaste commissie voor Justitie en Veiligheid",
        ),
        (
            ["De staatssecretaris van Jeugd, Preventie en", "Sport,", "M. Visser"],
            "staatssecretaris van Jeugd, Preventie en Sport",
        ),
    ],
)
def test_a_signing_office_a_narrow_column_wrapped_inside_its_name_is_joined(lines, office):
    assert signature(lines) == office


def test_an_addressee_a_narrow_column_wrapped_inside_its_name_is_joined():
    lines = ["Aan de Voorzitter van de Eerste Kamer der", "Staten-Generaal", "Den Haag, 3 juni 2025"]
    assert recipient(lines) == "Voorzitter van de Eerste Kamer der Staten-Generaal"


def test_a_committee_named_over_two_lines_is_named_on_one():
    text = "De vaste commissie voor Volksgezondheid,\nWelzijn en Sport heeft vragen gesteld."
    assert committee(text) == "vaste commissie voor Volksgezondheid, Welzijn en Sport"


def test_an_addressee_wrapped_before_the_word_joining_its_names_is_joined():
    lines = ["Aan de staatssecretaris van Jeugd, Preventie", "en Sport", "Den Haag, 3 juni 2025"]
    assert recipient(lines) == "staatssecretaris van Jeugd, Preventie en Sport"


@pytest.mark.parametrize(
    ("following", "who"),
    [
        ("Ordening", "minister van Volkshuisvesting en Ruimtelijke Ordening"),
        ("Den Haag", "minister van Volkshuisvesting en Ruimtelijke"),
        ("Postbus 20011", "minister van Volkshuisvesting en Ruimtelijke"),
    ],
)
def test_an_addressee_wrapped_inside_a_name_takes_the_names_end_but_not_the_address(following, who):
    assert recipient(["Aan de minister van Volkshuisvesting en Ruimtelijke", following]) == who


@pytest.mark.parametrize(
    ("lines", "office"),
    [
        (
            ["J. Jansen", "Voorzitter van de vaste commissie voor Economische", "Zaken"],
            "Voorzitter van de vaste commissie voor Economische Zaken",
        ),
        (
            ["De voorzitter van de commissie voor Financiën,", "Van Dam"],
            "voorzitter van de commissie voor Financiën",
        ),
    ],
)
def test_a_signing_office_wrapped_inside_a_name_takes_the_names_end_but_not_the_signers_name(lines, office):
    assert signature(lines) == office


FIRST_ORIGINAL = "Hoeveel middelen zijn er voor de opvang van asielzoekers in 2025 begroot?"
SECOND_ORIGINAL = (
    "In het rapport12 van de werkgroep zelfevaluatie wordt de signalerende rol van de ombudsman "
    "besproken. Hoe beoordeelt u de signalen van de ombudsman over de asielketen?"
)


def paired_with_lead(lead: str) -> tuple[str, str]:
    """An answer letter repeating both questions, the second's paragraph opening with `lead`."""
    first = Unit(FIRST_ORIGINAL, 1)
    second = Unit(f"{lead} {SECOND_ORIGINAL.replace('rapport12', 'rapport')}", 2)
    answers = [
        AnswerUnit("Voor 2025 is 1,2 miljard euro begroot.", 1, repeated=first),
        AnswerUnit("Ik neem die signalen serieus.", 2, repeated=second),
    ]
    stream = Stream([first, second], answers, {0: [first], 1: [second]})
    pair([Unit(FIRST_ORIGINAL, 1), Unit(SECOND_ORIGINAL, 1)], stream)
    return answers[0].text, second.text


def test_an_answers_last_sentences_run_into_the_next_repeated_question_go_back_to_the_answer():
    # a page that ended on a full line hid the paragraph break between them
    lead = "Het kabinet verwacht op termijn minder middelen nodig te hebben."
    answer, question = paired_with_lead(lead)
    assert answer == f"Voor 2025 is 1,2 miljard euro begroot.\n\n{lead}"
    assert question.startswith("In het rapport van de werkgroep")


@pytest.mark.parametrize(
    "lead",
    [
        "Graag een reactie op het volgende citaat: “de keten staat onder druk”.",  # the question quotes
        "Klopt het dat de keten onder druk staat?",  # the question asks more than the original
    ],
)
def test_a_repeated_questions_own_quoted_or_asking_context_stays_the_questions(lead):
    answer, question = paired_with_lead(lead)
    assert answer == "Voor 2025 is 1,2 miljard euro begroot."
    assert question.startswith(lead)
