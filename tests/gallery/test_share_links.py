"""Share links: 1 minute by default up to 7 days, checked in code on every open (TTL is lazy),
handing out presigned URLs that die no later than the link; owners list and revoke them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from gallery import selectors, services
from gallery.errors import Forbidden, Gone, Invalid, NotFound
from gallery.models import ShareLink
from tests.accounts.users import site_user

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def expires_param(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0])


def test_a_link_records_its_expiry_and_a_ttl(make_photo):
    photo = make_photo()

    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-bob", expires_in=60, now=T0
    )

    stored = ShareLink.get(link.token)
    assert stored.expires_at == T0 + timedelta(seconds=60)
    assert ShareLink._ttl_attribute().attr_name == "expires_at"
    assert stored.photo_id == photo.photo_id
    assert stored.photo_name == photo.name
    assert len(link.token) >= 32


def test_opening_a_live_link_hands_out_the_display_image_for_at_most_the_time_left(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=60, now=T0
    )

    shared = services.share_link_open(token=link.token, now=T0 + timedelta(seconds=45))

    assert shared.photo.photo_id == photo.photo_id
    assert f"/{photo.display_key}?" in shared.url  # the location-free derivative
    assert shared.expires_in == 15
    assert expires_param(shared.url) == 15


def test_a_long_link_still_hands_out_short_urls(make_photo, settings):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=7 * 24 * 3600, now=T0
    )

    shared = services.share_link_open(token=link.token, now=T0)

    assert expires_param(shared.url) == settings.PHOTOSITE_URL_EXPIRY


@pytest.mark.parametrize("after", [timedelta(seconds=60), timedelta(seconds=61), timedelta(days=3)])
def test_an_expired_link_is_gone_even_while_the_record_still_exists(make_photo, after):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=60, now=T0
    )

    with pytest.raises(Gone) as caught:
        services.share_link_open(token=link.token, now=T0 + after)

    assert caught.value.status == 410
    assert "expired" in caught.value.message
    assert ShareLink.get(link.token)  # moto never applies TTL; the code must not rely on it


def test_a_revoked_link_is_gone_and_only_its_owner_may_revoke(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=3600
    )

    with pytest.raises(Forbidden):
        services.share_link_revoke(token=link.token, actor=site_user("sub-bob", "Bob"))
    services.share_link_open(token=link.token)
    services.share_link_revoke(token=link.token, actor=site_user("sub-alice", "Alice"))

    with pytest.raises(Gone) as caught:
        services.share_link_open(token=link.token)
    assert caught.value.code == "revoked"


def test_a_link_to_a_deleted_photo_stops_working(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=3600
    )
    services.photo_delete(photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"))

    with pytest.raises(NotFound):
        services.share_link_open(token=link.token)


def test_an_unknown_token_is_not_found(aws_stack):
    with pytest.raises(NotFound):
        services.share_link_open(token="no-such-token")


@pytest.mark.parametrize("seconds", [0, 59, 7 * 24 * 3600 + 1, -5])
def test_lifetimes_outside_one_minute_to_seven_days_are_refused(make_photo, seconds):
    photo = make_photo()

    with pytest.raises(Invalid):
        services.share_link_create(
            photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=seconds
        )

    assert list(ShareLink.scan()) == []


def test_the_direct_link_lasts_exactly_the_chosen_time(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=3600, now=T0
    )

    url = services.share_link_direct_url(link=link, now=T0)

    assert expires_param(url) == 3600
    assert f"/{photo.display_key}?" in url


def test_owners_list_their_links_newest_first(make_photo):
    photo = make_photo()
    first = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=60, now=T0
    )
    second = services.share_link_create(
        photo_id=photo.photo_id, owner_sub="sub-alice", expires_in=60, now=T0 + timedelta(seconds=1)
    )
    services.share_link_create(photo_id=photo.photo_id, owner_sub="sub-bob", expires_in=60)

    links = selectors.share_link_list_for_owner(owner_sub="sub-alice")

    assert [link.token for link in links] == [second.token, first.token]
