"""Fixtures of the letters tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write_pdf(tmp_path: Path):
    """Writes PDF bytes built in a test to a file in the test's directory; returns its path."""

    def write(data: bytes, name: str = "letter.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
