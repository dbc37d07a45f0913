"""The form that adds a subscription: short lists are picked, long ones typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deadlines.choices import SubscriptionScope
from deadlines.models import Subscription
from dossiers.choices import Chamber
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, make_user):
    client.force_login(make_user("clerk", language="en"))
    return client


def test_the_form_lists_no_dossiers_however_many_there_are(clerk_client, dossier):
    Dossier.objects.bulk_create(
        Dossier(number=str(30000 + n), title=f"Dossier {n}", chamber=Chamber.TK) for n in range(300)
    )

    page = clerk_client.get(reverse("deadlines:subscriptions")).content.decode()

    assert "<option" in page  # the scope and committee are still picked
    assert "Dossier 17<" not in page and f'value="{dossier.pk}"' not in page
    assert "Choose…" in page and "---------" not in page


def test_a_dossier_is_followed_by_its_number(clerk_client, dossier):
    response = clerk_client.post(
        reverse("deadlines:subscriptions"), {"scope": "dossier", "dossier": "36521", "alerts": ["overdue"]}
    )

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.scope, subscription.dossier) == (SubscriptionScope.DOSSIER, dossier)


def test_an_unknown_dossier_number_is_refused_with_a_reason(clerk_client, dossier):
    response = clerk_client.post(
        reverse("deadlines:subscriptions"), {"scope": "dossier", "dossier": "99999", "alerts": ["overdue"]}
    )

    assert response.status_code == 200 and "No dossier has this number." in response.content.decode()
    assert not Subscription.objects.exists()
