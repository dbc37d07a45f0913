"""Dutch dates and reply terms as they are written in parliamentary letters."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_ABBREVIATED = {name[:3]: number for name, number in MONTHS.items()}

# "24 juni 2025", "1e maart 2024", "24 juni jl.", "3 sept. 2024". A footnote marker glued to
# the year in plain text ("14 juni 20243") is tolerated: the year is the first four digits.
DATE = re.compile(
    r"\b(?P<day>[0-3]?\d)(?:e|ste|de)?\s{1,3}"
    r"(?P<month>januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec)\.?"
    r"(?:\s{1,3}(?P<year>(?:19|20)\d\d)(?!\d{3})|\s{1,3}(?P<current>j\.\s?l\.|jl\.?|jongstleden))?",
    re.IGNORECASE,
)

WORD_NUMBERS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "twintig": 20,
    "dertig": 30,
}
_UNIT_DAYS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 30, "maanden": 30}
TERM = re.compile(
    r"\bbinnen\s{1,3}(?:de\s{1,3}|een\s{1,3})?(?:(?:gebruikelijke|gestelde|wettelijke)\s{1,3})?"
    r"(?:termijn\s{1,3}van\s{1,3})?(?P<count>\d{1,3}|[a-zé]{3,9})\s{1,3}(?P<unit>dagen|dag|weken|week|maanden|maand)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\bniet\s{1,3}$", re.IGNORECASE)


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or _ABBREVIATED.get(name[:3])


def _build(match: re.Match[str], year_hint: int | None, any_yearless: bool = False) -> date | None:
    month = _month(match["month"])
    if month is None:
        return None
    if match["year"]:
        year = int(match["year"])
    elif (match["current"] or any_yearless) and year_hint:
        year = year_hint  # "jl." (jongstleden): the current year of the writing letter
    else:
        return None
    try:
        return date(year, month, int(match["day"]))
    except ValueError:
        return None


def find_dates(text: str, year_hint: int | None = None) -> list[tuple[int, date]]:
    """Every complete date in `text` with its offset; yearless dates need "jl." and a hint."""
    found = []
    for match in DATE.finditer(text):
        value = _build(match, year_hint)
        if value is not None:
            found.append((match.start(), value))
    return found


def parse_date(text: str, year_hint: int | None = None) -> date | None:
    """The first complete Dutch date in `text`, or None."""
    dates = find_dates(text, year_hint)
    return dates[0][1] if dates else None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return WORD_NUMBERS.get(word.lower())


def term_days(text: str) -> int | None:
    """A reply term stated in the text ("binnen vier weken" -> 28); negated terms are skipped.

    "niet binnen de termijn van vier weken kunnen worden beantwoord" restates the original term
    instead of setting one, so it does not count.
    """
    for match in TERM.finditer(text):
        if _NEGATED.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        count = _count(match["count"])
        if count:
            return count * _UNIT_DAYS[match["unit"].lower()]
    return None


# "vóór 15 september 2025", "uiterlijk 1 oktober", "niet later dan 3 juni": a date something is due by
_BY = re.compile(
    r"\b(?:vóór|voor|uiterlijk|niet\s{1,3}later\s{1,3}dan)\s{1,3}(?:op\s{1,3})?(?=[0-3]?\d(?:e|ste|de)?\s)",
    re.IGNORECASE,
)


def due_by(text: str, reference: date | None) -> date | None:
    """The first "vóór/uiterlijk <date>" in `text`.

    A date without a year ("uiterlijk 1 oktober") is the next such day after `reference` (the
    letter's own date); without a reference only complete dates count.
    """
    for match in _BY.finditer(text):
        found = DATE.match(text, match.end())
        if not found:
            continue
        value = _build(found, reference.year if reference else None, any_yearless=True)
        if value is None:
            continue
        if reference and not found["year"] and value < reference:
            try:
                value = value.replace(year=value.year + 1)
            except ValueError:  # 29 February
                continue
        return value
    return None
