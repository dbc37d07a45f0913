"""Question and answer units before they are numbered into the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import MAX_LINE, content_words


@dataclass(eq=False)
class Unit:
    text: str
    page: int
    label: str | None = None
    numbers: tuple[int, ...] = ()
    party: str = ""
    member: str = ""
    breaks: tuple[tuple[int, int], ...] = ()  # (offset, page) where the text crosses a page
    _words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def page_at(self, offset: int) -> int:
        page = self.page
        for start, number in self.breaks:
            if start <= offset:
                page = number
        return page

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = content_words(self.text)
        return self._words


@dataclass(eq=False)
class AnswerUnit(Unit):
    repeated: Unit | None = None  # the question as repeated in the answer letter, if any
    pending: list[Unit] = field(default_factory=list)  # earlier questions left for this answer


_QUESTION_MARK = re.compile(r"\?")
_REQUEST = re.compile(
    r"\bgraag\b.{0,80}?\b(?:toelichting|reactie|onderbouwing|antwoord|overzicht|uiteenzetting|inzicht"
    r"|toezegging|tegemoet|ontvangen)"
    r"|\b(?:verzoeken|verzoekt|vragen|vraagt)\s(?:de|deze|zij|genoemde|u|het)\b.{0,80}?\b"
    r"(?:of|waarom|hoe|wat|welke|wanneer|om|u|te)\b"
    r"|\b(?:verzoeken|vragen)\s(?:u|de\sregering|het\skabinet)\b"
    r"|\bzien\s.{0,60}?graag\b"
    r"|\bontvangen\s(?:de|deze)\sleden\s.{0,40}?graag\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"na\sdagtekening|met\sbelangstelling\s(?:tegemoet|uit)|binnen\s\S{1,12}\sweken"
    r"|zien\s(?:uw|de)\s(?:reactie|beantwoording)",
    re.IGNORECASE,
)


def asks(text: str) -> bool:
    """A question unit asks: a question mark, or a request ("Graag ontvangen de leden ...")."""
    head = text[: MAX_LINE * 20]
    return bool(_QUESTION_MARK.search(head) or _REQUEST.search(head))


def is_closing(text: str) -> bool:
    """The closing formula ("zien uw reactie met belangstelling tegemoet ... binnen vier weken")."""
    return bool(_CLOSING.search(text[: MAX_LINE * 20])) and "?" not in text
