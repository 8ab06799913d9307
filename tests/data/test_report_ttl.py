"""Resolved reports carry the TTL that purges them, on Amazon DynamoDB Local; open ones none.

moto never deletes expired items, so this runs on DynamoDB Local only. The cases table is left
out: a resolved case has no `open_feed` (the sparse index's key), and DynamoDB Local's sweep
never deletes such an item (docs/reliability.md); AWS does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from gallery.report_models import Report, report_item_key
from gallery.services import reports
from tests.accounts.users import site_user

from . import factories
from .backends import DYNAMODB_LOCAL
from .conftest import fresh_tables

MODERATOR = site_user("sub-mod", "Mo", ("admins",))


@pytest.mark.dynamodb_local
def test_a_resolved_report_expires_by_ttl_and_an_open_one_never(request, backend_switch, settings):
    fresh_tables(backend_switch.use(DYNAMODB_LOCAL, request))
    settings.PHOTOSITE_REPORT_RETENTION_DAYS = 1  # the period, shortened for the test
    now = datetime.now(UTC)
    resolved, still_open = factories.photo(1), factories.photo(2)
    for photo in (resolved, still_open):
        reports.report_create(
            photo_id=photo.photo_id,
            reason="spam",
            reporter=AnonymousUser(),
            ip="198.51.100.7",
            now=now - timedelta(days=3),
        )
    reports.report_resolve(
        item_key=report_item_key(resolved.photo_id),
        action="dismiss",
        actor=MODERATOR,
        now=now - timedelta(days=2),
    )
    gone, kept = report_item_key(resolved.photo_id), report_item_key(still_open.photo_id)

    # What DynamoDB's TTL acts on: the resolved report expires a retention period after its
    # resolution (already past here), the open one never. The attribute it acts on is checked
    # rather than a deletion: DynamoDB Local sweeps only a few tables (docs/reliability.md).
    [resolved_report] = Report.query(gone, consistent_read=True)
    [open_report] = Report.query(kept, consistent_read=True)
    assert resolved_report.expires_at == (now - timedelta(days=1)).replace(microsecond=0)
    assert resolved_report.expires_at < datetime.now(UTC)
    assert open_report.expires_at is None
