"""Describe each PynamoDB model's table as CloudFormation properties.

The template in deploy/cloudformation.yaml is plain YAML that a reviewer reads; this module is
what the tests compare it with, and what prints the YAML for a new or changed model:

    python -m deploy.tables            # every table, as it belongs under Resources
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pynamodb.models import Model

from photosite.tables import table_models

# The template names tables `${AppName}-${Stage}-<table>`; the site's DYNAMODB_TABLE_PREFIX
# output is `${AppName}-${Stage}-`, so Meta.table is what follows the prefix.
TEMPLATE_PREFIX = "${AppName}-${Stage}-"


def logical_id(model: type[Model]) -> str:
    """Return the template's resource name for a model's table: share-links -> ShareLinksTable."""
    words = re.split(r"[^A-Za-z0-9]+", model.Meta.table)
    return "".join(word[:1].upper() + word[1:] for word in words) + "Table"


def table_properties(model: type[Model]) -> dict[str, Any]:
    """Return the CloudFormation properties of the table that backs a model."""
    schema = model._get_schema()
    props: dict[str, Any] = {
        "TableName": {"Fn::Sub": TEMPLATE_PREFIX + model.Meta.table},
        "BillingMode": "PAY_PER_REQUEST",
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
        "AttributeDefinitions": sorted(
            schema["attribute_definitions"], key=lambda item: item["AttributeName"]
        ),
        "KeySchema": _key_schema(schema["key_schema"]),
    }
    if schema["global_secondary_indexes"]:
        props["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index["index_name"],
                "KeySchema": _key_schema(index["key_schema"]),
                "Projection": _projection(index["projection"]),
            }
            for index in schema["global_secondary_indexes"]
        ]
    if schema["local_secondary_indexes"]:
        props["LocalSecondaryIndexes"] = [
            {
                "IndexName": index["index_name"],
                "KeySchema": _key_schema(index["key_schema"]),
                "Projection": _projection(index["projection"]),
            }
            for index in schema["local_secondary_indexes"]
        ]
    ttl = model._ttl_attribute()
    if ttl is not None:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl.attr_name, "Enabled": True}
    return props


def expected_tables() -> dict[str, dict[str, Any]]:
    """Return the properties of every model's table, by template logical id."""
    return {logical_id(model): table_properties(model) for model in table_models()}


def _key_schema(elements: list[dict[str, str]]) -> list[dict[str, str]]:
    # DynamoDB requires HASH before RANGE; PynamoDB lists them in attribute order.
    ordered = sorted(elements, key=lambda item: item["KeyType"] != "HASH")
    return [{"AttributeName": e["AttributeName"], "KeyType": e["KeyType"]} for e in ordered]


def _projection(projection: dict[str, Any]) -> dict[str, Any]:
    result = {"ProjectionType": projection["ProjectionType"]}
    if projection.get("NonKeyAttributes"):
        result["NonKeyAttributes"] = sorted(projection["NonKeyAttributes"])
    return result


def main() -> None:
    """Print every table as template YAML."""
    import yaml  # comes with cfn-lint; only this command needs it

    resources = {
        name: {"Type": "AWS::DynamoDB::Table", "Properties": props}
        for name, props in expected_tables().items()
    }
    text = yaml.safe_dump(resources, sort_keys=False, allow_unicode=True)
    text = text.replace("TableName:\n      Fn::Sub:", "TableName: !Sub")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
