"""The question/answer stream of an answer letter, in all its printed styles.

- "Vraag 1" ... "Antwoord 1" (also "Vraag 3, 4 en 5", "Antwoord 2 3 en 4", "Vraag (12):" and a
  "Vraag 5" whose answer follows without any "Antwoord" label);
- the question paragraph repeated, then a bare "Antwoord";
- "1. question ... Antwoord: answer".

Every answer knows the questions it answers as they appear in this letter (`AnswerUnit.repeated`
and `pending`); pairing those with an original letter's questions is `pairing.py`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import Marker, parse_marker
from .metadata import heading_party, office_line
from .text import Paragraph, join_lines
from .units import AnswerUnit, Unit, asks

_MEMBER_HEADING = re.compile(
    r"Vragen\s(?:van|gesteld\sdoor)\shet\slid\s(?P<member>[^()]{2,80}?)\s?\((?P<party>[^()]{1,40})\)\s*$"
)
# a member heading's first line, when the list wraps: "Vragen van de leden Bos, A. (CDA), Kok, B. en"
_MEMBERS_START = re.compile(r"Vragen\s(?:van|gesteld\sdoor)\s(?:het\slid|de\sleden)\s[A-ZÀ-Ý]")
_MEMBERS_HEADING = re.compile(r"Vragen\s(?:van|gesteld\sdoor)\sde\sleden\s(?P<listing>.{2,300}\))\s*$")
# one party's members: "Van Weyenberg, Romke de Jong en Kat (allen D66)", "Bos, A. (CDA)"
_PARTY_GROUP = re.compile(r"(?P<names>[^()]{1,600}?)\s?\((?:beiden\s|allen\s)?(?P<party>[^()]{1,60})\)")
_GROUP_SEPARATOR = re.compile(r"^\s{0,5}(?:,|\ben\b)?\s{0,5}")
_NAME_SEPARATOR = re.compile(r",\s|\sen\s")
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.\s?){1,6}")  # "A.", "A.B.", "Th."
_LETTER_FURNITURE = re.compile(
    r"(?:Geachte\s.{1,80}|Hoogachtend,?|Met\s(?:vriendelijke|hoogachtende)\sgroet,?"
    r"|(?:Den\sHaag|[’']s-Gravenhage),\s.{4,30}|Aan\sde\s.{3,150})$"
)
# the letter's closing: after it, text belongs to no answer ("Hoogachtend," / "De minister van X, Naam")
_SIGN_OFF = re.compile(
    r"(?:Hoogachtend|Met\s(?:vriendelijke|hoogachtende)\sgroet|Met\sgroet)\b"
    r"|[Dd]e\s(?:[Mm]inister|[Ss]taatssecretaris|[Mm]inister-[Pp]resident)\b[^.?!;:]{0,150},"
)
MAX_SIGN_OFF = 250
_ON_BEHALF = re.compile(r"[Nn]amens\sdeze\s?,")
_STATEMENT_END = re.compile(r"[.!]\s")
_SENTENCE_QUESTION = re.compile(r"[^?]{1,2000}?\?(?=\s|$)")
# a sentence that only continues the question before it: "Zo nee, waarom niet?", "Indien ja, ..."
_FOLLOW_UP = re.compile(
    r"(?:[Ee]n\s)?(?:Zo|Indien|Als)\s(?:ja|nee|neen|niet|dat\s(?:niet\s)?(?:zo|het\sgeval)\sis)\b"
    r"|(?:En\s)?[Ww]aarom\s(?:wel\s|dan\s)?niet\s?\?"
)


@dataclass
class Stream:
    questions: list[Unit] = field(default_factory=list)  # as they appear, in order
    answers: list[AnswerUnit] = field(default_factory=list)
    asked: dict[int, list[Unit]] = field(default_factory=dict)  # answer index -> questions it answers


def members(listing: str) -> list[tuple[str, str]]:
    """Every member with the party after their group, however many and however listed:
    "Mutluer (GroenLinks-PvdA) en Kostic (PvdD)" -> [("Mutluer", "GroenLinks-PvdA"), ...];
    "Van Weyenberg, Romke de Jong en Kat (allen D66)" -> three members of D66. A name printed
    with its initials ("Bos, A. (CDA)") keeps them."""
    found: list[tuple[str, str]] = []
    for match in _PARTY_GROUP.finditer(listing):
        names = _GROUP_SEPARATOR.sub("", match["names"])
        people: list[str] = []
        for name in _NAME_SEPARATOR.split(names):
            name = " ".join(name.split()).strip(" ,")
            if people and _INITIALS.fullmatch(name):
                people[-1] += ", " + name
            elif name:
                people.append(name)
        found += [(name, " ".join(match["party"].split())) for name in people]
    return found


def member_heading(text: str) -> tuple[str, str] | None:
    """ "Vragen van het lid Piri, K. (GL/PvdA)" -> ("Piri, K.", "GL/PvdA");
    "Vragen van de leden Bos, A. (CDA) en Kok, B. (VVD)" -> ("Bos, A.; Kok, B.", "CDA, VVD")."""
    if len(text) > 300:
        return None
    text = text.strip()
    match = _MEMBER_HEADING.match(text)
    if match:
        return match["member"].strip(), match["party"].strip()
    several = _MEMBERS_HEADING.match(text)
    if not several:
        return None
    people = members(several["listing"])
    if not people:
        return None
    names = ("; " if any("," in name for name, _ in people) else ", ").join(name for name, _ in people)
    return names, ", ".join(dict.fromkeys(party for _, party in people))


def is_stream_heading(line: str) -> int:
    """For `paragraphs()`: 2 = a line of its own, 1 = starts a paragraph, 0 = ordinary text."""
    if (
        heading_party(line)
        or member_heading(line)
        or (len(line) < 200 and _LETTER_FURNITURE.match(line))
        or is_signing_line(line)
    ):
        return 2
    if _MEMBERS_START.match(line):
        return 1
    marker = parse_marker(line)
    if marker is None:
        return 0
    return 1 if marker.rest else 2


def is_signing_line(line: str) -> bool:
    """A line of the signature block naming the office, after the last question or answer."""
    if _ON_BEHALF.fullmatch(line.strip()):
        return True
    match = office_line(line)
    return bool(match and match["comma"])


def is_sign_off(text: str) -> bool:
    """ "Hoogachtend," or a signature paragraph "De minister van Financiën, A. Bestuurder"."""
    return len(text) <= MAX_SIGN_OFF and (bool(_SIGN_OFF.match(text)) or is_signing_line(text))


def _kind(paragraph: Paragraph) -> tuple[str, Marker | None]:
    first = paragraph.lines[0].text
    if (
        heading_party(first)
        or member_heading(paragraph.text)
        or (paragraph.heading and heading_party(paragraph.text))
    ):
        return "heading", None
    if is_sign_off(paragraph.text):
        return "sign-off", None
    marker = parse_marker(first)
    return (marker.kind, marker) if marker else ("text", None)


def _body(paragraph: Paragraph, marker: Marker | None) -> str:
    """The paragraph without its marker words."""
    if marker is None:
        return paragraph.text
    return join_lines([marker.rest] + [line.text for line in paragraph.lines[1:]])


def _statements_end(text: str) -> int | None:
    """Where the last sentence not asking ends, when questions follow it; else None."""
    ends = [match.end() for match in _STATEMENT_END.finditer(text)]
    return ends[-1] if ends and "?" in text[ends[-1] :] else None


def _question_starts(kinds: list[tuple[str, Marker | None]], numbered: bool) -> set[int]:
    starts = {i for i, (kind, _) in enumerate(kinds) if kind == "question"}
    if starts or not numbered:
        return starts
    # "1. ... Antwoord: ..." style: of the numbered paragraphs before an answer, the one that
    # continues the numbering starts the question; the others are lists inside answers.
    expected = 1
    span: list[int] = []
    for index, (kind, marker) in enumerate(kinds):
        if kind == "numbered" and marker is not None:
            span.append(index)
        elif kind == "answer":
            if span:
                numbers = {i: kinds[i][1].numbers[0] for i in span if kinds[i][1] is not None}
                chosen = [i for i in span if numbers[i] == expected] or [span[-1]]
                starts.add(chosen[-1])
                expected = numbers[chosen[-1]] + 1
            span = []
    return starts


def _split_combined(text: str, page: int, numbers: tuple[int, ...], context: Unit) -> list[Unit]:
    """ "Vraag 3, 4 en 5" over three paragraphs or questions -> three question units."""

    def unit(part: str, number: int | None, label: str | None) -> Unit:
        nums = (number,) if number is not None else numbers
        return Unit(part.strip(), page, label, nums, context.party, context.member)

    if len(numbers) < 2:
        return [unit(text, numbers[0] if numbers else None, context.label)]
    parts = [part for part in text.split("\n\n") if part.strip()]
    if len(parts) < len(numbers):
        parts = [m.group(0) for m in _SENTENCE_QUESTION.finditer(text)] or [text]
        tail = text[sum(len(p) for p in parts) :].strip() if parts else ""
        if tail and parts:
            parts[-1] += " " + tail
    merged: list[str] = []
    for part in parts:
        if merged and _FOLLOW_UP.match(part.lstrip()):
            merged[-1] += " " + part.strip()
        else:
            merged.append(part)
    parts = merged
    if len(parts) < len(numbers):
        return [unit(text, None, context.label)]
    groups: list[list[str]] = [[] for _ in numbers]
    # leading parts that do not ask are preamble of the first question
    asking = [i for i, part in enumerate(parts) if asks(part)]
    ends = asking[-(len(numbers) - 1) - 1 : -1] if len(asking) >= len(numbers) else []
    if len(ends) != len(numbers) - 1:
        ends = list(range(len(parts) - len(numbers), len(parts) - 1))
    group = 0
    for index, part in enumerate(parts):
        groups[group].append(part)
        if group < len(ends) and index == ends[group]:
            group += 1
    return [unit(" ".join(g), n, str(n)) for g, n in zip(groups, numbers, strict=True)]


def qa_stream(paragraphs: list[Paragraph], *, numbered: bool = True) -> Stream:
    """Walk an answer letter's body and collect its questions and answers."""
    kinds = [_kind(p) for p in paragraphs]
    starts = _question_starts(kinds, numbered)
    has_answers = any(kind == "answer" for kind, _ in kinds)
    stream = Stream()
    context = Unit("", 1)
    pending: list[Unit] = []
    item: list[tuple[Paragraph, Marker | None]] = []  # the open question item
    answer: list[tuple[Paragraph, Marker | None]] = []  # the open answer
    loose: list[Paragraph] = []  # text outside items and answers (style "repeat + Antwoord")

    def item_questions() -> list[Unit]:
        marker = item[0][1]
        numbers = marker.numbers if marker else ()
        texts = [_body(p, m) for p, m in item]
        label_context = Unit("", 1, marker.label if marker else None, numbers, context.party, context.member)
        return _split_combined("\n\n".join(t for t in texts if t), item[0][0].page, numbers, label_context)

    def close_item() -> None:
        nonlocal item
        if not item:
            return
        if has_answers and len(item) > 1:
            # "Vraag 5 <question> <answer>": an answer printed without its "Antwoord" label
            cut = 1
            while cut < len(item) and asks(item[cut][0].text):
                cut += 1
            if cut < len(item):
                tail = item[cut:]
                item = item[:cut]
                questions = item_questions()
                item = []
                stream.questions.extend(questions)
                pending.extend(questions)
                open_answer(tail[0][0], None, questions=[])
                answer.extend(tail[1:])
                close_answer()
                return
        questions = item_questions()
        stream.questions.extend(questions)
        pending.extend(questions)
        item = []

    def close_answer() -> None:
        nonlocal answer
        if not answer:
            return
        head, marker = answer[0]
        texts = [_body(head, marker)] + [p.text for p, _ in answer[1:]]
        unit = stream.answers[-1]
        unit.text = "\n\n".join(t for t in texts if t).strip()
        answer = []

    def open_answer(paragraph: Paragraph, marker: Marker | None, questions: list[Unit]) -> None:
        nonlocal pending
        close_answer()
        numbers = marker.numbers if marker else ()
        own = list(questions)
        if numbers:
            carried = [q for q in pending if q not in own and set(q.numbers) & set(numbers)]
        else:
            carried = [q for q in pending if q not in own]
        asked = carried + [q for q in own if q not in carried]
        unit = AnswerUnit(
            "",
            paragraph.page,
            marker.label if marker else None,
            numbers,
            context.party,
            context.member,
            repeated=own[-1] if own else None,
            pending=carried,
        )
        stream.asked[len(stream.answers)] = asked
        stream.answers.append(unit)
        # questions printed as a block keep waiting for the answers that name them
        pending = [q for q in pending if q not in carried]
        answer.append((paragraph, marker))

    def repeated_from(source: list[Paragraph], keep_first: bool) -> tuple[list[Paragraph], Unit | None]:
        """Style "question repeated, then Antwoord": the question is the paragraph(s) before it."""
        if not source:
            return source, None
        cut = len(source) - 1
        floor = 1 if keep_first else 0
        while cut - 1 >= floor and source[cut - 1].text.rstrip().endswith("?"):
            cut -= 1
        taken = source[cut:]
        kept = source[:cut]
        text = "\n\n".join(p.text for p in taken)
        if keep_first and len(kept) == 1 and not _body(kept[0], answer[0][1]):
            # A bare "Antwoord" whose text ran into the next repeated question (no blank line
            # between them): the answer keeps its statements, the question is what follows them.
            split = _statements_end(text)
            if split is not None:
                kept = [kept[0], Paragraph(taken[0].lines, text[:split].rstrip())]
                text = text[split:].lstrip()
        return kept, Unit(text, taken[0].page, None, (), context.party, context.member)

    for index, (paragraph, (kind, marker)) in enumerate(zip(paragraphs, kinds, strict=True)):
        if kind == "heading":
            close_item()
            close_answer()
            loose = []
            member = member_heading(paragraph.text)
            if member:
                context = Unit("", 1, None, (), member[1], member[0])
            else:
                context = Unit("", 1, None, (), heading_party(paragraph.text) or "")
        elif kind == "sign-off":
            close_item()
            close_answer()
            loose = []
        elif index in starts:
            close_answer()
            close_item()
            loose = []
            item = [(paragraph, marker)]
        elif kind == "answer":
            numbers = set(marker.numbers) if marker is not None else set()
            opened = set(item[0][1].numbers) if item and item[0][1] is not None else set()
            waiting = {number for question in pending for number in question.numbers}
            if numbers & waiting and not numbers & opened:
                # all questions first, then their answers: "Antwoord 1" after "Vraag 3" names a
                # question still waiting, not the open one
                close_item()
                open_answer(paragraph, marker, [])
                continue
            if item:
                questions = item_questions()
                item = []
                stream.questions.extend(questions)
            else:
                if answer:
                    kept, repeated = repeated_from([p for p, _ in answer], keep_first=True)
                    answer[:] = answer[:1] + [(p, None) for p in kept[1:]]  # inner markers unused
                else:
                    loose, repeated = repeated_from(loose, keep_first=False)
                questions = [repeated] if repeated else []
                stream.questions.extend(questions)
            open_answer(paragraph, marker, questions)
        elif answer:
            answer.append((paragraph, marker))
        elif item:
            item.append((paragraph, marker))
        else:
            loose.append(paragraph)
    close_item()
    close_answer()
    return stream
