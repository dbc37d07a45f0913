"""Turns question units and answer streams of a document's letters into indexed results.

Answers refer to question *units* until everything is known, because pairing may split an
original question; only `emit` turns units into indexes of `ParseResult.questions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .answers import Stream
from .builder import Builder
from .pairing import number_index, own_covers, pair, refers_to
from .units import Unit


@dataclass
class _Answers:
    letter: int
    stream: Stream
    covers: list[list[Unit]] = field(default_factory=list)
    refers: list[list[Unit]] = field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


class Assembly:
    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.questions: dict[int, list[Unit]] = {}
        self.answers: list[_Answers] = []

    def add_questions(self, letter: int, units: list[Unit]) -> None:
        self.questions.setdefault(letter, []).extend(units)

    def answer_original(self, letter: int, stream: Stream, original: int) -> None:
        """Answers whose questions were asked in `original`, another letter of this document."""
        paired = pair(self.questions.get(original, []), stream)
        self.questions[original] = paired.questions
        if paired.unmatched:
            self.add_questions(letter, paired.unmatched)
            for unit in paired.unmatched:
                self.builder.warn(
                    "repeated_question_unmatched",
                    **self.builder.describe(letter=letter, original=original),
                    text=_short(unit.text),
                )
        plan = _Answers(letter, stream)
        for cover, extra in zip(paired.covers, paired.unmatched_covers, strict=True):
            plan.covers.append([paired.questions[i] for i in cover] + [paired.unmatched[k] for k in extra])
        sections = [question.section for question in paired.questions]
        refers = refers_to(stream.answers, paired.covers, paired.by_number, sections)
        plan.refers = [[paired.questions[i] for i in indexes] for indexes in refers]
        self.answers.append(plan)

    def answer_alone(self, letter: int, stream: Stream, question_letter: int | None = None) -> None:
        """Answers to questions printed in the answer document itself (no original letter)."""
        owner = letter if question_letter is None else question_letter
        self.add_questions(owner, stream.questions)
        questions = stream.questions
        covers = own_covers(questions, stream)
        by_number = number_index(questions)
        for answer, cover in zip(stream.answers, covers, strict=True):
            missing = [n for n in answer.numbers if n not in by_number]
            if missing:
                self.builder.warn(
                    "answer_names_missing_questions",
                    **self.builder.describe(letter=letter),
                    label=answer.label or "",
                    questions=", ".join(map(str, missing)),
                )
            if not cover:
                self.builder.warn(
                    "answer_unmatched", **self.builder.describe(letter=letter), text=_short(answer.text)
                )
        refers = refers_to(stream.answers, covers, by_number, [question.section for question in questions])
        plan = _Answers(letter, stream)
        plan.covers = [[questions[i] for i in cover] for cover in covers]
        plan.refers = [[questions[i] for i in indexes] for indexes in refers]
        self.answers.append(plan)

    def emit(self, warn_unanswered: bool = True) -> None:
        builder = self.builder
        index: dict[int, int] = {}
        for letter in sorted(self.questions):
            for unit in self.questions[letter]:
                index[id(unit)] = builder.question(letter, unit)
        answered: set[int] = set()
        answering: dict[int, int] = {}  # question letter -> answer letter
        for plan in self.answers:
            for answer, cover, refers in zip(plan.stream.answers, plan.covers, plan.refers, strict=True):
                covers = [index[id(u)] for u in cover if id(u) in index]
                answered.update(covers)
                for number in covers:
                    answering.setdefault(builder.result.questions[number].letter, plan.letter)
                referred = [index[id(u)] for u in refers if id(u) in index]
                builder.answer(plan.letter, answer, sorted(set(covers)), sorted(set(referred)))
        if not warn_unanswered:
            return
        position: dict[int, int] = {}  # letter -> questions of it seen so far
        for number, question in enumerate(builder.result.questions):
            position[question.letter] = position.get(question.letter, 0) + 1
            if question.letter in answering and number not in answered:
                builder.warn(
                    "question_unanswered",
                    # The label as printed is what a reader finds in the letter; else its place.
                    question=question.label or position[question.letter],
                    **builder.describe(letter=question.letter, answer=answering[question.letter]),
                    text=_short(question.text),
                )
