"""TTL: DynamoDB Local really deletes expired share links; moto never deletes anything.

The sweep runs in the background, seconds to minutes later in DynamoDB Local and up to days later
in AWS, so the site must treat an expired item as gone when it reads one (the gallery selectors
check `expires_at`). These tests pin only what each backend does with the items.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from gallery.models import STATUS_PENDING, Photo, ShareLink, time_key

from . import factories
from .backends import DYNAMODB_LOCAL, MOTO

SWEEP_TIMEOUT = 120.0  # seconds; DynamoDB Local sweeps about every 10 s


def share_link(token: str, photo_id: str, expires_at: datetime) -> ShareLink:
    now = datetime.now(UTC)
    link = ShareLink(
        token,
        photo_id=photo_id,
        owner_sub="user-1",
        created_at=now,
        created_key=time_key(now, token),
        expires_at=expires_at,
    )
    link.save()
    return link


def write_items() -> dict[str, list[str]]:
    """Write one expired and one live item of each TTL kind; return their keys."""
    now = datetime.now(UTC)
    live_photo = factories.photo(1)
    abandoned = factories.photo(2, visible=False, save=False)
    abandoned.status = STATUS_PENDING
    abandoned.owner_feed = None
    abandoned.expires_at = now - timedelta(hours=1)
    abandoned.save()
    share_link("expired-token", live_photo.photo_id, now - timedelta(minutes=1))
    share_link("live-token", live_photo.photo_id, now + timedelta(hours=1))
    return {
        "expired": ["share:expired-token"],
        "live": ["share:live-token", f"photo:{live_photo.photo_id}"],
        "abandoned": [f"photo:{abandoned.photo_id}"],
    }


def present(keys: list[str]) -> set[str]:
    """Return which of the keys are still stored (consistent reads)."""
    found = set()
    for key in keys:
        kind, _, value = key.partition(":")
        model = ShareLink if kind == "share" else Photo
        if model.count(value, consistent_read=True):
            found.add(key)
    return found


@pytest.mark.dynamodb_local
def test_dynamodb_local_deletes_expired_items_and_moto_keeps_them(both_backends):
    written = {}
    for name in (MOTO, DYNAMODB_LOCAL):
        both_backends(name)
        written[name] = write_items()
    both_backends(DYNAMODB_LOCAL)
    expired = written[DYNAMODB_LOCAL]["expired"]

    deadline = time.monotonic() + SWEEP_TIMEOUT
    while present(expired) and time.monotonic() < deadline:
        time.sleep(1)

    assert present(expired) == set(), f"DynamoDB Local kept expired items {SWEEP_TIMEOUT:.0f} s"
    assert present(written[DYNAMODB_LOCAL]["live"]) == set(written[DYNAMODB_LOCAL]["live"])
    # Known DynamoDB Local 3.3.1 defect, pinned so a fixed jar is noticed: its sweeper stops on
    # an expired item that is absent from a sparse GSI (a pending upload has no `feed`), and
    # then deletes nothing more in that table. AWS deletes such items (docs/reliability.md).
    abandoned = written[DYNAMODB_LOCAL]["abandoned"]
    assert present(abandoned) == set(abandoned)
    # In the same time moto deleted nothing: it accepts TTL settings but never sweeps.
    both_backends(MOTO)
    every_key = [key for keys in written[MOTO].values() for key in keys]
    assert present(every_key) == set(every_key)
