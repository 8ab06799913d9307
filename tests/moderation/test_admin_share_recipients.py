"""The admin's share-link list with links per recipient: a selection names its photos and a
link until revoked says so, instead of the TTL date."""

from __future__ import annotations

from gallery import services
from tests.accounts.users import site_user

LINKS = "/admin/moderation/sharelinkentry/"
ALICE = site_user("sub-alice", "Alice")


def test_a_selection_and_a_link_until_revoked_are_listed_for_their_owner(root_client, make_photo):
    first, second = make_photo("First"), make_photo("Second")
    services.share_link_create(
        photo_ids=[first.photo_id, second.photo_id], actor=ALICE, expires_in=None
    )

    html = root_client.get(f"{LINKS}?owner=sub-alice").content.decode()

    assert "selection of 2 photos: <a" in html
    assert f"/admin/moderation/photoentry/{first.photo_id}/change/" in html
    assert "until revoked" in html
