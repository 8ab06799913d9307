"""AWS faults while a share link is opened: the open log is best effort (a failed write is
logged and the page still shows), the view count of a limited link is not (503, nothing shown
past the limit)."""

from __future__ import annotations

import logging

from django.urls import reverse

from gallery import selectors, services
from gallery.models import ShareLink
from tests.accounts.users import site_user

ALICE = site_user("sub-alice", "Alice", ("members",))
SHARE_OPENS = "test-share-opens"
SHARE_LINKS = "test-share-links"


def test_a_log_that_cannot_be_written_is_logged_and_the_page_still_shows(
    quiet_client, make_photo, faults, caplog
):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)
    rule = faults.fail(
        "dynamodb", "PutItem", kind="ProvisionedThroughputExceededException", table=SHARE_OPENS
    )

    with caplog.at_level(logging.ERROR, logger="gallery.services.share_opens"):
        page = quiet_client.get(reverse("gallery:share_open", args=[link.token]))

    assert page.status_code == 200
    assert f'alt="{photo.name}"' in page.content.decode()
    assert rule.hits >= 1
    assert "not logged" in caplog.text
    faults.rules.clear()
    stored = ShareLink.get(link.token)
    assert stored.open_count == 1  # counted all the same
    assert selectors.share_open_list(link=stored).items == []


def test_a_limited_links_count_that_cannot_be_written_is_a_503_not_a_free_view(
    quiet_client, make_photo, faults
):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600, view_limit=1
    )
    faults.fail(
        "dynamodb", "UpdateItem", kind="ProvisionedThroughputExceededException", table=SHARE_LINKS
    )

    page = quiet_client.get(reverse("gallery:share_open", args=[link.token]))

    assert page.status_code == 503
    assert page["Retry-After"].isdigit()
    assert "try again in a moment" in page.content.decode()
    faults.rules.clear()
    assert ShareLink.get(link.token).open_count == 0
