"""How the parser and the whole import grow with the number of questions, in one run.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_scale_bench.py [--sizes 1000,2000,25000]

Generates synthetic plain-text documents with that many questions and as many answers:
- `kamervragen`: Tweede Kamer Kamervragen, "Vraag N" / "Antwoord N" on lines of their own, pages
  split by form feeds, some answers covering two questions, some pointing to another answer;
- `bundle`: an Eerste Kamer bundle, a committee letter whose questions the minister's answer letter
  repeats, each followed by "Antwoord" (the parser pairs them by text).
It times
(a) the parser alone (`letters.parser.parse_pages` on `text_pages`), for both shapes;
(b) the whole import (`intake.imports.import_source`: store, parse, save, link, deadlines, threads)
    of a second Kamervragen round to the same minister, after the first round is imported, so
    thread detection has that many earlier questions to link to (some questions are asked again,
    some quote an earlier answer); its `detect_links` share is timed on its own;
(c) a committee letter's answer letter imported alone, repeating the questions without labels, so
    the import merges each repeated question into its original by text.
Each line prints the seconds and the ratio to the smallest size: linear growth doubles when the
size doubles, quadratic growth quadruples. The database is a throwaway test database of its own.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Made-up words from Dutch-looking syllables: enough of them that two generated questions share
# about as few content words as two real ones do.
SYLLABLES = "be ver ont ge aan af uit in op over door na om toe wacht raam werk zorg stel huis plan"
ENDINGS = "ing heid en er st te ning lijk baar schap king ding"
COMMON = (
    "Bent u bekend met het bericht over",
    "Kunt u aangeven hoeveel",
    "Wat is uw reactie op",
    "Welke maatregelen neemt u tegen",
    "Hoe verhoudt zich",
    "Bent u bereid de Kamer te informeren over",
)


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    parts, endings = SYLLABLES.split(), ENDINGS.split()
    found: set[str] = set()
    while len(found) < size:
        found.add("".join(rng.choice(parts) for _ in range(rng.randint(1, 3))) + rng.choice(endings))
    return sorted(found)


class Text:
    """Sentences of made-up content words in a fixed, reproducible order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary()

    def phrase(self, count: int) -> str:
        return " ".join(self.rng.choice(self.words) for _ in range(count))

    def question(self) -> str:
        return f"{self.rng.choice(COMMON)} de {self.phrase(6)} en de {self.phrase(5)}?"

    def answer(self) -> str:
        return (
            f"De {self.phrase(8)} is {self.phrase(4)}. Daarnaast wordt de {self.phrase(7)} {self.phrase(3)}."
        )


def wrap(text: str, width: int = 95) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def kamervragen(
    count: int,
    *,
    seed: int = 1,
    received: str = "24 maart 2025",
    earlier: tuple[list[str], list[str]] | None = None,
) -> tuple[str, list[str], list[str]]:
    """A Kamervragen document of `count` questions; returns (text, questions, answers).

    With `earlier` (the questions and answers of a previous round) every tenth question is asked
    again word for word and every tenth quotes a sentence of an earlier answer.
    """
    text = Text(seed)
    out = [
        "Tweede Kamer der Staten-Generaal",
        "Aanhangsel van de Handelingen",
        "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden",
        "",
        "Vragen van het lid Van Dijk (SP) aan de Minister van Asiel en Migratie over de wachttijden bij de",
        "IND (ingezonden 3 maart 2025).",
        "",
        f"Antwoord van Minister Faber (Asiel en Migratie) (ontvangen {received}).",
        "",
    ]
    questions, answers = [], []
    number = 1
    lines_on_page = 0
    while number <= count:
        pair = min(2, count - number + 1) if number % 17 == 0 else 1
        for offset in range(pair):
            question = text.question()
            if earlier and (number + offset) % 10 == 3:
                question = earlier[0][(number + offset) % len(earlier[0])]
            elif earlier and (number + offset) % 10 == 7:
                quoted = earlier[1][(number + offset) % len(earlier[1])].split(". ")[0]
                question = f"U schreef eerder: ‘{quoted}’. Waarom is dat zo gebleven?"
            questions.append(question)
            out += [f"Vraag {number + offset}", *wrap(question), ""]
        answer = text.answer()
        if number > 5 and number % 13 == 0:
            answer += f" Zie ook het antwoord op vraag {number - 4}."
        answers.append(answer)
        label = f"Antwoord {number}" if pair == 1 else f"Antwoord {number} en {number + 1}"
        out += [label, *wrap(answer), ""]
        number += pair
        lines_on_page += 8
        if lines_on_page > 45:
            out.append("\f")
            lines_on_page = 0
    return "\n".join(out) + "\n", questions, answers


def kamervragen_pdf(pages: int, *, seed: int = 1, folder: Path | None = None) -> Path:
    """A Kamervragen PDF of `pages` pages (about 6.4 questions and answers to a page), laid out by
    the PDF writer of the extraction tests, in `folder` or a folder of its own."""
    from letters.tests.pdfs import build_pdf, text_op

    text, _, _ = kamervragen(7 * pages, seed=seed)
    contents = [
        b"".join(
            text_op(72, 780 - 15 * row, 10, line) for row, line in enumerate(page.strip("\n").splitlines())
        )
        for page in text.split("\f")[:pages]
    ]
    folder = folder or Path(tempfile.mkdtemp(prefix="griffie-bench-pdf-"))
    path = folder / f"kamervragen-{pages}-{seed}.pdf"
    path.write_bytes(build_pdf(contents, compress=True))
    return path


def bundle(count: int, *, seed: int = 2, labelled: bool = True) -> tuple[str, str]:
    """(the bundle, the answer letter): a committee letter of `count` questions, and the answer
    letter repeating them.

    With `labelled` false the committee letter's questions are not numbered and the first item is
    the committee letter alone, so the answer letter can be imported on its own (the import then
    merges its repeated questions into the originals).
    """
    text = Text(seed)
    questions = [text.question() for _ in range(count)]
    letter = [
        " BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR JUSTITIE EN VEILIGHEID",
        "",
        "Aan de staatssecretaris van Justitie en Veiligheid",
        "",
        "'s-Gravenhage, 17 februari 2025",
        "",
        "Geachte heer De Vries,",
        "",
        "De leden van de vaste commissie voor Justitie en Veiligheid hebben kennisgenomen van uw brief",
        "van 3 februari 2025 over de fictieve evaluatie. De leden van de SGP-fractie hebben naar",
        "aanleiding daarvan nog enkele vragen.",
        "",
    ]
    for number, question in enumerate(questions, start=1):
        letter += [*wrap(f"{number}. {question}" if labelled else question), ""]
    letter += [
        "De leden van de commissie zien uw reactie met belangstelling tegemoet en ontvangen deze graag",
        "binnen zes weken na dagtekening van deze brief.",
        "",
        "Hoogachtend,",
        "",
        "M. de Groot",
        "Voorzitter van de vaste commissie voor Justitie en Veiligheid",
        "\f",
    ]
    reply = [
        " BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID",
        "",
        "Aan de Voorzitter van de Eerste Kamer der Staten-Generaal",
        "",
        "Datum 28 maart 2025",
        "Betreft Antwoorden op vragen over de evaluatie",
        "",
        "Geachte Voorzitter,",
        "",
        "Hierbij ontvang u de antwoorden op de vragen van de vaste commissie voor Justitie en",
        "Veiligheid van 17 februari 2025.",
        "",
    ]
    for question in questions:
        reply += [*wrap(question), "", "Antwoord", *wrap(text.answer()), ""]
    reply += ["Hoogachtend,", "", "De staatssecretaris van Justitie en Veiligheid,", "A.B. de Vries", ""]
    return "\n".join([*letter, *reply]) if labelled else "\n".join(letter), "\n".join(reply)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def parse_only(text: str) -> tuple[float, object]:
    from letters.parser import parse_pages
    from letters.parser.extract import text_pages

    return timed(lambda: parse_pages(text_pages(text), source="bench.txt"))


def import_text(directory: Path, name: str, text: str) -> tuple[float, object]:
    from intake.imports import import_source, store_path

    path = directory / name
    path.write_text(text, encoding="utf-8")
    source, _ = store_path(path=path)
    seconds, summary = timed(lambda: import_source(source_id=source.pk))
    if summary.failed:
        sys.exit(f"import of {name} failed: {summary.error}")
    return seconds, summary


def clear() -> None:
    from letters.models import Letter, SourceDocument

    Letter.objects.all().delete()
    SourceDocument.objects.all().delete()


def row(label: str, sizes: list[int], seconds: dict[int, float], extra: dict[int, str] | None = None) -> None:
    base = seconds.get(sizes[0])
    cells = []
    for size in sizes:
        if size not in seconds:
            cells.append(f"{'-':>17}")
            continue
        ratio = f"x{seconds[size] / base:.1f}" if base else ""
        cells.append(f"{seconds[size]:8.2f}s {ratio:>7}")
    print(
        f"{label:<34}"
        + " ".join(cells)
        + ("   " + " ".join(extra[s] for s in sizes if s in extra) if extra else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000,25000")
    parser.add_argument("--no-import", action="store_true", help="time the parser only (no database)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with_import = not args.no_import
    if with_import and not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "import_scale_bench needs PostgreSQL for (b) and (c):"
            " set DATABASE_URL=postgres://..., or pass --no-import."
        )

    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import setup_test_environment

    import intake.imports
    import questions.services

    parse: dict[str, dict[int, float]] = {"kamervragen": {}, "bundle": {}}
    found: dict[int, str] = {}
    for size in sizes:
        document, _, _ = kamervragen(size)
        seconds, result = parse_only(document)
        parse["kamervragen"][size] = seconds
        found[size] = f"{len(result.questions)}q/{len(result.answers)}a"
        parse["bundle"][size] = parse_only(bundle(size)[0])[0]
    print(f"{'questions':<34}" + " ".join(f"{size:>17,}" for size in sizes))
    row("parse kamervragen", sizes, parse["kamervragen"], found)
    row("parse bundle", sizes, parse["bundle"])
    if not with_import:
        return

    setup_test_environment()
    # Its own database, named after the configured one, so a test run or another checkout's bench on
    # the same server is not disturbed (nor disturbs this).
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"test_{connection.settings_dict['NAME']}_import_scale_bench"
    )
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    linking: dict[str, float] = {"detect": 0.0, "merge": 0.0}
    real_detect, real_merge = intake.imports.detect_links, intake.imports.merge_repeated_questions

    def timed_detect(**kwargs):
        seconds, result = timed(lambda: real_detect(**kwargs))
        linking["detect"] += seconds
        return result

    def timed_merge(*args, **kwargs):
        seconds, result = timed(lambda: real_merge(*args, **kwargs))
        linking["merge"] += seconds
        return result

    intake.imports.detect_links, intake.imports.merge_repeated_questions = timed_detect, timed_merge
    times: dict[str, dict[int, float]] = {"import": {}, "detect": {}, "merge_import": {}, "merge": {}}
    links: dict[int, str] = {}
    merged: dict[int, str] = {}
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            override_settings(
                MEDIA_ROOT=folder, GRIFFIE_IMPORT_TIMEOUT_SECONDS=3600, GRIFFIE_IMPORT_MEMORY_MB=8192
            ),
        ):
            directory = Path(folder)
            for size in sizes:
                clear()
                first, asked, answered = kamervragen(size, seed=size, received="24 maart 2024")
                import_text(directory, f"first-{size}.txt", first)
                second, _, _ = kamervragen(size, seed=size + 1, earlier=(asked, answered))
                linking.update(detect=0.0, merge=0.0)
                seconds, summary = import_text(directory, f"second-{size}.txt", second)
                times["import"][size], times["detect"][size] = seconds, linking["detect"]
                links[size] = str(questions.services.QuestionLink.objects.count())

                clear()
                letter, reply = bundle(size, seed=size, labelled=False)
                import_text(directory, f"letter-{size}.txt", letter)
                linking.update(detect=0.0, merge=0.0)
                seconds, summary = import_text(directory, f"reply-{size}.txt", reply)
                times["merge_import"][size], times["merge"][size] = seconds, linking["merge"]
                merged[size] = str(summary.questions)
                print(
                    f"  {size:,}: second round {times['import'][size]:.1f}s, reply {seconds:.1f}s",
                    flush=True,
                )
    finally:
        intake.imports.detect_links, intake.imports.merge_repeated_questions = real_detect, real_merge
        connection.creation.destroy_test_db(test_db, verbosity=0)
    print(f"{'questions':<34}" + " ".join(f"{size:>17,}" for size in sizes))
    row("parse kamervragen", sizes, parse["kamervragen"], found)
    row("parse bundle", sizes, parse["bundle"])
    row("import 2nd round (links)", sizes, times["import"], links)
    row("  of which detect_links", sizes, times["detect"])
    row("import lone reply (left)", sizes, times["merge_import"], merged)
    row("  of which merge_repeated", sizes, times["merge"])


if __name__ == "__main__":
    main()
