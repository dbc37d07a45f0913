"""Letter metadata read from text: date, sender, recipient, kenmerk, cited date, parties, dossier."""

from __future__ import annotations

import re
from datetime import date

from .dates import DATE, find_dates, parse_date
from .text import MAX_LINE, fold

# "Vastgesteld 14 mei 2025": the date a committee's report (a Kamerstuk's cover) was adopted;
# "‘s-Gravenhage" as OCR reads the apostrophe
_DATE_LINE = re.compile(
    r"(?:Den Haag|[‘’']s-Gravenhage|Datum|Vastgesteld)\s{0,3}[,:]?\s{1,20}(?P<rest>.{6,60})$", re.IGNORECASE
)
_RECIPIENT = re.compile(r"Aan\s{1,3}(?:de\s{1,3}|het\s{1,3})?(?P<who>\S.{2,200}?)[\s,]*$")
_SALUTATION = re.compile(r"Geachte\s{1,3}(?P<who>\S.{1,120}?)[\s,]*$")
# A line naming a signing office: "De minister van Financiën,", "Voorzitter van de vaste commissie
# voor Justitie en Veiligheid", "de staatssecretaris van Defensie,". One rule for the office that
# signed a letter (`signature`) and for the signature block that ends its questions
# (`answers.is_signing_line`); each asks of the match what it needs.
_OFFICE_LINE = re.compile(
    r"(?P<article>[Dd]e\s{1,3})?"
    r"(?P<role>(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris|[Vv]oorzitter|[Gg]riffier)"
    r"(?:\s{1,3}(?:van|voor)\s{1,3}(?:de\s{1,3}(?:vaste\s{1,3})?commissie\s{1,3}(?:van|voor)\s{1,3})?"
    r"(?P<office>[^.?!;:]{2,150}?))?)"
    r"\s{0,3}(?P<comma>,)?[\s,]*"
)
# the office's words are names: "Sociale Zaken en Werkgelegenheid", "Immigratie & Asiel / JBZ-Raad";
# a committee signs as "De voorzitter van de commissie,"
_OFFICE_JOINERS = frozenset({"en", "van", "voor", "de", "der", "het", "&", "＆", "/", "commissie"})
# a signing office wrapped over lines: "de minister van Volksgezondheid," / "Welzijn en Sport,"
_SIGNATURE_CONTINUATION = re.compile(r"[A-ZÀ-Ý][^.;:\d]{1,80},\s*$")
# the rest of a signing line the measure wrapped: "... voor Volksgezondheid, Welzijn en" / "Sport,"
_WRAPPED_SIGNATURE_END = re.compile(r"[^.;:\d]{1,80},\s*$")
# the rest of an addressee's name a narrow column wrapped: "Ordening", "Ruimtelijke Ordening"; not
# the address below it
_NAME_END = re.compile(r"(?!Den Haag|Postbus|Binnenhof)[A-Z][a-zà-ÿ-]{2,30}(?: [A-Z][a-zà-ÿ-]{2,30}){0,2}")
_ADDRESSEE = re.compile(
    r"(?:De\s)?(?P<who>[Vv]oorzitter\svan\sde\s(?:Tweede|Eerste)\sKamer(?:\sder\sStaten-Generaal)?)"
)
_HEADER_FIELD = re.compile(r"(?:Geachte|Datum|Kenmerk|Ons\skenmerk|Uw\skenmerk|Uw\sbrief|Bijlage|Pagina)\b")
_REFERENCE = re.compile(
    r"\b(?:ons\s{1,3})?kenmerk\s{0,3}[:]?\s{0,3}(?P<ref>[A-Z0-9][A-Za-z0-9./_-]{2,40})", re.IGNORECASE
)
_CITES = (
    re.compile(r"\bingezonden\s{1,3}(?:op\s{1,3})?", re.IGNORECASE),
    # "de vragen van de vaste commissie voor X van 1 juli 2025"
    re.compile(
        r"\b(?:vragen|brief)\s{1,3}van\s{1,3}de\s{1,3}(?:vaste\s{1,3})?commissie\s[^.()\n]{0,150}?"
        r"\s(?:van|d\.d\.)\s{1,3}(?=[0-3]?\d\s)",
        re.IGNORECASE,
    ),
    # "Op 1 juli 2025 heeft de vaste commissie ... vragen gesteld"
    re.compile(
        r"\b[Oo]p\s{1,3}(?=[0-3]?\d\s{1,3}[a-z]{3,9}\.?\s{1,3}(?:\d{4}\s{1,3})?(?:heeft|hebben)\s{1,3}"
        r"(?:de\s{1,3})?(?:vaste\s{1,3})?(?:commissie|leden)\b)"
    ),
    re.compile(r"\bkenmerk\s{1,3}[A-Za-z0-9./_-]{2,40},\s{0,3}", re.IGNORECASE),
    re.compile(r"\b(?:uw|de|haar|zijn)\s{1,3}brief\s{1,3}(?:van|d\.d\.|gedateerd)\s{1,3}", re.IGNORECASE),
    re.compile(r"\bvragen\s{1,3}(?:van|d\.d\.)\s{1,3}(?=\d)", re.IGNORECASE),
)
_CITES_QUESTIONS = (_CITES[4],)

_PARTY = r"[A-Z0-9][\w/+]{0,30}(?:-[A-Z][\w/+]{0,30})?"
_PARTY_LIST = rf"(?:de\s)?{_PARTY}(?:(?:,\s|\sen\s)(?:de\s)?{_PARTY}){{0,12}}"
_PARTY_PATTERNS = (
    re.compile(rf"\b(?:fractie\svan|fracties(?:\svan)?)\s(?P<list>{_PARTY_LIST})"),
    re.compile(rf"\b(?:de|De)\s(?P<list>{_PARTY})-fractie"),
)
_NOT_PARTIES = {"Eerste", "Tweede", "Kamer", "Staten-Generaal", "De", "Het", "Een"}
_COMMITTEE = re.compile(
    r"\b(?P<vaste>vaste\s)?commissie\svoor\s(?P<name>(?:de\s)?[A-Z][\w-]{1,40}"
    r"(?:(?:,\s|\s(?:en|van|voor|&|＆)\s|\s?/\s?|\s)[A-Z][\w-]{1,40}){0,8})"
)
# the chamber as OCR may read its I: "Kamerstukken 1 2025/26" (`_dossier_chamber`)
_DOSSIER = re.compile(
    r"Kamerstukken\s{1,3}(?P<chamber>[I1l]{1,2})\s{0,3},?\s{0,3}\d{4}\s?[/–-]\s?\d{2,4}\s{0,3},\s{0,3}"
    r"(?P<number>\d{2}\s?\d{3})(?:\s?-\s?(?P<chapter>[A-Z0-9]{1,8})\b|\s(?P<roman>[IVXL]{1,8})\b)?"
    r"(?:\s{0,3},\s{0,3}(?P<sub>nr\.\s{0,3}\d{1,5}|[A-Z]{1,3}\b))?"
)


def _dossier_chamber(match: re.Match[str]) -> str:
    """The chamber a "Kamerstukken I/II" citation names, as "I" or "II" whatever OCR made of it."""
    return "I" * len(match["chamber"])


_PARENTHESISED_DOSSIER = re.compile(r"\((?P<number>\d{2}\s?\d{3}-[A-Z0-9]{1,8})\)")


def _lines_matching(lines: list[str], pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [m for line in lines if len(line) <= MAX_LINE and (m := pattern.match(line.strip()))]


def letter_date(lines: list[str]) -> date | None:
    """The dagtekening: "Den Haag, 24 juni 2025" or "Datum 3 februari 2023"."""
    for match in _lines_matching(lines, _DATE_LINE):
        value = parse_date(match["rest"])
        if value:
            return value
    return None


def recipient(lines: list[str]) -> str:
    for index, line in enumerate(lines[:40]):
        match = _RECIPIENT.match(_unwrapped(lines, index)) if len(line) <= MAX_LINE else None
        if match:
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if match.end() == len(line.strip()) and _finishes_name(line, following):
                return f"{match['who']} {following}"
            return match["who"]
    addressee = _ADDRESSEE.search(" ".join(lines[:15]))
    if addressee:
        return addressee["who"]
    found = _lines_matching(lines[:40], _SALUTATION)
    return found[0]["who"] if found else ""


def office_line(line: str) -> re.Match[str] | None:
    """The parts of a line that only names a signing office (`_OFFICE_LINE`), else None: a line
    whose office has a word in lower case ("De minister van plan is,") is a sentence."""
    match = _OFFICE_LINE.fullmatch(line.strip()) if len(line) < 200 else None
    office = (match["office"] or "").replace(",", " ").split() if match else []
    if match and all(word in _OFFICE_JOINERS or not word[0].islower() for word in office):
        return match
    return None


def _finishes_name(line: str, following: str) -> bool:
    """`following` only finishes the name a narrow column broke off after `line`'s last word
    ("... Volkshuisvesting en Ruimtelijke" / "Ordening"): not after a comma, and not an address."""
    return (
        line.rstrip()[-1:].isalpha()
        and line.rsplit(" ", 1)[-1][:1].isupper()
        and bool(_NAME_END.fullmatch(following))
    )


def _unwrapped(lines: list[str], index: int) -> str:
    """The line, and the next one when a narrow column broke the line off inside a name, before or
    after a word that joins two names ("Voorzitter van de vaste commissie voor" / "Justitie en
    Veiligheid", "Aan de staatssecretaris van Jeugd, Preventie" / "en Sport")."""
    line = lines[index].strip()
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    last, first = line.rsplit(" ", 1)[-1], following.split(" ", 1)[0]
    if " " in line and following and (last in _OFFICE_JOINERS - {"commissie"} or first in {"en", "&"}):
        return f"{line} {following}"
    return line


def signature(lines: list[str]) -> str:
    """The signing office ("minister van Binnenlandse Zaken ...") from the last signature line.

    An office wrapped over two lines ("de minister van Volksgezondheid," / "Welzijn en Sport,", or
    a narrow measure's "... Welzijn en" / "Sport,") is joined again.
    """
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if len(line) > MAX_LINE:
            continue
        if line != (unwrapped := _unwrapped(lines, index)):
            line, index = unwrapped, index + 1
        match = office_line(line)
        if not match or not match["office"]:
            continue
        # "de minister van X" in lower case signs only when the line ends with a comma
        if not (line[0].isupper() or (match["article"] and match["comma"])):
            continue
        role = match["role"].strip(" ,")
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if following.startswith(("De ", "de ")):
            return role
        if line.endswith(",") and _SIGNATURE_CONTINUATION.fullmatch(following[:MAX_LINE]):
            role = f"{role}, {following.strip(' ,')}"
        elif not line.endswith(",") and _WRAPPED_SIGNATURE_END.fullmatch(following[:MAX_LINE]):
            role = f"{role} {following.strip(' ,')}"
        elif _finishes_name(line, following):
            role = f"{role} {following}"
        return role
    return ""


def subject(lines: list[str]) -> str:
    """ "Betreft ..." of a ministry letter, with its wrapped continuation lines."""
    for index, line in enumerate(lines[:60]):
        if line.startswith("Betreft ") and len(line) < MAX_LINE:
            parts = [line[len("Betreft ") :]]
            for following in lines[index + 1 : index + 4]:
                if _HEADER_FIELD.match(following):
                    break
                parts.append(following)
            return " ".join(" ".join(parts).split())
    return ""


def ministry(margin: str) -> str:
    """ "Ministerie van Infrastructuur en Waterstaat" from the address column, name lines only."""
    lines = [line.strip() for line in margin.split("\n")]
    for index, line in enumerate(lines):
        if line.startswith("Ministerie") and len(line) < 200:
            parts = [line]
            for following in lines[index + 1 : index + 5]:
                if not following or any(ch.isdigit() for ch in following) or _HEADER_FIELD.match(following):
                    break
                if following.startswith(("Postbus", "Bezoekadres", "Postadres")):
                    break
                parts.append(following)
            name = " ".join(" ".join(parts).split())
            # the street follows the name without a digit on its own line only rarely
            return re.sub(r"\s(?:[A-Z][a-z]+(?:straat|weg|plein|laan|kade))$", "", name)
    return ""


def restore_case(phrase: str, text: str) -> str:
    """An upper-case heading phrase in the casing it has elsewhere in the text, if it occurs."""
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    if pattern:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if not match[0].isupper():
                return " ".join(match[0].split())
    lowered = phrase.lower()
    return lowered[:1].upper() + lowered[1:]


def heading_sender(heading: str, text: str) -> str:
    """ "BRIEF VAN DE MINISTER VAN X EN VAN DE MINISTER VAN Y" -> "minister van X en minister van Y"."""
    phrase = re.sub(r"^BRIEF\s+VAN\s+(?:DE\s+|HET\s+)?", "", " ".join(heading.split()), flags=re.IGNORECASE)
    parts = re.split(r"\s+EN\s+VAN\s+(?:DE\s+|HET\s+)?", phrase)
    return " en ".join(restore_case(part, text) for part in parts if part)


def reference(text: str) -> str | None:
    for match in _REFERENCE.finditer(text):
        ref = match["ref"].rstrip(".,;)")
        if any(ch.isdigit() for ch in ref):
            return ref
    return None


def cited_date(text: str, letter: date | None, *, questions: bool = False) -> date | None:
    """The date of the letter this one answers, postpones or follows up.

    A yearless "24 juni jl." takes the year of this letter, or the year before when that would
    put the cited date after this letter.
    """
    year = letter.year if letter else None
    for pattern in _CITES_QUESTIONS if questions else _CITES:
        for match in pattern.finditer(text):
            window = text[match.end() : match.end() + 40]
            found = DATE.match(window)
            if not found:
                continue
            dates = find_dates(window[: found.end()], year)
            if not dates:
                continue
            value = dates[0][1]
            if letter and not found["year"] and value > letter:
                value = value.replace(year=value.year - 1)
            return value
    return None


def _split_parties(listing: str) -> list[str]:
    names = []
    for part in re.split(r",\s|\sen\s", listing):
        part = re.sub(r"^de\s", "", part.strip())
        if part and part not in _NOT_PARTIES and not part.isdigit():
            names.append(part)
    return names


def parties(text: str) -> list[str]:
    """Fractions named as asking: "de leden van de fracties van D66, de PVV en de ChristenUnie"."""
    found: list[tuple[int, int, str]] = []
    for pattern in _PARTY_PATTERNS:
        for match in pattern.finditer(text):
            for position, name in enumerate(_split_parties(match["list"])):
                found.append((match.start(), position, name))
    ordered: list[str] = []
    for _, _, name in sorted(found):
        if name not in ordered:
            ordered.append(name)
    return ordered


# A paragraph of a committee's text that names the fraction speaking in it.
# Capital "De" (or "Ook de"): a line starting "de VVD-fractie" continues a sentence.
FRACTION_OPENING = re.compile(
    r"(?:(?:Ook|Voorts|Tevens|Verder|Daarnaast|Tot\sslot|Ten\sslotte)\s(?:\w{1,15}\s){0,2}de|De)"
    r"\s(?:leden\svan\sde\s)?(?:fracties?\b|[\w/+-]{2,40}-fractie\b)"
)
# The words of the opening phrase that names the fraction(s); the first other word ends it.
_NAMING_WORDS = frozenset(
    {"ook", "voorts", "tevens", "verder", "daarnaast", "de", "het", "leden", "van", "en"}
)


# A paragraph that names its fraction after the verb that asks: "..., vragen de leden van de
# VVD-fractie de regering."
_ASKED_BY = re.compile(
    r"\b(?:vragen|vraagt|verzoeken|vernemen|willen)\s(?:de\s)?leden\svan\sde\s"
    r"(?P<who>(?:fracties?\svan\s(?:de\s|het\s)?)?[\w/+-]{2,40}(?:-fractie\b)?)"
)


def speaking_fraction(text: str) -> str:
    """The fraction(s) speaking in a paragraph of a committee's text: the one(s) it opens with ("De
    leden van de fracties van de SP en de PvdD vragen ..."), else the one named as asking after the
    verb (`_ASKED_BY`): "VVD", "SP, PvdD"; "" when none."""
    if not FRACTION_OPENING.match(text):
        asked_by = _ASKED_BY.search(text[:3000])
        return ", ".join(parties(f"de leden van de {asked_by['who']}")) if asked_by else ""
    words: list[str] = []
    for word in text[:600].split():
        bare = word.strip(",;:")
        naming = bare.lower() in _NAMING_WORDS or bare.lower().startswith(("fractie", "fracties"))
        if not (naming or bare.endswith("-fractie") or bare[:1].isupper() or bare[:1].isdigit()):
            break
        words.append(word)
        if word.endswith((".", "?", "!")):
            break
    return ", ".join(parties(" ".join(words)))


def heading_party(line: str) -> str | None:
    """The party of a section heading "Vragen en opmerkingen van de leden van de BBB-fractie"."""
    if len(line) > 200 or not re.match(r"(?:Vragen|Inbreng|Opmerkingen)\b", line):
        return None
    names = parties(line)
    return ", ".join(names) if names else None


def committee(text: str) -> str:
    match = _COMMITTEE.search(text)
    if not match:
        return ""
    # a name wrapped over lines is one name
    name = re.sub(r"\d+$", "", " ".join(match["name"].split())).replace("＆", "&")
    name = re.sub(r"\s?/\s?", "/", name)
    return ("vaste " if match["vaste"] else "") + "commissie voor " + name


def dossiers(texts: list[str], chamber: str = "") -> list[str]:
    """Dossiers cited as "Kamerstukken I 2024/25, 36521, B" -> "36521, B", or "(36600-XX)".

    Only citations of the letter's own chamber count: an Eerste Kamer letter cites Tweede Kamer
    papers as background, not as the dossier it belongs to.
    """
    wanted = {"EK": "I", "TK": "II"}.get(chamber)
    found: list[str] = []
    for text in texts:
        for match in _DOSSIER.finditer(text):
            if wanted and _dossier_chamber(match) != wanted:
                continue
            value = match["number"].replace(" ", "")
            chapter = match["chapter"] or match["roman"]
            if chapter:
                value += "-" + chapter
            if match["sub"]:
                value += ", " + " ".join(match["sub"].split())
            if value not in found:
                found.append(value)
        for match in _PARENTHESISED_DOSSIER.finditer(text):
            value = match["number"].replace(" ", "")
            if value not in found:
                found.append(value)
    return found


def chamber(text: str, footnotes: list[str]) -> str:
    folded = fold(" ".join(text[:200_000].split()))
    if "eerste kamer" in folded:
        return "EK"
    if "tweede kamer der statengeneraal" in folded[:3000] or "aanhangsel van de handelingen" in folded:
        return "TK"
    cited = [_dossier_chamber(m) for note in footnotes for m in _DOSSIER.finditer(note)]
    if cited and cited.count("I") > cited.count("II"):
        return "EK"
    return ""
