"""Pair an answer letter's answers with the questions of the original letter.

Matching is by label first (when both sides are numbered the same way), then by the
repeated question text: overlap of content words, tolerant of re-wrapping and small edits.
Candidates are limited to a window around the previous match, so a long letter costs
O(answers x window), not O(n^2); within the window only the originals sharing a word are
measured, found through an inverted index of their words.

An answer letter often cuts a committee paragraph into several questions (one paragraph,
three "?"s, three answers). When several repeated questions land in the same original
paragraph, that paragraph is split where each repeated question starts, so the result has
one question per answered unit instead of one paragraph answered three times.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from .answers import Stream, is_sign_off
from .labels import label_numbers
from .text import Paragraph, fold, shared_similarity, similarity
from .units import AnswerUnit, Unit, asks

WINDOW_BEFORE = 40
WINDOW_AFTER = 120
# A repeated question is matched to the best original in reach; below this it is left unmatched.
MIN_SCORE = 0.3
_TOKEN = re.compile(r"\w{1,60}")

_NUM = r"\(?\d{1,3}[a-h]?\)?"
_NUMS = (
    rf"(?P<nums>{_NUM}(?:(?:\s?,\s?|\sen\s|\s(?:t/m|tot\sen\smet)\s|\s?[-–]\s?|\s){_NUM}){{0,20}})"
    r"(?![\d(]|[.,]\d)"
)
_REFERS = (
    re.compile(
        r"\b(?:antwoord(?:en)?|beantwoording)\s(?:op|bij)\s(?:de\s)?(?:vra(?:ag|gen)\s)?" + _NUMS,
        re.IGNORECASE,
    ),
    re.compile(r"\bgelijk\saan\s(?:(?:het\s)?antwoord\s(?:op\s)?)?(?:vraag\s)?" + _NUMS, re.IGNORECASE),
    re.compile(r"\bzie\s(?:ook\s)?(?:vra(?:ag|gen)\s)" + _NUMS, re.IGNORECASE),
    # "zie de beantwoording van vraag 12", "wordt verwezen naar vraag 12" (a bill's nota)
    re.compile(r"\bbeantwoording\svan\s(?:de\s)?vra(?:ag|gen)\s" + _NUMS, re.IGNORECASE),
    re.compile(
        r"\b(?:verwijs|verwijst|verwijzen|verwezen)\snaar\s(?:de\s)?vra(?:ag|gen)\s" + _NUMS, re.IGNORECASE
    ),
    re.compile(
        r"\bzie\s(?:ook\s)?(?:het\s|mijn\s|ons\s)?antwoord(?:en)?\s(?:vra(?:ag|gen)\s)?" + _NUMS,
        re.IGNORECASE,
    ),
)
_OTHER_SET = re.compile(
    r"\s(?:van\s(?:het\slid|de\sleden)|in\shet\sAanhangsel|uit\sde\sbrief"
    r"|(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b)",
    re.IGNORECASE,
)
# An answer that opens by saying it answers several questions at once: "De vragen 3 en 4 worden
# gezamenlijk beantwoord", "Vraag 7 en 8 beantwoord ik in samenhang".
_TOGETHER = re.compile(
    r"\bvra(?:ag|gen)\s" + _NUMS + r"\s(?:[\w-]{1,20}\s){0,4}?(?:gezamenlijk|samen|tezamen|in\ssamenhang)\b",
    re.IGNORECASE,
)
MAX_TOGETHER_AT = 300  # the answer's opening, not a sentence deep inside it
_ABOVE = re.compile(r"\bantwoord(?:en)?\s(?:hier)?boven\b|\bvorige\santwoord\b", re.IGNORECASE)
# An answer pointing to a section of its own document: "zoals hierboven aangegeven bij paragraaf 2",
# "zie ook hoofdstuk 3"; not one of another paper ("paragraaf 2 van de memorie van toelichting").
_SECTION_REFERS = re.compile(
    r"(?:\b(?:(?:hier)?boven|eerder|reeds)\b[^.?!]{0,60}?\b(?:bij|in|onder)\s|\bzie\s(?:ook\s)?)"
    r"(?:de\s)?(?:paragraaf|hoofdstuk|§)\s?(?P<section>\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,6})\b"
    r"(?!\s(?:van|uit)\s(?:de|het|deze|dit)\s(?!nota\b))",
    re.IGNORECASE,
)


@dataclass
class Paired:
    questions: list[Unit]  # the original questions, split where the answers show a split
    origin: list[int]  # per question: index of the original question it came from
    covers: list[list[int]]  # per answer: indexes into `questions`
    unmatched: list[Unit] = field(default_factory=list)  # repeated questions found nowhere
    unmatched_covers: list[list[int]] = field(default_factory=list)  # per answer: into `unmatched`
    by_number: dict[int, list[int]] = field(default_factory=dict)  # answer letter's numbering


class _Originals:
    """The original questions' content words inverted (word -> ascending indexes of the originals
    holding it), built on first use: a repeated question is measured only against the originals
    in its window that share a word with it, counted here rather than by intersecting sets."""

    def __init__(self, originals: list[Unit]) -> None:
        self.originals = originals
        self._postings: dict[str, list[int]] | None = None

    def shared(self, words: frozenset[str], low: int, high: int) -> dict[int, int]:
        """Original index -> how many of `words` it holds, for the originals in [low, high)."""
        if self._postings is None:
            self._postings = {}
            for index, original in enumerate(self.originals):
                for word in original.words:
                    self._postings.setdefault(word, []).append(index)
        counts: dict[int, int] = {}
        for word in words:
            postings = self._postings.get(word)
            if postings:
                for index in postings[bisect_left(postings, low) : bisect_left(postings, high)]:
                    counts[index] = counts.get(index, 0) + 1
        return counts


def _best(
    unit: Unit, originals: _Originals, numbered: dict[int, list[int]], last: int, after: int
) -> tuple[int, float]:
    """`numbered`: the originals' `number_index`, so a label is looked up, not searched for;
    `last` centres the window, `after` is the previous match (-1 before the first)."""
    units = originals.originals
    if unit.numbers and numbered:
        labelled = sorted({i for value in unit.numbers for i in numbered.get(value, ())})
        if labelled:
            return max(((i, similarity(unit.words, units[i].words)) for i in labelled), key=lambda x: x[1])
    if len(units) > WINDOW_BEFORE + WINDOW_AFTER:
        low, high = max(0, last - WINDOW_BEFORE), min(len(units), last + WINDOW_AFTER)
    else:
        low, high = 0, len(units)
    # An original sharing no word scores 0 and is never the best; the rest are measured in the
    # window's order, so of two equally close the first wins, as when every one was measured,
    # unless only a later one follows the previous match: answers keep the questions' order.
    best, best_score = -1, 0.0
    size = len(unit.words)
    shared = originals.shared(unit.words, low, high)
    for index in sorted(shared):
        value = shared_similarity(shared[index], size, len(units[index].words))
        if value > best_score or (value == best_score and best <= after < index):
            best, best_score = index, value
    return best, best_score


# An answer letter without "Vraag" or "Antwoord" repeats each question (most of its words) before
# answering it; an answer sharing a question's words stays an answer by not asking.
REPEATED_SCORE = 0.8


def repeated_stream(found: list[Paragraph], originals: list[Unit]) -> Stream:
    """The questions and answers of an answer letter that repeats the original questions without
    markers: a paragraph asking what an original asks (`similarity` >= `REPEATED_SCORE`) repeats
    it, the paragraphs after it, up to the next repeated question or the closing, answer it."""
    stream = Stream()
    indexed = _Originals(originals)
    last = after = 0
    answer: list[Paragraph] = []

    def close() -> None:
        if answer:
            stream.answers[-1].text = "\n\n".join(paragraph.text for paragraph in answer)
            answer.clear()

    for paragraph in found:
        if is_sign_off(paragraph.text):
            close()
            break
        unit = Unit(paragraph.text, paragraph.page)
        index, score = _best(unit, indexed, {}, last, after) if asks(paragraph.text) else (-1, 0.0)
        if index >= 0 and score >= REPEATED_SCORE:
            close()
            if stream.answers and not stream.answers[-1].text:
                # two questions repeated one after another are answered together
                stream.answers.pop()
                unit_list = stream.asked.pop(len(stream.answers))
            else:
                unit_list = []
            last = after = index
            stream.questions.append(unit)
            stream.asked[len(stream.answers)] = [*unit_list, unit]
            stream.answers.append(AnswerUnit("", paragraph.page))
        elif stream.answers:
            answer.append(paragraph)
    close()
    if stream.answers and not stream.answers[-1].text:
        stream.answers.pop()
        stream.asked.pop(len(stream.answers))
    return stream


_GLUED_MARKER = re.compile(r"(?<=[^\W\d_])\d{1,3}$")
LEAD_WORDS = 6  # the opening words of an original question that mark where its repetition starts


def _lead_in(text: str, original: str) -> int:
    """Where in `text`, a paragraph repeating `original`, the repetition starts when sentences of
    something else come before it: at a sentence start holding the original's opening words; 0
    when it starts the paragraph or its opening is not found."""
    opening = [_unmarked(word) for _, word in _tokens(original[:400])[:LEAD_WORDS]]
    tokens = _tokens(text)
    if len(opening) < LEAD_WORDS:
        return 0
    words = [_unmarked(word) for _, word in tokens]
    if words[: len(opening)] == opening:
        return 0
    for position in range(1, len(tokens) - len(opening) + 1):
        start = tokens[position][0]
        if words[position : position + len(opening)] == opening and text[:start].rstrip().endswith(
            (".", "!")
        ):
            # an answer's statements, not a question's own context that quotes or asks
            lead = text[:start]
            return start if "?" not in lead and not any(quote in lead for quote in '“”"«»') else 0
    return 0


def _unmarked(word: str) -> str:
    """A word without the footnote marker plain text glues to it ("rapport12")."""
    return _GLUED_MARKER.sub("", word)


def _tokens(text: str) -> list[tuple[int, str]]:
    return [(m.start(), fold(m.group())) for m in _TOKEN.finditer(text)]


def _find_start(
    words: list[str], tokens: list[tuple[int, str]], positions: dict[str, list[int]], after: int
) -> int | None:
    """Offset in the original where a repeated question starts (its first words), or None."""
    for length in (8, 5, 3):
        for skip in (0, 1, 2):
            sequence = words[skip : skip + length]
            if not sequence or len(sequence) < min(length, len(words)):
                continue
            candidates = positions.get(sequence[0], [])
            # positions are ascending: skip those before the previous cut
            first = bisect_right(candidates, after, key=lambda position: tokens[position][0])
            for position in candidates[first : first + 200]:
                start = position - skip
                if start < 0 or tokens[start][0] <= after:
                    continue
                if [w for _, w in tokens[position : position + len(sequence)]] == sequence:
                    return tokens[start][0]
    return None


def _split(original: Unit, group: list[Unit]) -> list[tuple[Unit, list[Unit]]]:
    """Cut `original` where each repeated question of `group` starts; return parts and their units."""
    tokens = _tokens(original.text)
    positions: dict[str, list[int]] = {}
    for index, (_, word) in enumerate(tokens):
        positions.setdefault(word, []).append(index)
    cuts: list[tuple[int, list[Unit]]] = [(0, [group[0]])]
    for unit in group[1:]:
        words = [w for _, w in _tokens(unit.text[:2000])]
        start = _find_start(words, tokens, positions, cuts[-1][0])
        if start is None or not original.text[cuts[-1][0] : start].strip():
            cuts[-1][1].append(unit)
        else:
            cuts.append((start, [unit]))
    parts = []
    for number, (start, units) in enumerate(cuts):
        end = cuts[number + 1][0] if number + 1 < len(cuts) else len(original.text)
        text = original.text[start:end].strip()
        label = original.label if len(cuts) == 1 else None
        part = Unit(
            text,
            original.page_at(start),
            label,
            original.numbers if len(cuts) == 1 else (),
            original.party,
            original.member,
            tuple((offset - start, page) for offset, page in original.breaks if offset >= start),
        )
        parts.append((part, units))
    return parts


def pair(originals: list[Unit], stream: Stream) -> Paired:
    """Map every answer onto the original questions it answers."""
    match: dict[int, int] = {}  # id(repeated unit) -> original index
    unmatched: list[Unit] = []
    last, after = 0, -1
    numbered = number_index(originals)
    indexed = _Originals(originals)
    for unit in stream.questions:
        index, value = _best(unit, indexed, numbered, last, after)
        if index >= 0 and value >= MIN_SCORE:
            match[id(unit)] = index
            last = after = index
        else:
            unmatched.append(unit)
    _give_back_lead_ins(stream, originals, match)
    groups: dict[int, list[Unit]] = {}
    for unit in stream.questions:
        if id(unit) in match:
            groups.setdefault(match[id(unit)], []).append(unit)
    questions: list[Unit] = []
    origin: list[int] = []
    final: dict[int, int] = {}  # id(repeated unit) -> index in questions
    for index, original in enumerate(originals):
        group = groups.get(index)
        parts = _split(original, group) if group and len(group) > 1 else [(original, group or [])]
        for part, units in parts:
            for unit in units:
                final[id(unit)] = len(questions)
            questions.append(part)
            origin.append(index)
    covers: list[list[int]] = []
    unmatched_covers: list[list[int]] = []
    unmatched_at = {id(unit): k for k, unit in enumerate(unmatched)}
    for number in range(len(stream.answers)):
        asked = stream.asked.get(number, [])
        covers.append(sorted({final[id(u)] for u in asked if id(u) in final}))
        unmatched_covers.append(sorted({unmatched_at[id(u)] for u in asked if id(u) in unmatched_at}))
    by_number = number_index(questions)
    for unit in stream.questions:
        for value in unit.numbers:
            if id(unit) in final:
                by_number[value] = [final[id(unit)]]
    return Paired(questions, origin, covers, unmatched, unmatched_covers, by_number)


def _give_back_lead_ins(stream: Stream, originals: list[Unit], match: dict[int, int]) -> None:
    """A repeated question whose paragraph opens with the last sentences of the answer before it
    (a page that ended on a full line hid the paragraph break): those go back to that answer."""
    for number in range(1, len(stream.answers)):
        unit = stream.answers[number].repeated
        if unit is None or id(unit) not in match:
            continue
        lead = _lead_in(unit.text, originals[match[id(unit)]].text)
        if lead:
            previous = stream.answers[number - 1]
            previous.text = f"{previous.text}\n\n{unit.text[:lead].rstrip()}"
            unit.text, unit._words = unit.text[lead:], None


def own_covers(questions: list[Unit], stream: Stream) -> list[list[int]]:
    """Covers when the answer letter's own (repeated or labelled) questions are the questions."""
    position = {id(unit): index for index, unit in enumerate(questions)}
    by_number = number_index(questions)
    covers = []
    for number, answer in enumerate(stream.answers):
        indexes = {position[id(u)] for u in stream.asked.get(number, []) if id(u) in position}
        for value in answer.numbers:
            indexes.update(by_number.get(value, ()))
        together = {i for value in answered_together(answer.text) for i in by_number.get(value, ())}
        # only about this answer: it names the question it stands under, or it stands under none
        if not indexes or indexes & together:
            indexes |= together
        covers.append(sorted(indexes))
    return covers


def answered_together(text: str) -> list[int]:
    """The question numbers an answer's opening says it answers together (`_TOGETHER`)."""
    match = _TOGETHER.search(text[:MAX_TOGETHER_AT])
    return label_numbers(match["nums"]) if match else []


def number_index(questions: list[Unit]) -> dict[int, list[int]]:
    """Question number as printed -> question indexes, for "zie het antwoord op vraag 3"."""
    by_number: dict[int, list[int]] = {}
    for index, question in enumerate(questions):
        for number in question.numbers:
            by_number.setdefault(number, []).append(index)
    return by_number


def refers_to(
    answers: list[AnswerUnit],
    covers: list[list[int]],
    by_number: dict[int, list[int]],
    sections: Sequence[str] = (),
) -> list[list[int]]:
    """Per answer, the questions whose answers it points to ("Zie antwoord op vraag 14"), or the
    questions of the section it points to ("zoals hierboven aangegeven bij paragraaf 2"; `sections`:
    each question's section, `Unit.section`)."""
    result: list[list[int]] = []
    for number, answer in enumerate(answers):
        found: list[int] = []
        text = answer.text
        for match in _SECTION_REFERS.finditer(text):
            named = match["section"].split(".")
            found.extend(i for i, section in enumerate(sections) if section.split(".")[: len(named)] == named)
        for pattern in _REFERS:
            for match in pattern.finditer(text):
                if _OTHER_SET.match(text, match.end()):
                    continue
                for value in label_numbers(match["nums"]):
                    found.extend(by_number.get(value, []))
        if number > 0 and _ABOVE.search(text):
            found.extend(covers[number - 1])
        own = set(covers[number])
        result.append(sorted({index for index in found if index not in own}))
    return result
