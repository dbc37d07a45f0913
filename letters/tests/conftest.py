"""Fixtures of the letters tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from letters.parser import parse_file, parse_text

from .typeset import projection, typeset


@pytest.fixture
def write_pdf(tmp_path: Path):
    """Writes PDF bytes built in a test to a file in the test's directory; returns its path."""

    def write(data: bytes, name: str = "letter.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture(scope="session")
def layout_reading(tmp_path_factory):
    """(source, layout) -> the projection of its PDF in that layout, and source -> the projection
    of its plain text: each built once a session, so the layout tests parse every text once."""
    folder = tmp_path_factory.mktemp("layouts")
    texts: dict[Path, dict] = {}

    def read(source: Path, layout) -> tuple[dict, dict]:
        text = source.read_text(encoding="utf-8")
        if source not in texts:
            texts[source] = projection(parse_text(text, source=source.name))
        pdf = folder / f"{source.parent.name}-{source.stem}-{layout.name}.pdf"
        pdf.write_bytes(typeset(text, layout))
        return projection(parse_file(pdf)), texts[source]

    return read
