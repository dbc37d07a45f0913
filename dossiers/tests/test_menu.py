"""The menu and buttons follow the user's permissions, read once per request through has_perm."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@pytest.mark.django_db
def test_the_intake_link_follows_the_permission(clerk_client, staffer_client):
    intake = reverse("intake:upload")
    assert f'href="{intake}"' in clerk_client.get(reverse("letters:list")).content.decode()
    assert f'href="{intake}"' not in staffer_client.get(reverse("letters:list")).content.decode()


@pytest.mark.django_db
def test_a_permission_taken_away_leaves_the_menu_at_once(clerk, clerk_client):
    intake = reverse("intake:upload")
    assert f'href="{intake}"' in clerk_client.get(reverse("letters:list")).content.decode()
    clerk.groups.clear()
    assert clerk_client.get(intake).status_code == 403
    assert f'href="{intake}"' not in clerk_client.get(reverse("letters:list")).content.decode()


@pytest.mark.django_db
def test_permissions_are_read_once_per_request(clerk_client):
    # The letter list asks twice: the menu's intake link and the "enter a letter" button.
    with CaptureQueriesContext(connection) as queries:
        html = clerk_client.get(reverse("letters:list")).content.decode()
    assert reverse("intake:create") in html
    # ModelBackend reads the user's own and their groups' permissions, once each.
    assert len([query for query in queries.captured_queries if "auth_permission" in query["sql"]]) == 2
