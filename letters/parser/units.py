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
    section: str = ""  # the number of the section heading it stands under ("2", "2.3", "II")
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
    r"(?:of|waarom|hoe|hoeveel|wat|welke|wanneer|om|u|te)\b"
    # "Deze leden vragen voorts wanneer ...", "vragen zich af of"; not the noun ("vragen te stellen")
    r"|\b(?:vragen|vraagt)\s(?:(?:voorts|verder|daarnaast|tevens|ook|nog|bovendien|zich\saf)\s){0,2}"
    r"(?:of|waarom|hoe|hoeveel|wat|welke|wie|wanneer|waar|waarop|in\shoeverre)\b"
    r"|\bwillen\s(?:\w{1,12}\s){0,2}weten\b|\bhoren\s(?:\w{1,12}\s)?graag\b|\bvernemen\sgraag\b"
    r"|\b(?:verzoeken|vragen)\s(?:u|de\sregering|het\skabinet)\b"
    # the asker named after the verb: "..., vragen de leden van de VVD-fractie de regering."
    r"|\b(?:vragen|vraagt|verzoeken|vernemen)\s(?:(?:de|deze)\sleden|zij)\b"
    r"|\bzien\s.{0,60}?graag\b"
    r"|\bontvangen\s(?:de|deze)\sleden\s.{0,40}?graag\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!]\s")
_CLOSING = re.compile(
    r"na\sdagtekening|met\sbelangstelling\s(?:tegemoet|uit)|binnen\s\S{1,12}\sweken"
    r"|zien\s(?:uw|de)\s(?:reactie|beantwoording)",
    re.IGNORECASE,
)


# The sentence of a committee letter's opening that announces its questions: "De leden van de
# fractie van X hebben de volgende vragen:", "... hebben naar aanleiding daarvan enkele vervolgvragen."
_ANNOUNCES = re.compile(
    r"\b(?:hebben|heeft|stellen|stelt)\b[^.?!:]{0,200}?"
    r"\b(?:de\svolgende|enkele|een\saantal|nog\s(?:een|enkele|de\svolgende)|aanvullende|nadere)\s"
    r"(?:\w{1,20}\s)?(?:vervolg)?vra(?:gen|ag)\b[^.?!:]{0,200}?[.:](?=\s|$)"
)


def announces_questions(text: str) -> int | None:
    """Where the sentence announcing the letter's questions ends in `text`, or None."""
    match = _ANNOUNCES.search(text[: MAX_LINE * 2])
    return match.end() if match else None


def asks(text: str) -> bool:
    """A question unit asks: a question mark, or a request ("Graag ontvangen de leden ...")."""
    head = text[: MAX_LINE * 20]
    return bool(_QUESTION_MARK.search(head) or _REQUEST.search(head))


def is_closing(text: str) -> bool:
    """The closing formula ("zien uw reactie met belangstelling tegemoet ... binnen vier weken")."""
    return bool(_CLOSING.search(text[: MAX_LINE * 20])) and "?" not in text


def closing_start(text: str) -> int | None:
    """Where the closing formula starts when it is glued to the last question (a page break or a
    full last line hid the paragraph end): the sentence after the last question mark."""
    last = text.rfind("?")
    if last < 0:
        return None
    match = _CLOSING.search(text, last)
    if not match:
        return None
    ends = [end.end() for end in _SENTENCE_END.finditer(text, last, match.start())]
    return ends[-1] if ends else None
