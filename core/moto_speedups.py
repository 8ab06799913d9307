"""Make the embedded moto server cheaper to run, answering exactly as before.

moto is written for correctness of its answers, not for their cost: each request lists its
handler's methods, each DynamoDB item answer walks botocore's model attribute by attribute, and
each transaction deep-copies every table it touches, with all their items. The local stack
(`make run`, the tests, the benchmarks) installs these replacements once per process; each keeps
moto's answers as they were and is checked in tests/core/test_moto_speedups.py.
"""

from __future__ import annotations

import base64
import copy
import datetime
import functools
import json
import os
from collections.abc import Iterable
from typing import Any

_INSTALLED = False


def install() -> None:
    """Install every speed-up, once per process (moto is imported here, not by importers)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _memoize_moto_lookups()
    _serialize_dynamodb_items_directly()
    _roll_back_transactions_by_item()
    _parse_each_update_expression_once()
    _cheap_request_ids()
    _INSTALLED = True


def _memoize_moto_lookups() -> None:
    """Remember the action methods of moto's response classes instead of listing them (with
    inspect.getmembers) on every request: a class's methods do not change while it serves."""
    import moto.core.responses as responses

    responses.method_names_from_class = functools.cache(responses.method_names_from_class)


# Item operations whose answer moto builds as plain DynamoDB JSON already: json.dumps writes it
# exactly as moto's model-driven serializer does (compared over the whole suite: no difference
# for these; table descriptions and DeleteItem differ, so they keep moto's serializer).
_DIRECT_JSON_OPERATIONS = frozenset(
    {"GetItem", "PutItem", "UpdateItem", "Query", "Scan", "BatchGetItem"}
)


def _serialize_dynamodb_items_directly() -> None:
    """Write DynamoDB item answers with json.dumps instead of moto's serializer, which walks
    botocore's model for every attribute of every item: about a tenth of a test's CPU."""
    from moto.dynamodb.responses import DynamoResult

    by_model = DynamoResult.execute_result

    def execute_result(self: Any, context: Any) -> Any:
        if context.operation_model.name not in _DIRECT_JSON_OPERATIONS:
            return by_model(self, context)
        body = json.dumps(self.result, default=_json_of)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, body

    execute_result.direct = True  # type: ignore[attr-defined]
    DynamoResult.execute_result = execute_result


def _json_of(value: Any) -> Any:
    """What DynamoDB's JSON protocol writes for the two non-JSON types moto's results hold."""
    if isinstance(value, bytes | bytearray):  # B and BS values
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime):  # epoch seconds, as the protocol's timestamps
        return value.timestamp()
    raise TypeError(f"not serializable: {type(value).__name__}")


def _roll_back_transactions_by_item() -> None:
    """Let a failed TransactWriteItems put back the items it touched, not whole tables.

    moto deep-copies every table a transaction names, with all its items, before running it,
    so that it can restore them if the transaction is cancelled: a cost that grows with
    everything stored, paid by every transaction (a comment, a report, an album change). Here
    moto's copy of a table is the table itself, and the items the transaction names are copied
    instead, then put back if it fails. Every write holds the local stack's DynamoDB write
    lock, so nothing else writes in between, as before.
    """
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    whole_tables = models.DynamoDBBackend.transact_write_items

    class TablesNotCopied:
        """The `copy` module as moto.dynamodb.models sees it: a table "copy" is the table."""

        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        before = list(_items_before(self, transact_items))
        try:
            return whole_tables(self, transact_items)
        except BaseException:
            # Newest first, so an item named twice ends as it was before the first.
            for table, hash_value, range_value, item in reversed(before):
                _put_back(table, hash_value, range_value, item)
            raise

    models.copy = TablesNotCopied()  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items


def _items_before(backend: Any, transact_items: Iterable[dict[str, Any]]) -> Iterable[tuple]:
    """Yield (table, hash, range, copy of the item or None) for each item a transaction names.

    An entry whose table or key cannot be read (a missing attribute, a number that is not one)
    is skipped: moto refuses it, as it would have, before it writes.
    """
    from moto.dynamodb.models.dynamo_type import DynamoType

    for entry in transact_items:
        try:
            ((kind, operation),) = entry.items()
            table = backend.tables[operation["TableName"]]
            key = operation["Item"] if kind == "Put" else operation["Key"]
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            item = table.get_item(hash_value, range_value)
        except Exception:  # noqa: S112 (a malformed key: moto's own checks answer for it)
            continue
        yield table, hash_value, range_value, copy.deepcopy(item)


def _put_back(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    """Store `item` under its key in moto's table, or remove the key's item if it is None."""
    if range_value is None:
        if item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item
    elif item is None:
        table.items.get(hash_value, {}).pop(range_value, None)
    else:
        table.items[hash_value][range_value] = item


def _parse_each_update_expression_once() -> None:
    """Parse each distinct UpdateExpression once: moto tokenizes and parses the same few
    expressions (the site's counters, versions, claims) two or three times per update.

    Safe to share: moto reads the parsed tree (`find_clauses`) and its validator works on a deep
    copy, which the executor then changes. A refused expression raises and is not remembered.
    """
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    parse = UpdateExpressionParser.make

    @functools.lru_cache(maxsize=1024)
    def make(expression: str) -> Any:
        return parse(expression)

    UpdateExpressionParser.make = make  # type: ignore[method-assign]


def _cheap_request_ids() -> None:
    """Draw each answer's request id from os.urandom: moto picks its 52 characters one by one
    with random.choice, 1% of the suite's CPU. Still 52 letters and digits, never repeated."""
    import moto.core.responses as responses

    def request_id(headers: dict[str, Any] | None = None) -> str:
        value = base64.b32encode(os.urandom(35)).decode("ascii")[:52]
        if isinstance(headers, dict):
            headers["x-amzn-requestid"] = value
        return value

    responses.gen_amzn_requestid_long = request_id
