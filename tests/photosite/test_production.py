"""Production mode (DJANGO_DEBUG off) refuses unsafe configurations and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from photosite.production import production_problems

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1" + "z" * 10
GOOD = {"secret_key": STRONG_KEY, "allowed_hosts": ["photos.example.com"], "environ": {}}


def test_a_complete_production_configuration_has_no_problems():
    assert production_problems(**GOOD) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"secret_key": ""}, "DJANGO_SECRET_KEY is not set"),
        ({"secret_key": "short"}, "DJANGO_SECRET_KEY is too weak"),
        ({"secret_key": "django-insecure-" + "a" * 60}, "DJANGO_SECRET_KEY is too weak"),
        ({"allowed_hosts": []}, "DJANGO_ALLOWED_HOSTS is empty"),
        ({"allowed_hosts": ["*"]}, "must not contain '*'"),
        ({"environ": {"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}}, "a local emulator"),
        ({"environ": {"AWS_ENDPOINT_URL": "https://proxy.example.com"}}, "an override"),
        ({"environ": {"AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:8001"}}, "a local emulator"),
        ({"environ": {"COGNITO_JWKS_URL": "http://127.0.0.1:4566/x/jwks.json"}}, "JWKS"),
        ({"environ": {"PHOTOSITE_DEMO_USERS": "true"}}, "demo accounts"),
        ({"environ": {"DATABASE_URL": "postgres://u:p@db.example.com/x"}}, "no SQL database"),
        ({"environ": {"DATABASE_URL": "sqlite:///var/db.sqlite3"}}, "no SQL database"),
    ],
)
def test_each_unsafe_setting_is_named(change, complaint):
    problems = production_problems(**{**GOOD, **change})
    assert len(problems) == 1
    assert complaint in problems[0]


def run_env() -> dict[str, str]:
    """Return a clean production environment: no test settings, no site variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "COGNITO_", "PHOTOSITE_", "DATABASE_URL"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "photosite.settings", "DJANGO_DEBUG": "false"})
    return env


def run_django(args, **env_overrides):
    """Run manage.py in a clean environment (no test settings) and return the result."""
    env = run_env()
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(["check"], DJANGO_ALLOWED_HOSTS="photos.example.com")
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(["check"], DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is empty" in result.stderr


def test_production_refuses_a_local_aws_endpoint():
    result = run_django(
        ["check"],
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="photos.example.com",
        AWS_ENDPOINT_URL="http://127.0.0.1:4566",
    )
    assert result.returncode != 0
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:4566 is a local emulator" in result.stderr


def test_production_refuses_a_database_url():
    result = run_django(
        ["check"],
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="photos.example.com",
        DATABASE_URL="postgres://photosite:secret@db.example.com:5432/photosite",
    )
    assert result.returncode != 0
    assert "DATABASE_URL is set; the site uses no SQL database" in result.stderr


def test_production_settings_without_a_database_pass_check_deploy():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="photos.example.com",
        COGNITO_USER_POOL_ID="us-east-1_Example",
        COGNITO_APP_CLIENT_ID="exampleclientid",
        AWS_REGION="us-east-1",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_no_database_is_configured_in_any_mode():
    # Django's dummy backend: any query raises, so nothing can start depending on SQL.
    program = (
        "import django; django.setup(); from django.db import connection; "
        "print(connection.vendor, connection.settings_dict['ENGINE'])"
    )
    for debug in ("true", "false"):
        result = subprocess.run(
            [sys.executable, "-c", program],
            cwd=ROOT,
            env={
                **run_env(),
                "DJANGO_DEBUG": debug,
                "DJANGO_SECRET_KEY": STRONG_KEY,
                "DJANGO_ALLOWED_HOSTS": "photos.example.com",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["unknown", "django.db.backends.dummy"]
