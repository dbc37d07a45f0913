"""Logging in is refused after too many failures, per username and per address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dossiers.roles import CLERK
from dossiers.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ATTACKER = "192.0.2.66"
OFFICE = "198.51.100.7"


@pytest.fixture(autouse=True)
def _limit(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username: str, password: str, address: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, address: str) -> None:
    """Reach the limit: the failure that reaches it is answered with the lockout page already."""
    statuses = [log_in(client, username, "wrong", address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client):
    make_user("griffier", CLERK)
    assert logged_in(log_in(client, "griffier", PASSWORD, ATTACKER))
    client.logout()
    fail(client, "griffier", ATTACKER)
    response = log_in(client, "griffier", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Login locked" in page and "Try again in 30 minutes" in page
    assert 'class="site-header"' in page  # the site's own page, not a bare message


def test_the_lockout_page_speaks_dutch_by_default(client, settings):
    settings.LANGUAGE_CODE = "nl"
    make_user("griffier", CLERK)
    fail(client, "griffier", ATTACKER)
    page = log_in(client, "griffier", PASSWORD, ATTACKER).content.decode()
    assert "Inloggen geblokkeerd" in page


def test_the_account_is_locked_from_every_address(client):
    make_user("griffier", CLERK)
    fail(client, "griffier", ATTACKER)
    assert log_in(client, "griffier", PASSWORD, OFFICE).status_code == 429


def test_an_address_that_guessed_too_often_is_locked_for_every_account(client):
    make_user("griffier", CLERK)
    make_user("medewerker", CLERK)
    fail(client, "griffier", ATTACKER)
    assert log_in(client, "medewerker", PASSWORD, ATTACKER).status_code == 429


def test_another_user_from_another_address_is_not_locked(client):
    make_user("griffier", CLERK)
    make_user("medewerker", CLERK)
    fail(client, "griffier", ATTACKER)
    assert logged_in(log_in(client, "medewerker", PASSWORD, OFFICE))


def test_the_lock_ends_after_the_cool_off(client, settings):
    make_user("griffier", CLERK)
    fail(client, "griffier", ATTACKER)
    assert log_in(client, "griffier", PASSWORD, ATTACKER).status_code == 429
    # The failures happened longer ago than the cool-off: time moves, nothing sleeps.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert logged_in(log_in(client, "griffier", PASSWORD, ATTACKER))


def test_an_admin_unlocks_by_deleting_the_attempts_in_the_admin(client):
    make_user("griffier", CLERK)
    admin = User.objects.create_superuser("beheer", "beheer@example.org", PASSWORD)
    fail(client, "griffier", ATTACKER)
    attempts = AccessAttempt.objects.values_list("pk", flat=True)
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": list(attempts), "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert logged_in(log_in(client, "griffier", PASSWORD, ATTACKER))


def test_axes_reset_unlocks_from_the_command_line(client):
    make_user("griffier", CLERK)
    fail(client, "griffier", ATTACKER)
    call_command("axes_reset_username", "griffier")
    assert logged_in(log_in(client, "griffier", PASSWORD, ATTACKER))
