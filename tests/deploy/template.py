"""Load deploy/cloudformation.yaml for the tests, with the short-form tags expanded."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "deploy" / "cloudformation.yaml"


@cache
def _load() -> str:
    # Imported here: cfn-lint takes 0.6 s to import (sympy), which every pytest worker would pay
    # while collecting, whether or not it runs a deploy test.
    from cfnlint.decode import cfn_yaml

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


def resolved(value: Any, parameters: dict[str, str] | None = None) -> Any:
    """Return a value with `Ref`s to parameters and `Fn::FindInMap` worked out, as
    CloudFormation would with these parameter values (the defaults for the rest)."""
    whole = template()
    given = {
        name: declared.get("Default") for name, declared in whole.get("Parameters", {}).items()
    }
    given.update(parameters or {})
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in given:
        return given[value["Ref"]]
    if isinstance(value, dict) and set(value) == {"Fn::FindInMap"}:
        mapping, top, second = (resolved(part, parameters) for part in value["Fn::FindInMap"])
        return whole["Mappings"][mapping][top][second]
    return value
