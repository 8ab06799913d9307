"""Activity counters for the admin dashboard: one DynamoDB item per counter, atomic ADD.

The dashboard shows uploads and comments per day (UTC) and how many photos and comments are
hidden. Counting those from the indexes on every load would read the last 30 days of items;
instead each write that changes a count adds to its counter **in the same transaction** as
the write itself, so a count is exact the moment the write commits, and a write that fails,
or a retry of one that already committed (its own condition or idempotency token refuses it),
counts nothing.

Counters (`counter_key`):
- `uploads#<YYYY-MM-DD>`: photos published that day (activity: a later deletion does not
  uncount it);
- `comments#<YYYY-MM-DD>`: comments written that day (likewise);
- `hidden#photo`, `hidden#comment`: photos and comments hidden now (hide adds, unhide and the
  deletion of a hidden item subtract).

Every concurrent transaction that counts the same thing touches the same item, and DynamoDB
cancels one of two such transactions with TransactionConflict; `transaction_retried` runs a
transaction again in that case (nothing of a cancelled transaction was applied).

Importable without Django settings.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta
from core.transactions import Transaction, transaction_conflict

UPLOADS = "uploads"
COMMENTS = "comments"
HIDDEN_PHOTOS = "hidden#photo"
HIDDEN_COMMENTS = "hidden#comment"
TRANSACTION_ATTEMPTS = 6

T = TypeVar("T")


class ActivityCounter(Model):
    """One counter of the dashboard; created by its first ADD."""

    class Meta(TableMeta):
        table = "activity-counters"

    counter_key = UnicodeAttribute(hash_key=True)
    total = NumberAttribute(default=0)


def day_key(kind: str, day: date) -> str:
    """Return the key of a per-day counter (`uploads#2026-11-29`); days are UTC days."""
    return f"{kind}#{day.isoformat()}"


def counter_add(transaction: Transaction, *, counter_key: str, delta: int) -> None:
    """Add `delta` to a counter inside `transaction` (the item is created at its first ADD)."""
    transaction.update_unversioned(
        ActivityCounter, counter_key, actions=[ActivityCounter.total.add(delta)]
    )


def counter_decrease(*, counter_key: str, amount: int) -> None:
    """Subtract `amount` from a counter on its own, for a write that is not one transaction
    (the comments a photo's deletion removes in batches, after the photo's record is gone)."""
    ActivityCounter(counter_key).update(actions=[ActivityCounter.total.add(-amount)])


def activity_count(transaction: Transaction, *, kind: str, at: datetime) -> None:
    """Count one upload or comment made at `at` (a UTC datetime), inside `transaction`."""
    counter_add(transaction, counter_key=day_key(kind, at.date()), delta=1)


def counter_values(*, counter_keys: list[str]) -> dict[str, int]:
    """Return the counters by key, in BatchGetItem calls (100 keys each); a counter never
    written is 0."""
    wanted = list(dict.fromkeys(counter_keys))
    found = {key: 0 for key in wanted}
    if wanted:
        for counter in ActivityCounter.batch_get(wanted):
            found[counter.counter_key] = int(counter.total)
    return found


def transaction_retried(run: Callable[[], T], *, attempts: int = TRANSACTION_ATTEMPTS) -> T:
    """Call `run` (which builds and commits one transaction) again while DynamoDB cancels it
    for a conflict with a concurrent transaction; any other failure is raised at once.

    `run` must build its operations afresh each time (PynamoDB adds the version action to the
    list it is given).
    """
    for attempt in range(attempts):
        try:
            return run()
        except TransactWriteError as exc:
            if not transaction_conflict(exc) or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 (jitter)
    raise AssertionError("unreachable")


TABLES: list[type[Model]] = [ActivityCounter]
dynamo.register(*TABLES)
