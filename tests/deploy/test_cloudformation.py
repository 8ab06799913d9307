"""deploy/cloudformation.yaml: lints clean, and creates what the code and local mode expect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from core import aws
from deploy import secrets
from deploy.stack_env import NOT_SITE_SETTINGS, env_name
from deploy.tables import expected_tables, logical_id
from photosite import bootstrap
from photosite.tables import table_models
from tests.deploy.template import TEMPLATE_PATH, properties, resolved, resources_of_type, template

SETTINGS_SOURCE = Path(__file__).resolve().parents[2] / "photosite" / "settings.py"
TABLE_FIELDS = (
    "TableName",
    "BillingMode",
    "PointInTimeRecoverySpecification",
    "SSESpecification",
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "TimeToLiveSpecification",
)


def _serious_problems(path: Path) -> list[str]:
    """Lint a template; return cfn-lint's errors (E) and warnings (W), not its notes (I)."""
    # Imported here, as in tests/deploy/template.py: cfn-lint is slow to import.
    from cfnlint.api import ManualArgs, lint_file

    return [str(m) for m in lint_file(path, ManualArgs()) if m.rule.id[0] in "EW"]


# --- cfn-lint ---------------------------------------------------------------------------------


def test_cfn_lint_finds_no_errors_or_warnings():
    assert _serious_problems(TEMPLATE_PATH) == []


def test_cfn_lint_is_really_checking_the_template(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(TEMPLATE_PATH.read_text().replace("PAY_PER_REQUEST", "FREE", 1))
    problems = _serious_problems(broken)
    assert any("E3030" in problem and "FREE" in problem for problem in problems)


# --- DynamoDB tables against the PynamoDB models ----------------------------------------------


def test_every_model_has_a_table_and_every_table_a_model():
    assert set(resources_of_type("AWS::DynamoDB::Table")) == set(expected_tables())


@pytest.mark.parametrize("model", table_models(), ids=lambda model: model.__name__)
def test_table_has_exactly_the_models_keys_indexes_and_ttl(model):
    name = logical_id(model)
    actual = resources_of_type("AWS::DynamoDB::Table").get(name)
    assert actual is not None, f"the template has no {name}; `python -m deploy.tables` prints it"
    expected = _normalised(expected_tables()[name])
    assert _normalised(actual["Properties"]) == expected, (
        f"{name} differs from {model.__name__}; `python -m deploy.tables` prints the model's table"
    )


def _normalised(props: dict) -> dict:
    """Keep the fields that define a table, in an order-independent form."""
    result = {key: props[key] for key in TABLE_FIELDS if key in props}
    result["AttributeDefinitions"] = sorted(
        result["AttributeDefinitions"], key=lambda item: item["AttributeName"]
    )
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in result:
            result[key] = sorted(result[key], key=lambda index: index["IndexName"])
    return result


def test_table_comparison_notices_a_missing_index():
    photo = next(model for model in table_models() if model.Meta.table == "photos")
    expected = _normalised(expected_tables()[logical_id(photo)])
    declared = properties(logical_id(photo))
    declared["GlobalSecondaryIndexes"] = declared["GlobalSecondaryIndexes"][1:]
    assert _normalised(declared) != expected


# Tables whose loss costs nothing but a sign-in or a reset rate limit. A new table is kept on
# stack deletion until someone decides otherwise here.
DISPOSABLE_TABLES = {"sessions", "rate-counters"}


def test_tables_holding_user_data_survive_stack_deletion():
    for model in table_models():
        resource = template()["Resources"][logical_id(model)]
        expected = "Delete" if model.Meta.table in DISPOSABLE_TABLES else "Retain"
        assert resource.get("DeletionPolicy") == expected, model.Meta.table
        assert resource.get("UpdateReplacePolicy") == expected, model.Meta.table


# --- S3 bucket -----------------------------------------------------------------------------------


def test_bucket_is_private_encrypted_and_versioned():
    bucket = properties("PhotoBucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert template()["Resources"]["PhotoBucket"]["DeletionPolicy"] == "Retain"


@pytest.mark.aws
def test_bucket_allows_cors_for_the_site_origin_only_as_local_mode_does(aws_stack):
    (rule,) = properties("PhotoBucket")["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == [{"Ref": "SiteOrigin"}]
    # photosite.bootstrap configures the local bucket; the two must not drift apart.
    (local,) = aws.client("s3").get_bucket_cors(Bucket=aws_stack.bucket)["CORSRules"]
    assert local["AllowedOrigins"] == [settings.PHOTOSITE_SITE_ORIGIN]
    assert rule["AllowedMethods"] == local["AllowedMethods"]
    assert rule["AllowedHeaders"] == local["AllowedHeaders"]
    assert rule["ExposedHeaders"] == local["ExposeHeaders"]
    assert rule["MaxAge"] == local["MaxAgeSeconds"]


@pytest.mark.aws
def test_bucket_has_every_lifecycle_rule_local_mode_has(aws_stack):
    declared = {
        rule["Id"]: rule for rule in properties("PhotoBucket")["LifecycleConfiguration"]["Rules"]
    }
    local = aws.client("s3").get_bucket_lifecycle_configuration(Bucket=aws_stack.bucket)
    for rule in local["Rules"]:
        assert rule["ID"] in declared, f"the template lacks lifecycle rule {rule['ID']}"
        mine = declared[rule["ID"]]
        assert mine["Status"] == rule["Status"]
        assert mine.get("Prefix", "") == rule.get("Filter", {}).get("Prefix", "")
        assert resolved(mine.get("ExpirationInDays")) == rule.get("Expiration", {}).get("Days")
        assert mine.get("AbortIncompleteMultipartUpload") == rule.get(
            "AbortIncompleteMultipartUpload"
        )


def test_bucket_aborts_incomplete_multipart_uploads():
    rules = properties("PhotoBucket")["LifecycleConfiguration"]["Rules"]
    aborting = [rule for rule in rules if "AbortIncompleteMultipartUpload" in rule]
    assert aborting
    assert aborting[0]["Status"] == "Enabled"
    assert aborting[0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] >= 1


def test_bucket_refuses_plain_http():
    statements = properties("PhotoBucketPolicy")["PolicyDocument"]["Statement"]
    deny = next(s for s in statements if isinstance(s, dict) and s.get("Effect") == "Deny")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


# --- Cognito ------------------------------------------------------------------------------------


def test_user_pool_signs_in_by_email_with_the_local_password_policy():
    pool = properties("UserPool")
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["Policies"]["PasswordPolicy"] == bootstrap.PASSWORD_POLICY
    assert pool["MfaConfiguration"] == {"Ref": "MfaConfiguration"}


def test_mfa_is_a_parameter_defaulting_off():
    parameter = template()["Parameters"]["MfaConfiguration"]
    assert parameter["Default"] == "OFF"
    assert set(parameter["AllowedValues"]) == {"OFF", "OPTIONAL", "ON"}


def test_user_pool_has_every_group_local_mode_has_and_the_settings_name():
    groups = {
        group["Properties"]["GroupName"]: group["Properties"]["Description"]
        for group in resources_of_type("AWS::Cognito::UserPoolGroup").values()
    }
    assert bootstrap.USER_POOL_GROUPS.items() <= groups.items()
    # Rights come from these groups (settings.COGNITO_GROUP_RIGHTS).
    named = set(settings.COGNITO_GROUP_RIGHTS)
    assert named <= set(groups)


def test_app_client_hides_user_existence_and_matches_local_auth_flows():
    client = properties("WebClient")
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["ExplicitAuthFlows"] == bootstrap.AUTH_FLOWS
    assert client["GenerateSecret"] is False
    assert client["CallbackURLs"] == [{"Fn::Sub": "${SiteOrigin}/accounts/hosted/callback/"}]
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"


def test_hosted_ui_domain_exists_only_when_a_prefix_is_given():
    domain = template()["Resources"]["HostedUiDomain"]
    assert domain["Condition"] == "HasHostedUiDomain"
    assert template()["Conditions"]["HasHostedUiDomain"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "HostedUiDomainPrefix"}, ""]}]
    }


def test_all_four_triggers_call_the_accounts_handler_with_permission():
    config = properties("UserPool")["LambdaConfig"]
    arn = {"Fn::GetAtt": ["TriggerFunction", "Arn"]}
    assert config["PreSignUp"] == config["PostConfirmation"] == config["CustomMessage"] == arn
    assert config["PreTokenGenerationConfig"]["LambdaArn"] == arn
    assert properties("TriggerFunction")["Handler"] == "accounts.triggers.handler"
    permission = properties("TriggerInvokePermission")
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["UserPool", "Arn"]}


def test_trigger_function_gets_every_variable_the_triggers_read():
    source = (Path(__file__).resolve().parents[2] / "accounts" / "triggers.py").read_text()
    read = set(re.findall(r'"((?:PHOTOSITE|DYNAMODB|COGNITO)_[A-Z_]+)"', source))
    given = set(properties("TriggerFunction")["Environment"]["Variables"])
    assert read <= given
    assert "DYNAMODB_TABLE_PREFIX" in given  # profiles, through the PynamoDB models
    members = properties("MembersGroup")["GroupName"]
    assert properties("TriggerFunction")["Environment"]["Variables"]["COGNITO_MEMBERS_GROUP"] == (
        members
    )


def test_identity_pool_admits_only_signed_in_users_of_the_pool():
    pool = properties("IdentityPool")
    assert pool["AllowUnauthenticatedIdentities"] is False
    (provider,) = pool["CognitoIdentityProviders"]
    assert provider["ClientId"] == {"Ref": "WebClient"}
    assert provider["ServerSideTokenCheck"] is True
    roles = properties("IdentityPoolRoles")["Roles"]
    assert roles == {"authenticated": {"Fn::GetAtt": ["AuthenticatedRole", "Arn"]}}


# --- Outputs ---------------------------------------------------------------------------------


def _variables_the_settings_read() -> set[str]:
    # The settings, and on Lambda the secrets loader that runs before them.
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', SETTINGS_SOURCE.read_text()))
    return read | {secrets.SECRETS_ARN_VARIABLE}


def test_every_output_is_an_environment_variable_the_site_reads():
    read = _variables_the_settings_read()
    outputs = set(template()["Outputs"]) - NOT_SITE_SETTINGS
    assert {env_name(key) for key in outputs} <= read


def test_outputs_cover_the_stack_specific_settings():
    names = {env_name(key) for key in template()["Outputs"]}
    assert names >= {
        "AWS_REGION",
        "AWS_STORAGE_BUCKET_NAME",
        "DYNAMODB_TABLE_PREFIX",
        "COGNITO_USER_POOL_ID",
        "COGNITO_APP_CLIENT_ID",
        "COGNITO_IDENTITY_POOL_ID",
    }


def test_table_prefix_output_is_what_table_names_start_with():
    prefix = template()["Outputs"]["DynamodbTablePrefix"]["Value"]["Fn::Sub"]
    for name in expected_tables():
        assert properties(name)["TableName"]["Fn::Sub"].startswith(prefix)


# --- Images at the edge ----------------------------------------------------------------------


def test_edge_distribution_tries_the_bucket_then_the_generator_without_caching_redirects():
    resources = template()["Resources"]
    config = resources["ImageDistribution"]["Properties"]["DistributionConfig"]
    (group,) = config["OriginGroups"]["Items"]
    assert [m["OriginId"] for m in group["Members"]["Items"]] == ["bucket", "generator"]
    assert set(group["FailoverCriteria"]["StatusCodes"]["Items"]) == {403, 404}
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == group["Id"]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] in {
        "https-only",
        "redirect-to-https",
    }
    policy = resources["DerivativeCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0
    assert all("OriginAccessControlId" in origin for origin in config["Origins"])
    assert properties("EdgeFunctionUrl")["AuthType"] == "AWS_IAM"
    assert properties("EdgeFunction")["Handler"] == "deploy.edge_handler.handler"


# --- The load-balanced tier ---------------------------------------------------------------------


def test_containers_run_on_fargate_behind_the_alb_with_the_stack_outputs_as_environment():
    service = properties("Service")
    assert service["LaunchType"] == "FARGATE"
    assert service["LoadBalancers"] == [
        {"ContainerName": "web", "ContainerPort": 8000, "TargetGroupArn": {"Ref": "TargetGroup"}}
    ]
    assert properties("TargetGroup")["HealthCheckPath"] == "/healthz"
    (container,) = properties("TaskDefinition")["ContainerDefinitions"]
    given = {item["Name"] for item in container["Environment"]}
    outputs = {env_name(key) for key in template()["Outputs"]} - {
        env_name(key) for key in NOT_SITE_SETTINGS
    }
    # The secret comes from Secrets Manager through ECS, not as its ARN.
    assert outputs - {"PHOTOSITE_SECRETS_ARN", "COGNITO_DOMAIN"} <= given
    assert [s["Name"] for s in container["Secrets"]] == ["DJANGO_SECRET_KEY"]
    assert {"Name": "PHOTOSITE_TRUSTED_PROXY_COUNT", "Value": "1"} in container["Environment"]


def test_the_stack_has_no_database():
    kinds = {resource["Type"] for resource in template()["Resources"].values()}
    assert not [kind for kind in kinds if kind.startswith(("AWS::RDS::", "AWS::DocDB::"))]


def test_operators_get_alarms_for_5xx_dead_letters_and_throttles():
    alarms = resources_of_type("AWS::CloudWatch::Alarm")
    metrics = set()
    for alarm in alarms.values():
        props = alarm["Properties"]
        metrics.add(props.get("MetricName"))
        for metric in props.get("Metrics", []):
            stat = metric.get("MetricStat", {}).get("Metric", {})
            for branch in stat.get("Fn::If", [None, stat, stat])[1:]:
                metrics.add(branch.get("MetricName"))
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert {"ApproximateNumberOfMessagesVisible", "Throttles"} <= metrics
    assert {"HTTPCode_Target_5XX_Count", "5XXError"} <= metrics
