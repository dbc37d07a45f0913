"""Personal API tokens: made, named and revoked by their user on a settings page, kept as a hash."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db

LETTERS = "/api/v1/letters/"


def make_token(client: Client, name: str = "Rapportage") -> str:
    response = client.post(reverse("api:tokens"), {"action": "create", "name": name})
    assert response.status_code == 201
    return response.context["secret"]


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(staffer_client):
    secret = make_token(staffer_client)
    token = ApiToken.objects.get()
    assert token.name == "Rapportage"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix}
    page = staffer_client.get(reverse("api:tokens")).content.decode()
    assert "Rapportage" in page and secret not in page


def test_a_token_authenticates_without_a_session(staffer_client):
    secret = make_token(staffer_client)
    response = Client().get(LETTERS, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused_with_a_json_message(staffer_client):
    secret = make_token(staffer_client)
    token = ApiToken.objects.get()
    staffer_client.post(reverse("api:tokens"), {"action": "revoke", "token": token.pk})
    response = Client().get(LETTERS, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert "revoked" in response.json()["detail"]


def test_a_user_cannot_revoke_someone_elses_token(staffer_client, clerk_client):
    make_token(clerk_client)
    token = ApiToken.objects.get()
    staffer_client.post(reverse("api:tokens"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.is_active


def test_a_deactivated_users_token_stops_working(staffer, staffer_client):
    secret = make_token(staffer_client)
    staffer.is_active = False
    staffer.save()
    assert Client().get(LETTERS, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_a_request_without_credentials_is_401_json_not_a_login_redirect(db):
    response = Client().get(LETTERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_each_token_has_its_own_request_budget(staffer_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "2/minute"}}
    first, second = make_token(staffer_client, "een"), make_token(staffer_client, "twee")
    client = Client()
    for _ in range(2):
        assert client.get(LETTERS, HTTP_AUTHORIZATION=f"Token {first}").status_code == 200
    throttled = client.get(LETTERS, HTTP_AUTHORIZATION=f"Token {first}")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert "Retry-After" in throttled
    assert client.get(LETTERS, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
