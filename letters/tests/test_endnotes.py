"""Notes are told from the body by their smaller type against the whole document's body size,
wherever they sit on the page: endnotes after a letter's last paragraph, on pages of their own,
and a note running on over a page break (issue 13 §2)."""

from __future__ import annotations

from pathlib import Path

from letters.parser.extract import extract_pages
from letters.parser.text import Document, build_document

from .pdfs import build_pdf, column_ops, text_op, wrap

BODY = [
    "De minister heeft de Kamer op 12 maart geïnformeerd over de voortgang van het programma en de "
    "stand van de uitvoering in de gemeenten, zoals in de vorige brief was toegezegd aan de leden.",
    "In deze brief ga ik in op de vragen die de leden van de vaste commissie hebben gesteld over de "
    "planning, de kosten en de gevolgen voor de uitvoeringsorganisaties in het komende jaar.",
    "Tot slot informeer ik u over de evaluatie die in het najaar zal verschijnen en over de wijze "
    "waarop de Kamer daarbij wordt betrokken, zodat zij haar oordeel tijdig kan vormen.",
]
NOTE_SIZE, NOTE_LEADING = 8.0, 10.0


def notes_ops(y: float, notes: list[list[str]], *, gap: float = 6.0) -> tuple[bytes, float]:
    """Notes in small print from `y` down, each a list of its lines, `gap` points between notes;
    returns the operators and the baseline below the last line."""
    ops = bytearray()
    for note in notes:
        for line in note:
            ops += text_op(72, y, NOTE_SIZE, line)
            y -= NOTE_LEADING
        y -= gap
    return bytes(ops), y


def read(tmp_path: Path, contents: list[bytes]) -> Document:
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(build_pdf(contents))
    return build_document(extract_pages(pdf))


def body_page(notes: list[list[str]] | None = None) -> bytes:
    """A page of the body's three paragraphs in 10 pt, endnotes below them."""
    ops, y = column_ops(72, 760, 450, BODY)
    return ops + notes_ops(y - 20, notes or [])[0]


def body_texts(document: Document) -> str:
    return " ".join(line.text for line in document.lines)


def test_endnotes_running_over_two_pages_are_all_notes(tmp_path):
    first = [["1 Kamerstukken II 2023/24, 36 471, nr. 96."], ["2 Kamerstukken I 2023/24, 30 573, I, p. 19."]]
    second, _ = notes_ops(760, [["3 Kamerstukken I 2023/24, 30 573, I, p. 94."], ["4 Zie ook het verslag."]])
    document = read(tmp_path, [body_page(first), second])
    assert [note[:2] for note in document.footnotes] == ["1 ", "2 ", "3 ", "4 "]
    assert "Kamerstukken" not in body_texts(document)
    assert body_texts(document).endswith("tijdig kan vormen.")


def test_a_page_of_endnotes_with_no_body_line_reads_its_wrapped_notes_whole(tmp_path):
    notes = [
        ["1 Zie hiervoor ook: Liboreiro, J. (2024). New Dutch government", "wants an opt-out from EU"],
        ["migration policy. But is it possible? Euronews.", "(p. 74)."],
        ["2 Kamerstukken I 2023/24, 30 573, I, bijlage, p. 19."],
    ]
    # a gap inside the first note, as a typesetter leaves where a long URL went to the next line
    page, _ = notes_ops(760, notes, gap=8.0)
    document = read(tmp_path, [body_page(), page])
    assert body_texts(document).endswith("tijdig kan vormen.")
    assert len(document.footnotes) == 2
    assert document.footnotes[0].endswith("Euronews. (p. 74).")


def test_a_note_continuing_over_a_page_break_stays_one_note(tmp_path):
    first = [["1 Samenstelling: Croll (BBB), Marquart Scholtz (BBB), Griffioen (BBB), Karimi"]]
    second, _ = notes_ops(
        760, [["(GroenLinks-PvdA), Veldhoen (GroenLinks-PvdA), Schalk (SGP)"], ["2 Kamerstukken II, nr. 3."]]
    )
    document = read(tmp_path, [body_page(first), second])
    assert document.footnotes[0].endswith(
        "Karimi (GroenLinks-PvdA), Veldhoen (GroenLinks-PvdA), Schalk (SGP)"
    )
    assert document.footnotes[1] == "2 Kamerstukken II, nr. 3."
    assert "Schalk" not in body_texts(document)


def test_a_body_size_line_after_small_print_is_body_again(tmp_path):
    ops, y = column_ops(72, 760, 450, BODY)
    # two full lines of a note, then the body at the note's own pitch: no gap, no short line, only
    # its type says the body resumes
    note = wrap("1 " + " ".join(BODY), 450, NOTE_SIZE)[:2]
    notes, y = notes_ops(y - 20, [note], gap=0.0)
    after = text_op(72, y, 10, "Hoogachtend, de minister van Asiel en Migratie")
    document = read(tmp_path, [ops + notes + after])
    assert document.footnotes == [" ".join(note)]
    assert document.lines[-1].text == "Hoogachtend, de minister van Asiel en Migratie"


def test_a_page_whose_body_is_all_small_print_is_not_taken_for_notes(tmp_path):
    note = [["1 Kamerstukken II 2023/24, 36 471, nr. 96."]]
    small_body, _ = column_ops(72, 760, 450, BODY[:2], size=NOTE_SIZE, leading=NOTE_LEADING)
    document = read(tmp_path, [body_page(note), small_body])
    assert document.footnotes == ["1 Kamerstukken II 2023/24, 36 471, nr. 96."]
    assert body_texts(document).endswith("uitvoeringsorganisaties in het komende jaar.")
    assert [line.page for line in document.lines].count(2) > 1


def raised_note(y: float, number: str, text: str) -> bytes:
    """A note numbered by a raised figure, as a word processor sets its endnotes."""
    return text_op(72, y + 3, 5, number) + text_op(76, y, NOTE_SIZE, text)


def test_endnotes_numbered_by_raised_figures_on_a_page_of_their_own_keep_their_numbers(tmp_path):
    page = (
        raised_note(760, "2", "Kamerstukken I 2023/24, 30 573, I, p. 19,")
        + text_op(72, 750, NOTE_SIZE, "bijlage bij de brief.")
        + raised_note(735, "3", "Zie ook het verslag.")
    )
    document = read(tmp_path, [body_page(), page])
    assert document.footnotes == [
        "2 Kamerstukken I 2023/24, 30 573, I, p. 19, bijlage bij de brief.",
        "3 Zie ook het verslag.",
    ]
    assert body_texts(document).endswith("tijdig kan vormen.")
