"""The shared DynamoDB client's parser: the same answers as botocore's own, for every type."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import botocore.session
from botocore import parsers

from core import aws
from core.dynamodb_parser import DynamoDBJSONParser, ResponseParserFactory

# One attribute of every DynamoDB type, nested ones holding binaries too.
EVERY_TYPE = {
    "s": {"S": "text 照片"},
    "n": {"N": "42.50"},
    "b": {"B": "AAEC/w=="},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": ["AAE=", "/w=="]},
    "m": {"M": {"inner": {"S": "x"}, "bytes": {"B": "AAE="}, "deeper": {"M": {"n": {"N": "1"}}}}},
    "l": {"L": [{"S": "x"}, {"N": "2"}, {"B": "/w=="}, {"L": [{"BOOL": False}]}]},
    "null": {"NULL": True},
    "bool": {"BOOL": True},
}


def parse(parser, operation: str, body: dict) -> dict:
    model = botocore.session.get_session().get_service_model("dynamodb")
    response = {"status_code": 200, "headers": {}, "body": json.dumps(body).encode()}
    parsed = parser.parse(response, model.operation_model(operation).output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


PLAIN_ONLY = {name: EVERY_TYPE[name] for name in ("s", "n", "ss", "ns", "null", "bool")}


def test_every_type_parses_as_botocore_parses_it():
    answer = {
        # Items of plain values only (taken whole) between items holding binaries and nesting.
        "Items": [{**(EVERY_TYPE if i % 2 else PLAIN_ONLY), "id": {"S": str(i)}} for i in range(4)],
        "Count": 4,
        "LastEvaluatedKey": {"id": {"S": "3"}, "bin": {"B": "AAE="}},
    }
    ours = parse(ResponseParserFactory().create_parser("json"), "Query", answer)
    theirs = parse(parsers.ResponseParserFactory().create_parser("json"), "Query", answer)

    assert ours == theirs
    assert ours["Items"][0] == {**PLAIN_ONLY, "id": {"S": "0"}}
    assert ours["Items"][1]["b"] == {"B": b"\x00\x01\x02\xff"}
    assert ours["Items"][1]["m"]["M"]["bytes"] == {"B": b"\x00\x01"}
    assert ours["Items"][1]["l"]["L"][2] == {"B": b"\xff"}
    assert ours["LastEvaluatedKey"]["bin"] == {"B": b"\x00\x01"}


def test_errors_parse_as_botocore_parses_them():
    model = botocore.session.get_session().get_service_model("dynamodb")
    response = {
        "status_code": 400,
        "headers": {},
        "body": json.dumps(
            {
                "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                "message": "The conditional request failed",
                "Item": {"s": {"S": "x"}},
            }
        ).encode(),
    }
    shape = model.operation_model("PutItem").output_shape
    ours = ResponseParserFactory().create_parser("json").parse(dict(response), shape)
    theirs = parsers.ResponseParserFactory().create_parser("json").parse(dict(response), shape)

    assert ours["Error"] == theirs["Error"]
    assert ours["Error"]["Code"] == "ConditionalCheckFailedException"


def test_the_shared_client_reads_every_type_as_a_standard_client_does(aws_stack):
    shared = aws.client("dynamodb")
    standard = boto3.session.Session().client(
        "dynamodb",
        region_name=shared.meta.region_name,
        endpoint_url=shared.meta.endpoint_url,
        config=aws.settings().botocore_config(),
    )
    table = aws.settings().table_prefix + "photos"
    shared.put_item(TableName=table, Item={"photo_id": {"S": "every-type"}, **EVERY_TYPE})
    key = {"photo_id": {"S": "every-type"}}

    ours = shared.get_item(TableName=table, Key=key)["Item"]
    theirs = standard.get_item(TableName=table, Key=key)["Item"]

    assert ours == theirs
    assert ours["ns"]["NS"] and Decimal(ours["n"]["N"]) == Decimal("42.5")
    # The shared client is built with this parser (botocore keeps the factory on the endpoint).
    assert isinstance(shared._endpoint._response_parser_factory, ResponseParserFactory)
    assert isinstance(
        shared._endpoint._response_parser_factory.create_parser("json"), DynamoDBJSONParser
    )
