import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from core.context_processors import load_permissions
from dossiers.roles import CLERK, STAFFER
from dossiers.tests.factories import make_user


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [CLERK, STAFFER])
def test_one_query_fills_the_same_caches_as_model_backend(role, django_assert_num_queries):
    user = make_user("someone", role)
    user.user_permissions.add(Permission.objects.get(codename="delete_letter"))
    expected, backend = fresh(user), ModelBackend()
    expected_user, expected_group = (
        backend.get_user_permissions(expected),
        backend.get_group_permissions(expected),
    )
    loaded = fresh(user)
    with django_assert_num_queries(1):
        load_permissions(loaded)
        assert loaded.has_perm("letters.delete_letter")
        assert loaded.has_perm("letters.add_sourcedocument") == (role == CLERK)
    assert loaded._user_perm_cache == expected_user == {"letters.delete_letter"}
    assert loaded._group_perm_cache == expected_group
    assert loaded.get_all_permissions() == expected.get_all_permissions()


@pytest.mark.django_db
def test_inactive_and_superusers_are_left_to_django(django_assert_num_queries):
    user = make_user("gone", CLERK)
    user.is_active = False
    with django_assert_num_queries(0):
        load_permissions(user)
        assert not user.has_perm("letters.add_sourcedocument")
    boss = User.objects.create_superuser("boss", password="x")
    with django_assert_num_queries(0):
        load_permissions(boss)
        assert boss.has_perm("letters.add_sourcedocument")


@pytest.mark.django_db
def test_the_intake_link_follows_the_permission(clerk_client, staffer_client):
    intake = reverse("intake:upload")
    assert f'href="{intake}"' in clerk_client.get(reverse("letters:list")).content.decode()
    assert f'href="{intake}"' not in staffer_client.get(reverse("letters:list")).content.decode()


@pytest.mark.django_db
def test_the_menu_reads_permissions_once_per_session_and_views_still_check(clerk, clerk_client, monkeypatch):
    from core import context_processors

    intake = reverse("intake:upload")
    assert f'href="{intake}"' in clerk_client.get(reverse("letters:list")).content.decode()
    response = clerk_client.get(reverse("letters:list"))
    assert f'href="{intake}"' in response.content.decode()
    assert context_processors.SESSION_KEY in clerk_client.session
    # The permission is taken away: the view refuses at once, the menu follows after the interval.
    clerk.groups.clear()
    assert clerk_client.get(intake).status_code == 403
    now = context_processors.time.time()
    monkeypatch.setattr(
        context_processors.time, "time", lambda: now + context_processors.TEMPLATE_PERMS_SECONDS + 1
    )
    assert f'href="{intake}"' not in clerk_client.get(reverse("letters:list")).content.decode()


@pytest.mark.django_db
def test_a_warm_page_makes_no_permission_query(clerk_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk_client.get(reverse("letters:list"))
    with CaptureQueriesContext(connection) as queries:
        clerk_client.get(reverse("letters:list"))
    assert not [query for query in queries.captured_queries if "auth_permission" in query["sql"]]
