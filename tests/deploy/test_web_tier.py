"""The load-balanced web tier: Dockerfile, gunicorn settings and production configuration.

No Docker engine runs where these tests run, so the image is never built here: the
Dockerfile is checked statically, and each step it runs (the runtime requirements, collectstatic
with production settings, gunicorn's configuration) is run on its own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import build_lambda
from tests.deploy.dockerfile import Instruction, parse
from tests.deploy.production import production_env
from tests.deploy.template import properties

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DEV_ONLY_PACKAGES = {
    "moto",
    "flask",
    "flask-cors",
    "pytest",
    "pytest-django",
    "ruff",
    "cfn-lint",
    "zappa",
    "playwright",
}


def _instructions(keyword: str) -> list[Instruction]:
    return [i for i in parse(DOCKERFILE) if i.keyword == keyword]


# --- Dockerfile -----------------------------------------------------------------------------------


def test_image_runs_the_python_of_the_lambda_runtime():
    (base,) = _instructions("FROM")
    assert base.arguments == f"python:{build_lambda.LAMBDA_PYTHON}-slim"
    assert properties("TriggerFunction")["Runtime"] == build_lambda.LAMBDA_RUNTIME


def test_container_runs_as_the_unprivileged_user_it_creates():
    instructions = parse(DOCKERFILE)
    users = [i for i in instructions if i.keyword == "USER"]
    assert users, "the image must switch away from root"
    final_user = users[-1].arguments.split(":")[0]
    assert final_user not in {"root", "0"}
    created = " ".join(i.arguments for i in instructions if i.keyword == "RUN")
    assert re.search(rf"useradd\b.*\b{re.escape(final_user)}\b", created)
    cmd_line = _instructions("CMD")[-1].line
    assert users[-1].line < cmd_line
    # Nothing after the switch may need root again.
    assert not [i for i in instructions if i.keyword == "RUN" and i.line > users[-1].line]


def test_healthcheck_probes_healthz_on_the_port_gunicorn_binds():
    (check,) = _instructions("HEALTHCHECK")
    assert "http://127.0.0.1:8000/healthz" in check.arguments
    assert "0.0.0.0:8000" in (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert _instructions("EXPOSE")[-1].arguments == "8000"


def test_cmd_is_exec_form_gunicorn_with_the_project_config():
    cmd = _instructions("CMD")[-1].exec_form()
    assert cmd is not None, "shell-form CMD would make /bin/sh PID 1 and swallow SIGTERM"
    assert cmd[0] == "gunicorn"
    config = cmd[cmd.index("--config") + 1]
    assert (ROOT / config).is_file()


def test_static_files_are_collected_at_build_time_with_production_settings():
    steps = " ".join(i.arguments for i in _instructions("RUN"))
    assert "collectstatic --noinput" in steps
    assert "DJANGO_DEBUG=false" in steps


def test_image_installs_only_what_production_runs():
    (step,) = [i for i in _instructions("RUN") if "requirements.txt" in i.arguments]
    marker = re.search(r"sed '/\^(.+?)/,\$d'", step.arguments).group(1)
    # The Lambda package is cut at the same line.
    assert marker == build_lambda.LOCAL_STACK_MARKER
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    cut = [n for n, line in enumerate(lines) if line.startswith(marker)]
    assert cut, "the Dockerfile cuts requirements.txt at a line that is not there"
    names = {
        re.split(r"[=\[<> ]", line)[0].lower() for line in lines[: cut[0]] if line[:1].isalpha()
    }
    assert {"django", "gunicorn", "whitenoise", "boto3", "pynamodb"} <= names
    assert not names & DEV_ONLY_PACKAGES
    assert {
        line.split("[")[0].split("=")[0].lower() for line in lines[cut[0] :] if line[:1].isalpha()
    } >= {"moto"}


def test_docker_build_context_leaves_out_secrets_and_local_state():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


# --- The steps the image runs, run here -----------------------------------------------------


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_builds_the_whitenoise_manifest_with_production_settings(tmp_path):
    (tmp_path / "collect_settings.py").write_text(
        f"from photosite.settings import *  # noqa\nSTATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    env = production_env(
        DJANGO_SETTINGS_MODULE="collect_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert list((tmp_path / "static" / "css").glob("site.*.css"))  # hashed names for caching


def test_gunicorn_accepts_its_configuration():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "--check-config"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout


# --- Health checks behind a load balancer ---------------------------------------------------


@pytest.fixture
def behind_alb(settings):
    settings.ALLOWED_HOSTS = ["photos.example.test"]
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 1


def test_healthz_answers_a_load_balancer_probing_by_private_ip(client, behind_alb):
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200


@pytest.mark.aws
def test_readyz_answers_a_load_balancer_probing_by_private_ip(client, behind_alb, aws_stack):
    response = client.get("/readyz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_other_pages_still_refuse_a_host_that_is_not_allowed(client, behind_alb):
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400
