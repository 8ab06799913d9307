"""Serverless web tier: Zappa's settings, the stack's name, secrets, tasks, the error hook."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from deploy import build_lambda, secrets, stack_env, zappa_hooks, zappa_stage
from tests.deploy import tasks_example
from tests.deploy.template import properties, template

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


# --- zappa_settings.json and the stage generated from the stack ---------------------------------

STACK_OUTPUTS = [
    {"OutputKey": "AwsRegion", "OutputValue": "eu-west-1"},
    {"OutputKey": "AwsStorageBucketName", "OutputValue": "photosite-prod-photobucket-1"},
    {"OutputKey": "DynamodbTablePrefix", "OutputValue": "photosite-prod-"},
    {"OutputKey": "CognitoUserPoolId", "OutputValue": "eu-west-1_abc"},
    {"OutputKey": "DjangoAllowedHosts", "OutputValue": "photos.example.com"},
    {
        "OutputKey": "PhotositeSecretsArn",
        "OutputValue": "arn:aws:secretsmanager:eu-west-1:1:secret:x",
    },
    {"OutputKey": "WebRoleArn", "OutputValue": "arn:aws:iam::1:role/photosite-prod-web"},
    {"OutputKey": "AsyncDeadLetterQueueArn", "OutputValue": "arn:aws:sqs:eu-west-1:1:dlq"},
    {"OutputKey": "WebFunctionName", "OutputValue": "photosite-prod"},
    {"OutputKey": "CodeBucketName", "OutputValue": "photosite-artifacts-1"},
]
US_EAST_1_CERTIFICATE = "arn:aws:acm:us-east-1:1:certificate/abc"


def _generated(stage: str = "prod") -> dict:
    return zappa_stage.zappa_stage_settings(
        stage=stage,
        stages=_stages(),
        outputs=STACK_OUTPUTS,
        certificate_arn=US_EAST_1_CERTIFICATE,
    )[stage]


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_every_stage_runs_the_django_app_on_the_runtime_of_the_package(name):
    stage = _stage(name)
    assert stage["django_settings"] == "deploy.lambda_settings"
    assert stage["runtime"] == properties("TriggerFunction")["Runtime"]
    assert stage["runtime"] == build_lambda.LAMBDA_RUNTIME
    assert stage["environment_variables"]["DJANGO_DEBUG"] == "false"


def test_committed_settings_hold_no_account_ids_arns_or_buckets():
    text = (ROOT / "zappa_settings.json").read_text()
    assert not re.search(r"arn:|[0-9]{12}|CHANGE-ME", text)
    for name in _stages():
        assert not {"role_name", "role_arn", "s3_bucket", "remote_env", "certificate_arn"} & set(
            _stage(name)
        )


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_timeout_fits_api_gateways_29_seconds(name):
    assert _stage(name)["timeout_seconds"] <= 29


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


def test_no_secret_is_baked_into_the_package_or_the_functions_configuration():
    # environment_variables end up in the zip's zappa_settings.py; the secret key comes from
    # Secrets Manager (deploy.secrets), only its ARN from the stack.
    generated = _generated()
    for values in (generated["environment_variables"], generated["aws_environment_variables"]):
        assert not [key for key in values if SECRET_NAMES.search(key) and not key.endswith("_ARN")]
    assert generated["aws_environment_variables"]["PHOTOSITE_SECRETS_ARN"].startswith(
        "arn:aws:secretsmanager:"
    )


def test_generated_stage_takes_role_queue_bucket_and_environment_from_the_stack():
    generated = _generated()
    assert generated["role_arn"] == "arn:aws:iam::1:role/photosite-prod-web"
    assert generated["manage_roles"] is False
    # Zappa's key is dead_letter_arn; "dead_letter_config" would be silently ignored.
    assert generated["dead_letter_arn"] == "arn:aws:sqs:eu-west-1:1:dlq"
    assert "dead_letter_config" not in generated
    assert generated["s3_bucket"] == "photosite-artifacts-1"
    assert generated["aws_region"] == "eu-west-1"
    assert generated["aws_environment_variables"]["DYNAMODB_TABLE_PREFIX"] == "photosite-prod-"
    assert "WEB_ROLE_ARN" not in generated["aws_environment_variables"]
    # Reserved by Lambda: a function configuration naming it is refused.
    assert not set(generated["aws_environment_variables"]) & zappa_stage.LAMBDA_RESERVED


def test_generated_stage_is_read_by_zappa_as_the_function_the_role_allows(tmp_path, monkeypatch):
    from zappa.cli import ZappaCLI

    settings_file = tmp_path / "zappa_settings.prod.json"
    settings_file.write_text(json.dumps({"prod": _generated()}))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    cli = ZappaCLI()
    cli.api_stage = "prod"
    cli.load_settings(str(settings_file))
    assert cli.lambda_name == "photosite-prod"
    assert cli.zappa.credentials_arn == "arn:aws:iam::1:role/photosite-prod-web"
    assert cli.dead_letter_config == {"TargetArn": "arn:aws:sqs:eu-west-1:1:dlq"}
    assert cli.aws_environment_variables["AWS_STORAGE_BUCKET_NAME"] == (
        "photosite-prod-photobucket-1"
    )
    assert cli.timeout_seconds <= 29


def test_generator_refuses_a_stage_whose_function_the_role_may_not_run():
    with pytest.raises(zappa_stage.StageMismatch, match="photosite-dev"):
        zappa_stage.zappa_stage_settings(stage="dev", stages=_stages(), outputs=STACK_OUTPUTS)


def test_custom_domain_uses_an_edge_endpoint_with_a_us_east_1_certificate():
    stage = _generated()
    assert stage["domain"] == "photos.example.com"
    # An edge-optimised API is served by CloudFront, which takes certificates from us-east-1.
    assert stage["certificate_arn"].startswith("arn:aws:acm:us-east-1:")
    # Zappa takes the client address from X-Forwarded-For as CloudFront writes it (the
    # second-to-last hop); behind a regional endpoint that hop could be forged.
    assert stage["endpoint_configuration"] == ["EDGE"]
    assert stage["environment_variables"]["PHOTOSITE_TRUSTED_PROXY_COUNT"] == "0"


def test_web_role_is_trusted_by_lambda_api_gateway_and_events():
    (statement,) = properties("WebRole")["AssumeRolePolicyDocument"]["Statement"]
    assert set(statement["Principal"]["Service"]) == {
        "lambda.amazonaws.com",
        "apigateway.amazonaws.com",
        "events.amazonaws.com",
    }


def test_web_role_may_invoke_exactly_zappas_function():
    statements = properties("WebRole")["Policies"][0]["PolicyDocument"]["Statement"]
    (invoke,) = [s for s in statements if s["Sid"] == "InvokeWebFunction"]
    assert [r["Fn::Sub"] for r in invoke["Resource"]] == [
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AppName}-${Stage}",
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AppName}-${Stage}:*",
    ]
    assert template()["Outputs"]["WebFunctionName"]["Value"] == {"Fn::Sub": "${AppName}-${Stage}"}


# --- The infrastructure stack's name -------------------------------------------------------------


@pytest.mark.parametrize("app_name", ["photosite", "photosite-prod", "p1"])
@pytest.mark.parametrize("stage", ["prod", "dev", "prod_Infra", "prod-Infra", "Infra"])
def test_the_infrastructure_stack_can_never_be_zappas(app_name, stage):
    infra = stack_env.infrastructure_stack_name(app_name=app_name, stage="prod")
    # Zappa names its stack after the function, slugify(<project_name>-<stage>): lower case.
    zappas = zappa_stage.zappa_function_name(project_name=app_name, stage=stage)
    assert zappas == zappas.lower()
    assert infra != zappas
    assert infra != infra.lower()


def test_the_guide_names_the_stack_as_deploy_does():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    named = set(re.findall(r"--stack-name (\S+)", guide))
    assert named == {stack_env.infrastructure_stack_name(app_name="photosite", stage="prod")}


# --- Secrets -------------------------------------------------------------------------------------


def test_secrets_are_generated_by_the_stack_and_readable_by_the_function_only():
    secret = properties("AppSecrets")["GenerateSecretString"]
    assert secret["GenerateStringKey"] == "DJANGO_SECRET_KEY"
    assert secret["PasswordLength"] >= 50
    statements = properties("WebRole")["Policies"][0]["PolicyDocument"]["Statement"]
    (read,) = [s for s in statements if s["Sid"] == "Secrets"]
    assert read["Action"] == "secretsmanager:GetSecretValue"
    assert read["Resource"] == {"Ref": "AppSecrets"}


@pytest.mark.aws
def test_secrets_load_puts_the_secret_into_the_environment(aws_stack):
    from core import aws

    arn = aws.client("secretsmanager").create_secret(
        Name="photosite/test/app", SecretString=json.dumps({"DJANGO_SECRET_KEY": "s" * 64})
    )["ARN"]
    environ = {secrets.SECRETS_ARN_VARIABLE: arn, "DJANGO_DEBUG": "false"}
    assert secrets.secrets_load(environ=environ) == ["DJANGO_SECRET_KEY"]
    assert environ["DJANGO_SECRET_KEY"] == "s" * 64
    # An operator's explicit value wins.
    environ = {secrets.SECRETS_ARN_VARIABLE: arn, "DJANGO_SECRET_KEY": "mine"}
    secrets.secrets_load(environ=environ)
    assert environ["DJANGO_SECRET_KEY"] == "mine"


@pytest.mark.aws
def test_secrets_load_refuses_a_secret_that_is_not_variables(aws_stack):
    from core import aws

    arn = aws.client("secretsmanager").create_secret(
        Name="photosite/test/bad", SecretString=json.dumps({"lower": 1})
    )["ARN"]
    with pytest.raises(secrets.SecretsError):
        secrets.secrets_load(environ={secrets.SECRETS_ARN_VARIABLE: arn})


def test_secrets_load_does_nothing_without_an_arn():
    environ: dict[str, str] = {}
    assert secrets.secrets_load(environ=environ) == []
    assert environ == {}


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
