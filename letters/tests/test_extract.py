"""PDF and plain-text extraction: layout cleaning on the real corpus, hostile files built here."""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import re
import signal
import threading
import time
import zlib
from pathlib import Path

import pytest

from letters.parser import extract
from letters.parser.extract import (
    PAGES_PER_RANGE,
    PageText,
    UnreadableDocument,
    extract_document,
    extract_pages,
    iter_document,
    normalise,
    page_ranges,
    text_pages,
)

from .pdfs import build_pdf, text_op

# --- building PDFs ------------------------------------------------------------------------


def letter_page() -> bytes:
    """A page in the Aanhangsel style: footnote marker, footnote, hyphenation, running footer."""
    return b"".join(
        [
            text_op(72, 760, 10, "Vraag 1"),
            # "aangeboden" with a raised 6 pt marker glued to it, then ordinary text
            b"BT /F1 10 Tf 72 745 Td (Is de brief van 2024 aangeboden) Tj "
            b"/F1 6 Tf 4 Ts (1) Tj 0 Ts /F1 10 Tf (? Zie artikel 3.) Tj ET\n",
            text_op(72, 730, 10, "Dit is de regen-"),
            text_op(72, 715, 10, "boogprovincie van GroenLinks-"),
            text_op(72, 700, 10, "PvdA en de aanloop-"),
            text_op(72, 685, 10, "en volloopverliezen in Noord-Holland."),
            b"BT /F1 5 Tf 72 112 Td 3 Ts (1) Tj 0 Ts "
            b"/F1 7 Tf 4 0 Td (Kamerstukken I 2024/25, 36521, B.) Tj ET\n",
            text_op(72, 80, 6, "ah-tk-20232024-1314"),
            text_op(72, 72, 6, "ISSN 0921-7398"),
            text_op(200, 72, 9, "Tweede Kamer, vergaderjaar 2023-2024, Aanhangsel"),
            text_op(520, 72, 9, "1"),
        ]
    )


def unreadable_code(call) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        call()
    assert caught.value.message.endswith(".")
    return caught.value.code


# --- normalise and plain text ----------------------------------------------------------------


def test_normalise_applies_nfkc_and_no_break_spaces_and_strips_line_ends():
    assert (
        normalise("de ﬁnanciële\u00a0bijdrage  \nvolgende regel\t")
        == "de financiële bijdrage\nvolgende regel"
    )


def test_normalise_composes_a_spacing_accent_drawn_after_its_letter():
    assert normalise("Kostic´ (PvdD)") == "Kostić (PvdD)"


def test_normalise_maps_symbol_font_bullets_and_drops_soft_hyphens():
    assert normalise("\uf0b7 De uitgaande brief, ver\u00adslag") == "• De uitgaande brief, verslag"


def test_text_pages_splits_on_form_feeds_and_numbers_pages():
    pages = text_pages("Eerste pagina\fTweede pagina\f")
    assert [(page.number, page.text) for page in pages] == [(1, "Eerste pagina"), (2, "Tweede pagina")]


def test_text_pages_without_form_feed_is_one_page_with_footnotes_inline():
    pages = text_pages("De commissie1 vergaderde.\n1 Samenstelling: Lagas (BBB)")
    assert len(pages) == 1
    assert pages[0].footnotes == []
    assert "1 Samenstelling: Lagas (BBB)" in pages[0].text


@pytest.mark.parametrize(
    ("broken", "joined"),
    [
        ("om zich regen-\nboogprovincie te noemen", "om zich regenboogprovincie\nte noemen"),
        ("Fiers (GroenLinks-\nPvdA), Recourt", "Fiers (GroenLinks-PvdA),\nRecourt"),
        ("provincie Noord-\nHolland", "provincie Noord-Holland"),
        ("het DRC-\ntracé verkennen", "het DRC-tracé\nverkennen"),
        ("de politie-\ninzet", "de politie-inzet"),
        ("per e-\nmail", "per e-mail"),
        ("de jaren 2023-\n2024", "de jaren 2023-2024"),
        ("de aanloop-\nen volloopverliezen", "de aanloop-\nen volloopverliezen"),
        ("van Oost-\nof Zuid-Nederland", "van Oost-\nof Zuid-Nederland"),
        ("zie https://\nwww.movisie.nl/a", "zie https://www.movisie.nl/a"),
        ("in deze brief -\nzoals gezegd", "in deze brief -\nzoals gezegd"),
    ],
)
def test_text_pages_joins_words_broken_at_line_end_but_keeps_real_hyphens(broken: str, joined: str):
    assert text_pages(broken)[0].text == joined


def test_text_pages_handles_a_one_megabyte_line_in_linear_time():
    line = "woord-" * 100_000 + " " * 200_000 + "x" + " " * 200_000
    started = time.perf_counter()
    pages = text_pages(line + "\n" + line)
    assert time.perf_counter() - started < 5
    assert pages[0].text.count("\n") == 1
    assert normalise(" " * 1_000_000 + "x") == " " * 1_000_000 + "x"


# --- PDF layout on generated files --------------------------------------------------------------


def test_footnote_marker_is_removed_by_size_and_position_while_numbers_survive(write_pdf):
    [page] = extract_pages(write_pdf(build_pdf([letter_page()])))
    assert "Is de brief van 2024 aangeboden? Zie artikel 3." in page.text
    assert page.footnotes == ["1 Kamerstukken I 2024/25, 36521, B."]
    assert "Kamerstukken" not in page.text


def test_running_footer_moves_from_text_to_furniture(write_pdf):
    [page] = extract_pages(write_pdf(build_pdf([letter_page()])))
    assert page.furniture == [
        "ah-tk-20232024-1314",
        "ISSN 0921-7398",
        "Tweede Kamer, vergaderjaar 2023-2024, Aanhangsel 1",
    ]
    assert "ah-tk" not in page.text
    assert "vergaderjaar" not in page.text


def test_a_bare_number_in_the_foot_band_numbers_the_text_below_it_not_the_page(write_pdf):
    body = [
        "Het budget is in 2025 verdeeld naar het aantal leerlingen van iedere school.",
        "3",
        "Waarom daalt het budget voor de onderwijsachterstandenregeling in 2026?",
    ]
    # the body's last lines sit in the page's foot band (below 87% of its height); "3" is alone
    ops = b"".join(text_op(72, 120 - 14 * row, 10, line) for row, line in enumerate(body))
    ops += text_op(290, 40, 8, "7")  # the folio, with nothing below it
    [page] = extract_pages(write_pdf(build_pdf([ops])))
    assert page.text.split("\n") == body
    assert page.furniture == ["7"]


def test_hyphenated_words_are_joined_and_real_hyphens_kept_in_pdf_text(write_pdf):
    [page] = extract_pages(write_pdf(build_pdf([letter_page()])))
    assert "regenboogprovincie" in page.text
    assert "GroenLinks-PvdA" in page.text
    assert "aanloop-\nen volloopverliezen in Noord-Holland." in page.text


def test_extract_document_returns_the_same_pages_as_in_process(write_pdf):
    path = write_pdf(build_pdf([letter_page(), text_op(72, 700, 10, "Tweede pagina met tekst.")]))
    assert extract_document(path) == list(extract_pages(path))


# --- hostile files ---------------------------------------------------------------------------------


def test_bytes_that_are_not_a_pdf_are_refused(write_pdf):
    path = write_pdf(b"PK\x03\x04 this is a zip file, not a letter", "letter.pdf")
    assert unreadable_code(lambda: list(extract_pages(path))) == "not_pdf"
    assert unreadable_code(lambda: extract_document(path)) == "not_pdf"


def test_an_empty_file_is_not_a_pdf(write_pdf):
    assert unreadable_code(lambda: extract_document(write_pdf(b""))) == "not_pdf"


def test_a_truncated_pdf_is_damaged(write_pdf):
    data = build_pdf([letter_page()] * 3, compress=True)
    path = write_pdf(data[: len(data) // 2])
    assert unreadable_code(lambda: extract_document(path)) == "damaged"


def test_a_pdf_with_garbage_objects_is_damaged(write_pdf):
    path = write_pdf(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n" + b"\x00" * 500 + b"\n%%EOF\n"
    )
    assert unreadable_code(lambda: extract_document(path)) == "damaged"


def test_an_encrypted_pdf_is_refused_with_a_password_hint(write_pdf):
    pypdf = pytest.importorskip("pypdf")
    source = write_pdf(build_pdf([letter_page()]), "plain.pdf")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    path = source.with_name("encrypted.pdf")
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableDocument) as caught:
        extract_document(path)
    assert caught.value.code == "encrypted"
    assert "password" in caught.value.message


def test_a_scan_without_text_layer_has_no_text(write_pdf):
    drawing = b"0.5 g 72 72 451 698 re f\n"
    path = write_pdf(build_pdf([drawing, drawing]))
    assert unreadable_code(lambda: list(extract_pages(path))) == "no_text"
    assert unreadable_code(lambda: extract_document(path)) == "no_text"


def test_a_deflate_bomb_is_stopped_by_the_memory_limit(write_pdf):
    compressor = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    bomb = b"".join(compressor.compress(chunk) for _ in range(600)) + compressor.flush()
    assert len(bomb) < 1 << 20  # a small file that inflates to 600 MB
    path = write_pdf(build_pdf([b""], stream_filter_data=bomb))
    started = time.perf_counter()
    code = unreadable_code(lambda: extract_document(path, memory_limit_mb=300, timeout_s=60))
    assert code == "out_of_memory"
    assert time.perf_counter() - started < 30


@pytest.fixture(scope="module")
def thousand_pages(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "thousand.pdf"
    path.write_bytes(
        build_pdf(
            [text_op(72, 700, 10, f"Dit is pagina {number} van de bijlage.") for number in range(1, 1001)]
        )
    )
    return path


def test_a_thousand_page_pdf_is_extracted_in_the_child_within_the_memory_limit(thousand_pages):
    pages = extract_document(thousand_pages, memory_limit_mb=100, timeout_s=120)
    assert len(pages) == 1000
    assert pages[-1] == PageText(1000, "Dit is pagina 1000 van de bijlage.", [], "", [])


def test_more_pages_than_allowed_are_refused_before_extraction(thousand_pages):
    with pytest.raises(UnreadableDocument) as caught:
        extract_document(thousand_pages, max_pages=999)
    assert caught.value.code == "too_many_pages"
    assert "1000 pages" in caught.value.message


def test_a_slow_extraction_is_stopped_at_the_timeout(thousand_pages):
    started = time.perf_counter()
    assert unreadable_code(lambda: extract_document(thousand_pages, timeout_s=0.05)) == "timeout"
    assert time.perf_counter() - started < 1


# --- the forked child -----------------------------------------------------------------------------
# The child is forked, so a fake `extract_pages` patched into the module runs in the child.


def test_the_memory_limit_is_extra_memory_beyond_what_the_caller_maps(write_pdf):
    path = write_pdf(build_pdf([letter_page()]))
    with mmap.mmap(-1, 1 << 30):  # a gigabyte of address space, never touched
        [page] = extract_document(path, memory_limit_mb=100)
    assert page.footnotes == ["1 Kamerstukken I 2024/25, 36521, B."]


@pytest.mark.parametrize(
    ("signal_number", "code"),
    [
        (signal.SIGKILL, "out_of_memory"),  # what the kernel's OOM killer sends
        (signal.SIGXCPU, "timeout"),  # the CPU limit that bounds an orphaned child
        (signal.SIGTERM, "interrupted"),
    ],
)
def test_a_child_killed_by_a_signal_is_reported_and_the_caller_carries_on(
    write_pdf, monkeypatch, signal_number: int, code: str
):
    path = write_pdf(build_pdf([letter_page()]))

    def killed(path, *, max_pages, on_open):
        yield PageText(1, "first page", [])
        os.kill(os.getpid(), signal_number)

    with monkeypatch.context() as patch:
        patch.setattr(extract, "extract_pages", killed)
        with pytest.raises(UnreadableDocument) as caught:
            extract_document(path, timeout_s=10)
    assert caught.value.code == code
    if code == "interrupted":
        assert "SIGTERM" in caught.value.message
    assert len(extract_document(path)) == 1


def test_an_unexpected_error_in_the_child_is_damaged_and_its_traceback_kept(write_pdf, monkeypatch, capfd):
    path = write_pdf(build_pdf([letter_page()]))

    def failing(path, *, max_pages, on_open):
        raise RuntimeError("a bug in the cleaning code")
        yield

    monkeypatch.setattr(extract, "extract_pages", failing)
    assert unreadable_code(lambda: extract_document(path)) == "damaged"
    assert "RuntimeError: a bug in the cleaning code" in capfd.readouterr().err


def test_a_hanging_child_is_killed_and_reaped_at_the_timeout(write_pdf, monkeypatch, tmp_path: Path):
    path = write_pdf(build_pdf([letter_page()]))
    pid_file = tmp_path / "child.pid"

    def hanging(path, *, max_pages, on_open):
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)
        yield

    monkeypatch.setattr(extract, "extract_pages", hanging)
    started = time.perf_counter()
    with pytest.raises(UnreadableDocument) as caught:
        extract_document(path, timeout_s=0.5)
    assert caught.value.code == "timeout"
    assert "0.5 seconds" in caught.value.message
    assert time.perf_counter() - started < 5
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left as a zombie
        os.kill(int(pid_file.read_text()), 0)


def test_a_dead_child_is_noticed_while_another_process_holds_the_pipe_open(write_pdf, monkeypatch):
    """A process forked meanwhile (here by the child itself) keeps the pipe from closing."""
    path = write_pdf(build_pdf([letter_page()]))

    def forking(path, *, max_pages, on_open):
        if os.fork() == 0:
            time.sleep(5)
            os._exit(0)
        os.kill(os.getpid(), signal.SIGKILL)
        yield

    monkeypatch.setattr(extract, "extract_pages", forking)
    started = time.perf_counter()
    assert unreadable_code(lambda: extract_document(path, timeout_s=30)) == "out_of_memory"
    assert time.perf_counter() - started < 2


def test_extract_document_works_from_a_thread_while_other_threads_log(write_pdf):
    """As in a Celery worker thread: the child is forked while other threads hold locks."""
    path = write_pdf(build_pdf([letter_page()]))
    logger = logging.getLogger("griffie.test.busy")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    stop = threading.Event()

    def log_continuously() -> None:
        while not stop.is_set():
            logger.warning("busy")

    results: list[list[PageText]] = []
    busy = threading.Thread(target=log_continuously)
    busy.start()
    try:
        for _ in range(5):
            worker = threading.Thread(target=lambda: results.append(extract_document(path, timeout_s=20)))
            worker.start()
            worker.join()
    finally:
        stop.set()
        busy.join()
    assert [len(pages) for pages in results] == [1] * 5


def test_a_page_with_one_very_long_line_is_extracted(write_pdf):
    path = write_pdf(build_pdf([text_op(72, 700, 10, "lang-woord " * 5000)], compress=True))
    [page] = extract_document(path, timeout_s=60)
    assert page.text.startswith("lang-woord lang-woord")
    assert len(page.text) > 50_000


def test_unreadable_document_survives_pickling():
    error = pickle.loads(pickle.dumps(UnreadableDocument("timeout", "Too slow.")))
    assert (error.code, error.message) == ("timeout", "Too slow.")


# --- several children sharing one document ------------------------------------------------------------


def test_page_ranges_cover_every_page_once_in_order():
    assert page_ranges(25) == [range(0, 10), range(10, 20), range(20, 25)]
    assert page_ranges(7) == [range(0, 7)]
    huge = page_ranges(20_000)
    assert len(huge) == 1000
    assert [index for part in huge for index in part] == list(range(20_000))


def _mark_with_pid(patch) -> None:
    """Each page's furniture names the child that extracted it (the fake runs in the child)."""
    real = extract.extract_pages

    def marking(path, **options):
        for page in real(path, **options):
            page.furniture = [str(os.getpid())]
            yield page

    patch.setattr(extract, "extract_pages", marking)


def test_a_parallel_extraction_equals_the_serial_one_and_uses_both_children(thousand_pages, monkeypatch):
    serial = extract_document(thousand_pages, timeout_s=120)
    progress: list[tuple[int, int]] = []
    parallel = extract_document(
        thousand_pages, timeout_s=120, processes=2, on_progress=lambda *call: progress.append(call)
    )
    assert parallel == serial
    assert progress == [(done, 1000) for done in range(1001)]
    with monkeypatch.context() as patch:
        _mark_with_pid(patch)
        marked = extract_document(thousand_pages, timeout_s=120, processes=2)
    assert [page.number for page in marked] == list(range(1, 1001))
    assert len({page.furniture[0] for page in marked}) == 2


def test_a_short_document_is_read_by_one_child_even_when_more_are_allowed(write_pdf, monkeypatch):
    path = write_pdf(build_pdf([letter_page()] * PAGES_PER_RANGE))
    with monkeypatch.context() as patch:
        _mark_with_pid(patch)
        pages = extract_document(path, processes=4)
    assert len(pages) == PAGES_PER_RANGE
    assert len({page.furniture[0] for page in pages}) == 1


def test_pages_arrive_in_order_while_the_children_are_still_reading(thousand_pages):
    pages = iter_document(thousand_pages, timeout_s=120, processes=2)
    first = next(pages)
    assert first.number == 1
    pages.close()  # the caller stops reading: the children are killed and reaped


def test_a_parallel_scan_without_text_is_judged_on_the_whole_document(write_pdf):
    drawing = b"0.5 g 72 72 451 698 re f\n"
    path = write_pdf(build_pdf([drawing] * 25))
    assert unreadable_code(lambda: extract_document(path, processes=2)) == "no_text"


def test_one_failing_child_fails_the_document_and_no_child_is_left(write_pdf, monkeypatch, tmp_path: Path):
    path = write_pdf(build_pdf([letter_page()] * 30))
    pids = tmp_path / "pids"
    real = extract.extract_pages

    def failing_late(path, **options):
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        for page in real(path, **options):
            if page.number == 25:
                raise UnreadableDocument("damaged", "Page 25 is broken.")
            yield page

    monkeypatch.setattr(extract, "extract_pages", failing_late)
    assert unreadable_code(lambda: extract_document(path, processes=2, timeout_s=60)) == "damaged"
    for pid in pids.read_text().split():
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


def test_a_slow_parallel_extraction_is_stopped_at_the_timeout(thousand_pages):
    started = time.perf_counter()
    assert unreadable_code(lambda: extract_document(thousand_pages, timeout_s=0.3, processes=2)) == "timeout"
    assert time.perf_counter() - started < 2


# --- the real corpus --------------------------------------------------------------------------------

KAMERVRAGEN = {
    "00fe7edd-24c8-4857-98da-774ed3b06836.pdf": ("1314", 2),
    "01bf9f06-42d0-48a6-a85f-12c9c8e14c57.pdf": ("1999", 1),
    "1a2d8959-7ce1-411d-bffe-c78970ae8d6b.pdf": ("2210", 5),
    "1aa9bd01-68a1-4a4a-a808-5b0183bc217a.pdf": ("1076", 2),
    "1b26915f-b542-4707-8495-b5c21f0edfe1.pdf": ("1771", 4),
    "1b38043f-a835-4a63-a135-42c593d3ba77.pdf": ("1292", 3),
    "1bca1484-2edb-43d1-913f-de5022c9a02b.pdf": ("2313", 5),
    "1cf0c343-2da4-429d-8a6d-729da6008af1.pdf": ("2168", 4),
}

_cache: dict[Path, list[PageText]] = {}


def pages_of(path: Path) -> list[PageText]:
    if path not in _cache:
        _cache[path] = list(extract_pages(path))
    return _cache[path]


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "expected"), sorted(KAMERVRAGEN.items()))
def test_kamervragen_running_footer_is_furniture_on_every_page(corpus_dir: Path, name: str, expected):
    number, page_count = expected
    pages = pages_of(corpus_dir / "kamervragen" / name)
    assert len(pages) == page_count
    assert f"ah-tk-20232024-{number}" in pages[0].furniture
    assert "ISSN 0921 - 7398" in pages[0].furniture
    assert "’s-Gravenhage 2024" in pages[0].furniture
    for page in pages:
        assert any(
            line.startswith("Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel") for line in page.furniture
        )
        assert "vergaderjaar 2023–2024, Aanhangsel" not in page.text
        assert "ah-tk-" not in page.text
        assert "ISSN" not in page.text
        assert page.margin == ""
    assert number in pages[0].text.split("\n")  # the Aanhangsel number stays for the parser


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(KAMERVRAGEN))
def test_kamervragen_footnote_markers_are_gone_from_text_and_bodies_numbered(corpus_dir: Path, name: str):
    pages = pages_of(corpus_dir / "kamervragen" / name)
    footnotes = [note for page in pages for note in page.footnotes]
    numbers = [int(note.split(" ", 1)[0]) for note in footnotes]
    assert numbers == list(range(1, len(numbers) + 1))
    for page in pages:
        assert not re.search(r"[a-z»?]\d\s", page.text.replace("CO2", "CO"))


@pytest.mark.corpus
def test_regenboog_letter_is_cleaned(corpus_dir: Path):
    first, second = pages_of(corpus_dir / "kamervragen" / "00fe7edd-24c8-4857-98da-774ed3b06836.pdf")
    assert "tegen actief regenboogbeleid»?\nAntwoord 1" in first.text
    assert "om zich regenboogprovincie\nte mogen noemen" in first.text
    assert "Mutluer (GroenLinks-PvdA) en Kostić (PvdD)" in first.text
    assert "(ingezonden 6 maart\n2024)." in first.text
    assert first.footnotes[0].startswith("1 NOS, d.d. 1 maart 2024, «Kritiek op besluit")
    assert "NOS, d.d." not in first.text
    assert first.furniture[0] == "2"  # the chamber's big "2" in the masthead
    assert "Inventarisatie Regenboogbeleid\nRegenboogprovincies 2022" in second.text
    assert "Geslacht(Trans) 2 3 6" in second.text
    assert second.footnotes == [
        "2 Movisie, d.d. maart 2022, Inventarisatie Regenboogbeleid Regenboogprovincies, "
        "https://www.movisie.nl/sites/movisie.nl/files/2022-03/220315_%20Regenboogbeleid%20provincies%202022.pdf"
    ]


@pytest.mark.corpus
def test_delta_rhine_letter_keeps_subscripts_and_years_next_to_markers(corpus_dir: Path):
    pages = pages_of(corpus_dir / "kamervragen" / "1a2d8959-7ce1-411d-bffe-c78970ae8d6b.pdf")
    assert "Voor CO2 zijn er ook" in pages[1].text
    assert "kosten van CO2-opslag" in pages[2].text
    assert "Het HyRegions rapport geeft" in pages[2].text
    assert pages[2].footnotes == ["1 Bijlage 1 van kamerstuk 32 813, nr. 1395"]
    assert "In de brief van 29 juni 2022 is aangegeven" in pages[4].text
    assert "aanloop-\nen volloopverliezen" in pages[4].text
    assert pages[4].footnotes == ["2 Kamerstuk 32 813, nr. 1061"]
    assert "naar Oost- en Zuid-Nederland" in pages[1].text
    assert "met het DRC-tracé" in pages[1].text
    assert "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 3" in pages[2].furniture


@pytest.mark.corpus
def test_mededeling_marker_after_question_mark_and_url_footnote(corpus_dir: Path):
    [page] = pages_of(corpus_dir / "kamervragen" / "01bf9f06-42d0-48a6-a85f-12c9c8e14c57.pdf")
    assert "gemaakt van het hoofdlijnenakkoord? Zo ja," in page.text
    assert "Ambtelijke analyses hoofdlijnenakkoord\n(36 471-64)" in page.text
    assert page.footnotes == [
        "1 De Volkskrant, 28 mei 2024 (www.volkskrant.nl/nieuws-achtergrond/"
        "ambtenaren-zien-nog-veel-juridische-hobbels-richting-regeerprogramma~bc49ab66/)"
    ]


@pytest.mark.corpus
def test_several_footnotes_on_one_page_stay_separate(corpus_dir: Path):
    pages = pages_of(corpus_dir / "kamervragen" / "1b26915f-b542-4707-8495-b5c21f0edfe1.pdf")
    assert [note.split(" ", 1)[0] for note in pages[1].footnotes] == ["3", "4", "5", "6"]
    assert pages[0].footnotes[1].startswith("2 Accord Européen relatif au transport")
    assert pages[0].footnotes[1].endswith("Regeling vervoer over land van gevaarlijke stoffen.")
    assert "Vraag 2\nKunt u voor het commissiedebat" in pages[1].text
    assert "1. Alle producten met een «screamer» effect" in pages[1].text


@pytest.mark.corpus
def test_url_broken_after_underscore_is_rejoined(corpus_dir: Path):
    pages = pages_of(corpus_dir / "kamervragen" / "1b38043f-a835-4a63-a135-42c593d3ba77.pdf")
    assert pages[0].footnotes == [
        "1 Overheid.nl, «Huisvesting Nederlandse evacués», www.internetconsultatie.nl/huisvesting_evacuees/b1"
    ]


@pytest.mark.corpus
def test_longcovid_letter_joins_hyphenated_words(corpus_dir: Path):
    first = pages_of(corpus_dir / "kamervragen" / "1bca1484-2edb-43d1-913f-de5022c9a02b.pdf")[0]
    assert "recht hebben op duidelijkheid\nen zekerheid?" in first.text
    assert "De arbeidsongeschiktheidsbeoordeling\nis dan inderdaad" in first.text
    assert "longcovid voor WIA-uitkering" in first.footnotes[0]


@pytest.mark.corpus
def test_ministry_letter_margin_column_is_separated(corpus_dir: Path):
    [page] = pages_of(corpus_dir / "other" / "Kamerbrief_1pag.pdf")
    assert "Kenmerk\nIENW/BSK-2023/33017" in page.margin
    assert page.margin.startswith("Ministerie van\nInfrastructuur en\nWaterstaat\nRijnstraat 8")
    assert "Ministerie van" not in page.text
    assert "IENW/BSK" not in page.text
    assert "De voorzitter van de Tweede Kamer\nder Staten-Generaal\nPostbus 20018" in page.text
    assert "\nDatum 3 februari 2023\nBetreft Nationaal Programma Circulaire Economie 2023-2030\n" in page.text
    assert page.furniture == ["Pagina 1 van 7"]


@pytest.mark.corpus
def test_ministry_letter_every_page_has_margin_and_footnotes_move(corpus_dir: Path):
    pages = pages_of(corpus_dir / "other" / "Kamerbrief_circulaire_economie.pdf")
    assert len(pages) == 7
    for page in pages:
        assert "Kenmerk\nIENW/BSK-2023/33017" in page.margin
        assert page.furniture == [f"Pagina {page.number} van 7"]
    assert pages[1].text.startswith("landen voor onze grondstoffen. Versnellen van de transitie")
    assert pages[1].footnotes == ["1 Zie ook de Nationale Grondstoffenstrategie (Kamerstuk 2022Z24775)"]
    assert "aanbevelingen van de SER-verkenning\n" in pages[2].text
    assert "(via de ESPR)," in pages[2].text
    assert [note[:2] for note in pages[2].footnotes] == ["2 ", "3 "]


@pytest.mark.corpus
def test_corpus_extraction_in_child_process_matches_in_process(corpus_dir: Path):
    path = corpus_dir / "kamervragen" / "00fe7edd-24c8-4857-98da-774ed3b06836.pdf"
    assert extract_document(path) == pages_of(path)


@pytest.mark.corpus
def test_corpus_extraction_in_two_children_matches_one(corpus_dir: Path):
    for path in sorted(corpus_dir.glob("*/*.pdf")):
        assert extract_document(path, processes=2) == extract_document(path), path.name


@pytest.mark.corpus
def test_plain_text_seed_keeps_party_names_broken_over_lines(corpus_dir: Path):
    seed = next((corpus_dir / "seeds").glob("002_*.txt"))
    [page] = text_pages(seed.read_text(encoding="utf-8"))
    assert "Janssen-Van Helvoort (GroenLinks-PvdA)," in page.text
    assert "Binnenlandse Zaken1 heeft" in page.text


@pytest.mark.corpus
def test_extract_document_reports_progress_page_by_page(corpus_dir):
    path = corpus_dir / "other" / "Kamerbrief_circulaire_economie.pdf"
    calls: list[tuple[int, int]] = []
    pages = extract_document(path, on_progress=lambda done, total: calls.append((done, total)))
    total = len(pages)
    assert total > 1
    assert calls == [(0, total), *((done, total) for done in range(1, total + 1))]
