"""Builders for deadline tests: question letters in a committee and dossier, to a minister; users."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from deadlines.models import AlertProfile, Subscription
from deadlines.rules import AMSTERDAM
from dossiers.choices import Chamber
from dossiers.models import Committee, Dossier, Minister
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Question


def at(day: date, hour: int = 6) -> datetime:
    """An instant on a Dutch calendar day (the beat job runs early in the morning)."""
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def committee(db) -> Committee:
    return Committee.objects.create(
        name="vaste commissie voor Binnenlandse Zaken", short_name="BiZa", chamber=Chamber.EK
    )


@pytest.fixture
def dossier(db) -> Dossier:
    return Dossier.objects.create(number="36521", title="Wet open overheid; evaluatie", chamber=Chamber.EK)


@pytest.fixture
def minister(db) -> Minister:
    return Minister.objects.create(portfolio="minister van Binnenlandse Zaken en Koninkrijksrelaties")


@pytest.fixture
def make_letter(committee, dossier, minister) -> Callable[..., Letter]:
    def make(
        letter_date: date | None, *, questions: int = 2, subject: str = "Evaluatie Woo", **fields
    ) -> Letter:
        values = {
            "kind": LetterKind.QUESTIONS,
            "chamber": Chamber.EK,
            "date": letter_date,
            "committee": committee,
            "dossier": dossier,
            "minister": minister,
            "subject": subject,
            **fields,
        }
        letter = Letter.objects.create(**values)
        Question.objects.bulk_create(
            Question(letter=letter, order=n, label=str(n), text=f"Vraag {n}?")
            for n in range(1, questions + 1)
        )
        return letter

    return make


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    def make(username: str, *, language: str = "nl", **subscription) -> object:
        user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-for-tests-only")
        AlertProfile.objects.create(user=user, language=language)
        if subscription:
            Subscription.objects.create(user=user, **subscription)
        return user

    return make


@dataclass
class SmtpSink:
    """A real SMTP server on a local port that keeps what it receives, parsed."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted"

    @property
    def recipients(self) -> list[str]:
        return [message["To"] for message in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    """aiosmtpd on 127.0.0.1 with Django's SMTP backend pointed at it."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://griffie.example"
    try:
        yield sink
    finally:
        controller.stop()
