"""The data the smoke test renders every page with: the quick start's samples, and a generated set."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from deadlines.models import CommitteeCalendar
from dossiers.models import Committee, Dossier
from dossiers.roles import CLERK, STAFFER
from dossiers.tests.factories import PASSWORD, SiteData, make_dataset, make_subscriptions, make_user
from letters.choices import LetterKind
from letters.models import Letter


@pytest.fixture(scope="module", params=["sample", "generated"])
def site_data(request, django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SiteData]:
    """(a) `load_sample_data` or (b) `make_dataset`, with a user per role, for a whole test module.

    Built once per module inside a transaction that is rolled back afterwards: each test's own
    transaction nests in it, so tests see the data and leave it as it was.
    """
    media = tmp_path_factory.mktemp("site-media")  # the sample import stores its files
    quick = override_settings(
        MEDIA_ROOT=media,
        DEBUG=False,
        # The users' passwords are never checked (force_login); a slow hash only slows the setup.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), quick, transaction.atomic():
        users = {
            "staffer": make_user("site-staffer", STAFFER),
            "clerk": make_user("site-clerk", CLERK),
            "admin": User.objects.create_superuser("site-admin", "admin@example.org", PASSWORD),
        }
        if request.param == "sample":
            call_command("load_sample_data", stdout=io.StringIO())
        else:
            make_dataset(user=users["clerk"])
        profile = make_subscriptions(
            users["staffer"],
            committee=Committee.objects.order_by("pk").first(),
            dossier=Dossier.objects.order_by("pk").first(),
            letter=Letter.objects.filter(kind=LetterKind.QUESTIONS).order_by("pk").first(),
        )
        make_subscriptions(
            users["clerk"],
            committee=Committee.objects.order_by("pk").last(),
            dossier=Dossier.objects.order_by("pk").last(),
            letter=Letter.objects.filter(kind=LetterKind.QUESTIONS).order_by("pk").last(),
        )
        yield SiteData(
            name=request.param,
            users=users,
            calendar_token=profile.calendar_token,
            committee_tokens=[
                CommitteeCalendar.objects.create(
                    user=users["staffer"], committee=subscription.committee
                ).token
                for subscription in users["staffer"].subscriptions.filter(committee__isnull=False)
            ],
        )
        transaction.set_rollback(True)
