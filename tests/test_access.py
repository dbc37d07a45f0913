"""What anonymous visitors can reach: the login page (in Dutch), the language switch, token links.

That everything else sends them to the login page is tested in dossiers/tests/test_views.py.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_open_and_dutch_by_default(client, settings):
    from config import settings as project_settings

    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE  # undo the tests' English default
    assert settings.LANGUAGE_CODE == "nl"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_language_can_be_switched_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("login")).headers["Content-Language"] == "nl"


def test_token_links_answer_without_a_session(client):
    unsubscribe = client.get(reverse("deadlines:unsubscribe", args=["not-a-valid-token"]))
    feed = client.get(reverse("deadlines:feed", args=["not-a-valid-token", "letters"]))
    calendar = client.get(reverse("deadlines:calendar", args=["not-a-valid-token"]))
    assert (unsubscribe.status_code, calendar.status_code, feed.status_code) == (400, 404, 404)
