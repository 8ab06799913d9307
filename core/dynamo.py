"""The shared base of every PynamoDB model: table names and connection from the environment.

Lambda triggers import the models, so nothing here may import Django. The Meta values are
properties of a metaclass, which PynamoDB reads when it first connects, not at import.
"""

from __future__ import annotations

from typing import Any

import pynamodb.connection.base
from pynamodb.models import Model

from core import aws

# PynamoDB makes a botocore session for each model's connection (and thread) with botocore's
# get_session, which it imported into its own module; this is the one place to hand it sessions
# that share the process's parsed service data (core.aws.botocore_session says why).
pynamodb.connection.base.get_session = aws.botocore_session

# Every model that owns a table, in registration order. Apps register their own models when
# their models module is imported; this floor never imports an app.
_registry: list[type[Model]] = []


class _EnvMeta(type):
    """Metaclass whose attributes PynamoDB reads lazily from the environment."""

    table: str

    @property
    def table_name(cls) -> str:
        return aws.settings().table_prefix + cls.table

    @property
    def region(cls) -> str:
        return aws.settings().region

    @property
    def host(cls) -> str | None:
        return aws.settings().endpoint_for("dynamodb")

    @property
    def connect_timeout_seconds(cls) -> float:
        return aws.settings().connect_timeout

    @property
    def read_timeout_seconds(cls) -> float:
        return aws.settings().read_timeout

    @property
    def max_retry_attempts(cls) -> int:
        # PynamoDB counts retries, botocore counts attempts.
        return aws.settings().max_attempts - 1


class TableMeta(metaclass=_EnvMeta):
    """Base for a model's Meta: set `table` to the unprefixed table name."""

    table = ""
    billing_mode = "PAY_PER_REQUEST"


def register(*models: type[Model]) -> None:
    """Record models that own a table, for bootstrap, health checks and the deploy template."""
    for model in models:
        if model not in _registry:
            _registry.append(model)


def registered() -> list[type[Model]]:
    """Return every model registered so far (importing an app's models module registers them)."""
    return list(_registry)


def reset_connections() -> None:
    """Drop cached PynamoDB connections so they pick up a changed environment."""
    for model in _registry:
        model._connection = None


aws.on_reset(reset_connections)


def describe(model: type[Model]) -> dict[str, Any]:
    """Return the DynamoDB description of a model's table."""
    return model._get_connection().describe_table()
