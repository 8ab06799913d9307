"""botocore's parser of DynamoDB answers, minus its walk over every plain attribute value.

botocore parses a DynamoDB answer by walking the service model: each attribute value of each
item is an `AttributeValue` structure whose ten possible members it looks up one by one, which
is most of the CPU a 24-item Query costs the site. For a value that is a string, a number, a
set of either, a boolean or a null, the JSON on the wire is already exactly what that walk
returns (the same keys, strings, lists and booleans), so it is taken as it came. Binary values
(base64 on the wire, bytes once parsed), maps and lists still go through botocore's own code.
"""

from __future__ import annotations

from typing import Any

from botocore import parsers

# AttributeValue members whose JSON form is their parsed form.
PLAIN = frozenset({"S", "N", "SS", "NS", "BOOL", "NULL"})


def is_plain(value: Any) -> bool:
    """Tell whether an attribute value's JSON form is its parsed form."""
    if type(value) is not dict or len(value) != 1:
        return False
    for kind in value:
        return kind in PLAIN
    return False


class DynamoDBJSONParser(parsers.JSONParser):
    """botocore's JSON-protocol parser with plain attribute values passed through."""

    def _handle_map(self, shape: Any, value: Any) -> Any:
        # An item (name to value) whose values are all plain: the whole map as it came.
        if (
            shape.value.name == "AttributeValue"
            and type(value) is dict
            and all(is_plain(member) for member in value.values())
        ):
            return value
        return super()._handle_map(shape, value)

    def _handle_structure(self, shape: Any, value: Any) -> Any:
        if shape.name == "AttributeValue" and is_plain(value):
            return value
        return super()._handle_structure(shape, value)


class ResponseParserFactory(parsers.ResponseParserFactory):
    """A parser factory (a botocore session component) that makes the parser above for JSON.

    Only for a DynamoDB client's session: other JSON services have no `AttributeValue`, but
    there is no reason to run their answers through it.
    """

    def create_parser(self, protocol_name: str) -> Any:
        if protocol_name == "json":
            return DynamoDBJSONParser(**self._defaults)
        return super().create_parser(protocol_name)
