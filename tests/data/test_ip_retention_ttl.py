"""IP retention on Amazon DynamoDB Local: a comment's full IP is kept in an item of its own that
the TTL really deletes after the retention period, leaving only the truncated form to show.

moto never deletes expired items, so the moto suite (tests/gallery/test_ip_retention.py) shows
that readers ignore an expired item; this shows the item is in fact removed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from gallery import policy, selectors, services
from gallery.models import RetainedIp, comment_ip_key
from tests.accounts.users import site_user

from . import factories
from .backends import DYNAMODB_LOCAL
from .conftest import fresh_tables

SWEEP_TIMEOUT = 120.0  # seconds; DynamoDB Local sweeps about every 10 s


def comment_by_bob(photo_id: str, *, ip: str, now: datetime):
    return services.comment_create(
        photo_id=photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=ip, now=now
    )


@pytest.mark.dynamodb_local
def test_the_full_ip_is_deleted_by_ttl_after_the_period_and_the_network_remains(
    request, backend_switch, settings
):
    fresh_tables(backend_switch.use(DYNAMODB_LOCAL, request))
    settings.PHOTOSITE_IP_RETENTION_DAYS = 1  # the period, shortened for the test
    now = datetime.now(UTC)
    photo = factories.photo(1)
    old = comment_by_bob(photo.photo_id, ip="198.51.100.23", now=now - timedelta(days=2))
    new = comment_by_bob(photo.photo_id, ip="198.51.100.24", now=now)
    old_key = comment_ip_key(photo.photo_id, old.created_key)
    new_key = comment_ip_key(photo.photo_id, new.created_key)
    bob = site_user("sub-bob", "Bob", ("members",))

    deadline = time.monotonic() + SWEEP_TIMEOUT
    while RetainedIp.count(old_key, consistent_read=True) and time.monotonic() < deadline:
        time.sleep(1)

    assert RetainedIp.count(old_key, consistent_read=True) == 0, "TTL kept the expired address"
    assert RetainedIp.count(new_key, consistent_read=True) == 1
    retained = selectors.ip_retained_for(viewer=bob, items=[old, new])
    shown = [policy.ip_visible(viewer=bob, item=item, retained=retained) for item in (old, new)]
    assert shown == ["198.51.100.x", "198.51.100.24"]
