"""Test data for the web pages: users in both roles and a small archive of letter rounds.

Imported as fixtures by each app's tests (`from dossiers.tests.factories import *`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

import dossiers.context_processors  # noqa: F401  (its login receiver, connected by the URLconf in production)
from deadlines.services import record_answer, record_postponement, sync_deadline
from dossiers.choices import Chamber
from dossiers.models import Committee, Dossier, Minister, Party
from dossiers.roles import CLERK, STAFFER, ensure_roles
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer, Question

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
    deadline = sync_deadline(letter=letter, now=now)
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
        record_postponement(deadline=deadline, notice=notice, now=now)
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
        record_answer(deadline=deadline, answer=reply, now=now)
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
