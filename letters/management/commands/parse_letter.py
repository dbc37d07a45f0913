"""`python manage.py parse_letter FILE [--json]`: run the structure parser alone, no database."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from letters.messages import render
from letters.parser import ParseResult, UnreadableDocument, parse_file

EXCERPT = 90


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 3] + "..."


def _questions(indexes: list[int]) -> str:
    return ", ".join(f"Q{index + 1}" for index in indexes)


def summary(result: ParseResult) -> str:
    """A readable overview: letters with their metadata, then questions, answers and warnings.

    Numbered from 1, as a reader counts; `--json` keeps the 0-based indexes of the result.
    """
    out = [
        f"{result.source}: {result.pages} page(s), {len(result.letters)} letter(s), "
        f"{len(result.questions)} question(s), {len(result.answers)} answer(s)"
    ]
    if result.ocr:
        pages = ", ".join(
            f"p. {page.page} {'nothing legible' if page.confidence is None else f'{page.confidence:.0f}%'}"
            + (" (low)" if page.low else "")
            for page in result.ocr
        )
        out.append(f"read by OCR, confidence per page: {pages}")
    for number, letter in enumerate(result.letters, start=1):
        out.append(
            f"\nletter {number}: {letter.kind}, dated {letter.date or 'unknown'}, pages "
            f"{letter.first_page}-{letter.last_page}"
        )
        for name in (
            "sender",
            "recipient",
            "reference",
            "cites_date",
            "term_days",
            "committee",
            "chamber",
            "document_number",
            "bill_round",
            "subject",
        ):
            value = getattr(letter, name)
            if value not in (None, ""):
                out.append(f"  {name}: {value}")
        if letter.parties:
            out.append(f"  parties: {', '.join(letter.parties)}")
        if letter.dossier:
            out.append(f"  dossier: {'; '.join(letter.dossier)}")
    for number, question in enumerate(result.questions, start=1):
        who = ", ".join(part for part in (question.member, question.party) if part)
        out.append(
            f"\nQ{number} (letter {question.letter + 1}, label {question.label or '-'}, page {question.page}"
            f"{', ' + who if who else ''}): {_excerpt(question.text)}"
        )
    for number, answer in enumerate(result.answers, start=1):
        refers = f", refers to {_questions(answer.refers_to)}" if answer.refers_to else ""
        out.append(
            f"\nA{number} (letter {answer.letter + 1}, label {answer.label or '-'}, page {answer.page}, "
            f"covers {_questions(answer.covers) or 'none'}{refers}): {_excerpt(answer.text)}"
        )
    if result.warnings:
        out.append("\nwarnings:")
        out.extend(f"  - {render(warning)}" for warning in result.warnings)
    return "\n".join(out)


class Command(BaseCommand):
    help = "Parse a letter (.pdf or .txt) and print its letters, questions and answers."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        try:
            result = parse_file(options["file"])
        except UnreadableDocument as error:
            raise CommandError(f"cannot read {options['file']}: {error.message}") from error
        except OSError as error:
            raise CommandError(f"cannot open {options['file']}: {error}") from error
        # A developer's tool: English, whatever the site's default language.
        with translation.override("en"):
            if options["json"]:
                data = result.to_dict()
                data["warnings"] = [
                    {**notice.to_dict(), "text": render(notice)} for notice in result.warnings
                ]
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                self.stdout.write(summary(result))
