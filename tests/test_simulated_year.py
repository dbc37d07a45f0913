"""A simulated year: every alert mail is checked against the deadline rules on the day it is sent.

A year of correspondence for a few dozen dossiers (Eerste Kamer letters with postponements that
promise a date or "zo spoedig mogelijk", late notices, partial, on-time and late answers, a clerk's
correction; Tweede Kamer Kamervragen with a Mededeling or answered at once) is written as text
documents and imported through the real import path on the day each arrives. The real jobs run
once a day with an injected clock. An independent day-by-day oracle, built only on
`deadlines.rules.evaluate` and the alert windows in the settings, says which alerts each day must
bring: no mail for a state that never held, no missed due-soon or overdue alert, each exactly
once, and nothing about the past when last year's backlog is imported on the first day.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files import File

from deadlines import rules
from deadlines.choices import AlertKind, DeadlineStatus, SubscriptionScope
from deadlines.delivery import plan_deliveries, send_pending
from deadlines.models import Delivery, Subscription
from deadlines.services import refresh_deadlines
from intake import imports
from intake.corrections import correct_letter
from intake.forms import LetterForm
from intake.management.commands.load_sample_data import dutch_date
from letters.choices import ImportStatus, LetterKind
from letters.models import Letter

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)
DAYS = 365
SEED = 20260105
# (committee, minister's portfolio): distinct addressees keep replies linkable by their evidence.
DEPARTMENTS = [
    ("Financiën", "Financiën"),
    ("Defensie", "Defensie"),
    ("Buitenlandse Zaken", "Buitenlandse Zaken"),
    ("Justitie en Veiligheid", "Justitie en Veiligheid"),
    ("Economische Zaken en Klimaat", "Klimaat en Groene Groei"),
    ("Binnenlandse Zaken", "Volkshuisvesting en Ruimtelijke Ordening"),
]
QUESTIONS = [
    "Kan de minister toelichten hoe de maatregel wordt gefinancierd?",
    "Welke gevolgen heeft de maatregel voor gemeenten?",
    "Wanneer verschijnt de volgende voortgangsrapportage?",
]


@dataclass
class Notice:
    on: date
    promised: date | None  # None: "zo spoedig mogelijk"


@dataclass
class Case:
    """One question letter and what follows it, as facts with the day each reaches Griffie."""

    number: int
    chamber: str
    asked: date
    notices: list[Notice] = field(default_factory=list)
    answer_on: date | None = None
    answered: int = 3  # fewer than 3: a partial answer
    arrives_on: date | None = None  # the question letter's own import day (default: asked)
    correction: tuple[date, date] | None = None  # (day a clerk corrects, the first notice's new date)

    @property
    def department(self) -> tuple[str, str]:
        return DEPARTMENTS[self.number % len(DEPARTMENTS)]

    @property
    def term_days(self) -> int:
        return 28 if self.chamber == "EK" else settings.GRIFFIE_TERM_DAYS_TK

    @property
    def grace_days(self) -> int:
        if self.chamber == "EK":
            return settings.GRIFFIE_POSTPONEMENT_GRACE_DAYS_EK
        return settings.GRIFFIE_POSTPONEMENT_GRACE_DAYS_TK

    def known_on(self) -> date:
        return self.arrives_on or self.asked

    def state(self, day: date) -> rules.DeadlineState | None:
        """What the rules say at the end of `day` about what Griffie knows by then."""
        if day < self.known_on():
            return None
        postponements = []
        for index, notice in enumerate(self.notices):
            if max(notice.on, self.known_on()) > day:
                continue
            promised = notice.promised
            if index == 0 and self.correction and day >= self.correction[0]:
                promised = self.correction[1]
            postponements.append(rules.PostponementFact(notice.on, promised))
        answered = self.answer_on if self.answer_on and max(self.answer_on, self.known_on()) <= day else None
        return rules.evaluate(
            letter_date=self.asked,
            term_days=self.term_days,
            postponements=postponements,
            answered_on=answered,
            now=day,
            grace_days=self.grace_days,
            due_soon_days=settings.GRIFFIE_DUE_SOON_DAYS,
        )


# --- the documents ---------------------------------------------------------------------------------


def question_letter(case: Case) -> str:
    committee, portfolio = case.department
    questions = "\n\n".join(f"{n}. {text}" for n, text in enumerate(QUESTIONS, start=1))
    return f""" BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR {committee.upper()}

Aan de minister van {portfolio}

Den Haag, {dutch_date(case.asked)}

Ons kenmerk {190000 + case.number}

De leden van de vaste commissie voor {committee} hebben kennisgenomen van uw brief over de
regeling {case.number}.1 De leden van de fractie van de SGP hebben de volgende vragen.

{questions}

De leden van de vaste commissie zien uw reactie met belangstelling tegemoet en ontvangen deze
graag binnen vier weken na dagtekening van deze brief.

P. Smit
Voorzitter van de vaste commissie voor {committee}

1 Kamerstukken I 2025/26, {36600 + case.number}, C.
"""


def ministers_letter(case: Case, on: date, body: str) -> str:
    portfolio = case.department[1]
    return f""" BRIEF VAN DE MINISTER VAN {portfolio.upper()}

Aan de Voorzitter van de Eerste Kamer der Staten-Generaal

Den Haag, {dutch_date(on)}

{body}

De minister van {portfolio},

M. Visser
"""


def postponement(case: Case, notice: Notice) -> str:
    promise = (
        f"Ik streef ernaar de antwoorden uiterlijk {dutch_date(notice.promised)} aan uw Kamer te sturen."
        if notice.promised
        else "Uw Kamer ontvangt de antwoorden zo spoedig mogelijk."
    )
    return ministers_letter(
        case,
        notice.on,
        f"""Hierbij deel ik u mede dat de aan mij gestelde vragen van de leden van de fractie van de SGP
over de regeling {case.number} (ingezonden op {dutch_date(case.asked)}), met kenmerk
{190000 + case.number}, niet binnen de termijn van vier weken kunnen worden beantwoord.

Voor de beantwoording is afstemming met de uitvoering nodig. {promise}""",
    )


def answers(case: Case) -> str:
    return "\n\n".join(
        f"Vraag {n}\n{QUESTIONS[n - 1]}\n\nAntwoord {n}\nHet antwoord op vraag {n} (regeling {case.number})."
        for n in range(1, case.answered + 1)
    )


def answer_letter(case: Case) -> str:
    return (
        ministers_letter(
            case,
            case.answer_on,
            f"""Hierbij bied ik u het antwoord aan op de vragen van de leden van de fractie van de SGP over de
regeling {case.number}.

De vragen werden ingezonden op {dutch_date(case.asked)} met kenmerk {190000 + case.number}.""",
        )
        + "\n"
        + answers(case)
        + "\n"
    )


def kamervragen(case: Case) -> str:
    """Tweede Kamer: the Aanhangsel with the answer, or with a Mededeling that promises a date."""
    portfolio = case.department[1]
    header = f"""Tweede Kamer der Staten-Generaal
Aanhangsel van de Handelingen
Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden

Vragen van het lid Van Dijk (SP) aan de Minister van {portfolio} over de regeling {case.number}
(ingezonden {dutch_date(case.asked)}).
"""
    if case.answer_on:
        return f"""{header}
Antwoord van Minister Visser ({portfolio}) (ontvangen {dutch_date(case.answer_on)}).

{answers(case)}
"""
    notice = case.notices[0]
    questions = "\n\n".join(f"Vraag {n}\n{text}" for n, text in enumerate(QUESTIONS, start=1))
    return f"""{header}
Mededeling van Minister Visser ({portfolio}) (ontvangen {dutch_date(notice.on)}).

{questions}

Mededeling
De vragen van het lid Van Dijk (SP) over de regeling {case.number} (ingezonden
{dutch_date(case.asked)}) kunnen niet binnen de gebruikelijke termijn worden beantwoord, omdat de
beantwoording afstemming vraagt. Ik streef ernaar de vragen uiterlijk {dutch_date(notice.promised)}
te beantwoorden.
"""


def documents(case: Case) -> list[tuple[date, str]]:
    """Each document of the case with the day it reaches Griffie."""
    if case.chamber == "TK":
        return [(case.known_on(), kamervragen(case))]
    if case.arrives_on:  # last year's backlog: the whole round in one bundle
        parts = [question_letter(case), *(postponement(case, n) for n in case.notices)]
        if case.answer_on:
            parts.append(answer_letter(case))
        return [(case.arrives_on, "".join(parts))]
    docs = [(case.asked, question_letter(case))]
    docs += [(notice.on, postponement(case, notice)) for notice in case.notices]
    if case.answer_on:
        docs.append((case.answer_on, answer_letter(case)))
    return docs


def make_cases() -> list[Case]:
    """Every kind of round, spread over the year; each asked on its own day."""
    rng = random.Random(SEED)
    days = rng.sample(range(0, 300), 40)
    cases: list[Case] = []
    for number, offset in enumerate(days):
        asked = START + timedelta(days=offset)
        kind = number % 10
        case = Case(number=number, chamber="EK", asked=asked)
        if kind == 0:  # answered on time
            case.answer_on = asked + timedelta(days=rng.randint(10, 27))
        elif kind == 1:  # answered late, without notice
            case.answer_on = asked + timedelta(days=rng.randint(30, 50))
        elif kind == 2:  # notice with a promised date, kept
            promised = asked + timedelta(days=rng.randint(40, 60))
            case.notices = [Notice(asked + timedelta(days=rng.randint(15, 27)), promised)]
            case.answer_on = promised - timedelta(days=rng.randint(0, 5))
        elif kind == 3:  # notice with a promised date, broken, then a second notice
            first = asked + timedelta(days=rng.randint(15, 27))
            promised = first + timedelta(days=21)
            case.notices = [Notice(first, promised), Notice(promised + timedelta(days=3), None)]
            case.answer_on = promised + timedelta(days=rng.randint(20, 40))
        elif kind == 4:  # "zo spoedig mogelijk", answered after the grace period
            case.notices = [Notice(asked + timedelta(days=rng.randint(15, 27)), None)]
            case.answer_on = asked + timedelta(days=rng.randint(60, 80))
        elif kind == 5:  # a late notice
            notice_on = asked + timedelta(days=rng.randint(32, 40))
            case.notices = [Notice(notice_on, notice_on + timedelta(days=21))]
            case.answer_on = notice_on + timedelta(days=rng.randint(10, 20))
        elif kind == 6:  # a partial answer on time
            case.answer_on = asked + timedelta(days=rng.randint(10, 27))
            case.answered = 1
        elif kind == 7:  # never answered: overdue, with weekly reminders
            pass
        elif kind == 8:  # a clerk corrects the promised date a few days after the notice
            notice_on = asked + timedelta(days=rng.randint(15, 27))
            case.notices = [Notice(notice_on, notice_on + timedelta(days=30))]
            case.correction = (notice_on + timedelta(days=4), notice_on + timedelta(days=12))
        else:  # Kamervragen: answered at once, or a Mededeling that promises a date
            case.chamber = "TK"
            if number % 20 == 9:
                case.answer_on = asked + timedelta(days=rng.randint(10, 35))
                case.arrives_on = case.answer_on
            else:
                notice_on = asked + timedelta(days=rng.randint(14, 20))
                case.notices = [Notice(notice_on, notice_on + timedelta(days=rng.randint(10, 30)))]
                case.arrives_on = notice_on
        if case.answer_on and case.answer_on >= START + timedelta(days=DAYS):
            case.answer_on = None
        cases.append(case)
    # Last year's backlog, imported on the first day: answered, postponed and overdue rounds.
    backlog = [
        Case(number=40, chamber="EK", asked=date(2025, 9, 1), answer_on=date(2025, 10, 20)),
        Case(
            number=41,
            chamber="EK",
            asked=date(2025, 9, 8),
            notices=[Notice(date(2025, 10, 1), date(2025, 11, 1))],
            answer_on=date(2025, 11, 14),
        ),
        Case(number=42, chamber="EK", asked=date(2025, 10, 6)),  # never answered: overdue now
        Case(
            number=43,
            chamber="EK",
            asked=date(2025, 12, 1),
            notices=[Notice(date(2025, 12, 20), date(2026, 1, 30))],  # postponed into this year
        ),
    ]
    for case in backlog:
        case.arrives_on = START
    return cases + backlog


# --- the oracle ------------------------------------------------------------------------------------


def expected_alerts(cases: list[Case]) -> Counter:
    """(day, case, alert, days left for a due-soon alert) for every alert the rules call for."""
    thresholds = sorted(set(settings.GRIFFIE_ALERT_DAYS_BEFORE), reverse=True)
    windows = list(pairwise([*thresholds, -1]))
    reminder_days = settings.GRIFFIE_OVERDUE_REMINDER_DAYS
    open_states = {DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON, DeadlineStatus.POSTPONED}
    alerts: Counter = Counter()
    for case in cases:
        previous: rules.DeadlineState | None = None
        alerted: int | None = None
        overdue_since: date | None = None
        replies = [(notice.on, AlertKind.POSTPONEMENT) for notice in case.notices]
        if case.answer_on:
            replies.append((case.answer_on, AlertKind.ANSWER))
        for offset in range(DAYS):
            day = START + timedelta(days=offset)
            state = case.state(day)
            if state is None:
                continue
            for happened_on, alert in replies:
                if max(happened_on, case.known_on()) == day and rules.is_news(
                    happened_on, now=day, news_days=settings.GRIFFIE_NEWS_DAYS
                ):
                    alerts[(day, case.number, alert, None)] += 1
            if previous is None or state.due_date != previous.due_date:
                alerted = None
            if state.status == DeadlineStatus.OVERDUE:
                if previous is None or previous.status != DeadlineStatus.OVERDUE:
                    alerts[(day, case.number, AlertKind.OVERDUE, None)] += 1
                    overdue_since = day
                elif (day - overdue_since).days % reminder_days == 0:
                    alerts[(day, case.number, AlertKind.REMINDER, None)] += 1
            if state.status in open_states and state.due_date is not None:
                days_left = (state.due_date - day).days
                for days, smaller in windows:
                    if smaller < days_left <= days and (alerted is None or alerted > days):
                        alerts[(day, case.number, AlertKind.DUE_SOON, days_left)] += 1
                        alerted = days
            previous = state
    return alerts


# --- the year --------------------------------------------------------------------------------------


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=rules.AMSTERDAM)


def import_document(text: str, name: str, day: date) -> None:
    source, _ = imports.store_upload(uploaded_file=File(io.BytesIO(text.encode()), name=name))
    summary = imports.import_source(source_id=source.pk, now=at(day, 9))
    assert summary.status == ImportStatus.IMPORTED, (name, summary.error)


def correct_promise(case: Case, clerk, day: date) -> None:
    """What a clerk does on the review page: change the notice's promised date and save."""
    notice = Letter.objects.get(kind=LetterKind.POSTPONEMENT, cites_reference=str(190000 + case.number))
    prefix = f"l{notice.pk}"
    initial = LetterForm(instance=notice, prefix=prefix).initial
    data = {
        f"{prefix}-{name}": [party.pk for party in value] if name == "parties" else value
        for name, value in initial.items()
        if value is not None
    }
    data[f"{prefix}-promised_date"] = case.correction[1].isoformat()
    data[f"{prefix}-in_reply_to"] = notice.in_reply_to_id
    form = LetterForm(data, instance=notice, prefix=prefix)
    assert form.is_valid(), form.errors
    assert correct_letter(form=form, user=clerk, now=at(day, 12)) == {"promised_date"}


def case_of(letter: Letter, by_asked: dict[tuple[str, date], Case]) -> Case:
    return by_asked[(letter.chamber, letter.date)]


def test_a_simulated_year_sends_every_alert_the_rules_call_for_exactly_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cases = make_cases()
    by_asked = {(case.chamber, case.asked): case for case in cases}
    assert len(by_asked) == len(cases), "each case is asked on its own day"
    arrivals: dict[date, list[tuple[str, str]]] = {}
    for case in cases:
        for number, (day, text) in enumerate(documents(case)):
            arrivals.setdefault(day, []).append((text, f"case-{case.number}-{number}.txt"))
    corrections = {case.correction[0]: case for case in cases if case.correction}
    clerk = get_user_model().objects.create_user("griffier", "griffier@example.org", "pw")
    Subscription.objects.create(user=clerk, scope=SubscriptionScope.ALL)

    sent: Counter = Counter()
    mails = 0
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        for text, name in arrivals.get(day, []):
            import_document(text, name, day)
        if day in corrections:
            correct_promise(corrections[day], clerk, day)
        refresh_deadlines(now=at(day, 18))
        plan_deliveries(now=at(day, 18))
        send_pending(now=at(day, 18))
        for delivery in Delivery.objects.filter(created_at=at(day, 18)).prefetch_related(
            "events__deadline__letter"
        ):
            for event in delivery.events.all():
                case = case_of(event.deadline.letter, by_asked)
                detail = event.days if event.alert == AlertKind.DUE_SOON else None
                sent[(day, case.number, event.alert, detail)] += 1
        mails += len(mail.outbox)
        mail.outbox.clear()

    expected = expected_alerts(cases)
    assert sent - expected == Counter(), "alerts for states that never held, or sent twice"
    assert expected - sent == Counter(), "alerts the rules call for that were not sent"
    assert mails == Delivery.objects.count()  # one digest a day at most, each sent once
    kinds = Counter(alert for _day, _case, alert, _detail in expected.elements())
    # The year exercises every alert, and the backlog's old events stayed quiet.
    assert set(kinds) == {
        AlertKind.DUE_SOON,
        AlertKind.OVERDUE,
        AlertKind.REMINDER,
        AlertKind.POSTPONEMENT,
        AlertKind.ANSWER,
    }
    backlog_news = [key for key in sent if key[0] == START and key[1] >= 40]
    assert sorted(alert for _day, _case, alert, _detail in backlog_news) == [AlertKind.OVERDUE]
