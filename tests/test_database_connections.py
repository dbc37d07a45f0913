"""How web and Celery workers use their database connections (README "Production topology")."""

import psycopg
import pytest
from django.db import close_old_connections, connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_database_dropped_is_replaced_at_the_next_request():
    # Connections are kept between requests; a database restart or an idle timeout ends them on the
    # server's side, and the first request after must not fail on the dead connection.
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "autocommit": True}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    close_old_connections()  # what every request starts with
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.postgres
@pytest.mark.django_db
def test_statements_are_not_compiled_to_machine_code_first():
    # JIT compilation costs a page a quarter of a second whenever the planner's estimate for a
    # limited query over the whole archive is high (the deadline list was).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
