"""The OpenAPI schema is generated, valid (as CI checks it: this test), and browsable under the CSP."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from api.serializers import CORRECTED_FIELDS, LetterCorrectionSerializer

pytestmark = pytest.mark.django_db


def test_the_generated_schema_is_valid_openapi(staffer_client):
    response = staffer_client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert {"/api/v1/letters/", "/api/v1/imports/{id}/letters/", "/api/v1/questions/{id}/thread/"} <= set(
        schema["paths"]
    )
    parameters = {p["name"] for p in schema["paths"]["/api/v1/letters/"]["get"]["parameters"]}
    assert {"committee", "kind", "answered", "date_after", "cursor"} <= parameters
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_correction_schema_describes_every_field_of_the_correction_form():
    assert set(CORRECTED_FIELDS) <= set(LetterCorrectionSerializer().fields)


def test_the_schema_needs_a_login(db):
    assert Client().get("/api/v1/schema/").status_code == 401


def test_the_docs_page_loads_only_our_own_files_without_inline_script(staffer_client):
    response = staffer_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<style" not in html and not re.search(r"<script>", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)  # nothing from a CDN
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
        else:
            assert staffer_client.get(source).status_code == 200, source
