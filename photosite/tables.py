"""Every DynamoDB table of the site, for bootstrap, the readiness check and the deploy template.

Each app registers its own tables (`core.dynamo.register`) when its models module is imported;
the composition root imports them all here so that the list is complete.
"""

from __future__ import annotations

from pynamodb.models import Model

import accounts.records
import gallery.counters
import gallery.models
import gallery.report_models
import moderation.records
from core import dynamo

APP_TABLE_MODULES = (
    accounts.records,
    gallery.models,
    moderation.records,
    gallery.counters,
    gallery.report_models,
)


def table_models() -> list[type[Model]]:
    """Return every PynamoDB model that owns a table."""
    return dynamo.registered()
