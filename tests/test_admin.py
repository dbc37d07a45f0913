"""Every model's admin list and search page works, with data in it."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_data(client, settings):
    settings.DEBUG = True  # load_sample_data makes its demo users only in DEBUG
    call_command("load_sample_data")
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_project_model_is_in_the_admin():
    labels = {model._meta.app_label for model in registered_models()}
    assert {"dossiers", "letters", "questions", "deadlines"} <= labels


def test_admin_list_and_search_pages_render(admin_client_with_data):
    # One test over all models: the sample data is loaded once.
    for model in registered_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client_with_data.get(url).status_code == 200, url
        if admin.site._registry[model].search_fields:
            assert admin_client_with_data.get(url, {"q": "asiel"}).status_code == 200, url
