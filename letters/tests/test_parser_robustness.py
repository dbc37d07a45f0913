"""Guards against exponential regular expressions and quadratic pairing, not speed tests."""

from __future__ import annotations

import time
from pathlib import Path

from letters.parser import parse_file, parse_text

BOUND_SECONDS = 20
# 50,000 questions with their answers take a few seconds; quadratic growth would take hours.
# Generous, because other test runs may share the machine's two cores.
LARGE_BOUND_SECONDS = 60


def _timed(text: str):
    start = time.monotonic()
    result = parse_text(text, source="hostile")
    return result, time.monotonic() - start


def test_a_one_megabyte_line_finishes():
    line = ("Vraag 1, 2 en 3 en 4 " * 20 + "aaaa-bbbb 24 juni " + "x" * 50 + " ") * 2000
    text = "BRIEF VAN DE MINISTER\n\nDen Haag, 1 juni 2025\n\n" + line[:1_000_000] + "\n\nAntwoord 1\nJa.\n"
    result, seconds = _timed(text)
    assert seconds < BOUND_SECONDS
    assert result.letters


def test_fifty_thousand_vraag_labels_finish():
    parts = [
        "Vragen van het lid Jansen (SP) aan de Minister van Financiën (ingezonden 2 september 2024).",
        "Antwoord van Minister Bakker (Financiën) (ontvangen 20 september 2024).",
    ]
    for number in range(1, 50_001):
        parts.append(f"Vraag {number}\nWat is het antwoord op vraag {number}?")
    result, seconds = _timed("\n".join(parts))
    assert seconds < BOUND_SECONDS
    assert len(result.questions) == 50_000


def test_many_repeated_questions_pair_within_the_candidate_window():
    questions = [f"Hoe staat het met onderwerp nummer {n} en de kosten van project {n}?" for n in range(3000)]
    asked = "\n\n".join(questions)
    answered = "\n\n".join(
        f"{question}\n\nAntwoord\nHet gaat goed met project {n}." for n, question in enumerate(questions)
    )
    text = (
        "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN\n\nAan de minister van Financiën\n\n"
        "Den Haag, 1 maart 2025\n\nDe leden van de fractie van de SP hebben vragen.\n\n" + asked + "\n\n"
        "BRIEF VAN DE MINISTER VAN FINANCIËN\n\nDen Haag, 1 april 2025\n\n"
        "Hierbij bied ik u de antwoorden aan op de vragen van de fractie van de SP.\n\n" + answered
    )
    result, seconds = _timed(text)
    assert seconds < BOUND_SECONDS
    assert len(result.answers) == 3000
    assert [a.covers for a in result.answers[:3]] == [[0], [1], [2]]


def test_fifty_thousand_vraag_and_antwoord_pairs_finish():
    parts = [
        "Vragen van het lid Jansen (SP) aan de Minister van Financiën (ingezonden 2 september 2024).",
        "Antwoord van Minister Bakker (Financiën) (ontvangen 20 september 2024).",
    ]
    for number in range(1, 50_001):
        parts.append(f"Vraag {number}\nWat is het antwoord op vraag {number}?")
        parts.append(f"Antwoord {number}\nHet antwoord op vraag {number} is ja.")
    result, seconds = _timed("\n".join(parts))
    assert seconds < LARGE_BOUND_SECONDS
    assert len(result.questions) == len(result.answers) == 50_000
    assert result.answers[-1].covers == [49_999]


def test_deeply_nested_brackets_finish():
    nested = "(" * 500_000 + "Vraag 1" + ")" * 500_000
    lines = "\n".join("[(" * 250 + f" Vraag ({n})" for n in range(2000))
    result, seconds = _timed(
        "BRIEF VAN DE MINISTER\n\nDen Haag, 1 juni 2025\n\n" + nested + "\n" + lines + "\n\nAntwoord 1\nJa.\n"
    )
    assert seconds < BOUND_SECONDS
    assert result.letters


def test_a_megabyte_of_invalid_utf8_finishes(tmp_path: Path):
    path = tmp_path / "kapot.txt"
    path.write_bytes(b"Vragen van het lid Jansen (SP)\n" + b"\xff\xfe\xc3Vraag 1\n\x80\x81 tekst?\n" * 50_000)
    start = time.monotonic()
    result = parse_file(path)
    assert time.monotonic() - start < BOUND_SECONDS
    assert result.letters
