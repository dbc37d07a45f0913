"""Question/answer labels: "Vraag 3, 4 en 5", "Antwoord 2 3 en 4", "Vraag (12):", "17.".

The label is read with a tiny tokeniser (a bounded number of tokens)
instead of one clever regular expression, so nothing here can backtrack badly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import MAX_LINE

# the word ends where no letter follows: OCR may lose the space before the number ("Antwoord2")
_QUESTION = re.compile(r"(?:Vraag|Vragen)(?![^\W\d_])")
_ANSWER = re.compile(r"(?:Antwoord|Antwoorden)(?![^\W\d_])")
_NUMBERED = re.compile(r"(?P<number>\d{1,3})[.)]\s{1,20}(?P<rest>\S.{0,400})?$")
# one label token: "3", "(12)", "7a", ",", "en", "t/m", "tot", "met", "op", "de", "vraag", "nr."
_LABEL_TOKEN = re.compile(
    r"\s{0,5}(?:[,&–-]|(?:\(?\d{1,5}[a-h]?\)?|en|t/m|tot|met|op|de|[Vv]raag|[Vv]ragen|nr\.?)"
    r"(?=[\s,.:;)–-]|$))"
)
# OCR may lose the spaces around the "en" of a combined label: "Antwoord 4en 5", "Vraag 2en3"
_GLUED_EN = re.compile(r"(?<=\d)\s?en\s?(?=\d)")
_NUMBER = re.compile(r"\d{1,5}")
_RANGE = re.compile(r"(\d{1,5})\s{0,3}(?:t/m|tot en met|-|–)\s{0,3}(\d{1,5})")
_TEXT_START = re.compile(r"[A-ZÀ-Ý«“\"‘'(\[]")
MAX_LABEL_TOKENS = 40


@dataclass(frozen=True)
class Marker:
    kind: str  # "question" | "answer" | "numbered"
    label: str | None  # as printed, without the word Vraag/Antwoord: "3, 4 en 5", "(12)"
    numbers: tuple[int, ...]
    rest: str  # text after the marker on the same line ("Antwoord: Ja." -> "Ja.")


def label_numbers(label: str) -> list[int]:
    """ "3, 4 en 5" -> [3, 4, 5]; "2 3 en 4" -> [2, 3, 4]; "(12)" -> [12]; "3 t/m 5" -> [3, 4, 5]."""
    numbers: list[int] = []
    for match in _RANGE.finditer(label):
        low, high = int(match[1]), int(match[2])
        if low < high <= low + 50:
            numbers.extend(range(low, high + 1))
    if not numbers:
        numbers = [int(n) for n in _NUMBER.findall(label)]
    seen: list[int] = []
    for number in numbers:
        if number not in seen:
            seen.append(number)
    return seen


def spaced(label: str) -> str:
    """The label with the spaces OCR lost around its "en" put back: "2en3" -> "2 en 3"."""
    return _GLUED_EN.sub(" en ", label)


def _split_label(rest: str) -> tuple[str, str] | None:
    """Split "3, 4 en 5: text" into ("3, 4 en 5", "text"); None if `rest` does not start with a label.

    The label ends at a colon, at a full stop right after it ("Vraag 1."), at the end of the line,
    or where text starting with a capital follows a numbered label ("Antwoord 1 Ja, ...").
    """
    position = 0
    for _ in range(MAX_LABEL_TOKENS):
        match = _LABEL_TOKEN.match(rest, position)
        if not match:
            break
        position = match.end()
    label = rest[:position].strip()
    after = rest[position:].lstrip()
    numbered = bool(_NUMBER.search(label))
    if after[:1] == ":" or (after[:1] == "." and numbered):
        return label, after[1:].strip()
    if not after:
        return label, ""
    if numbered and _TEXT_START.match(after):
        return label, after
    return None


def _clean_label(label: str) -> str | None:
    words = label.split()
    while words and words[0].lower() in ("op", "de", "vraag", "vragen", "nr", "nr."):
        words.pop(0)
    cleaned = " ".join(words).strip(" ,")
    return cleaned or None


def parse_marker(line: str) -> Marker | None:
    """A question/answer marker at the start of `line`, or None."""
    line = line.strip()
    if not line or len(line) > MAX_LINE:
        return None
    for kind, pattern in (("question", _QUESTION), ("answer", _ANSWER)):
        match = pattern.match(line)
        if match:
            rest = line[match.end() :]
            if rest and not rest[0].isspace() and rest[0] not in ":(" and not rest[0].isdigit():
                continue
            split = _split_label(spaced(rest))
            if split is None:
                continue
            label, after = split
            label = _clean_label(label)
            numbers = tuple(label_numbers(label)) if label else ()
            if kind == "question" and not numbers and not (line.startswith("Vraag") and not label):
                continue  # "Vragen 3" is a marker, a bare "Vragen" heading is not
            return Marker(kind, label, numbers, after)
    match = _NUMBERED.match(line)
    if match:
        number = int(match["number"])
        return Marker("numbered", str(number), (number,), match["rest"] or "")
    return None
