"""The parser's result: plain dataclasses, no Django.

This is the contract between the framework-free parser and the import service.
`ParseResult.to_dict()` gives the stable JSON shape documented in the README
(`python manage.py parse_letter FILE --json`); fields may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from .ocr import OcrPage

LETTER_KINDS = (
    "questions",
    "postponement",
    "answer",
    "mededeling",
    "cover",
    "other",
    # a written round on a bill (`formats.bill_round`): the committee's (nader/voorlopig) verslag,
    # the government's nota naar aanleiding van het verslag or memorie van antwoord, the eindverslag
    "verslag",
    "nota",
    "eindverslag",
)


@dataclass
class ParsedLetter:
    kind: str  # one of LETTER_KINDS
    date: date | None = None  # dagtekening; None when the text has none (never guessed)
    sender: str = ""
    recipient: str = ""
    reference: str | None = None  # the kenmerk this letter cites or carries ("177400")
    cites_date: date | None = None  # the date of the letter it answers/postpones ("ingezonden op ...")
    term_days: int | None = None  # reply term stated in the letter ("binnen vier weken" -> 28)
    parties: list[str] = field(default_factory=list)  # asking fractions, e.g. ["BBB", "GroenLinks-PvdA"]
    dossier: list[str] = field(default_factory=list)  # ["36521, B"] as cited
    first_page: int = 1
    last_page: int = 1
    subject: str = ""
    committee: str = ""  # "vaste commissie voor Binnenlandse Zaken"
    chamber: str = ""  # "EK" | "TK" | ""
    document_number: str | None = None  # "ah-tk-20232024-1314"
    aanhangsel_number: str | None = None  # Kamervragen: the number in the Aanhangsel ("1314")
    promised_date: date | None = None  # postponement: the date the answer is promised by
    promised_term_days: int | None = None  # postponement: "binnen drie weken" -> 21
    text: str = ""  # the letter's cleaned text
    bill_round: int | None = None  # verslag / nota: 1 for the first round, 2 for "nader", 3 "tweede nader"


@dataclass
class ParsedQuestion:
    letter: int  # index into ParseResult.letters
    label: str | None = None  # as printed: "3", "(12)"; None for unnumbered prose
    party: str = ""
    member: str = ""
    page: int = 1
    text: str = ""


@dataclass
class ParsedAnswer:
    letter: int  # index into ParseResult.letters
    label: str | None = None  # as printed: "3, 4 en 5"; None when unlabelled
    covers: list[int] = field(default_factory=list)  # indexes into ParseResult.questions
    refers_to: list[int] = field(default_factory=list)  # questions whose answers this one points to
    page: int = 1
    text: str = ""


@dataclass(frozen=True)
class Notice:
    """Something a person should check, as a code and its parameters, never as finished words.

    The wording (and its translation) lives with whoever shows it (`letters.messages`). Dates are
    ISO strings; a letter is described by `<name>_kind`, `<name>_date` and its 1-based position
    `<name>`, with `letters` the document's number of letters, so no reader meets "letter 0".
    """

    code: str
    params: dict[str, str | int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass
class ParseResult:
    source: str
    pages: int = 0
    letters: list[ParsedLetter] = field(default_factory=list)
    questions: list[ParsedQuestion] = field(default_factory=list)
    answers: list[ParsedAnswer] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    # The pages read by text recognition (scans), with its confidence; empty for a text layer.
    ocr: list[OcrPage] = field(default_factory=list)

    def to_dict(self) -> dict:
        def convert(value):
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list):
                return [convert(v) for v in value]
            return value

        return convert(asdict(self))
