"""Split a stack update into the steps DynamoDB accepts: one new or removed GSI per table each.

DynamoDB creates or deletes at most one global secondary index of a table per UpdateTable, so
CloudFormation fails a stack update that adds two indexes to one existing table ("Cannot
perform more than one GSI creation or deletion in a single update") and rolls the whole stack
back. The local emulator accepts any such update, so `update_refusals` states the rule here and
the tests hold every step to it.

A release whose template adds (or removes) several indexes of one table is deployed as steps:
each intermediate step is the *deployed* template with one more index change per table (the
code, its parameters and every other resource stay as they are, so the running site never
queries an index that is not there yet), and the last step is the new template itself.

    # the deployed template, straight from CloudFormation
    python -m deploy.index_rollout --stack photosite-prod-Infra -o var/rollout
    # or from a file (a release tag's deploy/cloudformation.yaml)
    python -m deploy.index_rollout --deployed old.yaml -o var/rollout

It writes `step-1.json` ... for the intermediate steps (none when one update is enough) and
prints the commands; deploy them in order, each with the stack's previous parameters, then
the release as usual (docs/deploy.md, "Releases that add indexes").
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

TABLE_TYPE = "AWS::DynamoDB::Table"
TEMPLATE_PATH = Path(__file__).resolve().parent / "cloudformation.yaml"

Template = dict[str, Any]


def load_template(text: str) -> Template:
    """Parse a CloudFormation template (YAML with short-form tags, or JSON) into plain dicts."""
    from cfnlint.decode import cfn_yaml  # a deploy-time dependency (requirements-test.txt)

    # cfn-lint's nodes carry line numbers; a JSON round trip leaves plain dicts and lists.
    return json.loads(json.dumps(cfn_yaml.loads(text)))


def table_properties(template: Template) -> dict[str, dict[str, Any]]:
    """Return the Properties of every DynamoDB table in a template, by logical id."""
    return {
        name: resource.get("Properties", {})
        for name, resource in template.get("Resources", {}).items()
        if resource.get("Type") == TABLE_TYPE
    }


def indexes_by_name(props: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return a table's global secondary indexes by name."""
    return {index["IndexName"]: index for index in props.get("GlobalSecondaryIndexes") or []}


def index_changes(old: Template, new: Template) -> dict[str, tuple[list[str], list[str]]]:
    """Return, per table in both templates, the GSIs the update creates and deletes.

    An index whose keys or projection change under the same name is deleted and created again:
    DynamoDB cannot change either in place.
    """
    changes = {}
    new_tables = table_properties(new)
    for name, old_props in table_properties(old).items():
        if name not in new_tables:
            continue
        before, after = indexes_by_name(old_props), indexes_by_name(new_tables[name])
        changed = [key for key in before.keys() & after.keys() if before[key] != after[key]]
        created = [key for key in after if key not in before or key in changed]
        deleted = [key for key in before if key not in after or key in changed]
        if created or deleted:
            changes[name] = (created, deleted)
    return changes


def update_refusals(old: Template, new: Template) -> list[str]:
    """Return why AWS would refuse to update a stack from `old` to `new` (empty when it would not).

    The rule: at most one GSI creation or deletion per table in one update.
    """
    return [
        f"{name}: creates {created or 'none'} and deletes {deleted or 'none'} global secondary "
        "indexes in one update; DynamoDB allows one creation or deletion per update"
        for name, (created, deleted) in sorted(index_changes(old, new).items())
        if len(created) + len(deleted) > 1
    ]


def key_attributes(props: dict[str, Any]) -> set[str]:
    """Return every attribute a key of the table or of one of its indexes uses."""
    schemas = [props.get("KeySchema", [])]
    for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        schemas += [index["KeySchema"] for index in props.get(group) or []]
    return {key["AttributeName"] for schema in schemas for key in schema}


def _table_after(old_props: dict[str, Any], new_props: dict[str, Any], done: int) -> dict[str, Any]:
    """Return the old table's properties with its first `done` index changes applied:
    deletions first (they make room under the 20-index limit), then creations in the new
    template's order."""
    created, deleted = index_changes(
        {"Resources": {"T": {"Type": TABLE_TYPE, "Properties": old_props}}},
        {"Resources": {"T": {"Type": TABLE_TYPE, "Properties": new_props}}},
    ).get("T", ([], []))
    steps = [("delete", name) for name in deleted] + [("create", name) for name in created]
    indexes = dict(indexes_by_name(old_props))
    for action, name in steps[:done]:
        if action == "delete":
            indexes.pop(name)
        else:
            indexes[name] = indexes_by_name(new_props)[name]
    props = copy.deepcopy(old_props)
    if indexes:
        props["GlobalSecondaryIndexes"] = list(indexes.values())
    else:
        props.pop("GlobalSecondaryIndexes", None)
    # DynamoDB refuses attribute definitions that no key uses, and keys without a definition.
    types = {
        item["AttributeName"]: item
        for source in (old_props, new_props)
        for item in source.get("AttributeDefinitions", [])
    }
    props["AttributeDefinitions"] = [types[name] for name in sorted(key_attributes(props))]
    return props


def rollout(old: Template, new: Template) -> list[Template]:
    """Return the templates to deploy in order, the last being `new` itself."""
    changes = index_changes(old, new)
    count = max((len(created) + len(deleted) for created, deleted in changes.values()), default=0)
    old_tables, new_tables = table_properties(old), table_properties(new)
    steps = []
    for done in range(1, count):
        step = copy.deepcopy(old)
        for name in changes:
            step["Resources"][name]["Properties"] = _table_after(
                old_tables[name], new_tables[name], done
            )
        steps.append(step)
    return [*steps, new]


def _deployed_template(stack: str) -> str:
    import boto3

    body = boto3.client("cloudformation").get_template(StackName=stack, TemplateStage="Original")[
        "TemplateBody"
    ]
    # boto3 hands a JSON template back already parsed.
    return body if isinstance(body, str) else json.dumps(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", help="the deployed stack's name (read with GetTemplate)")
    source.add_argument("--deployed", type=Path, help="the deployed template, as a file")
    parser.add_argument("--target", type=Path, default=TEMPLATE_PATH)
    parser.add_argument("-o", "--output", type=Path, default=Path("var/rollout"))
    args = parser.parse_args(argv)

    deployed = _deployed_template(args.stack) if args.stack else args.deployed.read_text()
    steps = rollout(load_template(deployed), load_template(args.target.read_text()))
    args.output.mkdir(parents=True, exist_ok=True)
    for old_file in args.output.glob("step-*.json"):
        old_file.unlink()
    for number, step in enumerate(steps[:-1], start=1):
        path = args.output / f"step-{number}.json"
        path.write_text(json.dumps(step, separators=(",", ":")))
        print(
            f"aws cloudformation deploy --stack-name <stack> --template-file {path} "
            "--s3-bucket <artifacts bucket> --capabilities CAPABILITY_NAMED_IAM"
        )
    if len(steps) == 1:
        print("One update is enough: deploy the new template as usual.")
    else:
        print(f"Then the release itself ({args.target}) as usual: {len(steps)} updates in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
