"""Load deploy/cloudformation.yaml for the tests, with the short-form tags expanded."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "deploy" / "cloudformation.yaml"


@cache
def _load() -> str:
    # cfn-lint's loader understands !Ref, !Sub, !If ...; JSON makes plain dicts out of its nodes.
    return json.dumps(cfn_yaml.load(str(TEMPLATE_PATH)))


def template() -> dict[str, Any]:
    """Return a fresh copy of the template as plain dicts and lists."""
    return json.loads(_load())


def resources_of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    """Return the template's resources of one type, by logical id."""
    return {
        name: resource
        for name, resource in template()["Resources"].items()
        if resource["Type"] == resource_type
    }


def properties(logical_id: str) -> dict[str, Any]:
    """Return one resource's Properties."""
    return template()["Resources"][logical_id]["Properties"]
