"""The production topology holds against slow clients: deploy/nginx.conf in front of gunicorn.

A gunicorn sync worker serves one connection from its first byte to its last, so as many clients
as there are workers, each trickling a request, stop the site. nginx reads every request whole
before passing it on. These tests run the real gunicorn and the real nginx with the project's own
configuration file (its upstream and ports pointed at this machine).
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKERS = 3  # WEB_CONCURRENCY, as docker-compose.yml runs gunicorn

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (CI installs Debian's nginx)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        assert process.poll() is None, f"the server on {port} stopped: {process.stdout.read()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@contextmanager
def serving(command: list[str], port: int, **popen: Any) -> Iterator[int]:
    """`command` running until the test ends, once it listens on `port`."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)
    try:
        wait_until_listening(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    # The production settings file; only the address is this machine's.
    command = [
        *(sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"),
        *("--bind", f"127.0.0.1:{port}", "config.wsgi:application"),
    ]
    with serving(command, port, cwd=REPO, env=env):
        yield port


@pytest.fixture
def nginx(tmp_path: Path, gunicorn: int) -> Iterator[int]:
    port = free_port()
    site = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for compose_value, local_value in (
        ("server web:8000;", f"server 127.0.0.1:{gunicorn};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"),
        ("root /srv;", f"root {tmp_path};"),
    ):
        assert compose_value in site, f"deploy/nginx.conf no longer says {compose_value!r}"
        site = site.replace(compose_value, local_value)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    # What the nginx image's own nginx.conf provides around the site, with every path in tmp_path.
    (tmp_path / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
""",
        encoding="utf-8",
    )
    nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
    with serving([nginx_binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], port):
        yield port


def trickling_clients(port: int, count: int) -> list[socket.socket]:
    """`count` connections that have sent half a request and then say nothing more."""
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /login/ HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow")
        clients.append(client)
    time.sleep(1)  # let each reach a worker (or nginx) and be read as far as it goes
    return clients


def login_page_status(port: int, *, timeout: float) -> int | None:
    """The status of a normal request for the login page, or None when none came in time."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/login/", headers={"Host": "localhost"})
        return connection.getresponse().status
    except TimeoutError:
        return None
    finally:
        connection.close()


def test_slow_clients_stop_gunicorn_alone(gunicorn):
    # Why the proxy is there: without it the same clients leave no worker for anyone else.
    assert login_page_status(gunicorn, timeout=10) == 200
    clients = trickling_clients(gunicorn, WORKERS)
    try:
        assert login_page_status(gunicorn, timeout=3) is None
    finally:
        for client in clients:
            client.close()


def test_slow_clients_do_not_stop_the_site_behind_nginx(nginx):
    assert login_page_status(nginx, timeout=10) == 200
    clients = trickling_clients(nginx, WORKERS * 10)
    try:
        assert login_page_status(nginx, timeout=3) == 200
    finally:
        for client in clients:
            client.close()
