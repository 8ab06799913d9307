"""PynamoDB write helpers every app may need: outcome checks and an unversioned update.

Imports no app and no Django, like the rest of this floor.
"""

from __future__ import annotations

from typing import Any

from pynamodb.constants import KEY
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite


def _cancelled_for(exc: TransactWriteError, code: str) -> bool:
    reasons = exc.cancellation_reasons or []
    return any(reason is not None and reason.code == code for reason in reasons)


def condition_failed(exc: PynamoDBException) -> bool:
    """Return whether a write failed on its condition (a single write or a transaction)."""
    if isinstance(exc, TransactWriteError):
        return _cancelled_for(exc, "ConditionalCheckFailed")
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def transaction_conflict(exc: TransactWriteError) -> bool:
    """Return whether DynamoDB cancelled a transaction because another one touched its items.

    That cancellation is safe to retry, unlike a failed condition.
    """
    return _cancelled_for(exc, "TransactionConflict")


class Transaction(TransactWrite):
    """A TransactWrite that can also carry an update that leaves the version alone.

    PynamoDB's own `update` always bumps the model's VersionAttribute, which is right for an
    edit but wrong for a counter: a new comment must not make the photo's open edit form stale.
    PynamoDB has no public way to add such an update, so this appends the operation the way its
    own `update` does; a PynamoDB upgrade that changes that internal breaks only this method.
    """

    @classmethod
    def on(cls, model: type[Model], **options: Any) -> Transaction:
        """Return a transaction on the connection PynamoDB keeps for `model`'s table.

        `options` are TransactWrite's (client_request_token, return_item_collection_metrics).
        """
        return cls(connection=model._get_connection().connection, **options)

    def update_unversioned(
        self,
        model: type[Model],
        hash_key: Any,
        *,
        actions: list[Any],
        condition: Any = None,
        range_key: Any = None,
    ) -> None:
        """Add an update of one item to the transaction without a version check or bump."""
        operation = model._get_connection().get_operation_kwargs(
            hash_key, range_key=range_key, key=KEY, actions=actions, condition=condition
        )
        self._update_items.append(operation)
