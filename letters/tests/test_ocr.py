"""Scanned letters are read by OCR (Tesseract, Dutch) and parsed like any other letter.

The scans are made here: a sample letter is set as a PDF with a text layer, its pages are rendered
to images and wrapped as a PDF without one, and both must give the same letters, questions and
answers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from letters.parser import ocr, parse_file
from letters.parser.extract import UnreadableDocument, _unreadable, extract_document
from letters.parser.text import content_words, similarity

from .pdfs import blank_scan, build_pdf, scanned, text_pdf
from .typeset import LAYOUTS, projection, typeset

needs_tesseract = pytest.mark.skipif(
    not ocr.available(),
    reason="Tesseract and its Dutch model are not installed (apt install tesseract-ocr tesseract-ocr-nld)",
)

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"
LAYOUT = {layout.name: layout for layout in LAYOUTS}
# Typeset fixtures scanned at 200 or 300 dpi: footnotes and endnotes whose raised numbers OCR
# reads as marks or leaves out, combined labels, "Kamerstukken I" and "'s-Gravenhage" headers.
SCANS = [
    # footnotes at the foot of the page; "'s-Gravenhage, 1 juli", "uiterlijk 1 oktober"
    ("parser/variants/ek_bundel_ocw.txt", "serif-footnotes", 200),
    # a footnote number read as a backslash
    ("parser/variants/tk_leden_staatssecretaris.txt", "serif-footnotes", 200),
    # endnotes; "jeugdzorg.2" read as "jeugdzorg?"; "Kamerstukken 1"
    ("samples/ek-bundel-jeugdzorg.txt", "sans-endnotes", 300),
    # a bill round's combined item "1, 2 en 3" read as "1, 2en3"
    ("parser/bill_rounds/tk_nota_nader.txt", "serif-footnotes", 200),
    # combined labels: "Vraag 2 en 3", "Vragen 4, 5 en 6", "Antwoord op vraag 2 en 3"
    ("parser/variants/tk_gecombineerde_labels.txt", "sans-endnotes", 300),
    # a ministry's letterhead column, whose lines OCR starts a point apart
    ("parser/lone_answer_letter.txt", "ministry-letterhead", 300),
]


def sample_pdf(name: str) -> bytes:
    from intake.management.commands.load_sample_data import render

    return text_pdf(render((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"), today=date(2025, 6, 2)))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def same_text(read: str, expected: str) -> bool:
    """The same text up to OCR noise (a misread quote mark), by the parser's own measure."""
    return read == expected or similarity(content_words(read), content_words(expected)) > 0.9


def unreadable(path: Path) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        extract_document(path, timeout_s=120)
    return caught.value


@needs_tesseract
@pytest.mark.parametrize("sample", ["tk-kamervragen-asiel", "ek-bundel-wonen"])
def test_a_scanned_letter_gives_the_same_letters_questions_and_answers_as_its_text_pdf(tmp_path, sample):
    original = sample_pdf(sample)
    text = parse_file(write(tmp_path, "text.pdf", original))
    scan = parse_file(write(tmp_path, "scan.pdf", scanned(original, dpi=200)))

    assert scan.pages == text.pages >= 1
    assert len(scan.letters) == len(text.letters) >= 2
    for read, expected in zip(scan.letters, text.letters, strict=True):
        assert {**vars(read), "text": ""} == {**vars(expected), "text": ""}
        assert same_text(read.text, expected.text)
    assert [(q.letter, q.label, q.party, q.member, q.page) for q in scan.questions] == [
        (q.letter, q.label, q.party, q.member, q.page) for q in text.questions
    ]
    assert [(a.letter, a.label, a.covers, a.refers_to, a.page) for a in scan.answers] == [
        (a.letter, a.label, a.covers, a.refers_to, a.page) for a in text.answers
    ]
    assert text.questions and text.answers
    # OCR may misread a quote mark, never the words that make the pairs.
    for read, expected in zip(scan.questions + scan.answers, text.questions + text.answers, strict=True):
        assert same_text(read.text, expected.text)
    assert text.ocr == []
    assert [page.page for page in scan.ocr] == list(range(1, text.pages + 1))
    assert all(page.confidence >= ocr.CONFIDENCE_FLOOR and not page.low for page in scan.ocr)
    assert [w.code for w in scan.warnings] == [w.code for w in text.warnings]


@needs_tesseract
@pytest.mark.parametrize(("name", "layout", "dpi"), SCANS, ids=["-".join(map(str, case)) for case in SCANS])
def test_a_scan_of_a_typeset_letter_reads_like_the_letter(tmp_path, name, layout, dpi):
    source = Path(settings.BASE_DIR) / "fixtures" / name
    original = typeset(source.read_text(encoding="utf-8"), LAYOUT[layout])
    text = parse_file(write(tmp_path, "text.pdf", original))
    scan = parse_file(write(tmp_path, "scan.pdf", scanned(original, dpi=dpi)))

    assert text.questions
    assert projection(scan) == projection(text)
    assert text.ocr == []
    assert [page.page for page in scan.ocr] == list(range(1, text.pages + 1))
    assert all(page.confidence >= ocr.CONFIDENCE_FLOOR and not page.low for page in scan.ocr)


@needs_tesseract
def test_the_parsers_json_says_which_pages_were_read_by_ocr(tmp_path):
    result = parse_file(write(tmp_path, "scan.pdf", scanned(sample_pdf("tk-kamervragen-asiel"))))
    [page] = result.to_dict()["ocr"]
    assert page["page"] == 1 and page["low"] is False and 60 <= page["confidence"] <= 100


@needs_tesseract
def test_a_scanned_page_with_nothing_legible_is_refused_with_the_no_text_message(tmp_path):
    error = unreadable(write(tmp_path, "blank.pdf", blank_scan()))
    assert error.code == "no_text"
    assert error.message == _unreadable("no_text").message


@needs_tesseract
def test_a_poorly_scanned_page_is_flagged_for_the_clerk(tmp_path):
    poor = scanned(sample_pdf("tk-kamervragen-asiel"), dpi=75, noise=0.05)
    result = parse_file(write(tmp_path, "poor.pdf", poor))
    [page] = result.ocr
    assert page.low and page.confidence < ocr.CONFIDENCE_FLOOR
    [flag] = [w for w in result.warnings if w.code == "ocr_low_confidence"]
    assert flag.params == {"page": 1, "confidence": round(page.confidence)}


@needs_tesseract
def test_the_confidence_floor_is_the_callers(tmp_path):
    from letters.parser import parse_pages

    pages = extract_document(write(tmp_path, "scan.pdf", scanned(sample_pdf("tk-kamervragen-asiel"))))
    assert [p.low for p in parse_pages(pages, source="scan.pdf", ocr_floor=99.9).ocr] == [True]
    assert [p.low for p in parse_pages(pages, source="scan.pdf", ocr_floor=10).ocr] == [False]


def test_without_tesseract_a_scan_fails_naming_the_packages_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "griffie-no-such-tesseract")
    error = unreadable(write(tmp_path, "scan.pdf", scanned(sample_pdf("tk-kamervragen-asiel"))))
    assert error.code == "ocr_unavailable"
    assert "tesseract-ocr" in error.message and "tesseract-ocr-nld" in error.message


def test_without_tesseract_a_long_scan_read_by_several_children_fails_naming_the_packages(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(ocr, "TESSERACT", "griffie-no-such-tesseract")
    page = b"BT /F1 12 Tf 72 700 Td (Vraag 1 Is de brief aangeboden?) Tj ET\n"
    path = write(tmp_path, "scan.pdf", scanned(build_pdf([page] * 12), dpi=50))
    with pytest.raises(UnreadableDocument) as caught:
        extract_document(path, timeout_s=120, processes=2)
    assert caught.value.code == "ocr_unavailable"
    assert "tesseract-ocr" in caught.value.message


@needs_tesseract
def test_without_the_dutch_model_a_scan_fails_naming_its_package(tmp_path, monkeypatch):
    (tmp_path / "tessdata").mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "tessdata"))
    error = unreadable(write(tmp_path, "scan.pdf", scanned(sample_pdf("tk-kamervragen-asiel"))))
    assert error.code == "ocr_unavailable"
    assert "missing: tesseract-ocr-nld" in error.message


def test_a_pdf_with_a_text_layer_is_not_read_by_ocr(tmp_path, monkeypatch):
    # Were OCR tried, the missing command would fail the file.
    monkeypatch.setattr(ocr, "TESSERACT", "griffie-no-such-tesseract")
    result = parse_file(write(tmp_path, "text.pdf", sample_pdf("tk-kamervragen-asiel")))
    assert result.ocr == [] and result.questions


def hocr(*paragraphs: list[tuple[int, list[tuple[str, int]]]]) -> str:
    """Tesseract's hOCR for paragraphs of lines: (x-height, [(word, confidence), ...]) per line,
    each word 10 pixels a character, each character its own box."""
    body, top = [], 10
    for number, lines in enumerate(paragraphs):
        body.append(f"<p class='ocr_par' id='par_1_{number}'>")
        for x_height, words in lines:
            bottom = top + 2 * x_height
            body.append(
                f"<span class='ocr_line' title=\"bbox 10 {top} 900 {bottom}; baseline 0 -4; "
                f'x_size {2 * x_height}; x_descenders {x_height / 2}; x_ascenders {x_height / 2}">'
            )
            left = 10
            for text, confidence in words:
                right = left + 10 * len(text)
                chars = "".join(
                    f"<span class='ocrx_cinfo' title='x_bboxes {left + 10 * i} {top} {left + 10 * i + 10} "
                    f"{bottom}; x_conf 90'>{char}</span>"
                    for i, char in enumerate(text)
                )
                box = f"bbox {left} {top} {right} {bottom}"
                body.append(f"<span class='ocrx_word' title='{box}; x_wconf {confidence}'>{chars}</span>")
                left = right + 10
            body.append("</span>")
            top = bottom + 10
        body.append("</p>")
    return f"<html xmlns='http://www.w3.org/1999/xhtml'><body>{''.join(body)}</body></html>"


def test_a_bar_read_for_a_capital_i_and_a_letter_read_for_a_lone_one_are_put_right():
    [line] = ocr._lines(hocr([(20, [("Kamerstukken", 96), ("|", 80), ("uiterlijk", 90), ("l", 70)])]))
    words = ocr._line_words(line, [])
    assert [w["text"] for w in words] == ["Kamerstukken", "I", "uiterlijk", "1"]
    assert ocr._mean_confidence(words) == 84.0


def test_lines_of_one_paragraph_are_one_size_and_a_paragraph_in_smaller_type_keeps_its_own():
    body = [(21, [("Tekst", 95)]), (20, [("die", 95)]), (22, [("doorloopt", 95)])]
    lines = ocr._lines(hocr(body, [(16, [("Kamerstukken", 95)])]))
    ocr._even_out(lines)
    assert [line.x_height for line in lines] == [21, 21, 21, 16]


def test_a_raised_number_read_as_a_mark_is_a_small_word_of_its_own_read_as_digits():
    [line] = ocr._lines(hocr([(20, [("Sport!", 95), ("heeft", 95)])]))
    words = ocr._line_words(line, [((60, 12, 66, 26), "1")])
    assert [w["text"] for w in words] == ["Sport", "1", "heeft"]
    assert words[1]["x_height"] < 0.85 * words[0]["x_height"]
    assert words[1]["conf"] is None and ocr._mean_confidence(words) == 95.0


def test_a_stop_and_a_raised_number_read_as_one_mark_give_the_stop_back():
    [line] = ocr._lines(hocr([(20, [("rechtspraak!", 95)])]))
    words = ocr._line_words(line, [((126, 12, 130, 26), "1")])
    assert [w["text"] for w in words] == ["rechtspraak.", "1"]


def test_a_quote_mark_made_of_the_hook_of_a_question_mark_is_left_out_and_a_real_one_kept():
    [line] = ocr._lines(hocr([(20, [("vrachtverkeer’?", 95)])]).replace("x_bboxes 150 ", "x_bboxes 145 "))
    assert [w["text"] for w in line.words] == ["vrachtverkeer?"]
    [line] = ocr._lines(hocr([(20, [("chaos”?", 95)])]))
    assert [w["text"] for w in line.words] == ["chaos”?"]


def test_ocr_slips_in_a_header_are_read_where_the_parser_reads_them():
    from letters.parser import metadata
    from letters.parser.labels import parse_marker

    assert metadata.dossiers(["Kamerstukken 1 2025/26, 31839, AB."], "EK") == ["31839, AB"]
    assert metadata.chamber("", ["Kamerstukken 1 2025/26, 31839, AB."]) == "EK"
    assert metadata.letter_date(["‘s-Gravenhage, 1 juli 2025"]) == date(2025, 7, 1)
    for line in ("Antwoord 4en 5", "Antwoord 4 en5", "Antwoord 4en5"):
        marker = parse_marker(line)
        assert (marker.kind, marker.label, marker.numbers) == ("answer", "4 en 5", (4, 5))


def test_parse_letter_says_which_pages_were_read_by_ocr_and_which_are_low():
    from letters.management.commands.parse_letter import summary
    from letters.parser import ParseResult

    result = ParseResult(source="scan.pdf", pages=3)
    result.ocr = ocr.summarise([(1, 94.6), (2, 41.0), (3, None)])
    assert "read by OCR, confidence per page: p. 1 95%, p. 2 41% (low), p. 3 nothing legible" in summary(
        result
    )
