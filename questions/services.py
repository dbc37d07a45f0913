"""Question threads: find the earlier questions a new letter follows up on, and let clerks fix links.

A later round is recognised by what it carries over from an earlier one:
- a quotation between ‘…’ (or “…”) of a sentence from an earlier answer: the later question follows
  up on the questions that answer covered;
- a question repeated nearly word for word: it asks again;
- a shared reference: the letter cites the earlier answer letter (its kenmerk, its date, or the
  Kamerstuk it was published as); each later question is then tied to the most similar question of
  that round, with a lower score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from letters.choices import LetterKind
from letters.models import Letter
from letters.parser.text import content_words, join_lines, similarity, words

from .candidates import BATCH, ranked_candidates
from .choices import LinkKind, LinkSource
from .models import Answer, Question, QuestionLink

# How far back, and how many earlier texts, one letter is compared with.
LOOKBACK_DAYS = 3 * 365
MAX_EARLIER_LETTERS = 200
MIN_QUOTE_WORDS = 6
# Earlier questions (or answers) one later question is measured against: the whole pool up to this
# size, otherwise this many from the text index, the most similar first.
MAX_CANDIDATES = 50
# `similarity` at which a later question asks an earlier one again. Unrelated questions in one
# mould ("Bent u bereid de Kamer ... te informeren?") reach about 0.67, a question repeated
# with a word added 0.85 and more.
REPEAT_THRESHOLD = 0.8
# `similarity` at which a question of a cited round counts as the one a later question follows:
# a fifth of the shorter one's words and word pairs, and at least `MIN_COMMON` of them.
REFERENCE_THRESHOLD = 0.2

QUOTE_SCORE = 0.9
REFERENCE_BASE_SCORE = 0.3

QUOTED = re.compile(r"[‘“'\"](.+?)[’”'\"]", re.DOTALL)


def normalise(text: str) -> str:
    """Folded words of the text, lines joined as the parser joins them: what survives PDF extraction."""
    return " ".join(words(join_lines(text.split("\n"))))


def quotations(text: str) -> list[str]:
    """Normalised quoted passages long enough to identify a sentence (not a quoted term)."""
    found = []
    for match in QUOTED.finditer(join_lines(text.split("\n"))):
        quote = normalise(match.group(1))
        if len(quote.split()) >= MIN_QUOTE_WORDS:
            found.append(quote)
    return found


@dataclass
class Candidate:
    earlier_id: int
    later_id: int
    kind: str
    score: float


def earlier_letters(letter: Letter) -> list[Letter]:
    """Letters this one may follow up on: same dossier, committee or minister, or cited by it."""
    related = Q()
    if letter.dossier_id:
        related |= Q(dossier_id=letter.dossier_id)
    if letter.committee_id:
        related |= Q(committee_id=letter.committee_id)
    if letter.minister_id:
        related |= Q(minister_id=letter.minister_id)
    cited = cited_letters_query(letter)
    if cited is not None:
        related |= cited
    if not related:
        return []
    queryset = Letter.objects.filter(related, kind__in=[LetterKind.QUESTIONS, LetterKind.ANSWER]).exclude(
        pk=letter.pk
    )
    if letter.source_id:
        # Letters later in the same bundle are replies to this one, not earlier rounds.
        queryset = queryset.exclude(source_id=letter.source_id, order_in_source__gt=letter.order_in_source)
    if letter.date:
        queryset = queryset.filter(
            date__lte=letter.date, date__gte=letter.date - timedelta(days=LOOKBACK_DAYS)
        )
    return list(
        queryset.order_by("-date", "-pk").only(
            "id", "kind", "date", "reference", "document_number", "dossier_document"
        )[:MAX_EARLIER_LETTERS]
    )


def cited_letters_query(letter: Letter) -> Q | None:
    """The earlier answer letter this one names: by its kenmerk, its date, or its Kamerstuk."""
    cited = Q()
    if letter.cites_reference:
        cited |= Q(reference=letter.cites_reference)
    if letter.cites_date:
        cited |= Q(date=letter.cites_date, kind=LetterKind.ANSWER)
    for document in cited_documents(letter):
        cited |= Q(dossier_document__iexact=document) | Q(document_number__iexact=document)
    return cited or None


DOCUMENT = re.compile(r"\b(\d{5}(?:-[A-Z]+)?),\s*(?:nr\.\s*)?([A-Z]{1,2}|\d{1,4})\b")


def cited_documents(letter: Letter) -> set[str]:
    """Kamerstukken cited in the text ('Kamerstukken I 2025/26, 36521, C'), except its own."""
    found = {f"{number}, {part}" for number, part in DOCUMENT.findall(letter.text or "")}
    found.discard(letter.dossier_document)
    return found


def find_candidates(letter: Letter, *, questions: list[int] | None = None) -> list[Candidate]:
    """Links for `letter`'s questions, or only for those of `questions` (ids) when given."""
    later = letter.questions.only("id", "text", "letter_id")
    later_questions = list(later if questions is None else later.filter(pk__in=questions))
    if not later_questions:
        return []
    earlier = earlier_letters(letter)
    if not earlier:
        return []
    earlier_ids = [e.pk for e in earlier]
    cited_ids: set[int] = set()
    cited = cited_letters_query(letter)
    if cited is not None:
        cited_ids = set(Letter.objects.filter(cited, pk__in=earlier_ids).values_list("pk", flat=True))

    candidates: dict[tuple[int, int], Candidate] = {}

    def offer(earlier_id: int, later_id: int, kind: str, score: float) -> None:
        key = (earlier_id, later_id)
        if earlier_id == later_id:
            return
        current = candidates.get(key)
        if current is None or score > current.score:
            candidates[key] = Candidate(earlier_id, later_id, kind, round(score, 3))

    # 1. Quotations of earlier answers, in a question or, when no question quotes, in the letter's
    # own text (the quote sits in the introduction: every question of the letter follows up).
    question_quotes = {q.pk: quotations(q.text) for q in later_questions}
    # Some questions alone (corrected ones) are measured by their own text: the letter's quote was
    # offered to all of them when the whole letter was linked, and detection never removes a link.
    letter_quotes = (
        [] if questions is not None or any(question_quotes.values()) else quotations(letter.text or "")
    )
    quoting = answers_quoting(
        Answer.objects.filter(letter_id__in=earlier_ids, covers__isnull=False).distinct(),
        {quote for quotes in [*question_quotes.values(), letter_quotes] for quote in quotes},
    )
    for later in later_questions:
        for quote in question_quotes[later.pk] or letter_quotes:
            for earlier_id in quoting.get(quote, ()):
                offer(earlier_id, later.pk, LinkKind.FOLLOW_UP, QUOTE_SCORE)

    # 2. Questions asked again.
    later_words = {q.pk: content_words(q.text) for q in later_questions}
    repeats = similar_questions(
        Question.objects.filter(letter_id__in=earlier_ids), {q.pk: q.text for q in later_questions}
    )
    for later in later_questions:
        for earlier_id, earlier_words in repeats[later.pk]:
            score = similarity(later_words[later.pk], earlier_words)
            if score >= REPEAT_THRESHOLD:
                # the measure's tie-breaker lifts a full match just above 1; a link's score is 0-1
                offer(earlier_id, later.pk, LinkKind.REPEATS, min(score, 1.0))

    # 3. A cited answer letter: tie each later question to the closest question of that round (the
    # questions its answers covered, and those of a cited question letter).
    if cited_ids:
        round_questions = Question.objects.filter(
            Q(letter_id__in=cited_ids) | Q(answers__letter_id__in=cited_ids)
        ).distinct()
        closest = similar_questions(round_questions, {q.pk: q.text for q in later_questions})
        for later in later_questions:
            scored = [
                (similarity(later_words[later.pk], words), earlier_id)
                for earlier_id, words in closest[later.pk]
            ]
            if not scored:
                continue
            best, earlier_id = max(scored)
            if best >= REFERENCE_THRESHOLD or len(later_questions) == 1:
                offer(earlier_id, later.pk, LinkKind.FOLLOW_UP, REFERENCE_BASE_SCORE + 0.5 * best)
    return list(candidates.values())


def similar_questions(
    pool: QuerySet[Question], texts: dict[int, str]
) -> dict[int, list[tuple[int, frozenset[str]]]]:
    """Per text, the questions of `pool` to measure it against, with their `content_words`: the whole
    pool while it is small, otherwise the index's `MAX_CANDIDATES` best (questions.candidates)."""
    if pool.count() <= MAX_CANDIDATES:
        everyone = [(q.pk, content_words(q.text)) for q in pool.only("id", "text")]
        return {key: everyone for key in texts}
    found = ranked_candidates(pool, texts, limit=MAX_CANDIDATES)
    wanted = {pk for pks in found.values() for pk in pks}
    words = {
        pk: content_words(text)
        for pk, text in Question.objects.filter(pk__in=wanted).values_list("pk", "text")
    }
    return {key: [(pk, words[pk]) for pk in found[key]] for key in texts}


def answers_quoting(pool: QuerySet[Answer], quotes: set[str]) -> dict[str, list[int]]:
    """Per quotation, the questions covered by the answers of `pool` that contain it."""
    if not quotes:
        return {}
    if pool.count() <= MAX_CANDIDATES:
        answers = list(pool.only("id", "text").prefetch_related("covers"))
        searched = {quote: answers for quote in quotes}
    else:
        found = ranked_candidates(pool, {quote: quote for quote in quotes}, limit=MAX_CANDIDATES)
        wanted = {pk for pks in found.values() for pk in pks}
        by_pk = Answer.objects.filter(pk__in=wanted).only("id", "text").prefetch_related("covers").in_bulk()
        searched = {quote: [by_pk[pk] for pk in found[quote]] for quote in quotes}
    normalised: dict[int, str] = {}
    quoting: dict[str, list[int]] = {}
    for quote, answers in searched.items():
        for answer in answers:
            if answer.pk not in normalised:
                normalised[answer.pk] = normalise(answer.text)
            if quote in normalised[answer.pk]:
                quoting.setdefault(quote, []).extend(q.pk for q in answer.covers.all())
    return quoting


@transaction.atomic
def detect_links(*, letter: Letter, questions: list[int] | None = None) -> int:
    """Create detected QuestionLinks for `letter`'s questions (or only for those of `questions`, ids:
    the ones a clerk corrected); returns how many are new.

    Idempotent: an existing detected link has its kind and score refreshed, a clerk's manual link
    or a link a clerk removed (`rejected`) is left as it is.
    """
    candidates = find_candidates(letter, questions=questions)
    existing = {
        (link.earlier_id, link.later_id): link
        for link in QuestionLink.objects.filter(
            earlier_id__in=[c.earlier_id for c in candidates], later_id__in=[c.later_id for c in candidates]
        )
    }
    new: list[QuestionLink] = []
    refreshed: list[QuestionLink] = []
    for candidate in candidates:
        link = existing.get((candidate.earlier_id, candidate.later_id))
        if link is None:
            new.append(
                QuestionLink(
                    earlier_id=candidate.earlier_id,
                    later_id=candidate.later_id,
                    kind=candidate.kind,
                    source=LinkSource.DETECTED,
                    score=candidate.score,
                )
            )
        elif (
            link.source == LinkSource.DETECTED
            and not link.rejected
            and (link.kind, link.score) != (candidate.kind, candidate.score)
        ):
            link.kind, link.score = candidate.kind, candidate.score
            refreshed.append(link)
    # A big letter has thousands of links: inserted and refreshed in batches, not a statement each.
    QuestionLink.objects.bulk_create(new, batch_size=BATCH)
    QuestionLink.objects.bulk_update(refreshed, ["kind", "score"], batch_size=BATCH)
    return len(new)


def ordered(first: Question, second: Question) -> tuple[Question, Question]:
    """(earlier, later) by letter date, then by position: a thread reads forward in time."""

    def key(question: Question) -> tuple:
        letter = question.letter
        return (letter.date is None, letter.date, letter.pk, question.order)

    return (first, second) if key(first) <= key(second) else (second, first)


@transaction.atomic
def add_link(*, question: Question, other: Question, kind: str, user) -> QuestionLink:
    """A clerk links two questions; a link the clerk removed earlier comes back as manual."""
    if question.pk == other.pk:
        raise ValueError("A question cannot follow up on itself.")
    earlier, later = ordered(question, other)
    QuestionLink.objects.filter(earlier=later, later=earlier).delete()
    link, _ = QuestionLink.objects.update_or_create(
        earlier=earlier,
        later=later,
        defaults={
            "kind": kind,
            "source": LinkSource.MANUAL,
            "score": None,
            "created_by": user,
            "rejected": False,
        },
    )
    return link


def remove_link(*, link: QuestionLink) -> None:
    """Manual links go; detected ones are kept as rejected so the next detection leaves them out."""
    if link.source == LinkSource.MANUAL:
        link.delete()
    else:
        link.rejected = True
        link.save(update_fields=["rejected"])


def thread_question_ids(start_id: int, *, limit: int = 200) -> list[int]:
    """Every question connected to `start_id` through links in either direction, in one query."""
    table = QuestionLink._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE thread(id) AS (
                SELECT CAST(%s AS BIGINT)
                UNION
                SELECT CASE WHEN l.earlier_id = t.id THEN l.later_id ELSE l.earlier_id END
                FROM {table} l JOIN thread t ON l.earlier_id = t.id OR l.later_id = t.id
                WHERE NOT l.rejected
            )
            SELECT id FROM thread LIMIT %s
            """,
            [start_id, limit],
        )
        return [row[0] for row in cursor.fetchall()]
