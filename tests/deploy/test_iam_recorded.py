"""The IAM check of test_iam.py, against what the site really does in its journeys.

Representative journeys of the suite (an account's whole life through the pages, the Cognito
triggers, the image edge function, user administration, upload, comments and share links) run
in a child pytest with tests/deploy/aws_recorder.py, which records every AWS operation the
site's code performs, with the tables, indexes, keys and pools it names. Each recorded call
must be one the code scan found (so the scan misses nothing the code does at run time), and
the role that runs it must allow it on exactly those resources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from photosite.tables import table_models
from tests.deploy import iam
from tests.deploy.template import template
from tests.deploy.test_iam import BUCKET, PREFIX, STORAGE_CALLS, workloads

pytestmark = pytest.mark.aws

JOURNEYS = [
    "tests/accounts/test_journey.py",
    "tests/accounts/test_triggers.py",
    "tests/deploy/test_edge_handler.py",
    "tests/moderation/test_admin_users.py",
    "tests/gallery/test_views.py",
]
# Of the gallery's pages, one of each journey (the whole file is long).
SELECTED = (
    "not test_views or uploading_one_photo or completing or comments_post or authors_edit"
    " or sharing_makes or owner_deletes or search_finds or detail_page or reads_no_photo_bytes"
)
ROLES = {"web": ["WebRole", "TaskRole"], "trigger": ["TriggerRole"], "edge": ["EdgeRole"]}
SCANNED = {"web": "web on ECS", "trigger": "Cognito triggers", "edge": "image edge"}
TRANSACTION_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
POOL_ARN = f"arn:aws:cognito-idp:{iam.REGION}:{iam.ACCOUNT}:userpool/{iam.REGION}_Pool"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> list[dict]:
    target = tmp_path_factory.mktemp("record") / "calls.json"
    env = {**os.environ, "PHOTOSITE_AWS_RECORD": str(target)}
    # The child starts its own moto server; this session's endpoint must not leak into it.
    for key in ("AWS_ENDPOINT_URL", "COGNITO_JWKS_URL"):
        env.pop(key, None)
    env.pop("PYTEST_XDIST_WORKER_COUNT", None)  # a single process: no warm imports (conftest)
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, "-p", "tests.deploy.aws_recorder", "-k", SELECTED, *JOURNEYS],
        cwd=iam.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return json.loads(target.read_text())


def _table_arn(table_name: str) -> str:
    (model,) = [m for m in table_models() if m.Meta.table_name == table_name]
    return f"arn:aws:dynamodb:{iam.REGION}:{iam.ACCOUNT}:table/{PREFIX}{model.Meta.table}"


def needed(record: dict) -> list[tuple[str, str]]:
    """Return (IAM action, ARN) pairs a recorded call needs, on the stack's resources."""
    call = iam.Call(record["service"], record["operation"])
    if not iam.needs_iam(call):
        return []
    found = record["resources"]
    service = record["service"]
    if service == "dynamodb":
        if "TransactItems" in found:
            return [
                (f"dynamodb:{TRANSACTION_ACTIONS[kind]}", _table_arn(table))
                for kind, table in found["TransactItems"]
            ]
        tables = found.get("Tables") or [found["TableName"]]
        arns = [_table_arn(table) for table in tables]
        if "IndexName" in found:
            arns = [f"{arns[0]}/index/{found['IndexName']}"]
        return [(action, arn) for action in iam.iam_actions(call) for arn in arns]
    if service == "s3":
        pairs = []
        if "CopySource" in found:
            pairs.append(("s3:GetObject", f"arn:aws:s3:::{BUCKET}/{found['CopySource']['Key']}"))
            return [*pairs, ("s3:PutObject", f"arn:aws:s3:::{BUCKET}/{found['Key']}")]
        for action in iam.iam_actions(call):
            if action in {f"s3:{a}" for a in iam.S3_BUCKET_ACTIONS}:
                pairs.append((action, f"arn:aws:s3:::{BUCKET}"))
            else:
                pairs.append((action, f"arn:aws:s3:::{BUCKET}/{found['Key']}"))
        return pairs
    if service == "cognito-idp":
        return [(action, POOL_ARN) for action in iam.iam_actions(call)]
    raise AssertionError(f"no resource mapping for {record}")


def test_the_journeys_exercise_every_workload(recorded):
    seen = {(r["workload"], r["service"], r["operation"]) for r in recorded}
    assert {
        ("web", "cognito-idp", "AdminCreateUser"),
        ("web", "cognito-idp", "AdminDisableUser"),
        ("web", "dynamodb", "TransactWriteItems"),
        ("web", "s3", "CopyObject"),
        ("trigger", "cognito-idp", "AdminAddUserToGroup"),
        ("edge", "s3", "PutObject"),
        ("edge", "dynamodb", "GetItem"),
    } <= seen


def test_every_operation_performed_is_one_the_code_scan_found(recorded):
    scanned = {name: calls for name, (_roles, calls, _m, _k) in workloads().items()}
    missed = {
        (r["workload"], r["service"], r["operation"])
        for r in recorded
        if iam.Call(r["service"], r["operation"])
        not in scanned[SCANNED[r["workload"]]] | STORAGE_CALLS
    }
    assert missed == set()


def test_every_call_performed_is_allowed_to_its_role_on_its_resources(recorded):
    body = template()
    statements = {
        role: iam.role_statements(body, role) for roles in ROLES.values() for role in roles
    }
    refused = set()
    for record in recorded:
        for action, arn in needed(record):
            for role in ROLES[record["workload"]]:
                if not iam.allowed(statements[role], action, arn):
                    refused.add((role, action, arn))
    assert refused == set()


def test_the_check_refuses_a_call_the_role_does_not_allow(recorded):
    # The edge function reads photos/ and derivatives/ only: a key elsewhere is refused.
    edge = iam.role_statements(template(), "EdgeRole")
    record = {
        "workload": "edge",
        "service": "s3",
        "operation": "GetObject",
        "resources": {"Bucket": "b", "Key": "private/someone/p1.jpg"},
    }
    ((action, arn),) = needed(record)
    assert not iam.allowed(edge, action, arn)
