"""Test data for the web pages: users in both roles, a small archive of letter rounds, and a
generated data set of every kind of letter with and without each optional field (`make_dataset`).

Imported as fixtures by each app's tests (`from dossiers.tests.factories import *`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from deadlines.choices import SubscriptionScope
from deadlines.models import AlertProfile, Subscription
from deadlines.services import settle_deadlines, sync_deadline
from dossiers.choices import Chamber
from dossiers.models import Committee, Dossier, Member, Minister, Party
from dossiers.roles import CLERK, STAFFER, ensure_roles
from letters.choices import ImportStatus, LetterKind, LinkConfidence
from letters.models import Letter, LetterChange, SourceDocument
from questions.choices import LinkKind, LinkSource
from questions.models import Answer, Question, QuestionLink

PASSWORD = "correct horse battery staple"


def make_user(username: str, role: str) -> User:
    ensure_roles()
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def clerk(db) -> User:
    return make_user("clerk", CLERK)


@pytest.fixture
def staffer(db) -> User:
    return make_user("staffer", STAFFER)


@pytest.fixture
def clerk_client(clerk) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def staffer_client(staffer) -> Client:
    client = Client()
    client.force_login(staffer)
    return client


@dataclass
class Archive:
    committee: Committee
    minister: Minister
    dossier: Dossier
    party: Party
    question_letters: list[Letter] = field(default_factory=list)
    answer_letters: list[Letter] = field(default_factory=list)


def make_round(
    archive: Archive,
    *,
    asked: date,
    questions: list[str],
    answers: list[str] | None,
    postponed: bool = False,
    subject: str = "Vragen over de asielketen",
) -> Letter:
    """One round: a question letter, optionally a postponement and an answer letter."""
    now = timezone.now()
    letter = Letter.objects.create(
        kind=LetterKind.QUESTIONS,
        date=asked,
        chamber=Chamber.EK,
        committee=archive.committee,
        minister=archive.minister,
        dossier=archive.dossier,
        subject=subject,
        sender="voorzitter van de vaste commissie voor Binnenlandse Zaken",
        text=" ".join(questions),
    )
    letter.parties.add(archive.party)
    for order, text in enumerate(questions, start=1):
        Question.objects.create(
            letter=letter, order=order, label=str(order), text=text, party=archive.party, page=order
        )
    sync_deadline(letter=letter, now=now)
    archive.question_letters.append(letter)
    if postponed:
        notice = Letter.objects.create(
            kind=LetterKind.POSTPONEMENT,
            date=asked + timedelta(days=20),
            chamber=Chamber.EK,
            minister=archive.minister,
            dossier=archive.dossier,
            in_reply_to=letter,
            subject=f"Uitstel: {subject}",
        )
        settle_deadlines(replies=[notice], now=now)
    if answers is not None:
        reply = Letter.objects.create(
            kind=LetterKind.ANSWER,
            date=asked + timedelta(days=25),
            chamber=Chamber.EK,
            minister=archive.minister,
            committee=archive.committee,
            dossier=archive.dossier,
            in_reply_to=letter,
            subject=f"Antwoord: {subject}",
            text=" ".join(answers),
        )
        for order, (question, text) in enumerate(
            zip(letter.questions.order_by("order"), answers, strict=False), 1
        ):
            answer = Answer.objects.create(letter=reply, order=order, label=str(order), text=text, page=order)
            answer.covers.add(question)
        settle_deadlines(replies=[reply], now=now)
        archive.answer_letters.append(reply)
    return letter


def make_archive(rounds: int) -> Archive:
    """`rounds` question letters in one dossier: open, overdue, postponed and answered ones."""
    archive = Archive(
        committee=Committee.objects.get_or_create(
            name="vaste commissie voor Binnenlandse Zaken",
            chamber=Chamber.EK,
            defaults={"short_name": "BiZa"},
        )[0],
        minister=Minister.objects.get_or_create(portfolio="minister van Asiel en Migratie")[0],
        dossier=Dossier.objects.get_or_create(
            number="36521", defaults={"title": "Jaarverslag Nationale ombudsman"}
        )[0],
        party=Party.objects.get_or_create(name="GroenLinks-PvdA")[0],
    )
    today = timezone.localdate()
    for n in range(rounds):
        kind = n % 4
        asked = today - timedelta(days=[20, 60, 40, 50][kind] + n)
        make_round(
            archive,
            asked=asked,
            questions=[
                f"Hoeveel asielzoekers wachten op opvang in ronde {n}?",
                "Wat doet u aan de knelpunten?",
            ],
            answers=[
                f"Het kabinet werkt dagelijks aan verbetering in ronde {n}.",
                "Zie het antwoord op vraag 1.",
            ]
            if kind == 3
            else None,
            postponed=kind == 2,
            subject=f"Vragen over de asielketen ({n})",
        )
    return archive


# What happens to the question letter of each round of `make_dataset`, in turn; each outcome leads
# to a deadline status (deadlines.rules) unless the letter is undated.
OUTCOMES = (
    "open",
    "due_soon",
    "overdue",
    "postponed",
    "late_notice",
    "mededeling",
    "answered",
    "answered_late",
    "partial",
    "undated_answer",
)


# Import warnings as stored (letters.messages): coded, coded with a parameter missing, a code no
# longer known, and plain text from before warnings had codes.
NOTICES = [
    {
        "code": "cited_date_differs",
        "params": {
            "letter": 2,
            "letter_kind": "answer",
            "cited_date": "2025-06-24",
            "actual_date": "2025-06-23",
        },
    },
    {"code": "link_not_found", "params": {}},
    {"code": "retired_code", "params": {"letter": 1}},
    {"code": "text", "params": {"text": "Pagina 3: geen datum gevonden"}},
    "Page 3: no date found",
]


@dataclass
class DataSet:
    committees: list[Committee]
    ministers: list[Minister]
    dossiers: list[Dossier]
    parties: list[Party]
    sources: list[SourceDocument]


def make_source(name: str, **fields) -> SourceDocument:
    digest = hashlib.sha256(name.encode()).hexdigest()
    return SourceDocument.objects.create(
        original_name=name, sha256=digest, file=f"sources/{digest[:2]}/{digest}.pdf", **fields
    )


def make_dataset(rounds: int = 120, *, seed: int = 1, user: User | None = None) -> DataSet:
    """A few hundred letters of every kind, each optional field left empty in some of them.

    Each round is a question letter (with 0-3 questions) and what follows it: nothing, a
    postponement or mededeling (in time, late, or promising nothing), an answer (in time, late,
    partial, undated); then cover notes and other letters, with and without a letter they reply
    to. Every deadline status occurs. The same `seed` gives the same data.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    committees = [
        Committee.objects.create(
            name="vaste commissie voor Justitie en Veiligheid",
            short_name="J&V",
            chamber=Chamber.EK,
            clerk="mr. A. de Griffier",
            chair="B. Voorzitter",
        ),
        Committee.objects.create(name="vaste commissie voor Onderwijs", chamber=Chamber.TK),
    ]
    ministers = [
        Minister.objects.create(portfolio="minister van Justitie en Veiligheid"),
        Minister.objects.create(
            portfolio="staatssecretaris van Onderwijs, Cultuur en Wetenschap " * 3,
            name="C. Bewindspersoon",
            ministry="OCW",
        ),
    ]
    dossiers = [
        Dossier.objects.create(number="36600-VI", title="Begroting Justitie 2025", chamber=Chamber.EK),
        Dossier.objects.create(number="31289"),
        Dossier.objects.create(number="36410", title="Onderwijs & <b>kwaliteit</b>", chamber=Chamber.TK),
    ]
    parties = [Party.objects.create(name="D66"), Party.objects.create(name="SP", aliases=["S.P."])]
    members = [
        Member.objects.create(name="E. Kamerlid", party=parties[0], chamber=Chamber.EK),
        Member.objects.create(name="F. Zonderpartij"),
    ]
    sources = [
        make_source(
            "bundel-justitie.pdf",
            status=ImportStatus.IMPORTED,
            page_count=6,
            pages_done=6,
            warnings=NOTICES,
            uploaded_by=user,
            imported_at=now,
        ),
        make_source("leeg.pdf", status=ImportStatus.IMPORTED, page_count=1, pages_done=1, imported_at=now),
        make_source("kapot.pdf", status=ImportStatus.FAILED, error_code="no_text", error_message="No text."),
        make_source("wacht.pdf"),
        make_source("bezig.pdf", status=ImportStatus.PROCESSING, page_count=10, pages_done=3),
    ]

    def maybe(*options):
        return rng.choice(options)

    def letter(kind: str, **fields) -> Letter:
        values = {
            "chamber": maybe(Chamber.EK, Chamber.TK, ""),
            "committee": maybe(*committees, None),
            "minister": maybe(*ministers, None),
            "dossier": maybe(*dossiers, None),
            "dossier_document": maybe("", "36600-VI, A"),
            "sender": maybe("", "voorzitter van de vaste commissie", "de minister"),
            "recipient": maybe("", "Aan de minister"),
            "reference": maybe("", f"REF-{rng.randint(1000, 9999)}"),
            **fields,
        }
        return Letter.objects.create(kind=kind, **values)

    first_questions: list[Question] = []
    for n in range(rounds):
        outcome = OUTCOMES[n % len(OUTCOMES)]
        chamber = maybe(Chamber.EK, Chamber.TK, "")
        term_days = maybe(None, 14, 21, 28)
        term = term_days or (
            settings.GRIFFIE_TERM_DAYS_TK if chamber == Chamber.TK else settings.GRIFFIE_TERM_DAYS_EK
        )
        asked = today - timedelta(
            days={
                "open": 1,
                "due_soon": term - 3,
                "overdue": term + 10 + n % 20,
                "postponed": term - 2,
                "late_notice": term + 5,
                "mededeling": term + 40,
            }.get(outcome, 60 + term)
        )
        undated = n % 11 == 5
        question_letter = letter(
            LetterKind.QUESTIONS,
            chamber=chamber,
            date=None if undated else asked,
            received_on=maybe(None, asked + timedelta(days=1)),
            term_days=term_days,
            subject=maybe("", f"Vragen over de uitvoering ({n})", "Lang onderwerp " * 30),
            text=maybe("", f"Vragen van ronde {n} over de uitvoering."),
            cites_reference=maybe("", "2025Z01234"),
            cites_date=maybe(None, asked - timedelta(days=30)),
            document_number=maybe("", f"2025D{n:05}"),
            confirmed_at=maybe(None, now),
            confirmed_by=maybe(None, user),
            link_note=maybe([], NOTICES[:1], NOTICES),
        )
        if n % 3 == 0:
            question_letter.parties.add(maybe(*parties))
        if n % 5 == 0:
            question_letter.members.add(maybe(*members))
        questions = [
            Question.objects.create(
                letter=question_letter,
                order=order,
                label=maybe("", str(order), f"({order})"),
                text=f"Vraag {order} van ronde {n}: hoe staat het met de uitvoering?",
                party=maybe(*parties, None),
                member=maybe(*members, None),
                page=order,
            )
            for order in range(1, maybe(0, 1, 2, 3, 3) + 1)
        ]
        if questions:
            first_questions.append(questions[0])
        sync_deadline(letter=question_letter, now=now)
        base = question_letter.date or today - timedelta(days=60 + term)

        if outcome in ("postponed", "late_notice", "mededeling"):
            received = {
                "postponed": base + timedelta(days=term - 5),
                "late_notice": today,
                "mededeling": base + timedelta(days=term - 5),
            }[outcome]
            notice = letter(
                LetterKind.MEDEDELING if outcome == "mededeling" else LetterKind.POSTPONEMENT,
                in_reply_to=question_letter,
                link_confidence=maybe(*LinkConfidence.values),
                date=maybe(None, received),
                received_on=received,
                subject=maybe("", f"Uitstel ronde {n}"),
                # "Zo spoedig mogelijk" promises nothing: the grace period counts.
                promised_date=maybe(None, base + timedelta(days=term + 10), today + timedelta(days=20)),
                promised_term_days=maybe(None, 21),
            )
            settle_deadlines(replies=[notice], now=now)
        if outcome in ("answered", "answered_late", "partial", "undated_answer"):
            replied = {
                "answered": base + timedelta(days=term - 2),
                "answered_late": base + timedelta(days=term + 9),
                "partial": base + timedelta(days=10),
                "undated_answer": None,
            }[outcome]
            reply = letter(
                LetterKind.ANSWER,
                in_reply_to=question_letter,
                link_confidence=maybe(*LinkConfidence.values),
                date=replied,
                subject=maybe("", f"Antwoord ronde {n}"),
                text=maybe("", "Antwoorden op de vragen."),
            )
            covered = questions[:1] if outcome == "partial" else questions
            answers = []
            for order, question in enumerate(covered, start=1):
                answer = Answer.objects.create(
                    letter=reply, order=order, label=maybe("", str(order)), text=f"Antwoord {order}.", page=1
                )
                answer.covers.add(question)
                answers.append(answer)
            loose = Answer.objects.create(
                letter=reply, order=len(answers) + 1, label="", text="Zie het antwoord hierboven.", page=2
            )
            loose.refers_to.add(*answers[:1])
            settle_deadlines(replies=[reply], now=now)
            if n % 4 == 0:
                letter(LetterKind.COVER, in_reply_to=reply, date=replied, subject="")
        if n % 4 == 1:
            letter(LetterKind.COVER, date=maybe(None, asked), subject=maybe("", "Aanbiedingsbrief"))
        if n % 4 == 3:
            letter(
                LetterKind.OTHER,
                in_reply_to=maybe(None, question_letter),
                date=maybe(None, asked),
                subject=maybe("", "Overige brief"),
            )
        if n % 9 == 0:
            # Replies the import could not link to the letter they answer.
            orphan = letter(LetterKind.ANSWER, date=maybe(None, asked), subject="")
            Answer.objects.create(letter=orphan, order=1, label="1", text="Een los antwoord.", page=1)
            letter(LetterKind.POSTPONEMENT, date=maybe(None, asked), subject="")
        if n < 4:
            # The first rounds came in one uploaded bundle, on its pages in order.
            Letter.objects.filter(pk=question_letter.pk).update(
                source=sources[0], order_in_source=n, first_page=maybe(None, n + 1), last_page=None
            )

    # Written rounds on bills: verslagen waiting for their nota (some with a date the reply is
    # expected by), answered ones, and an eindverslag.
    for n in range(8):
        vastgesteld = today - timedelta(days=20 + 15 * n)
        verslag = letter(
            LetterKind.VERSLAG,
            date=vastgesteld,
            bill_round=1 + n % 2,
            dossier_document=f"36410, nr. {5 + 2 * n}",
            subject=maybe("", "Wijziging van de Wet op het onderwijstoezicht"),
            expected_reply_on=maybe(None, today + timedelta(days=n - 3)),
        )
        Question.objects.create(
            letter=verslag,
            order=1,
            text="De leden van de D66-fractie vragen of de regering dit kan toelichten.",
            party=parties[0],
        )
        sync_deadline(letter=verslag, now=now)
        if n % 3 == 2:
            nota = letter(
                LetterKind.NOTA,
                date=vastgesteld + timedelta(days=20),
                bill_round=verslag.bill_round,
                dossier_document=f"36410, nr. {6 + 2 * n}",
                in_reply_to=verslag,
                link_confidence=LinkConfidence.KAMERSTUK,
            )
            Answer.objects.create(letter=nota, order=1, label="1", text="Ja.", page=1).covers.add(
                verslag.questions.get()
            )
            settle_deadlines(replies=[nota], now=now)
    letter(LetterKind.EINDVERSLAG, date=today - timedelta(days=5), dossier_document="36410, F")

    # A letter of each kind with every optional field empty.
    for kind in LetterKind.values:
        bare = Letter.objects.create(kind=kind)
        if kind == LetterKind.QUESTIONS:
            Question.objects.create(letter=bare, order=1, text="Een vraag zonder meer.")
            sync_deadline(letter=bare, now=now)
        if kind == LetterKind.ANSWER:
            Answer.objects.create(letter=bare, order=1, text="Een antwoord zonder vraag.")

    for n, (earlier, later) in enumerate(zip(first_questions, first_questions[3::3], strict=False)):
        QuestionLink.objects.create(
            earlier=earlier,
            later=later,
            kind=LinkKind.REPEATS if n % 2 else LinkKind.FOLLOW_UP,
            source=LinkSource.MANUAL if n % 3 == 0 else LinkSource.DETECTED,
            score=None if n % 3 == 0 else 0.8,
            created_by=user if n % 3 == 0 else None,
            rejected=n % 5 == 4,
        )
    for corrected in Letter.objects.order_by("pk")[:12:3]:
        LetterChange.objects.create(letter=corrected, user=user, field="subject", before="", after="Nieuw")
        LetterChange.objects.create(letter=corrected, user=None, field="text", before="x" * 500, after="")
    return DataSet(committees, ministers, dossiers, parties, sources)


@dataclass(frozen=True)
class SiteData:
    """A data set loaded for a whole test module (tests/conftest.py), with a user per role."""

    name: str
    users: dict[str, User]  # by role: staffer, clerk, admin
    calendar_token: str  # the staffer's own feed
    committee_tokens: list[str]


def make_subscriptions(user: User, *, committee: Committee, dossier: Dossier, letter: Letter) -> AlertProfile:
    """One subscription of each scope (one paused), and the user's calendar feed token."""
    Subscription.objects.create(user=user, scope=SubscriptionScope.ALL)
    Subscription.objects.create(user=user, scope=SubscriptionScope.COMMITTEE, committee=committee)
    Subscription.objects.create(user=user, scope=SubscriptionScope.DOSSIER, dossier=dossier, active=False)
    Subscription.objects.create(user=user, scope=SubscriptionScope.LETTER, letter=letter, alerts=["answer"])
    return AlertProfile.objects.create(user=user, language="en")
