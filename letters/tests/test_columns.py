"""Page layout in PDFs built here: two-column pages, letterhead columns and heading blocks, and
what must stay one column (tables, label columns)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from letters.parser import ParseResult, parse_file
from letters.parser.extract import PageText, extract_pages

from .pdfs import build_pdf, column_ops, text_op, text_width, wrap

# A4 with 72 pt margins: one column of 451 pt, or two of 215 pt with a 21 pt gutter.
LEFT, FULL = 72, 451
RIGHT, HALF = 308, 215

FIRST = [
    "De commissie heeft met belangstelling kennisgenomen van de brief over de uitvoering van de "
    "wet en stelt naar aanleiding daarvan nog enkele vragen over de gevolgen voor gemeenten.",
    "Zij vraagt de regering in het bijzonder hoe de kosten voor de provincies worden gedekt en "
    "welke termijn daarvoor is voorzien in de begroting van het komende jaar.",
]
SECOND = [
    "Daarnaast willen de leden weten hoe de regering de uitvoeringsorganisaties betrekt bij de "
    "verdere uitwerking van de regeling en wanneer de evaluatie naar de Kamer wordt gestuurd.",
    "Tot slot vragen zij of de regering bereid is de resultaten van het overleg met de koepels "
    "voor de behandeling van de begroting met de Kamer te delen.",
]
THIRD = [
    "De regering antwoordt dat de kosten volledig uit het gemeentefonds worden gedekt en dat de "
    "provincies een eigen bijdrage leveren voor de regionale uitvoering van de maatregelen.",
]
FOURTH = [
    "De evaluatie volgt binnen twee jaar na de inwerkingtreding; de uitvoeringsorganisaties zijn "
    "vanaf het begin bij de uitwerking van de regeling betrokken geweest.",
]


def wrapped(paragraphs: list[str], width: float = HALF, size: float = 10) -> list[str]:
    return [line for paragraph in paragraphs for line in wrap(paragraph, width, size)]


def body_lines(page: PageText) -> list[str]:
    return [line for line in page.text.split("\n") if line]


def centered(y: float, size: float, text: str) -> bytes:
    return text_op(LEFT + (FULL - text_width(text, size)) / 2, y, size, text)


def two_columns(y: float, left: list[str], right: list[str]) -> tuple[bytes, float]:
    """Two columns from `y` down, their lines on the same baselines; returns the ops and the y below."""
    left_ops, left_end = column_ops(LEFT, y, HALF, left)
    right_ops, right_end = column_ops(RIGHT, y, HALF, right)
    return left_ops + right_ops, min(left_end, right_end)


def extracted(write_pdf, contents: list[bytes]) -> list[PageText]:
    return list(extract_pages(write_pdf(build_pdf(contents))))


# --- two columns ------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 6.5])
def test_a_two_column_page_is_read_left_column_then_right(write_pdf, offset: float):
    """Whether or not the columns' lines share their baselines."""
    left, _ = column_ops(LEFT, 760, HALF, FIRST)
    right, _ = column_ops(RIGHT, 760 - offset, HALF, SECOND)
    ops = left + right
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page) == wrapped(FIRST) + wrapped(SECOND)
    assert page.margin == ""


def justified_ops(x: float, y: float, lines: list[str]) -> bytes:
    """Lines set word by word, stretched to the column's width as loosely as a narrow justified
    column sets them: their word gaps wider than an em."""
    ops = b""
    for row, line in enumerate(lines):
        words = line.split()
        gap = (HALF - sum(text_width(word, 10) for word in words)) / max(len(words) - 1, 1)
        at = x
        for word in words:
            ops += text_op(at, y - 13 * row, 10, word)
            at += text_width(word, 10) + gap
    return ops


def test_justified_columns_with_word_gaps_wider_than_an_em_are_read_column_by_column(write_pdf):
    left, right = wrapped(FIRST, 150), wrapped(SECOND, 150)
    [page] = extracted(write_pdf, [justified_ops(LEFT, 760, left) + justified_ops(RIGHT, 760, right)])
    assert body_lines(page) == left + right


def test_a_column_of_short_lines_beside_wrapped_text_is_read_after_it(write_pdf):
    """The second column holds only a letter's close: short lines, none of them filling it."""
    close = [
        "Het verslag bestaat uit drie brieven.",
        "De griffier van de commissie,",
        "Welzijn en Sport,",
        "J. de Boer",
    ]
    [page] = extracted(write_pdf, [two_columns(760, FIRST + SECOND, close)[0]])
    assert body_lines(page) == wrapped(FIRST + SECOND) + close


def test_a_short_band_balanced_over_two_columns_is_read_column_by_column(write_pdf):
    """A letter's last few lines, two in each column, under full-width lines of varying length."""
    opening = [
        "Vraag 1",
        "Kent u het bericht over de fictieve wachtlijsten bij de Stichting Zorgloket?",
        "Antwoord 1",
    ]
    ops, y = column_ops(LEFT, 760, FULL, opening)
    left, right = wrapped(THIRD)[:2], wrapped(THIRD)[2:4]
    band, _ = two_columns(y - 13, left, right)
    [page] = extracted(write_pdf, [ops + band])
    assert body_lines(page) == opening + left + right


def test_a_label_over_two_filled_lines_and_a_paragraphs_end_beside_them_are_two_columns(write_pdf):
    lines = wrapped(THIRD)
    left, right = ["Antwoord 5", *lines[:2]], [lines[2], "2026."]
    [page] = extracted(write_pdf, [two_columns(760, left, right)[0]])
    assert body_lines(page) == left + right


def test_a_right_column_of_a_few_short_lines_is_read_after_the_left_one(write_pdf):
    """The page's text stops well short of its right margin: the columns are the margins' measure."""
    left, right = wrapped(FIRST)[:3], ["antwoorden.", "Vraag 3"]
    [page] = extracted(write_pdf, [two_columns(760, left, right)[0]])
    assert body_lines(page) == left + right


def test_columns_of_labels_and_one_line_paragraphs_are_read_column_by_column(write_pdf):
    """Most lines of a Kamervragen column are labels and short answers, not filled lines."""
    left = ["Vraag 1", *wrap(FIRST[0], HALF, 10)[:3], "Antwoord 1", "Ja.", "Vraag 2", "Nee."]
    right = ["Vraag 3", *wrap(SECOND[0], HALF, 10)[:3], "Antwoord 3", "Ja.", "Vraag 4", "Nee."]
    [page] = extracted(write_pdf, [two_columns(760, left, right)[0]])
    assert body_lines(page) == left + right


def test_a_heading_across_both_columns_stays_between_the_bands(write_pdf):
    title = (
        "Verslag van het schriftelijk overleg over de uitvoering van de wet, vastgesteld door de "
        "vaste commissie voor Binnenlandse Zaken op 14 juli 2025"
    )
    title_ops, y = column_ops(LEFT, 770, FULL, [title], size=12, leading=15)
    first_band, y = two_columns(y, FIRST, SECOND)
    heading = "Antwoorden van de regering op de vragen van de commissie"
    second_band, _ = two_columns(y - 26, THIRD, FOURTH)
    [page] = extracted(write_pdf, [title_ops + first_band + centered(y, 12, heading) + second_band])
    assert body_lines(page) == (
        wrapped([title], FULL, 12)
        + wrapped(FIRST)
        + wrapped(SECOND)
        + [heading]
        + wrapped(THIRD)
        + wrapped(FOURTH)
    )


def test_a_short_heading_over_both_columns_is_not_taken_into_the_left_one(write_pdf):
    """Set in larger type than the columns, with space above and below it."""
    first_band, y = two_columns(760, FIRST, SECOND)
    second_band, _ = two_columns(y - 26, THIRD, FOURTH)
    [page] = extracted(write_pdf, [first_band + text_op(LEFT, y - 2, 12, "Tweede termijn") + second_band])
    assert body_lines(page) == [
        *wrapped(FIRST),
        *wrapped(SECOND),
        "Tweede termijn",
        *wrapped(THIRD),
        *wrapped(FOURTH),
    ]


def footnote(x: float, y: float, marker: str, text: str) -> bytes:
    """A footnote at the page foot: a raised 5 pt marker before 7 pt text."""
    escaped = text.encode("cp1252")
    return b"BT /F1 5 Tf %g %g Td 3 Ts (%s) Tj 0 Ts /F1 7 Tf 4 0 Td (%s) Tj ET\n" % (
        x,
        y,
        marker.encode(),
        escaped,
    )


def marked(x: float, y: float, text: str, marker: str) -> bytes:
    """A 10 pt body line ending in a raised footnote marker."""
    return b"BT /F1 10 Tf %g %g Td (%s) Tj /F1 6 Tf 4 Ts (%s) Tj 0 Ts ET\n" % (
        x,
        y,
        text.encode("cp1252"),
        marker.encode(),
    )


def test_each_column_ends_in_its_own_footnotes(write_pdf):
    ops, y = two_columns(760, FIRST, SECOND)
    ops += marked(LEFT, y, "zoals de nota vermeldt.", "1") + marked(RIGHT, y, "zie het verslag.", "2")
    ops += footnote(LEFT, 100, "1", "Kamerstukken II 2024/25, 36 600, nr. 12.")
    ops += footnote(RIGHT, 100, "2", "Kamerstukken I 2024/25, 36 521, B.")
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page) == (
        [*wrapped(FIRST), "zoals de nota vermeldt.", *wrapped(SECOND), "zie het verslag."]
    )
    assert page.footnotes == [
        "1 Kamerstukken II 2024/25, 36 600, nr. 12.",
        "2 Kamerstukken I 2024/25, 36 521, B.",
    ]


def test_a_footnote_across_both_columns_leaves_the_text(write_pdf):
    ops, y = two_columns(760, FIRST, SECOND)
    ops += marked(RIGHT, y, "zie het verslag.", "3")
    note = (
        "Kamerstukken II 2024/25, 36 600, nr. 12, en het verslag van het schriftelijk overleg over "
        "de uitvoering van de wet van 3 juni 2025."
    )
    ops += footnote(LEFT, 100, "3", note)
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page) == wrapped(FIRST) + wrapped(SECOND) + ["zie het verslag."]
    assert page.footnotes == ["3 " + note]


def test_a_column_whose_footnotes_outweigh_its_text_is_still_a_column(write_pdf):
    left, right = wrapped(FIRST)[:3], wrapped(SECOND)[:2]
    ops = b"".join(text_op(LEFT, 760 - 13 * row, 10, line) for row, line in enumerate(left))
    ops += b"".join(text_op(RIGHT, 760 - 13 * row, 10, line) for row, line in enumerate(right))
    ops += marked(RIGHT, 760 - 26, "zie het verslag.", "4")
    note = wrap(" ".join([*SECOND, *THIRD]), HALF, 7)
    ops += footnote(RIGHT, 300, "4", note[0])
    ops += b"".join(text_op(RIGHT, 300 - 9 * row, 7, line) for row, line in enumerate(note) if row)
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page) == [*left, *right, "zie het verslag."]
    assert page.footnotes == ["4 " + " ".join(note)]


def test_a_web_address_running_off_the_page_leaves_its_column_a_column(write_pdf):
    address = "https://www.euronews.com/my-europe/2024/07/03/new-dutch-government-wants-an-opt-out"
    left, right = wrapped(FIRST + SECOND), [*wrapped(THIRD + FOURTH), address]
    [page] = extracted(write_pdf, [two_columns(760, left, right)[0]])
    assert body_lines(page) == left + right


def test_web_addresses_running_far_off_the_page_leave_the_gutter_where_it_is(write_pdf):
    address = "https://www.unhcr.org/be/nl/over-ons/wie-we-helpen/verschillende-risicogroepen/" * 2 + "v"
    left, right = wrapped(FIRST + SECOND), [*wrapped(THIRD + FOURTH), address, address]
    [page] = extracted(write_pdf, [two_columns(760, left, right)[0]])
    assert body_lines(page) == left + right


def test_a_justified_line_at_the_page_foot_keeps_its_numbers(write_pdf):
    """Its stretched word gaps are as wide as a footer's between its items."""
    ops, _ = column_ops(LEFT, 760, FULL, FIRST)
    words = ["Na", "5", "jaar", "kunnen", "zij", "een", "verlenging", "aanvragen"]
    gap = (FULL - sum(text_width(word, 10) for word in words)) / (len(words) - 1)
    x = LEFT
    for word in words:
        ops += text_op(x, 100, 10, word)
        x += text_width(word, 10) + gap
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page)[-1] == " ".join(words)
    assert page.furniture == []


# --- letterheads -------------------------------------------------------------------------------

MARGIN_X = 430


def margin_ops(y: float, lines: list[str]) -> bytes:
    return b"".join(text_op(MARGIN_X, y - 10 * row, 7, line) for row, line in enumerate(lines) if line)


def test_a_ministry_letters_margin_column_stays_out_of_the_body_on_every_page(write_pdf):
    body_width = 330
    opening = [
        "Datum 14 juli 2025",
        "Betreft Uitvoering van de motie over de toeslagen",
        "Geachte voorzitter,",
    ]
    page_one, _ = column_ops(LEFT, 700, body_width, [*opening, *FIRST, *SECOND])
    page_one += margin_ops(
        760,
        [
            "Ministerie van Financiën",
            "Korte Voorhout 7",
            "2511 CW Den Haag",
            "",
            "Kenmerk",
            "2025-0000123456",
        ],
    )
    page_two, _ = column_ops(
        LEFT, 760, body_width, [*THIRD, *FOURTH, "De minister van Financiën,", "E. Heinen"]
    )
    page_two += margin_ops(760, ["Ministerie van Financiën", "", "Kenmerk", "2025-0000123456"])
    page_two += text_op(MARGIN_X, 50, 7, "Pagina 2 van 2")
    path = write_pdf(build_pdf([page_one, page_two]))
    first, second = extract_pages(path)
    for page in (first, second):
        assert "Kenmerk\n2025-0000123456" in page.margin
        assert "Kenmerk" not in page.text
        assert "Ministerie" not in page.text
    assert body_lines(first) == wrapped([*opening, *FIRST, *SECOND], body_width)
    assert body_lines(second) == wrapped(
        [*THIRD, *FOURTH, "De minister van Financiën,", "E. Heinen"], body_width
    )
    assert second.furniture == ["Pagina 2 van 2"]
    [letter] = parse_file(path).letters
    assert (letter.date, letter.reference) == (date(2025, 7, 14), "2025-0000123456")
    assert letter.subject == "Uitvoering van de motie over de toeslagen"


def test_a_committees_heading_block_goes_to_the_margin_and_still_fills_the_metadata(write_pdf):
    block = [
        "Tweede Kamer der Staten-Generaal",
        "Vaste commissie voor Financiën",
        "Postbus 20018",
        "2500 EA Den Haag",
    ]
    addressee = ["Aan de minister van Financiën", "Postbus 20201", "2500 EE Den Haag"]
    fields = [
        ("Datum", "14 juli 2025"),
        ("Betreft", "Vragen over de Voorjaarsnota 2025"),
        ("Ons kenmerk", "2025Z12345"),
    ]
    ops = b"".join(text_op(LEFT, 730 - 13 * row, 7, line) for row, line in enumerate(block))
    ops += b"".join(text_op(320, 730 - 13 * row, 10, line) for row, line in enumerate(addressee))
    for row, (label, value) in enumerate(fields):
        y = 660 - 13 * row
        ops += text_op(LEFT, y, 7, label) + text_op(150, y, 10, value)
    letter_text = [
        "Geachte minister,",
        "De leden van de commissie hebben vragen over de Voorjaarsnota 2025. Zij ontvangen de "
        "antwoorden graag binnen vier weken.",
        "De voorzitter van de commissie,",
        "J. Jansen",
    ]
    body, _ = column_ops(LEFT, 600, FULL, letter_text)
    path = write_pdf(build_pdf([ops + body]))
    [page] = extract_pages(path)
    assert page.margin == "\n".join([*block, *(f"{label} {value}" for label, value in fields)])
    assert body_lines(page) == addressee + wrapped(letter_text, FULL)
    [letter] = parse_file(path).letters
    assert letter.kind == "questions"
    assert (letter.date, letter.reference) == (date(2025, 7, 14), "2025Z12345")
    assert letter.subject == "Vragen over de Voorjaarsnota 2025"
    assert letter.recipient == "minister van Financiën"
    assert letter.committee == "commissie voor Financiën"
    assert letter.term_days == 28


# --- what stays one column ----------------------------------------------------------------------


def test_a_table_in_a_single_column_letter_is_not_split(write_pdf):
    before, y = column_ops(LEFT, 760, FULL, FIRST)
    table = [
        ("Grond", "2021", "2022", "2023"),
        ("Seksuele gerichtheid", "66", "73", "74"),
        ("Geslacht", "2", "3", "6"),
        ("Handicap of chronische ziekte", "10", "14", "34"),
        ("Totaal", "78", "90", "114"),
    ]
    ops = before
    for row, cells in enumerate(table):
        for x, cell in zip((LEFT, 300, 380, 460), cells, strict=True):
            ops += text_op(x, y - 13 * row, 10, cell)
    after, _ = column_ops(LEFT, y - 13 * len(table) - 13, FULL, SECOND)
    [page] = extracted(write_pdf, [ops + after])
    assert body_lines(page) == wrapped(FIRST, FULL) + [" ".join(cells) for cells in table] + wrapped(
        SECOND, FULL
    )


def test_centered_lines_and_an_indented_list_stay_one_column(write_pdf):
    title = ["Nationaal Programma", "Uitvoering van de wet", "14 juli 2025"]
    ops = b"".join(centered(780 - 14 * row, 10, line) for row, line in enumerate(title))
    items = [f"- {paragraph}" for paragraph in (*FIRST, *SECOND)]
    body, y = column_ops(LEFT, 720, FULL, THIRD)
    listing, y = column_ops(LEFT + 20, y, FULL - 20, items)
    closing, _ = column_ops(LEFT, y, FULL, FOURTH)
    [page] = extracted(write_pdf, [ops + body + listing + closing])
    assert body_lines(page) == [
        *title,
        *wrapped(THIRD, FULL),
        *wrapped(items, FULL - 20),
        *wrapped(FOURTH, FULL),
    ]


def test_labels_in_a_left_column_stay_beside_their_text(write_pdf):
    ops = b""
    y = 760.0
    expected: list[str] = []
    for label, paragraph in (("Vraag 1", FIRST[0]), ("Antwoord 1", THIRD[0]), ("Vraag 2", SECOND[0])):
        lines = wrap(paragraph, 373, 10)
        ops += text_op(LEFT, y, 10, label)
        column, y = column_ops(150, y, 373, [paragraph])
        ops += column
        expected += [f"{label} {lines[0]}", *lines[1:]]
    [page] = extracted(write_pdf, [ops])
    assert body_lines(page) == expected


# --- end to end -----------------------------------------------------------------------------------

MASTHEAD = [
    "Tweede Kamer der Staten-Generaal",
    "Vergaderjaar 2025–2026 Aanhangsel van de Handelingen",
    "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden",
    "412",
]
TITLE = [
    "Vragen van het lid Zwart (SP) aan de Minister van Sociale Zaken en Werkgelegenheid over de "
    "fictieve Toeslagenmonitor (ingezonden 8 september 2025).",
    "Antwoord van Minister Kooistra (Sociale Zaken en Werkgelegenheid) (ontvangen 29 september 2025).",
]
STREAM = [
    "Vraag 1",
    "Kent u het bericht over de fictieve Toeslagenmonitor 2025, waarin staat dat steeds meer "
    "huishoudens hun toeslag moeten terugbetalen?",
    "Antwoord 1",
    "Ja, ik ken het bericht. De monitor laat zien dat het aantal terugvorderingen in 2024 is "
    "gestegen, vooral bij huishoudens met een wisselend inkomen.",
    "Vraag 2",
    "Hoeveel huishoudens moesten in 2024 een toeslag terugbetalen, en hoeveel daarvan hadden een "
    "betalingsregeling nodig?",
    "Antwoord 2",
    "In 2024 moesten 410.000 huishoudens een toeslag terugbetalen, van wie 95.000 een "
    "betalingsregeling hadden. Het kabinet volgt deze aantallen nauwgezet en rapporteert er "
    "twee keer per jaar over aan uw Kamer.",
    "Vraag 3",
    "Welke maatregelen neemt u om terugvorderingen te beperken, en wanneer worden die maatregelen ingevoerd?",
    "Antwoord 3",
    "De maatregelen worden in 2026 ingevoerd en kosten 12 miljoen euro. Zie voor de achtergrond "
    "ook het antwoord op vraag 1.",
]


def kamervragen_pdf(*, columns: bool) -> bytes:
    """The same Kamervragen typeset in one column or, below the title, in two."""
    ops = b"".join(text_op(LEFT, 780 - 14 * row, 10, line) for row, line in enumerate(MASTHEAD))
    title, y = column_ops(LEFT, 720, FULL, TITLE)
    ops += title
    if not columns:
        stream, _ = column_ops(LEFT, y, FULL, STREAM)
        return build_pdf([ops + stream])
    # The stream's lines split over the columns halfway, in the middle of a paragraph.
    lines = [line for paragraph in STREAM for line in [*wrap(paragraph, HALF, 10), ""]]
    half = len(lines) // 2 + 1
    for x, part in ((LEFT, lines[:half]), (RIGHT, lines[half:])):
        ops += b"".join(text_op(x, y - 13 * row, 10, line) for row, line in enumerate(part) if line)
    return build_pdf([ops])


def summary(result: ParseResult) -> tuple:
    return (
        [(letter.kind, letter.date, letter.aanhangsel_number) for letter in result.letters],
        [(question.label, question.text) for question in result.questions],
        [(answer.label, answer.covers, answer.refers_to, answer.text) for answer in result.answers],
        [warning.code for warning in result.warnings],
    )


def test_kamervragen_in_two_columns_parse_as_in_one(write_pdf):
    single = parse_file(write_pdf(kamervragen_pdf(columns=False), "single.pdf"))
    double = parse_file(write_pdf(kamervragen_pdf(columns=True), "double.pdf"))
    assert [question.label for question in single.questions] == ["1", "2", "3"]
    assert [answer.covers for answer in single.answers] == [[0], [1], [2]]
    assert single.answers[1].text.endswith("twee keer per jaar over aan uw Kamer.")
    assert summary(double) == summary(single)


def test_the_two_column_kamervragen_page_keeps_the_title_above_the_columns(write_pdf):
    [page] = extract_pages(write_pdf(kamervragen_pdf(columns=True)))
    lines = body_lines(page)
    assert lines[: len(MASTHEAD)] == MASTHEAD
    assert lines[len(MASTHEAD) : len(MASTHEAD) + len(wrapped(TITLE, FULL))] == wrapped(TITLE, FULL)
    assert lines[len(MASTHEAD) + len(wrapped(TITLE, FULL)) :] == wrapped(STREAM)


def test_text_spread_far_beyond_the_page_costs_no_more_than_a_page(write_pdf):
    ops, _ = two_columns(760, FIRST, SECOND)
    far = b"".join(b"BT /F1 10 Tf 100000000 %d Td (ver weg) Tj ET\n" % (700 - 13 * row) for row in range(3))
    started = time.perf_counter()
    [page] = extracted(write_pdf, [ops + far])
    assert time.perf_counter() - started < 5
    assert "ver weg" in page.text
