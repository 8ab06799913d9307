"""The pages and the API show uploader and comment IPs by one rule (gallery.policy.ip_visible).

Alice's photo carries a comment by Bob. The item's owner (the photo's uploader, the comment's
author) and moderators see its IP whole; everyone else sees what PHOTOSITE_IP_DISPLAY allows:
all of it, the network only, or nothing. Both interfaces are checked against the same table.
"""

from __future__ import annotations

import pytest
from django.test import Client

from gallery import services
from tests.accounts.users import sign_in, site_user

from .conftest import jpeg

PHOTO_IP, PHOTO_MASKED = "203.0.113.7", "203.0.113.x"
COMMENT_IP, COMMENT_MASKED = "198.51.100.23", "198.51.100.x"

# viewer: (sub, groups, the items whose IP they always see whole)
VIEWERS = {
    "photo owner": ("sub-alice", ("members",), {"photo"}),
    "comment author": ("sub-bob", ("members",), {"comment"}),
    "moderator": ("sub-mod", ("admins",), {"photo", "comment"}),
    "stranger": ("sub-carol", ("members",), set()),
}
SHOWN = {  # mode -> what a viewer who is neither owner nor moderator sees of (photo, comment)
    "full": (PHOTO_IP, COMMENT_IP),
    "masked": (PHOTO_MASKED, COMMENT_MASKED),
    "hidden": ("", ""),
}
CASES = [
    pytest.param(mode, viewer, id=f"{mode}-{viewer.replace(' ', '-')}")
    for mode in SHOWN
    for viewer in VIEWERS
]


def expected(mode: str, viewer: str) -> tuple[str, str]:
    entitled = VIEWERS[viewer][2]
    photo_ip = PHOTO_IP if "photo" in entitled else SHOWN[mode][0]
    comment_ip = COMMENT_IP if "comment" in entitled else SHOWN[mode][1]
    return photo_ip, comment_ip


@pytest.fixture
def photo_with_comment(aws_stack):
    photo = services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name="Harbour", data=jpeg(), uploader_ip=PHOTO_IP
    )
    services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="Nice", ip=COMMENT_IP
    )
    return photo


def client_as(viewer: str) -> Client:
    sub, groups, _ = VIEWERS[viewer]
    return sign_in(Client(), site_user(sub, sub[4:].title(), groups))


@pytest.mark.parametrize(("mode", "viewer"), CASES)
def test_the_api_shows_each_ip_by_the_rule(settings, photo_with_comment, mode, viewer):
    settings.PHOTOSITE_IP_DISPLAY = mode
    client = client_as(viewer)
    photo_id = photo_with_comment.photo_id

    photo = client.get(f"/api/photos/{photo_id}").json()
    comments = client.get(f"/api/photos/{photo_id}/comments").json()["items"]

    assert (photo["uploader_ip"], comments[0]["ip"]) == expected(mode, viewer)


@pytest.mark.parametrize(("mode", "viewer"), CASES)
def test_the_photo_page_shows_each_ip_by_the_rule(settings, photo_with_comment, mode, viewer):
    settings.PHOTOSITE_IP_DISPLAY = mode

    page = client_as(viewer).get(f"/photos/{photo_with_comment.photo_id}/")

    html = page.content.decode()
    photo_ip, comment_ip = expected(mode, viewer)
    uploader_cell = html.split("Uploader IP", 1)[1].split("</dd>", 1)[0]
    assert uploader_cell.endswith(photo_ip or "—")
    comment_meta = html.split('class="comment-meta"', 1)[1].split("</p>", 1)[0]
    if comment_ip:
        assert f"IP {comment_ip}</span>" in comment_meta
    else:
        assert "IP " not in comment_meta
    # Nothing more than allowed anywhere on the page.
    for whole, allowed in ((PHOTO_IP, photo_ip), (COMMENT_IP, comment_ip)):
        if allowed != whole:
            assert whole not in html
