"""Share links: only the photo's owner or a moderator makes one, and every link to a photo is its
owner's to list and revoke; 1 minute by default up to 7 days, checked in code on every open (TTL
is lazy); hiding or deleting the photo stops every link at once; the URLs handed out live
minutes, never as long as the link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from gallery import selectors, services
from gallery.cursors import BadCursor
from gallery.errors import Forbidden, Gone, Invalid, NotFound
from gallery.models import ShareLink, time_key
from moderation import services as moderation_services
from moderation.records import AuditEvent
from tests.accounts.users import site_user
from tests.gallery.conftest import race

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ALICE = site_user("sub-alice", "Alice", ("members",))
BOB = site_user("sub-bob", "Bob", ("members",))
MODERATOR = site_user("sub-mod", "Mo", ("admins",))


def expires_param(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0])


def audit_events() -> list[AuditEvent]:
    """Every event in the trail (a Scan: the test inspecting, not the site)."""
    return list(AuditEvent.scan())


@pytest.fixture
def staff_rights(settings):
    """Add a `helpers` group: staff (the admin's door opens) without any moderation right."""
    settings.COGNITO_GROUP_RIGHTS = {
        **settings.COGNITO_GROUP_RIGHTS,
        "helpers": {"is_staff": True, "permissions": ["moderation.view_photoentry"]},
    }


# --- making a link --------------------------------------------------------------------------------


def test_a_link_records_its_expiry_a_ttl_its_owner_and_its_maker(make_photo):
    photo = make_photo()

    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60, now=T0)

    stored = ShareLink.get(link.token)
    assert stored.ends_at == stored.valid_until == T0 + timedelta(seconds=60)
    # The TTL purges the record a while after the link ends, so its owner still sees it.
    assert stored.expires_at == T0 + timedelta(seconds=60) + timedelta(days=30)
    assert ShareLink._ttl_attribute().attr_name == "expires_at"
    assert stored.photo_id == photo.photo_id
    assert stored.photo_name == photo.name
    assert (stored.owner_sub, stored.created_by, stored.maker) == ("sub-alice",) * 3
    assert len(link.token) >= 32
    assert audit_events() == []  # the owner sharing her own photo is no moderation


def test_someone_elses_photo_cannot_be_shared_and_nothing_is_written(make_photo):
    photo = make_photo()

    with pytest.raises(Forbidden) as caught:
        services.share_link_create(photo_id=photo.photo_id, actor=BOB, expires_in=3600)

    assert caught.value.status == 403
    assert caught.value.message == "Only the photo's owner or a moderator can share it."
    assert list(ShareLink.scan()) == []
    assert audit_events() == []


def test_staff_without_the_moderation_permission_cannot_share_someone_elses(
    staff_rights, make_photo
):
    photo = make_photo()
    helper = site_user("sub-helper", "Helper", ("helpers",))

    with pytest.raises(Forbidden):
        services.share_link_create(photo_id=photo.photo_id, actor=helper, expires_in=60)

    assert list(ShareLink.scan()) == []


def test_a_moderators_link_belongs_to_the_photos_owner_and_is_recorded_once(make_photo):
    photo = make_photo()

    link = services.share_link_create(photo_id=photo.photo_id, actor=MODERATOR, expires_in=300)

    stored = ShareLink.get(link.token)
    assert (stored.owner_sub, stored.created_by, stored.maker) == (
        "sub-alice",
        "sub-mod",
        "sub-mod",
    )
    [event] = audit_events()
    assert (event.actor_sub, event.action, event.object_type) == ("sub-mod", "share", "sharelink")
    assert "sub-alice" in event.detail and photo.photo_id in event.detail
    assert link.token not in event.object_id  # no live secret in the trail


def test_a_hidden_photo_cannot_be_shared_even_by_a_moderator(make_photo):
    photo = make_photo()
    moderation_services.photo_hide(actor=MODERATOR, photo_id=photo.photo_id, expected_version=None)

    with pytest.raises(NotFound):
        services.share_link_create(photo_id=photo.photo_id, actor=MODERATOR, expires_in=60)


@pytest.mark.parametrize("seconds", [0, 59, 7 * 24 * 3600 + 1, -5])
def test_lifetimes_outside_one_minute_to_seven_days_are_refused(make_photo, seconds):
    photo = make_photo()

    with pytest.raises(Invalid):
        services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=seconds)

    assert list(ShareLink.scan()) == []


def test_simultaneous_creations_make_one_link_each_and_nothing_else(make_photo):
    photo = make_photo()

    links = race(
        4,
        lambda n: services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60),
    )

    assert len({link.token for link in links}) == 4
    assert sorted(link.token for link in ShareLink.scan()) == sorted(link.token for link in links)


# --- opening a link -------------------------------------------------------------------------------


def test_opening_a_live_link_hands_out_the_display_image_for_at_most_the_time_left(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60, now=T0)

    shared = services.share_link_open(token=link.token, now=T0 + timedelta(seconds=45))

    assert shared.photo.photo_id == photo.photo_id
    assert f"/{photo.display_key}?" in shared.url  # the location-free derivative
    assert shared.expires_in == 15
    assert expires_param(shared.url) == 15


def test_a_long_link_still_hands_out_urls_of_minutes(make_photo, settings):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=7 * 24 * 3600, now=T0
    )

    shared = services.share_link_open(token=link.token, now=T0)

    assert settings.PHOTOSITE_URL_EXPIRY <= 600
    assert expires_param(shared.url) == settings.PHOTOSITE_URL_EXPIRY


@pytest.mark.parametrize("after", [timedelta(seconds=60), timedelta(seconds=61), timedelta(days=3)])
def test_an_expired_link_is_gone_even_while_the_record_still_exists(make_photo, after):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60, now=T0)

    with pytest.raises(Gone) as caught:
        services.share_link_open(token=link.token, now=T0 + after)

    assert caught.value.status == 410
    assert "expired" in caught.value.message
    assert ShareLink.get(link.token)  # moto never applies TTL; the code must not rely on it


def test_an_unknown_token_is_not_found(aws_stack):
    with pytest.raises(NotFound):
        services.share_link_open(token="no-such-token")


def test_a_link_someone_else_made_before_links_were_the_owners_does_not_work(make_photo):
    # Before links belonged to the photo's owner, Bob could link to Alice's photo and the record
    # named Bob; Alice can neither list nor revoke such a link, so it must not open.
    photo = make_photo()
    ShareLink(
        "legacy-token-made-by-bob",
        photo_id=photo.photo_id,
        owner_sub="sub-bob",
        created_at=T0,
        created_key=time_key(T0, "legacy-token-made-by-bob"),
        expires_at=datetime.now(UTC) + timedelta(days=3),
        photo_name=photo.name,
    ).save()

    with pytest.raises(Gone) as caught:
        services.share_link_open(token="legacy-token-made-by-bob")

    assert caught.value.code == "revoked"


def test_a_link_the_owner_made_before_makers_were_recorded_still_works(make_photo):
    photo = make_photo()
    ShareLink(
        "legacy-token-made-by-alice",
        photo_id=photo.photo_id,
        owner_sub="sub-alice",
        created_at=T0,
        created_key=time_key(T0, "legacy-token-made-by-alice"),
        expires_at=datetime.now(UTC) + timedelta(days=3),
        photo_name=photo.name,
    ).save()

    assert services.share_link_open(token="legacy-token-made-by-alice").photo.photo_id == (
        photo.photo_id
    )
    assert ShareLink.get("legacy-token-made-by-alice").maker == "sub-alice"


# --- hiding and deleting the photo ----------------------------------------------------------------


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(
            lambda photo_id: services.photo_hide(photo_id=photo_id), id="gallery moderation"
        ),
        pytest.param(
            lambda photo_id: moderation_services.photo_hide(
                actor=MODERATOR, photo_id=photo_id, expected_version=None
            ),
            id="admin moderation",
        ),
    ],
)
def test_hiding_the_photo_stops_every_link_to_it_at_once(make_photo, hide):
    photo = make_photo()
    links = [
        services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600),
        services.share_link_create(photo_id=photo.photo_id, actor=MODERATOR, expires_in=86400),
    ]
    for link in links:
        services.share_link_open(token=link.token)

    hide(photo.photo_id)

    for link in links:
        with pytest.raises(Gone) as caught:
            services.share_link_open(token=link.token)
        assert caught.value.code == "deleted"


def test_deleting_the_photo_for_good_stops_every_link_to_it_at_once(make_photo):
    photo = make_photo()
    links = [
        services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600),
        services.share_link_create(photo_id=photo.photo_id, actor=MODERATOR, expires_in=86400),
    ]

    services.photo_purge(photo_id=photo.photo_id, actor=ALICE)

    for link in links:
        with pytest.raises(NotFound):
            services.share_link_open(token=link.token)
    assert list(ShareLink.scan()) == []


# --- listing and revoking -------------------------------------------------------------------------


def test_the_owner_lists_every_link_to_her_photos_newest_first_whoever_made_it(make_photo):
    photo = make_photo()
    other = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")
    first = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60, now=T0)
    second = services.share_link_create(
        photo_id=photo.photo_id, actor=MODERATOR, expires_in=60, now=T0 + timedelta(seconds=1)
    )
    bobs = services.share_link_create(photo_id=other.photo_id, actor=BOB, expires_in=60)

    mine = selectors.share_link_list_for_owner(owner_sub="sub-alice").items

    assert [link.token for link in mine] == [second.token, first.token]
    assert [link.maker for link in mine] == ["sub-mod", "sub-alice"]
    assert selectors.share_link_list_for_owner(owner_sub="sub-mod").items == []
    bob_links = selectors.share_link_list_for_owner(owner_sub="sub-bob").items
    assert [link.token for link in bob_links] == [bobs.token]


def test_the_owners_links_come_a_page_at_a_time_each_once(make_photo):
    photo = make_photo()
    made = [
        services.share_link_create(
            photo_id=photo.photo_id, actor=ALICE, expires_in=60, now=T0 + timedelta(seconds=n)
        )
        for n in range(5)
    ]
    seen, cursor = [], None
    for _ in range(5):
        page = selectors.share_link_list_for_owner(owner_sub="sub-alice", cursor=cursor, limit=2)
        seen += [link.token for link in page.items]
        cursor = page.cursor
        if cursor is None:
            break

    assert seen == [link.token for link in reversed(made)]


def test_a_cursor_of_another_owners_links_is_refused(make_photo):
    photo = make_photo()
    for _ in range(2):
        services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=60)
    cursor = selectors.share_link_list_for_owner(owner_sub="sub-alice", limit=1).cursor

    with pytest.raises(BadCursor):
        selectors.share_link_list_for_owner(owner_sub="sub-bob", cursor=cursor)


def test_a_revoked_link_is_gone_and_only_the_owner_or_a_moderator_may_revoke(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)

    with pytest.raises(Forbidden):
        services.share_link_revoke(token=link.token, actor=BOB)
    services.share_link_open(token=link.token)
    services.share_link_revoke(token=link.token, actor=ALICE)

    with pytest.raises(Gone) as caught:
        services.share_link_open(token=link.token)
    assert caught.value.code == "revoked"
    assert audit_events() == []


def test_the_owner_revokes_a_link_a_moderator_made_without_any_permission(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=MODERATOR, expires_in=3600)

    services.share_link_revoke(token=link.token, actor=ALICE)

    assert ShareLink.get(link.token).revoked
    assert [e.action for e in audit_events()] == ["share"]  # the owner's revocation: no event


def test_revoking_twice_is_harmless_and_recorded_once(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)

    services.share_link_revoke(token=link.token, actor=MODERATOR)
    services.share_link_revoke(token=link.token, actor=MODERATOR)
    services.share_link_revoke(token=link.token, actor=ALICE)

    assert ShareLink.get(link.token).revoked
    assert [(e.actor_sub, e.action) for e in audit_events()] == [("sub-mod", "revoke")]


def test_simultaneous_revocations_all_succeed_and_are_recorded_once(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)

    results = race(6, lambda n: services.share_link_revoke(token=link.token, actor=MODERATOR))

    assert results == [None] * 6
    assert ShareLink.get(link.token).revoked
    assert [(e.actor_sub, e.action) for e in audit_events()] == [("sub-mod", "revoke")]


def test_a_revocation_racing_the_photos_deletion_leaves_no_bare_link_behind(make_photo):
    # The photo (and its links) are deleted between the revocation's read and its write: the
    # write must not recreate the link as a record with a token and nothing else.
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)
    # The botocore client the link's writes go through (PynamoDB keeps one per model).
    events = ShareLink._get_connection().connection.client.meta.events

    def delete_photo_first(**_kwargs):
        events.unregister("before-call.dynamodb.UpdateItem", delete_photo_first)
        services.photo_purge(photo_id=photo.photo_id, actor=ALICE)

    events.register("before-call.dynamodb.UpdateItem", delete_photo_first)
    try:
        services.share_link_revoke(token=link.token, actor=ALICE)
    finally:
        events.unregister("before-call.dynamodb.UpdateItem", delete_photo_first)

    assert list(ShareLink.scan()) == []
