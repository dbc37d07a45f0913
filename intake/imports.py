"""The clerk's first action: log incoming letters. Keep the uploaded file, import it atomically.

Store -> parse -> save -> link -> settle deadlines -> detect threads, in one transaction per file.
The parser (`letters.parser`) knows nothing of the database; this module saves its result.
Re-importing the same bytes changes nothing; a file that cannot be read is kept with its error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from deadlines import services as deadline_services
from dossiers.choices import Chamber
from dossiers.models import Committee, Dossier, Member, Minister, Party
from letters.choices import (
    ANSWERING_KINDS,
    ASKING_KINDS,
    DELAYING_KINDS,
    ImportStatus,
    LetterKind,
    LinkConfidence,
)
from letters.duplicates import stored_duplicates
from letters.models import Letter, SourceDocument
from letters.parser import Notice, parse_pages
from letters.parser.extract import UnreadableDocument, iter_document
from letters.parser.result import ParsedLetter, ParseResult
from letters.parser.text import content_words, similarity
from questions.candidates import BATCH
from questions.models import Answer, Question
from questions.services import detect_links, similar_questions

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".pdf", ".txt")


class UploadRejected(Exception):
    """An upload refused before it is stored (wrong type, too large, empty)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportSummary:
    """What one file's import did, for the command line and the intake page."""

    source_id: int
    name: str
    status: str
    new_file: bool = True
    letters: int = 0
    questions: int = 0
    answers: int = 0
    links: int = 0
    warnings: list[dict] = field(default_factory=list)  # stored notices; `letters.messages` words them
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status == ImportStatus.FAILED


# --- storing uploads -----------------------------------------------------------------------------


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def store_upload(*, uploaded_file: File, uploaded_by=None) -> tuple[SourceDocument, bool]:
    """Keep an uploaded file as it is; the same bytes uploaded again return the stored document.

    Returns (document, created). Raises `UploadRejected` for a file that is not worth keeping.
    """
    name = Path(uploaded_file.name or "upload").name
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadRejected(
            _("Only PDF files (and plain .txt text) can be imported: %(name)s") % {"name": name}
        )
    if uploaded_file.size is not None and uploaded_file.size > settings.GRIFFIE_MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("%(name)s is larger than the limit of %(limit)d MB.")
            % {"name": name, "limit": settings.GRIFFIE_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    sha256, size = _sha256(uploaded_file)
    if size == 0:
        raise UploadRejected(_("%(name)s is empty.") % {"name": name})
    existing = SourceDocument.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    document = SourceDocument(original_name=name[:300], sha256=sha256, size=size, uploaded_by=uploaded_by)
    try:
        with transaction.atomic():
            document.file.save(name, uploaded_file, save=False)
            document.save()
    except IntegrityError:
        # The same bytes uploaded at the same moment: the other upload's row won, and it points to
        # the file that upload stored; the copy stored here belongs to no row.
        document.file.storage.delete(document.file.name)
        return SourceDocument.objects.get(sha256=sha256), False
    return document, True


def store_path(*, path: Path, uploaded_by=None) -> tuple[SourceDocument, bool]:
    with path.open("rb") as handle:
        return store_upload(uploaded_file=File(handle, name=path.name), uploaded_by=uploaded_by)


# --- importing -----------------------------------------------------------------------------------


def summarise(source: SourceDocument, *, new_file: bool) -> ImportSummary:
    letters = source.letters.all()
    return ImportSummary(
        source_id=source.pk,
        name=source.original_name,
        status=source.status,
        new_file=new_file,
        letters=letters.count(),
        questions=Question.objects.filter(letter__source=source).count(),
        answers=Answer.objects.filter(letter__source=source).count(),
        links=letters.exclude(in_reply_to=None).count(),
        warnings=list(source.warnings),
        error=source.error_text,
    )


def import_source(
    *, source_id: int, now: datetime | None = None, retry_failed: bool = False
) -> ImportSummary:
    """Import one stored document: parse it, then save everything it found in one transaction.

    Idempotent: an imported document is left as it is; a document another worker is importing is
    left to it. A failed one is tried again only with `retry_failed` (after a parser fix).
    """
    now = now or timezone.now()
    lease = claim_source(source_id, retry_failed=retry_failed)
    source = SourceDocument.objects.get(pk=source_id)
    if lease is None:
        return summarise(source, new_file=False)

    last_report = 0.0

    def report_progress(done: int, total: int) -> None:
        # Visible to the intake page while the import runs; a few writes a second at most.
        nonlocal last_report, lease
        if done in (0, total) or time.monotonic() - last_report >= 0.5:
            last_report = time.monotonic()
            # Progress also renews the lease: a long import is alive, not abandoned.
            renewed = timezone.now()
            if SourceDocument.objects.filter(pk=source.pk, processing_since=lease).update(
                page_count=total, pages_done=done, processing_since=renewed
            ):
                lease = renewed

    try:
        result = parse_source_file(
            Path(source.file.path), name=source.original_name, on_progress=report_progress
        )
    except UnreadableDocument as error:
        return _fail(source, code=error.code, message=error.message)

    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            if not _save(source, result, lease=lease, now=now):
                return summarise(source, new_file=False)
            break
        except (IntegrityError, OperationalError) as error:
            # Another import committed the same new party, member, minister, committee or dossier
            # meanwhile (or the two deadlocked creating two of them): saving again finds it.
            if attempt < SAVE_ATTEMPTS and _concurrent(error):
                logger.info("import of source %s met a concurrent import; saving again", source.pk)
                continue
            logger.exception("import of source %s failed", source.pk)
            return _fail(source, code="internal", message=str(error) or type(error).__name__)
        except Exception as error:  # an import is atomic: nothing half-made stays, the file and reason do
            logger.exception("import of source %s failed", source.pk)
            return _fail(source, code="internal", message=str(error) or type(error).__name__)
    source.refresh_from_db()
    return summarise(source, new_file=True)


# Parallel imports (Celery workers, `import_letters --jobs`) may create the same shared row at once.
SAVE_ATTEMPTS = 3
# PostgreSQL's unique violation and deadlock; SQLite serialises writers, so it meets neither.
_CONCURRENT_SQLSTATES = frozenset({"23505", "40P01"})


def _concurrent(error: Exception) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in _CONCURRENT_SQLSTATES


def _save(source: SourceDocument, result: ParseResult, *, lease: datetime, now: datetime) -> bool:
    """Save the parse result in one transaction; False when the lease was lost to another worker."""
    with transaction.atomic():
        # Save only while still holding the lease: a worker whose lease went stale and was
        # taken by another must not import the file a second time.
        if (
            not SourceDocument.objects.select_for_update()
            .filter(pk=source.pk, status=ImportStatus.PROCESSING, processing_since=lease)
            .exists()
        ):
            return False
        # Once a clerk chose to import the file anyway, its letters are saved like any others.
        stored = [] if source.duplicate_decided_at else stored_duplicates(result.letters, source_id=source.pk)
        if stored:
            hold_as_duplicate(source=source, result=result, stored=stored)
        else:
            save_result(source=source, result=result, now=now)
    return True


def _stale_lease() -> Q:
    """A document still "processing" whose worker reported nothing for a lease's length: the worker
    died between claim and commit (claims from before leases existed have no time at all)."""
    stale = timezone.now() - timedelta(seconds=settings.GRIFFIE_IMPORT_LEASE_SECONDS)
    return Q(status=ImportStatus.PROCESSING) & (
        Q(processing_since__isnull=True) | Q(processing_since__lt=stale)
    )


def claim_source(source_id: int, *, retry_failed: bool = False) -> datetime | None:
    """Claim a document for import with one conditional UPDATE; returns the lease's start, or None.

    Claimable: a pending document; one whose lease went stale (so a redelivered task or
    `import_letters` takes it again); with `retry_failed`, a failed one (after a parser fix). Of two
    workers claiming at once, one wins.
    """
    claimable = Q(status=ImportStatus.PENDING) | _stale_lease()
    if retry_failed:
        claimable |= Q(status=ImportStatus.FAILED)
    started = timezone.now()
    claimed = SourceDocument.objects.filter(claimable, pk=source_id).update(
        status=ImportStatus.PROCESSING, processing_since=started, error_code="", error_message=""
    )
    return started if claimed else None


def waiting_sources() -> list[int]:
    """Documents whose import no queue holds any more: pending and never queued (the broker was
    down), pending and queued long ago without starting (a broker restart lost the message), or
    abandoned by a dead worker. Oldest first."""
    requeue = timezone.now() - timedelta(seconds=settings.GRIFFIE_IMPORT_REQUEUE_SECONDS)
    waiting = Q(status=ImportStatus.PENDING) & (Q(queued_at__isnull=True) | Q(queued_at__lt=requeue))
    return list(
        SourceDocument.objects.filter(waiting | _stale_lease())
        .order_by("uploaded_at", "pk")
        .values_list("pk", flat=True)
    )


def parse_source_file(
    path: Path, *, name: str, on_progress: Callable[[int, int], None] | None = None
) -> ParseResult:
    """Run the parser on a stored file; reading it (PDF extraction, or a text file's pages) happens
    in memory- and time-bounded children (`GRIFFIE_IMPORT_PROCESSES` of them for a long PDF), and
    the parser reads each page as it arrives."""
    if name.lower().endswith(".txt") and path.stat().st_size > settings.GRIFFIE_MAX_UPLOAD_BYTES:
        raise UnreadableDocument("too_large", "The text file is too large to import.")
    pages = iter_document(
        path,
        memory_limit_mb=settings.GRIFFIE_IMPORT_MEMORY_MB,
        timeout_s=settings.GRIFFIE_IMPORT_TIMEOUT_SECONDS,
        max_pages=settings.GRIFFIE_IMPORT_MAX_PAGES,
        processes=settings.GRIFFIE_IMPORT_PROCESSES,
        on_progress=on_progress,
    )
    # Closed at once when the parser fails, so no child is left reading for a traceback's lifetime.
    with contextlib.closing(pages):
        return parse_pages(pages, source=name, ocr_floor=settings.GRIFFIE_OCR_CONFIDENCE_FLOOR)


def _fail(source: SourceDocument, *, code: str, message: str) -> ImportSummary:
    """Keep the error's code (worded for the reader when shown) and its technical detail."""
    source.status = ImportStatus.FAILED
    source.error_code = code
    source.error_message = message
    source.processing_since = None
    source.save(update_fields=["status", "error_code", "error_message", "processing_since"])
    return summarise(source, new_file=True)


def save_result(*, source: SourceDocument, result: ParseResult, now: datetime) -> list[Letter]:
    """Save a parse result for `source`: letters, questions, answers, links and deadlines."""
    # Linking checks each reply against the letter it is actually linked to, so it replaces the
    # parser's own guess at a cited-date discrepancy instead of reporting it a second time.
    warnings = [notice.to_dict() for notice in result.warnings if notice.code != "cited_date_differs"]
    # The letters of one file share a topic (a bundle's cover note, questions, notice and answer):
    # a letter whose own text names none takes the first one the file names.
    topic = next((parsed.subject for parsed in result.letters if parsed.subject), "")
    letters = [
        _create_letter(source, index, parsed, topic=topic) for index, parsed in enumerate(result.letters)
    ]
    cover = next((p.subject for p in result.letters if p.kind == LetterKind.COVER and p.subject), "")
    title_dossiers(letters, title=cover or topic)

    # A letter of thousands of questions names a few dozen parties and members: each is looked up
    # (or created) once per import, and the rows are inserted in batches, not one statement each.
    party, member = functools.cache(_party), functools.cache(_member)
    questions = Question.objects.bulk_create(
        [
            Question(
                letter=letters[parsed.letter],
                order=order,
                label=(parsed.label or "")[:40],
                text=parsed.text,
                party=party(parsed.party),
                member=member(parsed.member, party(parsed.party), letters[parsed.letter].chamber),
                page=max(parsed.page, 1),
            )
            for order, parsed in enumerate(result.questions, start=1)
        ],
        batch_size=BATCH,
    )
    # Who asks, as printed on each letter's questions: what the letter list's member filter finds.
    asking: dict[int, set[int]] = {letter.pk: set() for letter in letters}
    for question in questions:
        if question.member_id:
            asking[question.letter_id].add(question.member_id)
    for letter in letters:
        letter.members.set(asking[letter.pk])

    answers = Answer.objects.bulk_create(
        [
            Answer(
                letter=letters[parsed.letter],
                order=order,
                label=(parsed.label or "")[:60],
                text=parsed.text,
                page=max(parsed.page, 1),
            )
            for order, parsed in enumerate(result.answers, start=1)
        ],
        batch_size=BATCH,
    )
    covers = Answer.covers.through
    covers.objects.bulk_create(
        [
            covers(answer_id=answer.pk, question_id=questions[index].pk)
            for answer, parsed in zip(answers, result.answers, strict=True)
            for index in dict.fromkeys(parsed.covers)
            if 0 <= index < len(questions)
        ],
        batch_size=BATCH,
    )
    # "Zie antwoord op vraag 14": point at the answer that covers question 14.
    covering = {q: a for a, parsed in zip(answers, result.answers, strict=True) for q in parsed.covers}
    refers = Answer.refers_to.through
    refers.objects.bulk_create(
        [
            refers(from_answer_id=answer.pk, to_answer_id=target.pk)
            for answer, parsed in zip(answers, result.answers, strict=True)
            for target in {covering[q] for q in parsed.refers_to if q in covering} - {answer}
        ],
        batch_size=BATCH,
    )

    _link_within_document(letters, warnings)
    replies = [letter for letter in letters if letter.in_reply_to_id is not None]
    # A Bijvoegsel, a list of questions and answers: answers printed with their own questions and
    # citing no letter answer no other letter, so no link is missing (a Kamervragen answer names the
    # day its questions were sent in, and is linked by it).
    own_questions = {letters[parsed.letter].pk for parsed in result.questions}
    for letter in letters:
        cites = letter.cites_date or letter.cites_reference
        if letter.kind == LetterKind.ANSWER and letter.pk in own_questions and not cites:
            continue
        if letter.in_reply_to_id is None and letter.kind in (LetterKind.ANSWER, *DELAYING_KINDS):
            warnings.extend(link_to_earlier_letter(letter))
            if letter.in_reply_to_id is not None:
                merge_repeated_questions(letter)
                replies.append(letter)
        elif letter.in_reply_to_id is None and letter.kind == LetterKind.NOTA:
            warnings.extend(link_bill_reply(letter))
            if letter.in_reply_to_id is not None:
                merge_repeated_questions(letter)
                replies.append(letter)
    for letter in letters:
        if letter.kind == LetterKind.QUESTIONS:
            linked, notes = link_waiting_replies(letter)
            replies.extend(linked)
            warnings.extend(notes)
        elif letter.kind == LetterKind.VERSLAG:
            replies.extend(link_waiting_bill_replies(letter))

    # Everything is created and linked: now each deadline it touches is decided once.
    asking = [letter for letter in letters if letter.kind in ASKING_KINDS]
    deadline_services.settle_deadlines(questions=asking, replies=replies, now=now)
    for letter in asking:
        if letter.kind == LetterKind.QUESTIONS:
            detect_links(letter=letter)

    _finish(source, result, status=ImportStatus.IMPORTED, warnings=warnings)
    source.imported_at = now
    source.save()
    return letters


def _finish(source: SourceDocument, result: ParseResult, *, status: str, warnings: list[dict]) -> None:
    """What was read from the file, kept whatever becomes of its letters (saved on `source.save()`)."""
    source.status = status
    source.parse_result = result.to_dict()
    source.page_count = result.pages
    source.pages_done = result.pages
    source.processing_since = None
    source.warnings = warnings
    source.ocr_pages = [asdict(page) for page in result.ocr]
    source.extracted_text = "\n\n".join(parsed.text for parsed in result.letters)


def hold_as_duplicate(*, source: SourceDocument, result: ParseResult, stored: list[Letter]) -> None:
    """Keep a file whose letters look like stored letters, and what was read from it, without saving
    a letter: no second deadline opens and no mail goes out until a clerk imports it anyway."""
    _finish(
        source,
        result,
        status=ImportStatus.DUPLICATE,
        warnings=[notice.to_dict() for notice in result.warnings],
    )
    source.save()
    source.duplicate_of.set(stored)


def import_anyway(*, source: SourceDocument, user, now: datetime) -> bool:
    """The clerk keeps a probable duplicate (or a file rejected as one): it is imported like any
    upload. Returns False when it was not waiting for that decision (another clerk was first);
    the caller queues the import."""
    return bool(
        SourceDocument.objects.filter(
            pk=source.pk, status__in=[ImportStatus.DUPLICATE, ImportStatus.REJECTED]
        ).update(
            status=ImportStatus.PENDING, duplicate_decided_by=user, duplicate_decided_at=now, queued_at=None
        )
    )


def reject_duplicate(*, source: SourceDocument, user, now: datetime) -> bool:
    """The clerk rejects a probable duplicate: the file stays, with what was read from it, and no
    letter is saved. Returns False when it was not waiting for that decision."""
    return bool(
        SourceDocument.objects.filter(pk=source.pk, status=ImportStatus.DUPLICATE).update(
            status=ImportStatus.REJECTED, duplicate_decided_by=user, duplicate_decided_at=now
        )
    )


def _create_letter(source: SourceDocument, index: int, parsed: ParsedLetter, *, topic: str) -> Letter:
    """The letter as parsed; without a subject of its own, the file's topic or its dossier's title
    (never the sender's name)."""
    chamber = parsed.chamber if parsed.chamber in Chamber.values else ""
    number, document = _split_dossier(parsed.dossier)
    dossier = (
        Dossier.objects.get_or_create(number=number, defaults={"chamber": chamber})[0] if number else None
    )
    letter = Letter.objects.create(
        source=source,
        order_in_source=index,
        kind=parsed.kind,
        date=parsed.date,
        # the committee's own papers are dated, not received
        received_on=parsed.date if parsed.kind not in (*ASKING_KINDS, LetterKind.EINDVERSLAG) else None,
        chamber=chamber,
        sender=parsed.sender[:300],
        recipient=parsed.recipient[:300],
        minister=_minister(parsed),
        committee=_committee(parsed.committee, chamber),
        dossier=dossier,
        dossier_document=document[:60],
        # A question letter carries its own kenmerk; a reply cites the kenmerk of what it answers.
        reference=(parsed.reference or "")[:100] if parsed.kind == LetterKind.QUESTIONS else "",
        cites_reference=(parsed.reference or "")[:100] if parsed.kind != LetterKind.QUESTIONS else "",
        cites_date=parsed.cites_date,
        document_number=(parsed.document_number or "")[:60],
        subject=(parsed.subject or topic or (dossier.title if dossier else ""))[:500],
        term_days=parsed.term_days,
        promised_date=parsed.promised_date if parsed.kind in DELAYING_KINDS else None,
        promised_term_days=parsed.promised_term_days if parsed.kind in DELAYING_KINDS else None,
        bill_round=parsed.bill_round if parsed.kind in (LetterKind.VERSLAG, LetterKind.NOTA) else None,
        first_page=parsed.first_page,
        last_page=max(parsed.last_page, parsed.first_page),
        text=parsed.text,
    )
    parties = [party for party in (_party(name) for name in parsed.parties) if party is not None]
    letter.parties.set(parties)
    return letter


def title_dossiers(letters: list[Letter], *, title: str) -> None:
    """A dossier without a title takes the topic of the file that first cites it (the cover
    note's "over ..." line when there is one)."""
    for dossier in {letter.dossier for letter in letters if letter.dossier_id and not letter.dossier.title}:
        dossier.title = capfirst(title)[:500]
        if dossier.title:
            dossier.save(update_fields=["title"])


_DOSSIER = re.compile(
    r"(?P<number>\d{4,6}(?:-[A-Z]{1,6})?)(?:\s{0,3},\s{0,3}(?P<doc>(?:nr\.\s{0,3})?[A-Z0-9]{1,6}))?"
)


def _split_dossier(cited: list[str]) -> tuple[str, str]:
    """'36521, B' -> ('36521', '36521, B'); '36600-XX' -> ('36600-XX', '')."""
    for citation in cited:
        match = _DOSSIER.search(citation)
        if match:
            return match["number"], citation.strip() if match["doc"] else ""
    return "", ""


def _committee(name: str, chamber: str) -> Committee | None:
    name = " ".join(name.split())
    if not name or not chamber:
        return None
    existing = Committee.objects.filter(name__iexact=name, chamber=chamber).first()
    return existing or Committee.objects.create(name=name[:200], chamber=chamber)


def _party(name: str) -> Party | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    existing = Party.objects.filter(name__iexact=name).first()
    if existing is None:
        # Few parties have aliases ("GL/PvdA"); matching them in Python works on every database.
        wanted = name.casefold()
        aliased = Party.objects.exclude(aliases=[])
        existing = next((p for p in aliased if wanted in {a.casefold() for a in p.aliases}), None)
    return existing or Party.objects.create(name=name[:100])


def _member(name: str, party: Party | None, chamber: str) -> Member | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    existing = Member.objects.filter(name__iexact=name, party=party).first()
    return existing or Member.objects.create(name=name[:200], party=party, chamber=chamber)


_MINISTER = re.compile(r"\b(?:de\s{1,3})?((?:minister|staatssecretaris)\b.{0,200})", re.IGNORECASE)


def _minister(parsed: ParsedLetter) -> Minister | None:
    """The minister a question letter is addressed to, or who sends a notice or answer."""
    party = parsed.recipient if parsed.kind == LetterKind.QUESTIONS else parsed.sender
    match = _MINISTER.search(party or "")
    if not match:
        return None
    portfolio = " ".join(match[1].split()).rstrip(".,")
    portfolio = portfolio[0].lower() + portfolio[1:]
    existing = Minister.objects.filter(portfolio__iexact=portfolio, name="").first()
    return existing or Minister.objects.create(portfolio=portfolio[:300])


# --- linking -------------------------------------------------------------------------------------


def _link_within_document(letters: list[Letter], warnings: list[dict]) -> None:
    """In a bundle, a notice or answer replies to the question letter in the same file."""
    question_letters = [letter for letter in letters if letter.kind == LetterKind.QUESTIONS]
    for letter in letters:
        if letter.kind not in (LetterKind.ANSWER, *DELAYING_KINDS):
            continue
        earlier = [q for q in question_letters if q.order_in_source < letter.order_in_source]
        if not earlier:
            continue
        target = _pick_cited(earlier, letter) or earlier[-1]
        warnings.extend(_set_link(letter, target, LinkConfidence.SAME_DOCUMENT))
        # The kenmerk a reply cites is the question letter's own, which its text rarely prints.
        if letter.cites_reference and not target.reference:
            target.reference = letter.cites_reference
            target.save(update_fields=["reference"])


def _pick_cited(candidates: list[Letter], reply: Letter) -> Letter | None:
    for attribute, value in (("reference", reply.cites_reference), ("date", reply.cites_date)):
        if value:
            matching = [c for c in candidates if getattr(c, attribute) == value]
            if len(matching) == 1:
                return matching[0]
    return None


def _describe(letter: Letter) -> dict[str, str | int]:
    """A letter for a message, as the parser names one: kind, date, 1-based place in its file."""
    params: dict[str, str | int] = {"letter": letter.order_in_source + 1, "letter_kind": letter.kind}
    if letter.date:
        params["letter_date"] = letter.date.isoformat()
    return params


def _discrepancies(target: Letter, reply: Letter) -> list[dict]:
    notes = []
    if reply.cites_date and target.date and reply.cites_date != target.date:
        notes.append(
            Notice(
                "cited_date_differs",
                {
                    **_describe(reply),
                    "cited_date": reply.cites_date.isoformat(),
                    "actual_date": target.date.isoformat(),
                },
            ).to_dict()
        )
    if reply.cites_reference and target.reference and reply.cites_reference != target.reference:
        notes.append(
            Notice(
                "cited_reference_differs",
                {**_describe(reply), "cited": reply.cites_reference, "actual": target.reference},
            ).to_dict()
        )
    return notes


def link_to_earlier_letter(letter: Letter) -> list[dict]:
    """Link a notice or answer to a question letter stored earlier; return what a clerk should check.

    By reference number first; then by cited date together with committee, minister or dossier.
    Several candidates, or only a date to go on, is weak evidence: left to the clerk.
    """
    pool = Letter.objects.filter(kind=LetterKind.QUESTIONS).exclude(source=letter.source_id)
    if letter.cites_reference:
        by_reference = list(pool.filter(reference=letter.cites_reference)[:2])
        if len(by_reference) == 1:
            return _set_link(letter, by_reference[0], LinkConfidence.REFERENCE)
    if letter.cites_date:
        evidence = Q()
        for attribute in ("committee", "minister", "dossier"):
            value = getattr(letter, f"{attribute}_id")
            if value:
                evidence |= Q(**{f"{attribute}_id": value})
        if letter.document_number:
            evidence |= Q(document_number=letter.document_number)
        candidates = list(pool.filter(evidence, date=letter.cites_date)[:2]) if evidence else []
        if len(candidates) == 1:
            return _set_link(letter, candidates[0], LinkConfidence.EVIDENCE)
        if len(candidates) > 1:
            return [
                Notice(
                    "link_ambiguous", {**_describe(letter), "cited_date": letter.cites_date.isoformat()}
                ).to_dict()
            ]
    return [Notice("link_not_found", _describe(letter)).to_dict()]


def _set_link(letter: Letter, target: Letter, confidence: str) -> list[dict]:
    """Link `letter` as a reply to `target`; returns (and keeps on the letter) any discrepancies."""
    notes = _discrepancies(target, letter)
    letter.in_reply_to = target
    letter.link_confidence = confidence
    letter.link_note = notes
    letter.save(update_fields=["in_reply_to", "link_confidence", "link_note"])
    return notes


def link_waiting_replies(letter: Letter) -> tuple[list[Letter], list[dict]]:
    """A question letter imported after its replies: link the replies that cite its reference."""
    if not letter.reference:
        return [], []
    waiting = list(
        Letter.objects.filter(
            kind__in=[LetterKind.ANSWER, *DELAYING_KINDS], in_reply_to=None, cites_reference=letter.reference
        ).exclude(source=letter.source_id)
    )
    notes = [note for reply in waiting for note in _set_link(reply, letter, LinkConfidence.REFERENCE)]
    for reply in waiting:
        merge_repeated_questions(reply)
    return waiting, notes


_PART = re.compile(r",\s{0,3}(?:nr\.\s{0,3}(?P<number>\d{1,5})|(?P<letter>[A-Z]{1,3}))$")


def _part(document: str) -> tuple[int, str] | None:
    """Where a Kamerstuk stands in its dossier: "36450, nr. 6" -> (6, ""), "36123, C" -> (1, "C");
    None when it names no part. Numbers and letters are each in print order ("Z" before "AA")."""
    found = _PART.search(document.strip())
    if not found:
        return None
    if found["number"]:
        return int(found["number"]), ""
    return len(found["letter"]), found["letter"]


def bill_round_verslag(reply: Letter) -> Letter | None:
    """The verslag a nota or memorie van antwoord answers: the latest verslag of its dossier, chamber
    and round printed before it (a lower Kamerstuk number; undated or unnumbered, an earlier date)."""
    if not reply.dossier_id:
        return None
    candidates = Letter.objects.filter(kind=LetterKind.VERSLAG, dossier_id=reply.dossier_id).exclude(
        pk=reply.pk
    )
    if reply.chamber:
        candidates = candidates.filter(chamber=reply.chamber)
    if reply.bill_round:
        candidates = candidates.filter(bill_round=reply.bill_round)
    fields = ("id", "date", "dossier_document", "reference", "kind", "order_in_source")
    own = _part(reply.dossier_document)
    before = []
    for candidate in candidates.only(*fields):
        part = _part(candidate.dossier_document)
        if own is not None and part is not None and (part[1] == "") == (own[1] == ""):
            if part < own:
                before.append((part, candidate.date, candidate.pk, candidate))
        elif candidate.date and reply.date and candidate.date <= reply.date:
            before.append(((0, ""), candidate.date, candidate.pk, candidate))
    return max(before, key=lambda row: row[:3])[3] if before else None


def link_bill_reply(reply: Letter) -> list[dict]:
    """Link a nota or memorie van antwoord to the verslag it answers; returns what to check."""
    verslag = bill_round_verslag(reply)
    if verslag is None:
        return [Notice("link_not_found", _describe(reply)).to_dict()]
    return _set_link(reply, verslag, LinkConfidence.KAMERSTUK)


def link_waiting_bill_replies(verslag: Letter) -> list[Letter]:
    """A verslag imported after its reply: link the replies of its dossier that answer it, and point
    their answers at its questions."""
    if not verslag.dossier_id:
        return []
    waiting = Letter.objects.filter(
        kind=LetterKind.NOTA, in_reply_to=None, dossier_id=verslag.dossier_id
    ).exclude(source=verslag.source_id)
    linked = [reply for reply in waiting if bill_round_verslag(reply) == verslag]
    for reply in linked:
        _set_link(reply, verslag, LinkConfidence.KAMERSTUK)
        merge_repeated_questions(reply)
    return linked


# `similarity` at which a repeated question is the original it resembles most. The original
# letter is known, so this may sit a little below questions.services.REPEAT_THRESHOLD; unrelated
# questions in one mould ("Bent u bereid de Kamer ... te informeren?") reach about 0.67.
MERGE_THRESHOLD = 0.75


def merge_repeated_questions(reply: Letter, *, threshold: float = MERGE_THRESHOLD) -> int:
    """An answer letter imported alone repeats the questions; point its answers at the originals.

    Matches by label where both are numbered, otherwise by text; a repeated question with no
    convincing original stays on the answer letter, so nothing is lost.
    """
    original = reply.in_reply_to
    if original is None or reply.kind not in ANSWERING_KINDS:
        return 0
    originals = list(original.questions.all())
    by_label = {q.label: q for q in originals if q.label}
    repeated_questions = list(reply.questions.all())
    unlabelled = {q.pk: q.text for q in repeated_questions if by_label.get(q.label) is None}
    # Measured against the originals the text index finds for it, in the originals' order, so of two
    # equally close the first wins.
    position = {q.pk: index for index, q in enumerate(originals)}
    found = similar_questions(original.questions.all(), unlabelled)
    merged: dict[int, int] = {}  # repeated question -> its original
    for repeated in repeated_questions:
        match = by_label.get(repeated.label) if repeated.label else None
        if match is None and found.get(repeated.pk):
            repeated_words = content_words(repeated.text)
            score, index = max(
                ((similarity(words, repeated_words), position[pk]) for pk, words in found[repeated.pk]),
                key=lambda x: (x[0], -x[1]),
            )
            if score >= threshold:
                match = originals[index]
        if match is not None:
            merged[repeated.pk] = match.pk
    # The answers that covered a repeated question cover its original instead; then it goes.
    covers = Answer.covers.through
    repeated_ids = list(merged)
    for start in range(0, len(repeated_ids), BATCH):
        batch = repeated_ids[start : start + BATCH]
        moved = covers.objects.filter(question_id__in=batch)
        rows = list(moved.values_list("answer_id", "question_id"))
        moved.delete()
        covers.objects.bulk_create(
            [covers(answer_id=answer_id, question_id=merged[question_id]) for answer_id, question_id in rows],
            ignore_conflicts=True,
        )
        Question.objects.filter(pk__in=batch).delete()
    return len(merged)
