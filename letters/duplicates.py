"""The same letter in another file: a re-saved or re-scanned PDF has other bytes but the same letter.

A letter's fingerprint is what a second file of it still shows: its kind and date, the kenmerk it
carries or cites, who sends and receives it, the numbers it names and the words of its text.
`probably_same` is the one definition of "probably the same letter"; the import asks a clerk before
saving such a file again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models.functions import Substr

from .models import Letter
from .parser.result import ParsedLetter
from .parser.text import content_words, fold, similarity, words

# `similarity` from which two letters' texts are the same text: extraction of a re-saved file
# changes nothing, a re-scan's text recognition a few words in a page. Letters in one mould (two
# postponements of one minister on one day) reach it too: they differ in a number or two, which is
# why the numbers must be the same.
SAME_TEXT = 0.9
# `similarity` measures how much of the shorter text the longer holds; the same letter is also about
# as long, never a short note whose every word a long letter happens to contain.
SAME_LENGTH = 0.8
# Enough of a letter to know it by; a thousand-page letter is not read whole to recognise it.
COMPARED_CHARACTERS = 100_000


@dataclass(frozen=True)
class Fingerprint:
    kind: str
    date: date | None
    kenmerk: str
    names: frozenset[str]  # sender, recipient and committee, folded
    numbers: frozenset[str]  # every number in the text: dossier, kenmerk, dates, amounts
    words: frozenset[str]  # `content_words` of the text

    @classmethod
    def of_parsed(cls, parsed: ParsedLetter) -> Fingerprint:
        return cls.make(
            parsed.kind,
            parsed.date,
            parsed.reference,
            (parsed.sender, parsed.recipient, parsed.committee),
            parsed.text,
        )

    @classmethod
    def of_letter(cls, letter: Letter) -> Fingerprint:
        """A stored letter's, read with `text_start` (`stored_duplicates`)."""
        committee = letter.committee.name if letter.committee_id else ""
        return cls.make(
            letter.kind,
            letter.date,
            letter.reference or letter.cites_reference,
            (letter.sender, letter.recipient, committee),
            letter.text_start,
        )

    @classmethod
    def make(
        cls, kind: str, on: date | None, kenmerk: str | None, names: Iterable[str], text: str
    ) -> Fingerprint:
        text = text[:COMPARED_CHARACTERS]
        return cls(
            kind=kind,
            date=on,
            kenmerk=(kenmerk or "").strip(),
            names=frozenset(" ".join(fold(name).split()) for name in names if name and name.strip()),
            numbers=frozenset(word for word in words(text) if word.isdigit()),
            words=content_words(text),
        )


def probably_same(a: Fingerprint, b: Fingerprint) -> bool:
    """Two letters are probably one: the same kind and date, nothing that tells them apart (another
    kenmerk, senders and addressees with no one in common, another number), and the same text."""
    if a.date is None or a.date != b.date or a.kind != b.kind:
        return False
    if a.kenmerk and b.kenmerk and a.kenmerk != b.kenmerk:
        return False
    if a.names and b.names and not a.names & b.names:
        return False
    if a.numbers != b.numbers:
        return False
    shorter, longer = sorted((len(a.words), len(b.words)))
    return bool(longer) and shorter >= SAME_LENGTH * longer and similarity(a.words, b.words) >= SAME_TEXT


def stored_duplicates(parsed_letters: list[ParsedLetter], *, source_id: int) -> list[Letter]:
    """The letters stored from other files than `source_id`, or entered by hand, that the parsed
    letters probably are."""
    prints = [Fingerprint.of_parsed(parsed) for parsed in parsed_letters if parsed.date]
    if not prints:
        return []
    candidates = (
        Letter.objects.filter(date__in={p.date for p in prints}, kind__in={p.kind for p in prints})
        .exclude(source_id=source_id)
        .select_related("committee")
        # Only as much of each text as a fingerprint compares: a stored letter can run to megabytes.
        .defer("text", "search_vector")
        .annotate(text_start=Substr("text", 1, COMPARED_CHARACTERS))
        .order_by("date", "pk")
    )
    found = []
    for letter in candidates:
        stored = Fingerprint.of_letter(letter)
        if any(probably_same(new, stored) for new in prints):
            found.append(letter)
    return found
