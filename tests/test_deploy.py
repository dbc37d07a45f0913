"""Production settings pass Django's deployment checklist (`manage.py check --deploy`)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env: str) -> subprocess.CompletedProcess:
    # The browser tests allow sync database calls under Playwright's event loop for this process;
    # a deployment would not, and the checks say so.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "griffie.example.org",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = run_check(SECURE="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_would_notice_plain_http():
    result = run_check(SECURE="false")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_static_files_collect_as_production_serves_them(tmp_path):
    # The Dockerfile and bench/load_bench.py run collectstatic with hashed, compressed names: a
    # file referring to one that is not there (a vendored script's source map) fails the build.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**inherited, "DEBUG": "false", "STATIC_ROOT": str(tmp_path / "static")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert list((tmp_path / "static" / "vendor" / "chartjs").glob("chart.umd.*.js"))
