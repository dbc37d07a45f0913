"""The statistics page's figures, checked against an example counted by hand."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines import rules, statistics
from deadlines.choices import DeadlineStatus
from deadlines.models import Deadline
from deadlines.services import settle_deadlines
from dossiers.choices import Chamber
from dossiers.models import Committee, Minister
from dossiers.roles import STAFFER
from dossiers.tests.factories import make_user as make_role_user
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer

from .conftest import at

D = date
TODAY = D(2025, 9, 1)


@pytest.fixture
def other_committee(db) -> Committee:
    return Committee.objects.create(
        name="vaste commissie voor Financiën", short_name="Fin", chamber=Chamber.TK
    )


@pytest.fixture
def other_minister(db) -> Minister:
    return Minister.objects.create(portfolio="minister van Financiën")


@pytest.fixture
def example(make_letter, other_committee, other_minister):
    """Seven question letters (term 28 days) as they stand on 1 September 2025, through the real
    import path (`settle_deadlines`):

    | letter | asked | postponed to (notice) | answered | status | days taken | days late |
    | L1 | 1 Mar |                      | 20 Mar | on time | 19 | |
    | L2 | 1 Mar |                      | 8 Apr  | late    | 38 | 10 (due 29 Mar) |
    | L3 | 10 Mar | 1 May (1 Apr)       | 25 Apr | on time, promise kept | 46 | |
    | L4 | 1 Apr | 15 May (20 Apr)      | 25 May | late, promise broken  | 54 | 10 |
    | L5 | 1 Apr |                      | -      | overdue (due 29 Apr)  | | |
    | L6 | 20 Aug |                     | -      | open (due 17 Sep)     | | |
    | L7 | 1 May, other committee and minister, TK | | 15 Jun, 1 of 3 questions | late | 45 | 17 |
    """
    replies = []

    def asked(day, *, questions=1, answered=None, covered=None, postponed=None, **fields) -> Letter:
        letter = make_letter(day, questions=questions, term_days=28, **fields)
        if postponed:
            notice_on, promised = postponed
            replies.append(
                Letter.objects.create(
                    kind=LetterKind.POSTPONEMENT,
                    date=notice_on,
                    in_reply_to=letter,
                    promised_date=promised,
                    chamber=letter.chamber,
                )
            )
        if answered:
            reply = Letter.objects.create(
                kind=LetterKind.ANSWER, date=answered, in_reply_to=letter, chamber=letter.chamber
            )
            answer = Answer.objects.create(letter=reply, order=1, text="Antwoord.")
            answer.covers.set(list(letter.questions.all())[: covered or questions])
            replies.append(reply)
        return letter

    letters = [
        asked(D(2025, 3, 1), answered=D(2025, 3, 20), subject="L1"),
        asked(D(2025, 3, 1), answered=D(2025, 4, 8), subject="L2"),
        asked(
            D(2025, 3, 10), answered=D(2025, 4, 25), postponed=(D(2025, 4, 1), D(2025, 5, 1)), subject="L3"
        ),
        asked(
            D(2025, 4, 1), answered=D(2025, 5, 25), postponed=(D(2025, 4, 20), D(2025, 5, 15)), subject="L4"
        ),
        asked(D(2025, 4, 1), subject="L5"),
        asked(D(2025, 8, 20), subject="L6"),
        asked(
            D(2025, 5, 1),
            questions=3,
            answered=D(2025, 6, 15),
            covered=1,
            subject="L7",
            chamber=Chamber.TK,
            committee=other_committee,
            minister=other_minister,
        ),
    ]
    settle_deadlines(questions=letters, replies=replies, now=at(TODAY))
    return letters


def test_figures_match_the_example_counted_by_hand(example):
    statuses = dict(Deadline.objects.values_list("letter__subject", "status"))
    assert statuses == {
        "L1": DeadlineStatus.ANSWERED,
        "L2": DeadlineStatus.ANSWERED_LATE,
        "L3": DeadlineStatus.ANSWERED,
        "L4": DeadlineStatus.ANSWERED_LATE,
        "L5": DeadlineStatus.OVERDUE,
        "L6": DeadlineStatus.OPEN,
        "L7": DeadlineStatus.ANSWERED_LATE,
    }
    whole = statistics.total(statistics.tables(Deadline.objects.all())["committee"])
    assert (whole.asked, whole.on_time, whole.late, whole.open, whole.overdue) == (7, 2, 3, 1, 1)
    assert whole.share_on_time == 33.3  # 2 of the 6 decided
    assert whole.reply_median == 45  # 19, 38, 45, 46, 54
    assert whole.reply_p90 == pytest.approx(50.8)  # 46 + 0.6 * (54 - 46)
    assert whole.late_median == 10  # 10, 10, 17
    assert whole.late_p90 == pytest.approx(15.6)  # 10 + 0.8 * (17 - 10)
    assert whole.postponement_rate == 28.6  # L3 and L4 of 7
    assert whole.promise_kept == 50.0  # L3 kept its promised date, L4 did not
    assert (whole.partial, whole.unanswered) == (1, 2)  # L7: 2 of its 3 questions unanswered
    assert whole.late_bins() == [0, 2, 1, 0, 0, 0]  # 10, 10 (8-14 days) and 17 (15-28)


def test_groups_split_the_letters_and_rank_the_worst_first(example, committee):
    tables = statistics.tables(Deadline.objects.all())
    committees = tables["committee"]
    assert [(c.key, c.asked, c.share_on_time) for c in committees] == [
        (example[6].committee_id, 1, 0.0),  # L7 only: late
        (committee.pk, 6, 40.0),  # 2 on time of L1-L5
    ]
    chambers = tables["chamber"]
    assert [(statistics.label("chamber", c), c.asked) for c in chambers] == [
        ("Eerste Kamer", 6),
        ("Tweede Kamer", 1),
    ]
    months = tables["month"]
    assert [(statistics.label("month", m), m.asked, m.share_on_time) for m in months] == [
        ("2025-03", 3, 66.7),
        ("2025-04", 2, 0.0),
        ("2025-05", 1, 0.0),
        ("2025-08", 1, None),  # still within its term
    ]


def test_days_to_answer_in_sql_agree_with_the_rule(example):
    rows = Deadline.objects.filter(answered_on__isnull=False).annotate(
        reply=statistics.reply_days_expression()
    )
    for deadline in rows.select_related("letter"):
        assert deadline.reply.days == rules.reply_days(deadline.letter.date, deadline.answered_on)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ({2: 1, 3: 1, 10: 1, 20: 1}, 0.5, 6.5),
        ({5: 3}, 0.9, 5),
        ({1: 1, 100: 1}, 0.9, 90.1),
        ({}, 0.5, None),
    ],
)
def test_percentile_interpolates_between_the_nearest_values(values, fraction, expected):
    result = statistics.percentile(values, fraction)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.postgres
def test_percentile_is_postgresqls_percentile_cont(db):
    days = [0, 1, 1, 4, 9, 9, 9, 16, 30, 31, 45, 90, 200]
    histogram = {value: days.count(value) for value in days}
    with connection.cursor() as cursor:
        for fraction in (0.1, 0.25, 0.5, 0.75, 0.9):
            cursor.execute(
                "SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY d) FROM unnest(%s::int[]) d",
                [fraction, days],
            )
            assert statistics.percentile(histogram, fraction) == pytest.approx(cursor.fetchone()[0])


@pytest.fixture
def staffer(make_user):
    return make_user("staffer", language="en")


def test_page_shows_the_tables_and_the_charts_numbers_from_one_scan(client, staffer, example):
    client.force_login(staffer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("deadlines:statistics"))
    # Every table from one query over the deadlines, not one per table.
    assert len([q for q in queries if "deadlines_deadline" in q["sql"]]) == 1
    assert response.status_code == 200
    page = response.content.decode()
    for table in ("month", "late", "minister", "committee", "chamber"):
        assert f'id="table-{table}"' in page
        assert f"export=csv&amp;table={table}" in page
    assert 'id="chart-month" type="application/json"' in page
    assert response.context["charts"]["month"]["values"] == [66.7, 0.0, 0.0, None]
    assert response.context["charts"]["late"]["values"] == [0, 2, 1, 0, 0, 0]
    assert response.context["charts"]["minister"]["labels"] == [
        "minister van Financiën",
        "minister van Binnenlandse Zaken en Koninkrijksrelaties",
    ]
    assert "<script>" not in page  # the charts are drawn by static/js/statistics.js


def test_filters_narrow_every_table_and_stay_in_the_links(client, staffer, example, other_committee):
    client.force_login(staffer)
    response = client.get(reverse("deadlines:statistics"), {"committee": other_committee.pk})
    assert response.context["total"].asked == 1
    assert f"committee={other_committee.pk}&amp;export=csv&amp;table=minister" in response.content.decode()
    period = {"asked_after": "2025-03-05", "asked_before": "2025-04-30"}
    response = client.get(reverse("deadlines:statistics"), period)
    assert response.context["total"].asked == 3  # L3, L4, L5


def test_csv_download_has_the_tables_rows_and_its_total(client, staffer, example, other_committee):
    client.force_login(staffer)
    response = client.get(reverse("deadlines:statistics"), {"export": "csv", "table": "committee"})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:3] == ["Committee", "Letters", "Answered on time"]
    assert [row[:4] for row in rows[1:]] == [
        [other_committee.name, "1", "0", "1"],
        ["vaste commissie voor Binnenlandse Zaken", "6", "2", "2"],
        ["Total", "7", "2", "3"],
    ]
    assert rows[-1][6:9] == [
        "33,3",
        "45",
        "50,8",
    ]  # on time (%), median and 90th percentile of days to answer
    narrowed = client.get(
        reverse("deadlines:statistics"), {"export": "csv", "table": "late", "committee": other_committee.pk}
    )
    lines = b"".join(narrowed.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        "Days late;Letters",
        "1–7 days;0",
        "8–14 days;0",
        "15–28 days;1",
        "29–56 days;0",
        "57–91 days;0",
        "92 days or more;0",
    ]


def test_page_needs_a_login_and_is_in_the_menu(client, staffer):
    url = reverse("deadlines:statistics")
    assert client.get(url).status_code == 302
    client.force_login(staffer)
    page = client.get(url).content.decode()
    assert f'<a href="{url}" aria-current="page">Figures</a>' in page


def test_an_empty_selection_shows_no_figures_rather_than_failing(client, staffer, db):
    client.force_login(staffer)
    response = client.get(
        reverse("deadlines:statistics"), {"asked_after": (TODAY + timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 200
    assert response.context["total"].asked == 0
    assert response.context["total"].share_on_time is None


def test_the_api_gives_the_figures_counted_by_hand_and_narrows_by_the_pages_filters(
    client, example, other_committee
):
    client.force_login(make_role_user("api-staffer", STAFFER))
    body = client.get("/api/v1/statistics/").json()
    total = body["total"]
    assert (total["asked"], total["on_time"], total["late"], total["open"], total["overdue"]) == (
        7,
        2,
        3,
        1,
        1,
    )
    assert (total["share_on_time"], total["reply_median"], total["late_p90"]) == (
        33.3,
        45,
        pytest.approx(15.6),
    )
    assert [(row["label"], row["asked"]) for row in body["chamber"]] == [
        ("Eerste Kamer", 6),
        ("Tweede Kamer", 1),
    ]
    assert [row["label"] for row in body["month"]][:2] == ["2025-03", "2025-04"]
    assert [row["letters"] for row in body["days_late"]] == [0, 2, 1, 0, 0, 0]
    narrowed = client.get("/api/v1/statistics/", {"committee": other_committee.pk}).json()
    assert narrowed["total"]["asked"] == 1 and narrowed["committee"][0]["key"] == str(other_committee.pk)
    invalid = client.get("/api/v1/statistics/", {"committee": "999999"})
    assert invalid.status_code == 400 and "committee" in invalid.json()["errors"]


def test_the_api_statistics_need_credentials(client, example):
    assert client.get("/api/v1/statistics/").status_code == 401
