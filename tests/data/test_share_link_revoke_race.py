"""Revoking one share link from many threads at once: every caller succeeds, one write counts.

The revocation is a conditional update (not revoked yet, record still there). moto does not
make a conditional update atomic under concurrent requests, DynamoDB Local does, so the race
runs on both; the audit trail shows how many writes won.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from gallery import services
from gallery.models import ShareLink
from moderation.records import AuditEvent
from tests.accounts.users import site_user
from tests.gallery.conftest import jpeg

CALLERS = 8
ALICE = site_user("sub-alice", "Alice", ("members",))
MODERATOR = site_user("sub-mod", "Mo", ("admins",))


def _revoke_together(token: str) -> list[object]:
    """Revoke from CALLERS threads released together; return None or the error of each."""
    start = threading.Barrier(CALLERS)

    def run(_n: int) -> object:
        start.wait(timeout=30)
        try:
            return services.share_link_revoke(token=token, actor=MODERATOR)
        except Exception as exc:  # the test counts outcomes; any error fails it below
            return exc

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        return list(pool.map(run, range(CALLERS)))


def test_simultaneous_revocations_all_succeed_and_one_is_recorded(aws_stack, ddb_backend):
    photo = services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name="Pier", data=jpeg(), uploader_ip="::1"
    )
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)

    outcomes = _revoke_together(link.token)

    assert outcomes == [None] * CALLERS
    assert ShareLink.get(link.token, consistent_read=True).revoked
    assert [(e.actor_sub, e.action) for e in AuditEvent.scan()] == [("sub-mod", "revoke")]
