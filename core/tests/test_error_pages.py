"""Error pages are styled, translated and keep the menu."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import path

from config import urls
from dossiers.roles import STAFFER

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# The site's URLs and error handler, plus one page with a bug.
urlpatterns = [path("boom/", boom), *urls.urlpatterns]
handler500 = urls.handler500


@pytest.fixture
def staffer_client(client):
    user = get_user_model().objects.create_user("medewerker", "m@example.org", "pw")
    user.groups.add(Group.objects.get_or_create(name=STAFFER)[0])
    client.force_login(user)
    return client


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.LANGUAGE_CODE = "nl"


def test_a_missing_page_answers_404_in_dutch_with_the_menu(staffer_client, production):
    response = staffer_client.get("/letters/999999/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert 'class="site-header"' in page and "/dossiers/" in page


def test_a_page_the_role_may_not_use_answers_403_in_dutch_with_the_menu(staffer_client, production):
    response = staffer_client.get("/letters/intake/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page
    assert 'class="site-header"' in page


def test_a_server_error_answers_500_in_dutch_with_the_menu(staffer_client, production, settings):
    settings.ROOT_URLCONF = "core.tests.test_error_pages"
    staffer_client.raise_request_exception = False

    response = staffer_client.get("/boom/")

    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
