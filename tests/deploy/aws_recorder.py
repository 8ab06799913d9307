"""A pytest plugin that records every AWS operation the site's code performs during a run.

Loaded with `-p tests.deploy.aws_recorder` and PHOTOSITE_AWS_RECORD=<file>: every botocore
call (PynamoDB's included, and presigned URLs, which carry an operation too) is written to
the file as JSON, with the resources it names and the workload whose code made it, found from
the call stack: the image edge function, the Cognito triggers, or else the web tier. Calls
made only by tests, the local bootstrap or the emulator's fixtures are not the site's and are
left out, as are calls signed with a browser's identity-pool credentials.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import botocore.client

ROOT = Path(__file__).resolve().parents[2]
NOT_THE_SITE = (
    "tests/",
    "photosite/bootstrap.py",
    "photosite/demo.py",
    "core/localstack.py",
    "core/dynamodb_local.py",
)
WORKLOADS = {"deploy/edge_handler.py": "edge", "accounts/triggers.py": "trigger"}

_records: list[dict[str, Any]] = []
_original = botocore.client.BaseClient._emit_api_params


def _workload() -> str | None:
    """Name the workload whose code is on the stack, or None for a test's own call."""
    frame = sys._getframe(2)
    project: list[str] = []
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts and "var" not in path.parts:
            project.append(path.relative_to(ROOT).as_posix())
        frame = frame.f_back
    site = [name for name in project if not name.startswith(NOT_THE_SITE)]
    if not site or any(name.startswith(NOT_THE_SITE[1:]) for name in project):
        return None
    for name in site:
        if name in WORKLOADS:
            return WORKLOADS[name]
    return "web"


def _resources(params: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("TableName", "IndexName", "Bucket", "Key", "UserPoolId", "SecretId"):
        if isinstance(params.get(key), str):
            found[key] = params[key]
    if isinstance(params.get("CopySource"), dict):
        found["CopySource"] = {k: params["CopySource"].get(k) for k in ("Bucket", "Key")}
    if isinstance(params.get("RequestItems"), dict):
        found["Tables"] = sorted(params["RequestItems"])
    if isinstance(params.get("TransactItems"), list):
        items = []
        for item in params["TransactItems"]:
            for kind, body in item.items():
                items.append([kind, body.get("TableName")])
        found["TransactItems"] = items
    return found


def _recording_emit(self, api_params, operation_model, context):
    workload = _workload()
    credentials = self._request_signer._credentials
    own_keys = {os.environ.get("AWS_ACCESS_KEY_ID"), "testing", "local", None}
    browser = credentials is not None and credentials.access_key not in own_keys
    if workload and not browser:
        _records.append(
            {
                "workload": workload,
                "service": self.meta.service_model.service_name,
                "operation": operation_model.name,
                "presigned": bool(context.get("is_presign_request")),
                "resources": _resources(api_params),
            }
        )
    return _original(self, api_params, operation_model, context)


def pytest_configure(config):
    botocore.client.BaseClient._emit_api_params = _recording_emit


def pytest_unconfigure(config):
    botocore.client.BaseClient._emit_api_params = _original
    target = os.environ.get("PHOTOSITE_AWS_RECORD")
    if target:
        Path(target).write_text(json.dumps(_records))
