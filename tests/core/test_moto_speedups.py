"""core.moto_speedups: moto answers as before, at less cost."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from core import aws

HASH_TABLE, RANGE_TABLE = "speedups-hash", "speedups-range"


@pytest.fixture
def dynamodb(aws_stack):
    """The suite's emulator with two small tables of its own: one keyed k, one keyed k and r."""
    client = aws.client("dynamodb")
    for name, keys in ((HASH_TABLE, ("k",)), (RANGE_TABLE, ("k", "r"))):
        client.create_table(
            TableName=name,
            KeySchema=[
                {"AttributeName": key, "KeyType": kind}
                for key, kind in zip(keys, ("HASH", "RANGE"), strict=False)
            ],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
            BillingMode="PAY_PER_REQUEST",
        )
    client.put_item(TableName=HASH_TABLE, Item={"k": {"S": "a"}, "v": {"N": "1"}})
    client.put_item(TableName=RANGE_TABLE, Item={"k": {"S": "x"}, "r": {"S": "1"}, "v": {"N": "1"}})
    return client


@pytest.fixture
def tables_never_copied(monkeypatch):
    """Fail any test during which moto deep-copies a whole table."""
    from moto.dynamodb.models.table import Table

    def refuse(self, memo):
        raise AssertionError(f"table {self.name} was deep-copied")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)


def _items(client) -> dict[str, list[dict]]:
    return {
        name: sorted(client.scan(TableName=name)["Items"], key=repr)
        for name in (HASH_TABLE, RANGE_TABLE)
    }


def _set_v(key: str, number: str) -> dict:
    """A transaction's update that sets item `key`'s v to `number`."""
    return {
        "Update": {
            "TableName": HASH_TABLE,
            "Key": {"k": {"S": key}},
            "UpdateExpression": "SET v = :v",
            "ExpressionAttributeValues": {":v": {"N": number}},
        }
    }


def _cancelled(client, operations: list[dict]) -> str:
    with pytest.raises(ClientError) as caught:
        client.transact_write_items(TransactItems=operations)
    return caught.value.response["Error"]["Code"]


def test_a_cancelled_transaction_leaves_every_item_as_it_was(dynamodb, tables_never_copied):
    before = _items(dynamodb)
    code = _cancelled(
        dynamodb,
        [
            {"Put": {"TableName": HASH_TABLE, "Item": {"k": {"S": "new"}}}},
            _set_v("a", "2"),
            {"Delete": {"TableName": RANGE_TABLE, "Key": {"k": {"S": "x"}, "r": {"S": "1"}}}},
            {"Put": {"TableName": RANGE_TABLE, "Item": {"k": {"S": "x"}, "r": {"S": "2"}}}},
            {
                "ConditionCheck": {
                    "TableName": HASH_TABLE,
                    "Key": {"k": {"S": "missing"}},
                    "ConditionExpression": "attribute_exists(k)",
                }
            },
        ],
    )
    assert code == "TransactionCanceledException"
    assert _items(dynamodb) == before


def test_an_item_named_twice_is_refused_and_its_first_change_undone(dynamodb, tables_never_copied):
    before = _items(dynamodb)
    code = _cancelled(
        dynamodb,
        [
            _set_v("a", "5"),
            {"Put": {"TableName": HASH_TABLE, "Item": {"k": {"S": "a"}, "v": {"N": "6"}}}},
        ],
    )
    assert code == "ValidationException"
    assert _items(dynamodb) == before


def test_a_malformed_key_is_refused_by_moto_as_before_and_nothing_stays(
    dynamodb, tables_never_copied
):
    before = _items(dynamodb)
    code = _cancelled(
        dynamodb,
        [
            {"Put": {"TableName": HASH_TABLE, "Item": {"k": {"S": "new"}}}},
            {"Delete": {"TableName": HASH_TABLE, "Key": {"k": {"N": "not a number"}}}},
        ],
    )
    assert code == "TransactionCanceledException"
    assert _items(dynamodb) == before


def test_a_transaction_that_succeeds_writes_all_of_it(dynamodb, tables_never_copied):
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": HASH_TABLE, "Item": {"k": {"S": "new"}}}},
            {"Delete": {"TableName": RANGE_TABLE, "Key": {"k": {"S": "x"}, "r": {"S": "1"}}}},
        ]
    )
    assert _items(dynamodb) == {
        HASH_TABLE: sorted([{"k": {"S": "a"}, "v": {"N": "1"}}, {"k": {"S": "new"}}], key=repr),
        RANGE_TABLE: [],
    }


def test_an_update_expression_parsed_once_still_updates_each_item_with_its_own_values(dynamodb):
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    dynamodb.put_item(TableName=HASH_TABLE, Item={"k": {"S": "b"}, "v": {"N": "10"}})
    expression = "SET v = v + :step, tags = list_append(if_not_exists(tags, :none), :tag)"
    for key, step in (("a", "2"), ("b", "5"), ("a", "3")):
        dynamodb.update_item(
            TableName=HASH_TABLE,
            Key={"k": {"S": key}},
            UpdateExpression=expression,
            ExpressionAttributeValues={
                ":step": {"N": step},
                ":none": {"L": []},
                ":tag": {"L": [{"S": step}]},
            },
        )
    with pytest.raises(ClientError):  # not an expression: refused, and nothing remembered
        dynamodb.update_item(
            TableName=HASH_TABLE,
            Key={"k": {"S": "c"}},
            UpdateExpression="SET v = v +",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    items = {item["k"]["S"]: item for item in _items(dynamodb)[HASH_TABLE]}
    assert items["a"]["v"] == {"N": "6"} and items["a"]["tags"] == {"L": [{"S": "2"}, {"S": "3"}]}
    assert items["b"]["v"] == {"N": "15"} and items["b"]["tags"] == {"L": [{"S": "5"}]}
    assert UpdateExpressionParser.make.cache_info().hits >= 2


def test_request_ids_are_52_letters_and_digits_and_never_repeat(dynamodb):
    ids = [dynamodb.list_tables()["ResponseMetadata"]["RequestId"] for _ in range(20)]
    assert all(re.fullmatch(r"[A-Za-z0-9]{52}", value) for value in ids), ids
    assert len(set(ids)) == len(ids)


def test_item_answers_written_directly_read_back_every_attribute_type(aws_stack):
    from moto.dynamodb.responses import DynamoResult

    from gallery.models import Photo

    assert DynamoResult.execute_result.direct  # the direct writer is the one answering
    item = {
        "photo_id": {"S": "every-type"},
        "n": {"N": "-12.50"},
        "b": {"B": b"\x00\xffbytes"},
        "bs": {"BS": [b"\x01", b"\x02"]},
        "ss": {"SS": ["a", "爱"]},
        "ns": {"NS": ["1", "2"]},
        "l": {"L": [{"S": "x"}, {"N": "3"}, {"NULL": True}]},
        "m": {"M": {"nested": {"BOOL": False}, "bin": {"B": b"\x10"}}},
    }
    client = aws.client("dynamodb")
    client.put_item(TableName=Photo.Meta.table_name, Item=item)

    got = client.get_item(TableName=Photo.Meta.table_name, Key={"photo_id": {"S": "every-type"}})
    scanned = client.scan(TableName=Photo.Meta.table_name)["Items"]

    def same(read: dict) -> bool:
        normal = {
            k: {t: sorted(v) if t in {"BS", "SS", "NS"} else v}
            for k, d in read.items()
            for t, v in d.items()
        }
        wanted = {
            k: {t: sorted(v) if t in {"BS", "SS", "NS"} else v}
            for k, d in item.items()
            for t, v in d.items()
        }
        return normal == wanted

    assert same(got["Item"]) and same(scanned[0])
