"""A share link's view limit under concurrent opens: never passed, on moto and DynamoDB Local.

Each counted open is one conditional ADD (`views < view_limit`, not revoked). moto does not make
a conditional update atomic under concurrent requests, DynamoDB Local does, as DynamoDB does;
the race runs on both, and on DynamoDB Local it proves the limit holds.
"""

from __future__ import annotations

from gallery import selectors, services
from gallery.errors import Gone
from gallery.models import ShareLink
from tests.accounts.users import site_user
from tests.gallery.conftest import jpeg, race

OPENERS = 10
LIMIT = 3
ALICE = site_user("sub-alice", "Alice", ("members",))


def test_simultaneous_opens_never_pass_the_view_limit(aws_stack, ddb_backend):
    photo = services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name="Pier", data=jpeg(), uploader_ip="::1"
    )
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, view_limit=LIMIT
    )

    def open_link(n: int) -> str:
        try:
            services.share_link_visit(token=link.token, ip=f"198.51.100.{n}", unlocked=False)
        except Gone as exc:
            return exc.code
        return "opened"

    outcomes = race(OPENERS, open_link)

    assert sorted(outcomes) == ["opened"] * LIMIT + ["used_up"] * (OPENERS - LIMIT)
    stored = ShareLink.get(link.token, consistent_read=True)
    assert stored.open_count == LIMIT
    assert len(selectors.share_open_list(link=stored).items) == LIMIT
