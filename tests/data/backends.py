"""The two DynamoDB backends the data tests run on, and a marker for tests only one can pass."""

from __future__ import annotations

import pytest

MOTO = "moto"
DYNAMODB_LOCAL = "dynamodb-local"
_LOCAL = pytest.param(DYNAMODB_LOCAL, id=DYNAMODB_LOCAL, marks=pytest.mark.dynamodb_local)
BACKENDS = [pytest.param(MOTO, id=MOTO), _LOCAL]

# For behaviour moto does not implement: TTL deletion, consumed capacity, and atomic updates
# under concurrent requests (moto 5.2 reads, checks the condition and writes an item without a
# lock, so simultaneous updates of one item can interleave; see docs/reliability.md).
only_dynamodb_local = pytest.mark.parametrize("ddb_backend", [_LOCAL], indirect=True)
