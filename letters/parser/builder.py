"""Collects letters, questions and answers into a `ParseResult` with consistent indexes."""

from __future__ import annotations

from .result import Notice, ParsedAnswer, ParsedLetter, ParsedQuestion, ParseResult
from .units import Unit

MAX_WARNINGS = 200


class Builder:
    def __init__(self, source: str, pages: int) -> None:
        self.result = ParseResult(source=source, pages=pages)

    def letter(self, letter: ParsedLetter) -> int:
        self.result.letters.append(letter)
        return len(self.result.letters) - 1

    def question(self, letter: int, unit: Unit) -> int:
        self.result.questions.append(
            ParsedQuestion(
                letter=letter,
                label=unit.label,
                party=unit.party,
                member=unit.member,
                page=unit.page,
                text=unit.text.strip(),
            )
        )
        return len(self.result.questions) - 1

    def answer(self, letter: int, unit: Unit, covers: list[int], refers_to: list[int]) -> int:
        self.result.answers.append(
            ParsedAnswer(
                letter=letter,
                label=unit.label,
                covers=covers,
                refers_to=refers_to,
                page=unit.page,
                text=unit.text.strip(),
            )
        )
        return len(self.result.answers) - 1

    def warn(self, code: str, **params: str | int) -> None:
        notice = Notice(code, params)
        if len(self.result.warnings) < MAX_WARNINGS and notice not in self.result.warnings:
            self.result.warnings.append(notice)

    def describe(self, **indexes: int) -> dict[str, str | int]:
        """Parameters naming letters as a reader knows them: `name=index` gives kind, date, 1-based place."""
        params: dict[str, str | int] = {"letters": len(self.result.letters)}
        for name, index in indexes.items():
            letter = self.result.letters[index]
            params[name] = index + 1
            params[f"{name}_kind"] = letter.kind
            if letter.date:
                params[f"{name}_date"] = letter.date.isoformat()
        return params
