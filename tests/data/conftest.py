"""The data-layer backends: every test here runs on moto and on Amazon's DynamoDB Local.

S3 and Cognito stay on the suite's moto server; only DynamoDB moves, through
AWS_ENDPOINT_URL_DYNAMODB, exactly as a deployment would point the site at another endpoint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import aws
from core.dynamodb_local import DynamoDBLocal, DynamoDBLocalUnavailable
from photosite import bootstrap
from photosite.tables import table_models

from .backends import BACKENDS, DYNAMODB_LOCAL, MOTO

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Backend:
    """The DynamoDB a test talks to."""

    name: str
    endpoint_url: str

    @property
    def client(self):
        """Return the shared boto3 DynamoDB client (the process points at this backend)."""
        return aws.client("dynamodb")


class BackendSwitch:
    """Point the process's DynamoDB clients and models at one backend at a time.

    Every switch rebuilds the PynamoDB connections (a botocore session each, about a quarter of
    a second per table), so the tests are ordered to switch once, not once per test.
    """

    def __init__(self, moto_endpoint: str) -> None:
        self.moto_endpoint = moto_endpoint
        self.dynamodb_local: DynamoDBLocal | None = None
        self.saved = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
        self.current: str | None = None

    def use(self, name: str, request: pytest.FixtureRequest) -> Backend:
        """Switch to the named backend (starting DynamoDB Local on first use)."""
        if name == DYNAMODB_LOCAL:
            endpoint = request.getfixturevalue("dynamodb_local").endpoint_url
        else:
            endpoint = self.moto_endpoint
        if self.current != endpoint:
            os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
            aws.reset()
            self.current = endpoint
        return Backend(name=name, endpoint_url=endpoint)

    def restore(self) -> None:
        """Give the rest of the suite the environment it had."""
        if self.saved is None:
            os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
        else:
            os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = self.saved
        aws.reset()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run this package's tests grouped by backend (moto first), keeping their slots."""
    slots = [i for i, item in enumerate(items) if HERE in Path(item.path).parents]
    rank = {MOTO: 0, DYNAMODB_LOCAL: 1}

    def backend_of(item: pytest.Item) -> int:
        callspec = getattr(item, "callspec", None)
        return rank.get(callspec.params.get("ddb_backend"), 2) if callspec else 2

    ordered = sorted((items[i] for i in slots), key=backend_of)
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


@pytest.fixture(scope="session")
def dynamodb_local_launch() -> Iterator[DynamoDBLocal | DynamoDBLocalUnavailable]:
    """Launch DynamoDB Local early, so its JVM starts while the moto half runs."""
    try:
        server = DynamoDBLocal().launch()
    except DynamoDBLocalUnavailable as exc:
        yield exc
        return
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dynamodb_local(dynamodb_local_launch) -> DynamoDBLocal:
    """Give the running DynamoDB Local; skip without Java or the jar, except in CI."""
    if isinstance(dynamodb_local_launch, DynamoDBLocalUnavailable):
        reason = f"DynamoDB Local unavailable: {dynamodb_local_launch}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test against DynamoDB Local. {reason}")
        pytest.skip(reason)
    return dynamodb_local_launch.wait_until_ready()


@pytest.fixture(scope="package")
def backend_switch(request, local_aws) -> Iterator[BackendSwitch]:
    """Own AWS_ENDPOINT_URL_DYNAMODB while this package runs; put it back afterwards."""
    if any(item.get_closest_marker("dynamodb_local") for item in request.session.items):
        request.getfixturevalue("dynamodb_local_launch")  # boot the JVM while moto tests run
    switch = BackendSwitch(local_aws.endpoint_url)
    yield switch
    switch.restore()


# DynamoDB Local (3.3.1) runs each table's TTL sweep as a long-running job in one fixed pool of
# ten threads (`Executors.newFixedThreadPool(10)`), shared with its other background jobs: with
# the site's nine TTL tables it deleted nothing from the share links table in 120 s, with five
# within seconds. PynamoDB enables a model's TTL as it creates the table, so on DynamoDB Local
# TTL is then turned off again except where these tests watch a sweep or read the setting.
SWEPT_TABLES = frozenset({"photos", "comments", "share-links", "ip-addresses", "reports"})


def fresh_tables(backend: Backend) -> None:
    """Give the backend this suite's tables, empty, with TTL enabled (on DynamoDB Local, on
    SWEPT_TABLES only).

    The tables are made on first use and emptied afterwards: deleting items is a few calls,
    dropping and making eight tables again a few hundred milliseconds.
    """
    if backend.name == DYNAMODB_LOCAL:
        _tables_with_ttl_on(SWEPT_TABLES)
    else:
        bootstrap.ensure_tables(log=lambda _msg: None)
    bootstrap.tables_empty()


def _tables_with_ttl_on(swept: frozenset[str]) -> None:
    ddb = aws.client("dynamodb")
    for model in table_models():
        if not model.exists():
            model.create_table(wait=True)  # PynamoDB enables the model's TTL as it creates
        ttl_attr = model._ttl_attribute()
        if ttl_attr is None:
            continue
        table = model.Meta.table_name
        wanted = model.Meta.table in swept
        status = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        if (status.get("TimeToLiveStatus") in {"ENABLED", "ENABLING"}) != wanted:
            ddb.update_time_to_live(
                TableName=table,
                TimeToLiveSpecification={"Enabled": wanted, "AttributeName": ttl_attr.attr_name},
            )


@pytest.fixture(params=BACKENDS)
def ddb_backend(request, backend_switch) -> Backend:
    """Point DynamoDB (only) at the backend, with every table empty and TTL enabled."""
    backend = backend_switch.use(request.param, request)
    fresh_tables(backend)
    return backend


@pytest.fixture
def both_backends(request, backend_switch) -> Iterator[dict[str, Backend]]:
    """Give empty tables on moto and on DynamoDB Local; `use(name)` points the process at one."""
    backends = {}
    for name in (MOTO, DYNAMODB_LOCAL):
        backends[name] = backend_switch.use(name, request)
        fresh_tables(backends[name])

    def use(name: str) -> Backend:
        return backend_switch.use(name, request)

    yield use
