"""The same document in any typesetting gives the same result (issue 13).

Every fixture and shared seed is re-typeset (`typeset.py`) into PDFs of clearly different
layouts: serif justified with footnotes per page, sans-serif ragged right with endnotes, a
ministry letterhead with a right-hand column, and two justified columns in a monospaced type with
the letter's head and headings across both. Each PDF, read the real way (`parse_file`), must
give the letters, questions, answers and pairs its plain text gives, and so every layout what
every other gives (`projection`). Pages are left out: they are the layout's. The one difference
forgiven is what plain text cannot write otherwise: a footnote marker glued to its word.
A plain text with every line doubled by a blank line still reads like the plain text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pdfplumber
import pytest

from letters.parser import parse_file, parse_text

from .typeset import LAYOUTS, projection, typeset

# The cases are listed when the module is collected, before any fixture: the same places as the
# root conftest's `fixtures_dir` and `corpus_dir` (whose module name another tests/ conftest shadows).
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
CORPUS = Path(os.environ.get("GRIFFIE_CORPUS", REPO.parent / "shared" / "corpus"))
OWN = sorted(
    path.relative_to(FIXTURES).as_posix()
    for path in [*FIXTURES.glob("samples/*.txt"), *FIXTURES.glob("parser/**/*.txt")]
)
SEEDS = sorted(path.name for path in (CORPUS / "seeds").glob("*.txt")) if CORPUS.is_dir() else []
# Not yet the same in every layout: (name, layout) -> the exact cause. Strict, so a fix shows.
NOT_YET: dict[tuple[str, str], str] = {}


def cases(names: list[str]) -> list:
    return [
        pytest.param(
            name,
            layout,
            id=f"{name}-{layout.name}",
            marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[name, layout.name])]
            if (name, layout.name) in NOT_YET
            else [],
        )
        for name in names
        for layout in LAYOUTS
    ]


@pytest.mark.parametrize(("name", "layout"), cases(OWN))
def test_own_fixture_reads_the_same_in_every_layout(name, layout, fixtures_dir, layout_reading):
    in_layout, as_text = layout_reading(fixtures_dir / name, layout)
    assert in_layout == as_text


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "layout"), cases(SEEDS))
def test_seed_reads_the_same_in_every_layout(name, layout, corpus_dir, layout_reading):
    in_layout, as_text = layout_reading(corpus_dir / "seeds" / name, layout)
    assert in_layout == as_text


def test_layouts_differ_in_font_measure_and_notes():
    assert len({(layout.family, layout.size, layout.measure) for layout in LAYOUTS}) == len(LAYOUTS)
    assert {layout.justify for layout in LAYOUTS} == {True, False}
    assert {layout.endnotes for layout in LAYOUTS} == {True, False}
    assert {layout.columns for layout in LAYOUTS} == {1, 2}


def test_two_column_pages_are_set_in_two_columns_with_the_head_across_them(fixtures_dir, tmp_path):
    [layout] = [layout for layout in LAYOUTS if layout.columns == 2]
    source = fixtures_dir / "parser" / "variants" / "ek_commissiebrief_los.txt"
    pdf = tmp_path / "columns.pdf"
    pdf.write_bytes(typeset(source.read_text(encoding="utf-8"), layout))
    with pdfplumber.open(pdf) as document:
        words = document.pages[0].extract_words()
    starts = {round(word["x0"]) for word in words}
    assert {layout.left, round(layout.left + layout.measure + layout.gutter)} <= starts
    salutation = next(word for word in words if word["text"] == "Geachte")
    assert salutation["x0"] == layout.left


def test_letterhead_column_fills_the_metadata_but_not_the_body(fixtures_dir, tmp_path):
    source = fixtures_dir / "parser" / "variants" / "ministerie_brief.txt"
    [layout] = [layout for layout in LAYOUTS if layout.letterhead]
    pdf = tmp_path / "letterhead.pdf"
    pdf.write_bytes(typeset(source.read_text(encoding="utf-8"), layout))
    [letter] = parse_file(pdf).letters
    assert letter.reference == "4012345-1078901-PG"
    assert letter.subject.startswith("Voortgang fictief programma")
    assert "Ons kenmerk" not in letter.text
    assert "Pagina" not in letter.text


def doubled(text: str) -> str:
    """Every line followed by a blank line, as some text exports write them."""
    return "\n".join(f"{line}\n" if line.strip() else line for line in text.split("\n"))


@pytest.mark.parametrize("name", OWN)
def test_text_with_every_line_doubled_reads_like_the_plain_text(name, fixtures_dir):
    text = (fixtures_dir / name).read_text(encoding="utf-8")
    assert projection(parse_text(doubled(text), source=name)) == projection(parse_text(text, source=name))
