"""Deploy deploy/cloudformation.yaml into the local moto server and check what it made.

moto's CloudFormation creates only the resource types it models. Those it does not (Cognito,
CloudFront, the bucket policy, Lambda URLs, log groups, as listed in SKIPPED_TYPES) are removed
from a copy of the template, and references to them become placeholder strings, so everything
else (bucket, tables, IAM roles, the trigger function and its permission) is really deployed.
The static tests in test_cloudformation.py cover the skipped resources.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings

from core import aws
from deploy import first_admin, stack_env, zappa_stage
from photosite.bootstrap import authenticated_role_policies, bootstrap_aws
from photosite.tables import table_models
from tests.deploy.template import template

pytestmark = pytest.mark.aws

ROOT = Path(__file__).resolve().parents[2]
US_EAST_1 = "arn:aws:acm:us-east-1:123456789012:certificate/edge"

STACK = stack_env.infrastructure_stack_name(app_name="photosite", stage="prod")
CODE_BUCKET = "photosite-lambda-code"
CODE_KEY = "photosite-lambda.zip"
PARAMETERS = {
    "AppName": "photosite",
    "Stage": "prod",
    "SiteOrigin": "https://photos.example.test",
    "CodeBucket": CODE_BUCKET,
    "CodeKey": CODE_KEY,
    # The load-balanced tier: its VPC, load balancer, ECS service and roles are deployed too.
    "WebTier": "containers",
    "ContainerImageTag": "v1",
}
# What moto 5 cannot create. A type leaving this set (moto learnt it) or joining it (the
# template grew) fails test_only_the_known_unsupported_types_are_skipped, so the list stays true.
SKIPPED_TYPES = {
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::SecretsManager::Secret",
    "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::Cognito::IdentityPool",
    "AWS::Cognito::IdentityPoolRoleAttachment",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Lambda::Url",
    "AWS::S3::BucketPolicy",
}
FAKE_ACCOUNT = "123456789012"
# ${Name} or ${Name.Attribute} in Fn::Sub; ${!Literal} is an escape and does not match.
SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?)\}")


def deployable_copy(
    body: dict[str, Any], supported: set[str], stand_ins: dict[str, str] | None = None
) -> tuple[dict, set[str]]:
    """Return the template without unsupported resources, and the types that were removed.

    References to a removed resource become a placeholder, or the id in `stand_ins` (the user
    pool that bootstrap made, so that commands that use the pool can run against the stack).
    """
    skipped_ids = {name for name, res in body["Resources"].items() if res["Type"] not in supported}
    skipped_types = {body["Resources"][name]["Type"] for name in skipped_ids}
    for name in skipped_ids:
        del body["Resources"][name]
    return _replace_references(body, skipped_ids, stand_ins or {}), skipped_types


def _replace_references(node: Any, skipped: set[str], stand_ins: dict[str, str]) -> Any:
    """Turn Ref / GetAtt / ${...} of a removed resource into a recognisable placeholder."""
    if isinstance(node, list):
        return [_replace_references(item, skipped, stand_ins) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Ref"} and node["Ref"] in skipped:
        return stand_ins.get(node["Ref"], f"skipped-{node['Ref']}")
    if set(node) == {"Fn::GetAtt"} and node["Fn::GetAtt"][0] in skipped:
        name, attribute = node["Fn::GetAtt"]
        return _placeholder(name, attribute, stand_ins)
    if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):

        def swap(match: re.Match) -> str:
            name, _, attribute = match.group(1).partition(".")
            if name not in skipped:
                return match.group(0)
            if attribute:
                return _placeholder(name, attribute, stand_ins)
            return stand_ins.get(name, f"skipped-{name}")

        return {"Fn::Sub": SUB_VARIABLE.sub(swap, node["Fn::Sub"])}
    return {key: _replace_references(value, skipped, stand_ins) for key, value in node.items()}


def _placeholder(name: str, attribute: str, stand_ins: dict[str, str]) -> str:
    if attribute == "Arn":
        # Some consumers (Lambda permissions, IAM) check that an ARN looks like one.
        physical = stand_ins.get(name, f"skipped-{name}")
        return f"arn:aws:cognito-idp:us-east-1:{FAKE_ACCOUNT}:userpool/{physical}"
    return f"skipped-{name}-{attribute}"


def _lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("accounts/triggers.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def deployed(local_aws):
    """Deploy the filtered template once for the module; return (env, physical ids, skipped).

    Module scope: deploying takes seconds and every test here only reads what it made. The
    emulator is reset and bootstrapped first, as the aws_stack fixture does, so the tables
    PynamoDB itself creates are there to compare with.
    """
    local_aws.reset()
    local = bootstrap_aws(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
    )
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=CODE_BUCKET)
    s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=_lambda_zip())
    # The HTTPS listener's certificate must exist (moto checks it, as AWS does).
    certificate = aws.client("acm").request_certificate(DomainName="photos.example.test")
    parameters = {**PARAMETERS, "CertificateArn": certificate["CertificateArn"]}
    # moto's CloudFormation cannot make a user pool: the stack gets the one bootstrap made.
    stand_ins = {"UserPool": local.user_pool_id}
    # Imported here: it loads every moto model (about 1.3 s of CPU), which each xdist worker
    # would pay while collecting, though one worker deploys.
    from moto.cloudformation.parsing import get_model_map

    body, skipped = deployable_copy(template(), set(get_model_map()), stand_ins)
    # moto creates every resource inside the CreateStack call, which can outlast the shared
    # client's read timeout on a loaded machine; a retry would then find the stack made.
    cfg = replace(aws.settings(), max_attempts=1, read_timeout=120.0)
    cfn = boto3.session.Session().client(
        "cloudformation",
        region_name=cfg.region,
        endpoint_url=cfg.endpoint_for("cloudformation"),
        config=cfg.botocore_config(),
    )
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(body),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM"],
    )
    cfn.get_waiter("stack_create_complete").wait(
        StackName=STACK, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    resources = cfn.describe_stack_resources(StackName=STACK)["StackResources"]
    # moto lists resources whose Condition is false without ids, and gives a Lambda
    # permission no physical id.
    physical = {
        r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
        for r in resources
        if "LogicalResourceId" in r
    }
    physical["UserPool"] = local.user_pool_id  # the stand-in
    return stack_env.stack_env(stack_env.stack_outputs(STACK)), physical, skipped


def test_only_the_known_unsupported_types_are_skipped(deployed):
    _env, _physical, skipped = deployed
    assert skipped == SKIPPED_TYPES


def test_stack_creates_the_bucket_tables_roles_and_trigger_function(deployed):
    _env, physical, _skipped = deployed
    declared = {
        name
        for name, res in template()["Resources"].items()
        if res["Type"] not in SKIPPED_TYPES and "Condition" not in res
    }
    assert declared <= set(physical)


def test_outputs_are_the_site_settings_with_deployed_values(deployed):
    env, physical, _skipped = deployed
    assert env["AWS_REGION"] == aws.settings().region
    assert env["AWS_STORAGE_BUCKET_NAME"] == physical["PhotoBucket"]
    assert env["DYNAMODB_TABLE_PREFIX"] == "photosite-prod-"
    assert env["PHOTOSITE_SITE_ORIGIN"] == "https://photos.example.test"
    assert env["DJANGO_ALLOWED_HOSTS"] == "photos.example.test"
    # Cognito is skipped in moto: the outputs exist and carry the stand-in or placeholders.
    assert env["COGNITO_USER_POOL_ID"] == physical["UserPool"]
    assert env["COGNITO_IDENTITY_POOL_ID"] == "skipped-IdentityPool"
    assert "IMAGE_EDGE_URL" not in env  # conditional output, edge disabled by default


def test_deployed_bucket_is_encrypted(deployed):
    env, _physical, _skipped = deployed
    # moto's CloudFormation applies encryption and tags only; the other bucket settings are
    # checked statically in test_cloudformation.py.
    rules = aws.client("s3").get_bucket_encryption(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
    algorithm = rules["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"
    ]["SSEAlgorithm"]
    assert algorithm == "AES256"


@pytest.mark.parametrize("model", table_models(), ids=lambda model: model.__name__)
def test_deployed_table_equals_the_table_pynamodb_creates(deployed, model):
    env, _physical, _skipped = deployed
    ddb = aws.client("dynamodb")
    # aws_stack created the local tables with PynamoDB's create_table (prefix test-).
    made_by_pynamodb = ddb.describe_table(TableName=model.Meta.table_name)["Table"]
    made_by_stack = ddb.describe_table(TableName=env["DYNAMODB_TABLE_PREFIX"] + model.Meta.table)[
        "Table"
    ]
    assert _shape(made_by_stack) == _shape(made_by_pynamodb)
    assert made_by_stack["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def _shape(table: dict) -> dict:
    def keys(schema):
        return sorted((k["AttributeName"], k["KeyType"]) for k in schema)

    return {
        "attributes": sorted(
            (a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]
        ),
        "keys": keys(table["KeySchema"]),
        "indexes": sorted(
            (index["IndexName"], keys(index["KeySchema"]), index["Projection"]["ProjectionType"])
            for index in table.get("GlobalSecondaryIndexes", [])
        ),
    }


def test_models_work_against_the_stack_tables(deployed, monkeypatch):
    env, _physical, _skipped = deployed
    monkeypatch.setenv("DYNAMODB_TABLE_PREFIX", env["DYNAMODB_TABLE_PREFIX"])
    aws.reset()
    try:
        assert all(model.exists() for model in table_models())
    finally:
        monkeypatch.undo()
        aws.reset()


def test_authenticated_role_has_the_bootstrap_trust_and_own_prefix_policy(deployed):
    env, physical, _skipped = deployed
    iam = aws.client("iam")
    role = iam.get_role(RoleName=physical["AuthenticatedRole"])["Role"]
    trust, s3_policy = authenticated_role_policies(
        "skipped-IdentityPool", env["AWS_STORAGE_BUCKET_NAME"]
    )
    assert role["AssumeRolePolicyDocument"] == trust
    policy = iam.get_role_policy(
        RoleName=physical["AuthenticatedRole"], PolicyName="own-prefix-only"
    )["PolicyDocument"]
    if isinstance(policy, str):
        # moto stores a policy given through CloudFormation as Python's repr of the dict.
        policy = ast.literal_eval(policy)
    assert policy == s3_policy
    assert policy["Statement"][0]["Resource"].endswith(
        "/private/${cognito-identity.amazonaws.com:sub}/*"
    )


def test_web_data_policy_may_use_every_table_of_the_stack(deployed):
    env, physical, _skipped = deployed
    iam = aws.client("iam")
    # moto does not attach a template's managed policy to its roles; test_iam.py checks that
    # the template does.
    arn = physical["WebDataPolicy"]
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    policy = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
    if isinstance(policy, str):
        policy = json.loads(policy) if policy.startswith('{"') else ast.literal_eval(policy)
    (tables,) = [s for s in policy["Statement"] if s["Sid"] == "Tables"]
    ddb = aws.client("dynamodb")
    for model in table_models():
        arn = ddb.describe_table(TableName=env["DYNAMODB_TABLE_PREFIX"] + model.Meta.table)[
            "Table"
        ]["TableArn"]
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in tables["Resource"]), arn
        # ... and its indexes, which Query needs a grant for.
        assert any(fnmatch.fnmatchcase(arn + "/index/feed", p) for p in tables["Resource"])


def test_load_balancer_checks_healthz_and_forwards_https_to_the_service(deployed):
    _env, physical, _skipped = deployed
    elb = aws.client("elbv2")
    (group,) = elb.describe_target_groups(TargetGroupArns=[physical["TargetGroup"]])["TargetGroups"]
    assert group["HealthCheckPath"] == "/healthz"
    assert group["Port"] == 8000
    assert group["TargetType"] == "ip"
    listeners = elb.describe_listeners(LoadBalancerArn=physical["LoadBalancer"])["Listeners"]
    assert {listener["Port"]: listener["Protocol"] for listener in listeners} == {
        443: "HTTPS",
        80: "HTTP",
    }
    (service,) = aws.client("ecs").describe_services(
        cluster=physical["Cluster"], services=[physical["Service"]]
    )["services"]
    # moto's CloudFormation passes neither LaunchType nor LoadBalancers on: both are checked in
    # the template (test_cloudformation.py).
    assert service["desiredCount"] == 2


def test_trigger_function_runs_the_accounts_handler_with_the_table_prefix(deployed):
    env, physical, _skipped = deployed
    config = aws.client("lambda").get_function(FunctionName=physical["TriggerFunction"])[
        "Configuration"
    ]
    assert config["Handler"] == "accounts.triggers.handler"
    assert (
        config["Environment"]["Variables"]["DYNAMODB_TABLE_PREFIX"]
        == (env["DYNAMODB_TABLE_PREFIX"])
    )
    policy = json.loads(
        aws.client("lambda").get_policy(FunctionName=physical["TriggerFunction"])["Policy"]
    )
    assert [s["Principal"] for s in policy["Statement"]] == [
        {"Service": "cognito-idp.amazonaws.com"}
    ]


def test_stack_env_prints_a_dotenv_file(deployed, capsys):
    env, _physical, _skipped = deployed
    stack_env.main([STACK])
    lines = capsys.readouterr().out.splitlines()
    assert f"AWS_STORAGE_BUCKET_NAME={env['AWS_STORAGE_BUCKET_NAME']}" in lines
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line) for line in lines)


# --- The guide's commands, run against the deployed stack ---------------------------------------


def test_zappa_stage_is_generated_from_the_stack_and_read_by_zappa(deployed, tmp_path, monkeypatch):
    from zappa.cli import ZappaCLI

    env, physical, _skipped = deployed
    output = tmp_path / "zappa_settings.prod.json"
    zappa_stage.main([STACK, "--stage", "prod", "--certificate-arn", US_EAST_1, "-o", str(output)])
    stage = json.loads(output.read_text())["prod"]
    # Lambda sets AWS_REGION itself and refuses a configuration that names it.
    assert stage["aws_environment_variables"] == {
        key: value for key, value in env.items() if key != "AWS_REGION"
    }
    assert stage["role_arn"].endswith(":role/" + physical["WebRole"])
    assert stage["dead_letter_arn"].endswith(":photosite-prod-async-dlq")
    assert stage["s3_bucket"] == CODE_BUCKET
    assert stage["domain"] == "photos.example.test"
    monkeypatch.setenv("AWS_DEFAULT_REGION", env["AWS_REGION"])
    cli = ZappaCLI()
    cli.api_stage = "prod"
    cli.load_settings(str(output))
    # The function Zappa makes is the one the role may invoke, and its stack is not this one.
    assert cli.lambda_name == "photosite-prod" != STACK


def test_zappa_stage_refuses_a_stage_the_stack_was_not_made_for(deployed):
    with pytest.raises(SystemExit, match="photosite-dev"):
        zappa_stage.main([STACK, "--stage", "dev"])


def test_first_admin_invites_into_the_stacks_pool_and_makes_a_superadmin(deployed, capsys):
    env, _physical, _skipped = deployed
    first_admin.main([STACK, "Mei@Example.com"])
    first_admin.main([STACK, "mei@example.com"])  # again: nothing breaks, nothing doubles
    idp = aws.client("cognito-idp")
    pool = env["COGNITO_USER_POOL_ID"]
    user = idp.admin_get_user(UserPoolId=pool, Username="mei@example.com")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username=user["Username"])["Groups"]
    assert {group["GroupName"] for group in groups} == {"members", "superadmins"}
    rights = settings.COGNITO_GROUP_RIGHTS
    superuser_groups = {group for group, given in rights.items() if given.get("is_superuser")}
    assert superuser_groups and set(first_admin.ADMIN_GROUPS) >= superuser_groups
    assert "superadmins" in capsys.readouterr().out


def test_every_deploy_command_of_the_guide_exists():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    modules = set(re.findall(r"python -m (deploy\.[a-z_]+)", guide))
    assert modules >= {"deploy.build_lambda", "deploy.stack_env", "deploy.zappa_stage"}
    assert "deploy.first_admin" in modules
    for module in modules:
        imported = importlib.import_module(module)
        assert callable(imported.main), module
