"""The serverless web tier: zappa_settings.json, the Lambda package, tasks and the error hook."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from deploy import build_lambda, zappa_hooks
from tests.deploy import tasks_example
from tests.deploy.production import production_env
from tests.deploy.template import properties

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = re.compile(r"SECRET|PASSWORD|TOKEN|DATABASE_URL|KEY", re.IGNORECASE)


def _stages() -> dict:
    return json.loads((ROOT / "zappa_settings.json").read_text())


def _stage(name: str) -> dict:
    """Return a stage with `extends` applied, as Zappa reads it."""
    stages = _stages()
    stage = dict(stages[name])
    parent = stage.pop("extends", None)
    return {**_stage(parent), **stage} if parent else stage


# --- zappa_settings.json ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_every_stage_runs_the_django_app_on_the_same_python_as_everything_else(name):
    stage = _stage(name)
    assert stage["django_settings"] == "photosite.settings"
    assert stage["runtime"] == properties("TriggerFunction")["Runtime"] == "python3.11"
    assert stage["environment_variables"]["DJANGO_DEBUG"] == "false"


def test_prod_stays_warm_and_reports_exceptions_through_the_project_hook():
    stage = _stage("prod")
    assert stage["keep_warm"] is True
    module, _, function = stage["exception_handler"].rpartition(".")
    assert module == "deploy.zappa_hooks"
    assert callable(getattr(zappa_hooks, function))


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_zappa_never_shows_tracebacks_or_logs_whole_events(name):
    # Zappa's own debug (on by default) puts the traceback into the 500 body and logs every
    # event, Authorization headers and cookies included.
    assert _stage(name)["debug"] is False


def test_no_secret_is_baked_into_the_package():
    # environment_variables end up in the zip's zappa_settings.py; secrets come from
    # remote_env (a private S3 object) or the function's configuration instead.
    for name in _stages():
        stage = _stage(name)
        assert not [key for key in stage["environment_variables"] if SECRET_NAMES.search(key)]
        assert stage["remote_env"].startswith("s3://")


def test_custom_domain_uses_an_edge_endpoint_with_a_us_east_1_certificate():
    stage = _stage("prod")
    assert stage["domain"]
    # An edge-optimised API is served by CloudFront, which takes certificates from us-east-1.
    assert stage["certificate_arn"].startswith("arn:aws:acm:us-east-1:")
    # Zappa takes the client address from X-Forwarded-For as CloudFront writes it (the
    # second-to-last hop); behind a regional endpoint that hop could be forged.
    assert stage["endpoint_configuration"] == ["EDGE"]
    assert stage["environment_variables"]["PHOTOSITE_TRUSTED_PROXY_COUNT"] == "0"


def test_prod_traces_and_keeps_failed_tasks_in_the_stacks_queue():
    stage = _stage("prod")
    assert stage["xray_tracing"] is True
    queue = properties("AsyncDeadLetterQueue")["QueueName"]["Fn::Sub"]
    assert stage["dead_letter_config"]["TargetArn"].endswith(":" + _stack_name(queue, "prod"))


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_stage_runs_as_the_stacks_web_role_under_the_name_the_role_allows(name):
    stage = _stage(name)
    assert stage["manage_roles"] is False
    assert stage["role_name"] == _stack_name(properties("WebRole")["RoleName"]["Fn::Sub"], name)
    # Zappa names the function <project_name>-<stage>; the role may invoke exactly that one
    # (asynchronous tasks).
    statements = properties("WebRole")["Policies"][0]["PolicyDocument"]["Statement"]
    (invoke,) = [s for s in statements if s["Sid"] == "AsyncTasks"]
    assert invoke["Resource"]["Fn::Sub"].endswith(":function:${AppName}-${Stage}")
    assert f"{stage['project_name']}-{name}" == _stack_name("${AppName}-${Stage}", name)


def _stack_name(pattern: str, stage: str) -> str:
    """Resolve a template name pattern for the stack of that stage (AppName photosite)."""
    return pattern.replace("${AppName}", "photosite").replace("${Stage}", stage)


# --- The package ---------------------------------------------------------------------------------


def test_runtime_closure_leaves_out_the_developer_tools():
    names = set(build_lambda.closure(build_lambda.runtime_requirements()))
    assert {"django", "pillow", "pynamodb", "boto3", "whitenoise", "django-storages"} <= names
    assert not names & {"moto", "flask", "pytest", "ruff", "cfn-lint", "sympy", "playwright"}


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """Build the prod Lambda package once for this module."""
    if not build_lambda.zappa_command().exists():
        pytest.skip("zappa is not installed")
    return build_lambda.build("prod", tmp_path_factory.mktemp("lambda") / "photosite.zip")


def test_zappa_package_fits_lambdas_limits(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
        settings_module = archive.read("zappa_settings.py").decode()
    zipped = package.stat().st_size
    # The limit that binds: Zappa and CloudFormation both hand Lambda the zip through S3, where
    # only the unzipped size counts. Under it, slim_handler (an S3 download on every cold
    # start) stays unnecessary.
    assert unzipped < build_lambda.UNZIPPED_LIMIT_BYTES
    assert _stage("prod")["slim_handler"] is False
    # Zipped it is over the 50 MiB direct-upload limit (botocore's service models alone are
    # 15 MiB compressed), which does not bind when the zip goes through S3. Bounded anyway, so
    # a stray dependency shows up here.
    assert zipped < 2 * build_lambda.ZIPPED_LIMIT_BYTES
    # The project, its collected static files and its runtime dependencies, at the root where
    # Lambda imports them from.
    assert {
        "handler.py",
        "photosite/settings.py",
        "accounts/records.py",
        "deploy/zappa_hooks.py",
        "deploy/edge_handler.py",
        "gallery/images.py",
        "accounts/triggers.py",
        "var/staticfiles/staticfiles.json",
        "PIL/Image.py",
        "django/__init__.py",
        "botocore/docs/__init__.py",
        "botocore/data/s3/2006-03-01/service-2.json.gz",
        "botocore/data/dynamodb/2012-08-10/service-2.json.gz",
    } <= names
    tops = {name.split("/")[0] for name in names}
    assert not tops & {
        "tests",
        "bench",
        "docs",
        "moto",
        "pytest",
        "_pytest",
        "ruff",
        "cfnlint",
        "sympy",
        ".venv",
    }
    assert "photosite.settings" in settings_module
    assert "deploy.zappa_hooks.exception_handler" in settings_module
    assert "DEBUG=False" in settings_module


def test_package_serves_pages_through_zappas_handler_with_nothing_but_itself(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path / "task")
    # What remote_env would bring; the S3 object itself is not reachable from here.
    settings_file = tmp_path / "task" / "zappa_settings.py"
    settings_file.write_text(
        "\n".join(
            line
            for line in settings_file.read_text().splitlines()
            if not line.startswith("REMOTE_ENV=")
        )
    )
    env = {k: v for k, v in production_env().items() if not k.startswith(("PYTHON", "VIRTUAL"))}
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            str(ROOT / "tests" / "deploy" / "lambda_smoke.py"),
            str(tmp_path / "task"),
            env["DJANGO_ALLOWED_HOSTS"],
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["healthz"]["status"] == 200, answers["healthz"]
    login = answers["login"]
    assert login["status"] == 200, login["body"][:2000]
    # Templates rendered with whitenoise's hashed static names, from the collected manifest.
    assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css", login["body"])
    # botocore's service models ship gzipped: a package without them imports fine and fails
    # at the first AWS call.
    # The Cognito triggers run from the same zip (TriggerFunction, accounts.triggers.handler).
    assert answers["trigger"] == "PreSignUp_SignUp"
    assert answers["clients"] == [
        "S3",
        "DynamoDB",
        "CognitoIdentityProvider",
        "CognitoIdentity",
        "Lambda",
        "SQS",
    ]


# --- Tasks: asynchronous on Lambda, synchronous here ----------------------------------------


def test_task_runs_inline_outside_lambda(monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    tasks_example.DONE.clear()
    assert tasks_example.thumbnail_make(photo_id="p1") == "made p1"
    assert tasks_example.DONE == ["p1"]


def test_task_on_lambda_is_sent_to_the_function_and_routed_back_to_the_work(monkeypatch):
    import zappa.asynchronous

    sent = []

    class FakeLambda:
        def invoke(self, **kwargs):
            sent.append(kwargs)
            return {"StatusCode": 202}

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "photosite-prod")
    # Zappa builds this client on import when a region is configured (always, on Lambda).
    monkeypatch.setattr(zappa.asynchronous, "LAMBDA_CLIENT", FakeLambda(), raising=False)
    tasks_example.DONE.clear()

    dispatched = tasks_example.thumbnail_make(photo_id="p2")

    assert tasks_example.DONE == []  # nothing ran in the request
    assert dispatched.sent is True
    (call,) = sent
    assert call["FunctionName"] == "photosite-prod"
    assert call["InvocationType"] == "Event"
    # The receiving invocation: Zappa's handler routes the payload to the task.
    assert zappa.asynchronous.route_lambda_task(json.loads(call["Payload"]), None) == "made p2"
    assert tasks_example.DONE == ["p2"]


def test_task_refuses_arguments_that_cannot_travel(monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    with pytest.raises(TypeError):
        tasks_example.thumbnail_make(photo_id=object())


# --- Exception hook ----------------------------------------------------------------------------


def test_exception_handler_logs_one_json_line_without_secrets(caplog):
    event = {
        "httpMethod": "POST",
        "path": "/accounts/login/",
        "headers": {"Authorization": "Bearer eyJsecret", "Cookie": "sessionid=abc"},
        "body": "email=a%40b.c&password=hunter2-pass",
        "requestContext": {"identity": {"sourceIp": "198.51.100.23"}},
    }
    try:
        raise ValueError("bad password hunter2-pass for a@b.c")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="photosite.lambda"):
            handled = zappa_hooks.exception_handler(
                exc, event, SimpleNamespace(aws_request_id="req-123")
            )
    assert handled is False  # Zappa still answers 500 / re-raises for retries
    (record,) = caplog.records
    logged = json.loads(record.getMessage())
    assert logged["request_id"] == "req-123"
    assert logged["exception"] == "ValueError"
    assert logged["path"] == "/accounts/login/"
    for secret in ("hunter2", "eyJsecret", "sessionid", "a@b.c", "198.51.100.23"):
        assert secret not in record.getMessage()
