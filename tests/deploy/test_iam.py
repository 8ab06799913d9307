"""Every AWS operation the code performs is allowed to the role that runs it, and no more widely.

The emulator enforces no IAM, so nothing else would notice a missing grant before AWS does. The
operations come from reading the code (tests/deploy/iam.py); the policies from the template.
A role is checked against the modules that run under it: the web tier (Lambda and ECS), the
Cognito trigger function and the image edge function.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest

from photosite.tables import table_models
from tests.deploy import iam
from tests.deploy.template import template

ROOT = iam.ROOT
PREFIX = f"{iam.PARAMETERS['AppName']}-{iam.PARAMETERS['Stage']}-"
# Modules that never run in a deployment: the local stack, development commands, build tools.
NOT_DEPLOYED = {
    "photosite/bootstrap.py",
    "photosite/demo.py",
    "core/localstack.py",
    "core/dynamodb_local.py",
    "deploy/build_lambda.py",
    "deploy/stack_env.py",
    "deploy/tables.py",
    "deploy/zappa_stage.py",
    "deploy/elf.py",
    "deploy/edge_handler.py",  # the edge function's, checked against its own role
}
NOT_DEPLOYED_DIRS = {"tests", "bench", "tools", "var", "docs", "migrations", "commands"}
# Run on Lambda only: the secrets loader (ECS injects the secret itself).
LAMBDA_ONLY = {"deploy/secrets.py", "deploy/lambda_settings.py"}
BUCKET = "photosite-prod-photobucket-abc"
# The keys each function touches (gallery.services, accounts.identity, deploy.edge_handler).
# private/api/: an API client's upload, whose presigned POST S3 authorises as the web role.
WEB_KEYS = [
    "photos/p1/original.jpg",
    "photos/p1/grid.jpg",
    "private/eu-west-1:id/p1.jpg",
    "private/api/p1.jpg",
]
EDGE_KEYS = {
    "s3:GetObject": ["photos/p1/original.jpg", "derivatives/640/p1.jpg"],
    "s3:PutObject": ["derivatives/640/p1.jpg"],
}
# What code outside the project does for the site, which a scan of the project cannot see.
STORAGE_CALLS = {  # django-storages' S3Storage: save, open, url (presigned), delete, exists
    iam.Call("s3", "PutObject"),
    iam.Call("s3", "GetObject"),
    iam.Call("s3", "DeleteObject"),
    iam.Call("s3", "HeadObject"),
}
LAMBDA_SERVICE_CALLS = {  # core.tasks through Zappa; Lambda delivering to the dead-letter queue
    iam.Call("lambda", "Invoke"),
    iam.Call("sqs", "SendMessage"),
}


def deployed_modules() -> list[Path]:
    paths = []
    packages = [d for d in sorted(ROOT.iterdir()) if (d / "__init__.py").is_file()]
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(ROOT)
            if NOT_DEPLOYED_DIRS & set(relative.parts) or relative.as_posix() in NOT_DEPLOYED:
                continue
            paths.append(path)
    return paths


def _relative(paths) -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in paths}


MODELS = frozenset(model.__name__ for model in table_models())


def _defines_models(path: Path) -> bool:
    return _relative([path]) <= {m.__module__.replace(".", "/") + ".py" for m in table_models()}


def tables_named_in(paths) -> list[type]:
    """Return the models a set of modules uses by class name (outside the models' own modules)."""
    used = set()
    for path in paths:
        if not _defines_models(path):
            used |= iam.names_used(path.read_text()) & MODELS
    return [model for model in table_models() if model.__name__ in used]


# core.dynamo.describe (the readiness check's and bootstrap's) is in every function's import
# closure, but no function calls it: the scan reads modules, not call graphs.
NOT_CALLED_BY_FUNCTIONS = {iam.Call("dynamodb", "DescribeTable")}


def function_calls(paths) -> set[iam.Call]:
    """Return a function's operations: a model's own module runs only what its callers call."""
    users = [path for path in paths if not _defines_models(path)]
    return iam.calls_of_modules(users, models=MODELS) - NOT_CALLED_BY_FUNCTIONS


def _table_arn(model) -> str:
    return f"arn:aws:dynamodb:{iam.REGION}:{iam.ACCOUNT}:table/{PREFIX}{model.Meta.table}"


def _index_arns(model) -> list[str]:
    schema = model._get_schema()
    names = [i["index_name"] for i in schema["global_secondary_indexes"]]
    names += [i["index_name"] for i in schema["local_secondary_indexes"]]
    return [f"{_table_arn(model)}/index/{name}" for name in names]


def resources_for(action: str, *, models, keys) -> list[str]:
    """Return the ARNs an action is performed on by a function of the site."""
    service, _, name = action.partition(":")
    if service == "dynamodb":
        arns = [_table_arn(model) for model in models]
        if name in {"Query", "Scan"}:
            arns += [arn for model in models for arn in _index_arns(model)]
        return arns
    if service == "s3":
        if name in iam.S3_BUCKET_ACTIONS:
            return [f"arn:aws:s3:::{BUCKET}"]
        chosen = keys.get(action, []) if isinstance(keys, dict) else keys
        return [f"arn:aws:s3:::{BUCKET}/{key}" for key in chosen]
    if service == "cognito-idp":
        return [f"arn:aws:cognito-idp:{iam.REGION}:{iam.ACCOUNT}:userpool/{iam.REGION}_Pool"]
    if service == "secretsmanager":
        return [
            f"arn:aws:secretsmanager:{iam.REGION}:{iam.ACCOUNT}:secret:photosite/prod/app-AbCdEf"
        ]
    if service == "lambda":
        return [f"arn:aws:lambda:{iam.REGION}:{iam.ACCOUNT}:function:{PREFIX[:-1]}"]
    if service == "sqs":
        return [f"arn:aws:sqs:{iam.REGION}:{iam.ACCOUNT}:{PREFIX}async-dlq"]
    raise AssertionError(f"the test knows no resource for {action}: add it to resources_for")


def workloads() -> dict[str, tuple[list[str], set[iam.Call], list, object]]:
    """Return, per name: (roles, operations, models, keys) of each thing that runs."""
    web = [p for p in deployed_modules() if _relative([p]) - LAMBDA_ONLY]
    lambda_only = [ROOT / name for name in sorted(LAMBDA_ONLY)]
    web_calls = iam.calls_of_modules(web, models=MODELS) | STORAGE_CALLS
    trigger = list(iam.import_closure("accounts.triggers").values())
    edge = list(iam.import_closure("deploy.edge_handler").values())
    return {
        "web on ECS": (["TaskRole"], web_calls, table_models(), WEB_KEYS),
        "web on Lambda": (
            ["WebRole"],
            web_calls | iam.calls_of_modules(lambda_only, models=MODELS) | LAMBDA_SERVICE_CALLS,
            table_models(),
            WEB_KEYS,
        ),
        "Cognito triggers": (
            ["TriggerRole"],
            function_calls(trigger),
            tables_named_in(trigger),
            [],
        ),
        "image edge": (["EdgeRole"], function_calls(edge), tables_named_in(edge), EDGE_KEYS),
    }


@cache
def requirements() -> list[tuple[str, str, str]]:
    """Return (role, action, resource) for everything each workload does that IAM authorises."""
    needed = set()
    for roles, calls, models, keys in workloads().values():
        for call in calls:
            if not iam.needs_iam(call):
                continue
            for action in iam.iam_actions(call):
                for resource in resources_for(action, models=models, keys=keys):
                    needed |= {(role, action, resource) for role in roles}
    return sorted(needed)


def missing_grants(body) -> list[tuple[str, str, str]]:
    """Return the (role, action, resource) the template's policies do not allow."""
    statements = {}
    problems = []
    for role, action, resource in requirements():
        if role not in statements:
            statements[role] = iam.role_statements(body, role)
        if not iam.allowed(statements[role], action, resource):
            problems.append((role, action, resource))
    return problems


# --- What the code does -------------------------------------------------------------------------


def test_the_scan_finds_the_operations_the_issue_named():
    loads = workloads()
    web = loads["web on Lambda"][1]
    assert {
        iam.Call("cognito-idp", "AdminCreateUser"),
        iam.Call("cognito-idp", "GetUserPoolMfaConfig"),
        iam.Call("cognito-idp", "AdminDisableUser"),
        iam.Call("secretsmanager", "GetSecretValue"),
        iam.Call("dynamodb", "Query"),
        iam.Call("dynamodb", "BatchWriteItem"),
        iam.Call("s3", "CopyObject"),
        iam.Call("s3", "HeadBucket"),
    } <= web
    assert iam.Call("s3", "GetObject") in loads["image edge"][1]
    assert iam.Call("cognito-idp", "AdminAddUserToGroup") in loads["Cognito triggers"][1]
    # Every table the site has is used by the web tier; the functions use a few.
    assert {m.__name__ for m in loads["image edge"][2]} == {"Photo"}


def test_operations_called_with_a_users_token_need_no_iam_by_botocores_model():
    assert not iam.needs_iam(iam.Call("cognito-idp", "SignUp"))
    assert not iam.needs_iam(iam.Call("cognito-idp", "InitiateAuth"))
    assert not iam.needs_iam(iam.Call("cognito-idp", "AssociateSoftwareToken"))
    assert not iam.needs_iam(iam.Call("cognito-identity", "GetId"))
    assert iam.needs_iam(iam.Call("cognito-idp", "AdminInitiateAuth"))
    assert iam.needs_iam(iam.Call("cognito-idp", "GetUserPoolMfaConfig"))
    assert iam.needs_iam(iam.Call("cognito-idp", "ListUsers"))


def test_the_scan_reads_boto3_calls_strings_and_pynamodb_methods():
    source = (
        "client.get_object(Bucket=b, Key=k)\n"
        "cognito._call('admin_create_user', UserPoolId=p)\n"
        "with TransactWrite(connection=c) as t: pass\n"
        "Photo.query('x')\n"
    )
    assert iam.calls_in_source(source, models=frozenset({"Photo"})) >= {
        iam.Call("s3", "GetObject"),
        iam.Call("cognito-idp", "AdminCreateUser"),
        iam.Call("dynamodb", "ConditionCheckItem"),
        iam.Call("dynamodb", "Query"),
    }
    assert iam.iam_actions(iam.Call("s3", "HeadObject")) == ["s3:GetObject"]
    assert iam.iam_actions(iam.Call("s3", "CopyObject")) == ["s3:GetObject", "s3:PutObject"]
    assert iam.iam_actions(iam.Call("lambda", "Invoke")) == ["lambda:InvokeFunction"]


def test_the_scan_sees_the_sites_own_transaction_class():
    source = "with Transaction.on(Comment) as t: t.update(x, actions=[])\n"
    assert iam.Call("dynamodb", "ConditionCheckItem") in iam.calls_in_source(source)


# --- The template allows it ----------------------------------------------------------------------


def test_every_role_allows_every_operation_its_code_performs():
    assert requirements()
    assert missing_grants(template()) == []


def test_no_statement_grants_on_every_resource():
    for role in ("WebRole", "TaskRole", "TriggerRole", "EdgeRole", "TaskExecutionRole"):
        assert iam.wildcard_resources(iam.role_statements(template(), role)) == [], role


def test_table_grants_cover_every_models_table_and_nothing_outside_the_stack():
    statements = iam.role_statements(template(), "WebRole")
    for model in table_models():
        assert iam.allowed(
            statements,
            "dynamodb:Query",
            _index_arns(model)[0] if _index_arns(model) else _table_arn(model),
        )
    assert not iam.allowed(
        statements, "dynamodb:GetItem", f"arn:aws:dynamodb:{iam.REGION}:{iam.ACCOUNT}:table/other"
    )


def test_the_known_gaps_are_closed():
    body = template()
    trust = body["Resources"]["WebRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert "apigateway.amazonaws.com" in trust["Principal"]["Service"]
    web = iam.role_statements(body, "WebRole")
    pool = f"arn:aws:cognito-idp:{iam.REGION}:{iam.ACCOUNT}:userpool/{iam.REGION}_Pool"
    assert iam.allowed(web, "cognito-idp:AdminCreateUser", pool)
    assert iam.allowed(web, "cognito-idp:GetUserPoolMfaConfig", pool)
    edge = iam.role_statements(body, "EdgeRole")
    assert iam.allowed(edge, "s3:GetObject", f"arn:aws:s3:::{BUCKET}/derivatives/640/p1.jpg")
    assert iam.allowed(edge, "s3:ListBucket", f"arn:aws:s3:::{BUCKET}")


# Granted without being called by name, each for a reason the code depends on.
NOT_CALLED_BUT_NEEDED = {
    # GetObject of a missing key answers 404 only to a caller that may list the bucket;
    # edge_handler expects 404 for the derivative it is about to make.
    ("EdgeRole", "s3:ListBucket"),
    # boto3's transfer manager (django-storages' uploads) aborts a failed multipart upload.
    ("WebRole", "s3:AbortMultipartUpload"),
    ("TaskRole", "s3:AbortMultipartUpload"),
}


def test_no_role_grants_an_action_its_code_never_calls():
    called = {(role, action) for role, action, _ in requirements()}
    extra = set()
    for role in ("WebRole", "TaskRole", "TriggerRole", "EdgeRole"):
        for statement in iam.role_statements(template(), role):
            actions = statement["Action"]
            for action in actions if isinstance(actions, list) else [actions]:
                if (role, action) not in called:
                    extra.add((role, action))
    assert extra == NOT_CALLED_BUT_NEEDED


def _without(body, role: str, action: str):
    """Return a copy of the template whose policies for `role` no longer name `action`."""
    body = copy.deepcopy(body)
    resources = body["Resources"]
    props = resources[role]["Properties"]
    documents = [policy["PolicyDocument"] for policy in props.get("Policies", [])]
    documents += [
        resources[arn["Ref"]]["Properties"]["PolicyDocument"]
        for arn in props.get("ManagedPolicyArns", [])
        if isinstance(arn, dict) and "Ref" in arn
    ]
    documents += [
        r["Properties"]["PolicyDocument"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Policy" and {"Ref": role} in r["Properties"].get("Roles", [])
    ]
    for document in documents:
        for statement in document["Statement"]:
            if not isinstance(statement, dict):
                continue
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            statement["Action"] = [a for a in actions if a.lower() != action.lower()] or [
                "none:None"
            ]
    return body


@pytest.mark.parametrize(
    ("role", "action"),
    sorted({(role, action) for role, action, _ in requirements()}),
    ids=lambda value: value,
)
def test_the_check_fails_when_a_called_action_is_removed(role, action):
    problems = missing_grants(_without(template(), role, action))
    assert (role, action) in {(r, a) for r, a, _ in problems}
