"""The statistics page in a real browser: its charts are drawn (under the Content-Security-Policy,
in the page's language) and each has its table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deadlines.services import settle_deadlines
from dossiers.choices import Chamber
from dossiers.models import Committee, Minister
from dossiers.roles import STAFFER
from dossiers.tests.factories import PASSWORD, make_user
from letters.choices import LetterKind
from letters.models import Letter
from questions.models import Answer, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Run in the page: for each chart, its dataset's name and how many of its pixels were painted.
CHARTS_DRAWN = """
() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(canvas => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
  const chart = Chart.getChart(canvas);
  return {id: canvas.dataset.chart, label: chart ? chart.data.datasets[0].label : null, painted: painted};
})
"""


def make_year_of_letters() -> None:
    """A year of question letters over three committees and five ministers: some answered on
    time, some late (by up to ten weeks), some postponed, some partly answered, some still open."""
    today = timezone.localdate()
    committees = [
        Committee.objects.create(name=name, short_name=short, chamber=chamber)
        for name, short, chamber in (
            ("vaste commissie voor Binnenlandse Zaken", "BiZa", Chamber.EK),
            ("vaste commissie voor Justitie en Veiligheid", "J&V", Chamber.EK),
            ("vaste commissie voor Financiën", "Fin", Chamber.TK),
        )
    ]
    ministers = [
        Minister.objects.create(portfolio=f"minister van {name}")
        for name in (
            "Binnenlandse Zaken",
            "Justitie en Veiligheid",
            "Financiën",
            "Asiel en Migratie",
            "Defensie",
        )
    ]
    letters, replies = [], []
    for n in range(90):
        asked = today - timedelta(days=365 - 4 * n)
        letter = Letter.objects.create(
            kind=LetterKind.QUESTIONS,
            date=asked,
            term_days=28,
            chamber=committees[n % 3].chamber,
            committee=committees[n % 3],
            minister=ministers[n % 5],
            subject=f"Vragen {n}",
        )
        questions = Question.objects.bulk_create(
            Question(letter=letter, order=q, label=str(q), text=f"Vraag {q}?") for q in (1, 2)
        )
        letters.append(letter)
        if n % 7 == 3:
            replies.append(
                Letter.objects.create(
                    kind=LetterKind.POSTPONEMENT,
                    date=asked + timedelta(days=25),
                    promised_date=asked + timedelta(days=50),
                    in_reply_to=letter,
                    chamber=letter.chamber,
                )
            )
        # Ministers 0 and 2 answer mostly on time, the others later, more so as n grows.
        took = 14 + (n * 37) % (30 if n % 5 in (0, 2) else 90)
        if asked + timedelta(days=took) < today and n % 11 != 5:
            reply = Letter.objects.create(
                kind=LetterKind.ANSWER, date=asked + timedelta(days=took), in_reply_to=letter
            )
            answer = Answer.objects.create(letter=reply, order=1, text="Antwoord.")
            answer.covers.set(questions[: 1 if n % 13 == 0 else 2])
            replies.append(reply)
    settle_deadlines(questions=letters, replies=replies, now=timezone.now())


def test_charts_are_drawn_in_dutch_beside_their_tables(page, live_server, artifacts):
    make_year_of_letters()
    make_user("medewerker", STAFFER)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/login/?next=/deadlines/statistics/")
    page.fill("#id_username", "medewerker")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/deadlines/statistics/")
    page.wait_for_function(
        "typeof Chart !== 'undefined' && document.querySelectorAll('canvas[data-chart]')"
        ".length === 3 && Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => Chart.getChart(c))"
    )

    assert page.locator("h1").inner_text() == "Cijfers"
    charts = page.evaluate(CHARTS_DRAWN)
    assert [chart["id"] for chart in charts] == ["chart-month", "chart-late", "chart-minister"]
    assert [chart["label"] for chart in charts] == [
        "Op tijd beantwoord (%)",
        "Brieven",
        "Op tijd beantwoord (%)",
    ]
    assert all(chart["painted"] > 1000 for chart in charts), charts
    for table in ("month", "late", "minister", "committee", "chamber"):
        assert page.locator(f"#table-{table}").count() == 1
    assert page.locator("#table-minister tbody tr").count() == 5
    assert page.locator("#table-committee tbody tr").count() == 3
    page.screenshot(path=str(artifacts / "statistics.png"), full_page=True)

    # A filter is in the address: the narrowed page can be bookmarked, its downloads narrowed too.
    page.select_option("#id_chamber", "TK")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/deadlines/statistics/?*chamber=TK*")
    assert page.locator("#table-committee tbody tr").count() == 1
    assert "chamber=TK" in page.locator("a[href*='table=committee']").get_attribute("href")
    assert blocked == []
