"""What the code calls on AWS, and whether a role of the template allows it.

Operations are found by reading the code (ast): every attribute called on an object and every
string constant that is a boto3 method name of a service the site uses (`client.get_object(`,
`cognito._call("admin_get_user", ...)`), and PynamoDB's model methods, mapped to the DynamoDB
operations they perform. botocore's service model turns an operation into its IAM action and
says which need no IAM at all (`auth_type == "none"`: called with a user's own token).

Policies are the template's own: its role's inline policies and the template's managed
policies it attaches, with Ref/Sub/GetAtt/If/Join/Select/Split resolved for one example
deployment, and evaluated as IAM does for Allow statements (wildcards in actions and
resources; a statement with a Condition never counts, since nothing here can satisfy one).
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
from botocore import xform_name

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("s3", "dynamodb", "cognito-idp", "cognito-identity", "secretsmanager", "lambda", "sqs")
REGION = "eu-west-1"
ACCOUNT = "123456789012"
PARAMETERS = {
    "AppName": "photosite",
    "Stage": "prod",
    "SiteOrigin": "https://photos.example.com",
    "WebTier": "containers",
    "EnableImageEdge": "true",
    "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/1",
    "ContainerImageTag": "v1",
}
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NoValue": None,
}

# PynamoDB's methods and the DynamoDB operations they perform. Class methods count when called
# on a model class by name (Photo.query); instance methods when the module names a model at all
# (photo.save()), and update only with PynamoDB's `actions=`. Broad matches can only ask for
# more, never hide a call.
PYNAMODB_CLASS_METHODS = {
    "get": ["GetItem"],
    "query": ["Query"],
    "count": ["Query"],
    "scan": ["Scan"],
    "batch_get": ["BatchGetItem"],
    "batch_write": ["BatchWriteItem"],
    "exists": ["DescribeTable"],
    "describe_table": ["DescribeTable"],
}
PYNAMODB_INSTANCE_METHODS = {"save": ["PutItem"], "delete": ["DeleteItem"], "refresh": ["GetItem"]}
PYNAMODB_CALLABLES = {
    # A transaction needs the action of each item it writes or checks.
    "TransactWrite": [
        "TransactWriteItems",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "ConditionCheckItem",
    ],
    "TransactGet": ["TransactGetItems", "GetItem"],
}
# core.transactions.Transaction is the site's TransactWrite (opened with `Transaction.on(Model)`).
PYNAMODB_CALLABLES["Transaction"] = PYNAMODB_CALLABLES["TransactWrite"]
# Operations whose IAM action is not <prefix>:<operation>.
S3_ACTIONS = {
    "HeadObject": ["GetObject"],
    "HeadBucket": ["ListBucket"],
    "ListObjectsV2": ["ListBucket"],
    "ListObjects": ["ListBucket"],
    "CopyObject": ["GetObject", "PutObject"],
    "DeleteObjects": ["DeleteObject"],
    "CreateMultipartUpload": ["PutObject"],
    "UploadPart": ["PutObject"],
    "CompleteMultipartUpload": ["PutObject"],
}
LAMBDA_ACTIONS = {"Invoke": ["InvokeFunction"]}
# A transaction is authorised item by item (PutItem, ConditionCheckItem ...), not as a whole.
DYNAMODB_ACTIONS: dict[str, list[str]] = {"TransactWriteItems": [], "TransactGetItems": []}
S3_BUCKET_ACTIONS = {"ListBucket", "GetBucketLocation"}


@dataclass(frozen=True)
class Call:
    """One AWS operation some code performs."""

    service: str
    operation: str


@cache
def service_model(service: str) -> Any:
    return _session().get_service_model(service)


@cache  # one session, so its loader reads each shared data file once
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def _methods() -> dict[str, list[Call]]:
    """Map each boto3 method name (get_object) to the operations of that name."""
    found: dict[str, list[Call]] = {}
    for service in SERVICES:
        for operation in service_model(service).operation_names:
            found.setdefault(xform_name(operation), []).append(Call(service, operation))
    return found


def calls_in_source(text: str, *, models: frozenset[str] = frozenset()) -> set[Call]:
    """Return the AWS operations a module's source performs (boto3, and PynamoDB's on `models`)."""
    calls: set[Call] = set()
    names: set[str] = set()
    dynamodb: set[str] = set()
    tree = ast.parse(text)
    names_a_model = any(isinstance(n, ast.Name) and n.id in models for n in ast.walk(tree)) or any(
        isinstance(n, ast.alias) and n.name in models for n in ast.walk(tree)
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
                receiver = func.value.id if isinstance(func.value, ast.Name) else None
                if receiver in models:
                    dynamodb.update(PYNAMODB_CLASS_METHODS.get(func.attr, ()))
                dynamodb.update(PYNAMODB_CALLABLES.get(receiver or "", ()))
                if names_a_model:
                    dynamodb.update(PYNAMODB_INSTANCE_METHODS.get(func.attr, ()))
                    if func.attr == "update" and any(k.arg == "actions" for k in node.keywords):
                        dynamodb.add("UpdateItem")
            elif isinstance(func, ast.Name):
                names.add(func.id)
                dynamodb.update(PYNAMODB_CALLABLES.get(func.id, ()))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    for name in names:
        calls.update(_methods().get(name, ()))
    calls.update(Call("dynamodb", operation) for operation in dynamodb)
    return calls


def needs_iam(call: Call) -> bool:
    """Tell whether an operation is authorised by IAM (not by the caller's own user token)."""
    model = service_model(call.service)
    if call.operation not in model.operation_names:
        return True  # an IAM action inside another operation (a transaction's ConditionCheckItem)
    return model.operation_model(call.operation).auth_type != "none"


def iam_actions(call: Call) -> list[str]:
    """Return the IAM actions an operation needs."""
    prefix = service_model(call.service).metadata.get("signingName") or call.service
    if call.service == "s3":
        return [f"s3:{a}" for a in S3_ACTIONS.get(call.operation, [call.operation])]
    if call.service == "dynamodb" and call.operation in DYNAMODB_ACTIONS:
        return [f"dynamodb:{a}" for a in DYNAMODB_ACTIONS[call.operation]]
    if call.service == "lambda":
        return [f"lambda:{a}" for a in LAMBDA_ACTIONS.get(call.operation, [call.operation])]
    return [f"{prefix}:{call.operation}"]


# --- Which modules run where ---------------------------------------------------------------------


def module_path(module: str) -> Path | None:
    """Return the file of a project module, or None for a library's."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_closure(*entries: str) -> dict[str, Path]:
    """Return every project module the entry modules import, directly or not."""
    found: dict[str, Path] = {}
    pending = list(entries)
    while pending:
        module = pending.pop()
        if module in found:
            continue
        path = module_path(module)
        if path is None:
            continue
        found[module] = path
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                pending += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base]) if base else ".".join(parts)
                pending.append(base)
                pending += [f"{base}.{alias.name}" for alias in node.names]
    return found


def calls_of_modules(paths: Iterable[Path], *, models: frozenset[str] = frozenset()) -> set[Call]:
    """Return the operations performed by these files together."""
    calls: set[Call] = set()
    for path in paths:
        calls |= _calls_in_file(path, models)
    return calls


@cache  # the workloads share most modules; test_iam reads them while pytest collects
def _calls_in_file(path: Path, models: frozenset[str]) -> frozenset[Call]:
    return frozenset(calls_in_source(path.read_text(), models=models))


# --- The template's policies, resolved -----------------------------------------------------------


class Resolver:
    """Resolve a template's intrinsic functions for one example deployment."""

    def __init__(self, body: Mapping[str, Any], parameters: Mapping[str, str]) -> None:
        self.body = body
        self.values: dict[str, Any] = {
            name: spec.get("Default") for name, spec in body.get("Parameters", {}).items()
        }
        self.values.update(parameters)
        self.values.update(PSEUDO)

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.body["Conditions"][name]))

    def ref(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        resource = self.body["Resources"][name]
        kind = resource["Type"]
        props = resource.get("Properties", {})
        if kind == "AWS::S3::Bucket":
            return f"{self.values['AppName']}-{self.values['Stage']}-photobucket-abc"
        if kind == "AWS::Cognito::UserPool":
            return f"{REGION}_Pool"
        if kind == "AWS::SecretsManager::Secret":
            name = self.resolve(props["Name"])
            return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"
        if kind == "AWS::IAM::ManagedPolicy":
            return f"arn:aws:iam::{ACCOUNT}:policy/{name}"
        if "FunctionName" in props:
            return self.resolve(props["FunctionName"])
        if "TableName" in props:
            return self.resolve(props["TableName"])
        if "QueueName" in props:
            return (
                f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{self.resolve(props['QueueName'])}"
            )
        return name

    def get_att(self, name: str, attribute: str) -> Any:
        resource = self.body["Resources"][name]
        kind, props = resource["Type"], resource.get("Properties", {})
        if attribute == "Arn":
            if kind == "AWS::S3::Bucket":
                return f"arn:aws:s3:::{self.ref(name)}"
            if kind == "AWS::DynamoDB::Table":
                return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{self.ref(name)}"
            if kind == "AWS::Cognito::UserPool":
                return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{self.ref(name)}"
            if kind == "AWS::SQS::Queue":
                return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{self.resolve(props['QueueName'])}"
            if kind == "AWS::Lambda::Function":
                return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.ref(name)}"
            if kind == "AWS::IAM::Role":
                return f"arn:aws:iam::{ACCOUNT}:role/{name}"
        if kind == "AWS::SQS::Queue" and attribute == "QueueName":
            return self.resolve(props["QueueName"])
        return f"{name}.{attribute}"

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            resolved = [self.resolve(item) for item in node]
            return [item for item in resolved if item is not None]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                name, attribute = value if isinstance(value, list) else value.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                return self._sub(value)
            if key == "Fn::If":
                name, yes, no = value
                return self.resolve(yes if self.condition(name) else no)
            if key == "Fn::Join":
                separator, items = value
                return separator.join(str(item) for item in self.resolve(items))
            if key == "Fn::Select":
                index, items = value
                return self.resolve(items)[int(self.resolve(index))]
            if key == "Fn::Split":
                separator, text = value
                return str(self.resolve(text)).split(separator)
            if key == "Fn::Equals":
                left, right = self.resolve(value)
                return left == right
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::And":
                return all(self.resolve(value))
            if key == "Fn::Or":
                return any(self.resolve(value))
            if key == "Condition":
                return self.condition(value)
            if key == "Fn::GetAZs":
                return [f"{REGION}a", f"{REGION}b"]
        return {key: self.resolve(value) for key, value in node.items()}

    def _sub(self, value: Any) -> str:
        text, extra = (value, {}) if isinstance(value, str) else value

        def swap(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in extra:
                return str(self.resolve(extra[name]))
            if "." in name:
                resource, attribute = name.split(".", 1)
                return str(self.get_att(resource, attribute))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", swap, text)


def role_statements(body: Mapping[str, Any], role: str) -> list[dict[str, Any]]:
    """Return a role's Allow statements (inline and the template's managed policies), resolved."""
    resolver = Resolver(body, PARAMETERS)
    props = body["Resources"][role]["Properties"]
    documents = [policy["PolicyDocument"] for policy in props.get("Policies", [])]
    for arn in props.get("ManagedPolicyArns", []):
        if isinstance(arn, dict) and "Ref" in arn:
            documents.append(body["Resources"][arn["Ref"]]["Properties"]["PolicyDocument"])
    for resource in body["Resources"].values():
        # Separate AWS::IAM::Policy resources that name this role.
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role} in resource["Properties"].get(
            "Roles", []
        ):
            documents.append(resource["Properties"]["PolicyDocument"])
    statements = []
    for document in resolver.resolve(documents):
        for statement in document["Statement"]:
            if isinstance(statement, dict) and statement.get("Effect") == "Allow":
                statements.append(statement)
    return statements


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def allowed(statements: Iterable[Mapping[str, Any]], action: str, resource: str) -> bool:
    """Tell whether an Allow statement without a condition grants `action` on `resource`."""
    for statement in statements:
        if "Condition" in statement:
            continue
        if not any(
            fnmatch.fnmatch(action.lower(), a.lower()) for a in _as_list(statement["Action"])
        ):
            continue
        if any(fnmatch.fnmatchcase(resource, r) for r in _as_list(statement["Resource"])):
            return True
    return False


def wildcard_resources(statements: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the statements that grant on every resource (`*`)."""
    return [s for s in statements if "*" in _as_list(s["Resource"])]


def names_used(text: str) -> set[str]:
    """Return the plain names a module uses or imports (Photo in `Photo.get(...)`)."""
    tree = ast.parse(text)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return used | {
        node.asname or node.name for node in ast.walk(tree) if isinstance(node, ast.alias)
    }
