"""Share links per recipient: a photo or a selection, for one recipient (a label), with an expiry
or until revoked, an optional password (hashed, guessing rate-limited per link and per
address), an optional view limit (counted atomically), a download switch, and an open log of
masked addresses, TTL'd like the ended links themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher

from gallery import selectors, services
from gallery.errors import Forbidden, Gone, Invalid, NotFound, RateLimited
from gallery.models import ShareLink, ShareOpen
from gallery.services import albums, share_visits
from moderation.records import AuditEvent
from tests.accounts.users import site_user
from tests.gallery.conftest import count_dynamodb_calls, race

ALICE = site_user("sub-alice", "Alice", ("members",))
BOB = site_user("sub-bob", "Bob", ("members",))
MODERATOR = site_user("sub-mod", "Mo", ("admins",))
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def fast_hasher(settings):
    """A quick hasher of Django's for tests that guess many times (the hashing test uses the
    site's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def share(photo, **options):
    options.setdefault("expires_in", 3600)
    return services.share_link_create(photo_id=photo.photo_id, actor=ALICE, **options)


# --- terms of a link ------------------------------------------------------------------------------


def test_a_recipients_link_stores_its_label_terms_and_a_ttl_beyond_its_end(make_photo):
    photo = make_photo()

    link = services.share_link_create(
        photo_id=photo.photo_id,
        actor=ALICE,
        expires_in=86400,
        label="  for   Grandma ",
        view_limit=3,
        allow_download=False,
        now=NOW,
    )

    stored = ShareLink.get(link.token)
    assert (stored.label, stored.view_limit, stored.downloads) == ("for Grandma", 3, False)
    assert stored.ends_at == NOW + timedelta(days=1)
    assert stored.expires_at == NOW + timedelta(days=1) + services.share_links.SHARE_KEEP
    assert stored.status(now=NOW) == "active"
    assert stored.status(now=NOW + timedelta(days=1)) == "expired"


def test_a_link_until_revoked_has_no_end_and_no_ttl_until_it_is_revoked(make_photo):
    link = share(make_photo(), expires_in=None, now=NOW)

    stored = ShareLink.get(link.token)
    assert (stored.until_revoked, stored.valid_until, stored.expires_at) == (True, None, None)
    assert not stored.is_expired(now=NOW + timedelta(days=3650))

    services.share_link_revoke(token=link.token, actor=ALICE, now=NOW)

    revoked = ShareLink.get(link.token)
    assert revoked.status(now=NOW) == "revoked"
    assert revoked.expires_at == NOW + services.share_links.SHARE_KEEP


def test_revoking_a_link_with_an_end_keeps_its_ttl(make_photo):
    link = share(make_photo(), expires_in=60, now=NOW)

    services.share_link_revoke(token=link.token, actor=ALICE, now=NOW + timedelta(days=5))

    assert ShareLink.get(link.token).expires_at == link.expires_at


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"label": "x" * 81}, "bad_label"),
        ({"label": "for\x1bGrandma"}, "control_characters"),
        ({"password": "abc"}, "bad_password"),
        ({"password": "p" * 129}, "bad_password"),
        ({"view_limit": 0}, "bad_view_limit"),
        ({"view_limit": 1001}, "bad_view_limit"),
        ({"expires_in": 59}, "bad_expiry"),
        ({"expires_in": 604801}, "bad_expiry"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_written(make_photo, options, code):
    photo = make_photo()

    with pytest.raises(Invalid) as caught:
        share(photo, **options)

    assert caught.value.code == code
    assert list(ShareLink.scan()) == []


def test_a_link_names_exactly_one_target(make_photo):
    photo = make_photo()

    for targets in ({}, {"photo_id": photo.photo_id, "photo_ids": [photo.photo_id]}):
        with pytest.raises(Invalid) as caught:
            services.share_link_create(actor=ALICE, expires_in=60, **targets)
        assert caught.value.code == "bad_target"


def test_only_the_owner_shares_an_album_and_a_missing_one_is_not_found(make_photo):
    album = albums.album_create(actor=ALICE, title="Holiday")

    with pytest.raises(NotFound):
        services.share_link_create(actor=BOB, expires_in=60, album_id=album.album_id)
    with pytest.raises(NotFound):
        services.share_link_create(actor=ALICE, expires_in=60, album_id="no-such-album")
    with pytest.raises(Invalid) as both:
        services.share_link_create(
            actor=ALICE, expires_in=60, album_id=album.album_id, photo_id="x"
        )

    assert both.value.code == "bad_target"
    assert list(ShareLink.scan()) == []


# --- passwords ---------------------------------------------------------------------------------


def test_the_password_is_stored_as_a_django_hash_only(make_photo):
    link = share(make_photo(), password="granny-smith-42")

    stored = ShareLink.get(link.token)
    assert identify_hasher(stored.password_hash).algorithm == "pbkdf2_sha256"
    assert check_password("granny-smith-42", stored.password_hash)
    raw = ShareLink._get_connection().get_item(link.token)["Item"]
    assert "granny-smith-42" not in repr(raw)


def test_a_link_with_a_password_opens_only_for_whoever_gave_it(fast_hasher, make_photo):
    link = share(make_photo(), password="granny-smith-42")

    with pytest.raises(services.PasswordRequired):
        services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)
    with pytest.raises(Forbidden) as wrong:
        services.share_link_unlock(token=link.token, password="granny", ip="198.51.100.7")
    unlocked = services.share_link_unlock(
        token=link.token, password="granny-smith-42", ip="198.51.100.7"
    )
    shared = services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=True)

    assert wrong.value.code == "wrong_password"
    assert unlocked.token == link.token
    assert [item.photo.photo_id for item in shared.items] == [link.photo_id]
    # Asking for the password counts nothing: only the open after it.
    assert ShareLink.get(link.token).open_count == 1


def test_a_guessing_flood_on_one_link_is_stopped_even_from_many_addresses(fast_hasher, make_photo):
    link = share(make_photo(), password="granny-smith-42")
    hits = share_visits.PASSWORD_LINK_LIMIT.hits

    for n in range(hits):
        with pytest.raises(Forbidden):
            services.share_link_unlock(token=link.token, password=f"guess{n}", ip=f"192.0.2.{n}")
    with pytest.raises(RateLimited) as caught:
        # The right password, from a new address: the link is closed to guessing for now.
        services.share_link_unlock(token=link.token, password="granny-smith-42", ip="192.0.2.99")

    assert caught.value.status == 429


def test_one_address_guessing_across_links_is_stopped(fast_hasher, make_photo):
    photo = make_photo()
    links = [share(photo, password=f"secret-{n}") for n in range(4)]
    hits = share_visits.PASSWORD_IP_LIMIT.hits

    for n in range(hits):
        with pytest.raises(Forbidden):
            services.share_link_unlock(
                token=links[n % 4].token, password=f"guess{n}", ip="203.0.113.50"
            )
    with pytest.raises(RateLimited):
        services.share_link_unlock(token=links[0].token, password="secret-0", ip="203.0.113.50")
    # Another address is not affected by that one's guesses.
    assert (
        services.share_link_unlock(
            token=links[0].token, password="secret-0", ip="203.0.113.51"
        ).token
        == links[0].token
    )


def test_a_rate_limited_guess_computes_no_hash(fast_hasher, make_photo, monkeypatch):
    link = share(make_photo(), password="granny-smith-42")
    for n in range(share_visits.PASSWORD_LINK_LIMIT.hits):
        with pytest.raises(Forbidden):
            services.share_link_unlock(token=link.token, password=f"g{n}", ip=f"192.0.2.{n}")
    checked = []
    monkeypatch.setattr(share_visits, "check_password", lambda *args: checked.append(args))

    with pytest.raises(RateLimited):
        services.share_link_unlock(token=link.token, password="x", ip="192.0.2.200")

    assert checked == []


# --- opening: count, log, view limit -----------------------------------------------------------


def test_an_open_is_counted_and_logged_with_the_truncated_address_and_a_ttl(make_photo):
    link = share(make_photo())

    services.share_link_visit(token=link.token, ip="198.51.100.77", unlocked=False, now=NOW)
    services.share_link_visit(token=link.token, ip="2001:db8:1234:5678::1", unlocked=False)

    stored = ShareLink.get(link.token)
    assert stored.open_count == 2
    log = selectors.share_open_list(link=stored).items
    assert [entry.ip for entry in log] == ["2001:db8:1234:x", "198.51.100.x"]
    assert {entry.kind for entry in log} == {"page"}
    oldest = log[-1]
    assert oldest.expires_at == NOW + timedelta(days=services.share_opens.SHARE_OPEN_KEEP_DAYS)
    assert ShareOpen._ttl_attribute().attr_name == "expires_at"


def test_an_open_costs_a_read_of_the_link_and_photo_a_count_and_a_log_write(make_photo):
    link = share(make_photo())

    with count_dynamodb_calls() as calls:
        services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)

    assert calls.by_name == {"GetItem": 2, "UpdateItem": 1, "PutItem": 1}


def test_the_open_log_is_one_query_of_the_links_partition(make_photo):
    link = share(make_photo())
    other = share(make_photo("Other"))
    for _ in range(3):
        services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)
    services.share_link_visit(token=other.token, ip="198.51.100.8", unlocked=False)

    with count_dynamodb_calls() as calls:
        page = selectors.share_open_list(link=link)

    assert calls.operations == ["Query"]
    assert len(page.items) == 3


def test_the_view_limit_refuses_the_open_after_the_last_allowed(make_photo):
    link = share(make_photo(), view_limit=2)

    services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)
    services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)
    with pytest.raises(Gone) as caught:
        services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)

    assert caught.value.code == "used_up"
    stored = ShareLink.get(link.token)
    assert (stored.open_count, stored.status(now=datetime.now(UTC))) == (2, "used_up")
    assert len(selectors.share_open_list(link=stored).items) == 2  # the refusal is no open


def test_concurrent_opens_never_pass_the_view_limit(make_photo):
    link = share(make_photo(), view_limit=3)

    def open_link(n: int) -> str:
        try:
            services.share_link_visit(token=link.token, ip=f"198.51.100.{n}", unlocked=False)
        except Gone as exc:
            return exc.code
        return "opened"

    results = race(10, open_link)

    assert sorted(results) == ["opened"] * 3 + ["used_up"] * 7
    assert ShareLink.get(link.token).open_count == 3


def test_a_revocation_refuses_the_very_next_request(fast_hasher, make_photo):
    link = share(make_photo(), password="granny-smith-42", expires_in=None)
    services.share_link_unlock(token=link.token, password="granny-smith-42", ip="192.0.2.1")
    services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=True)

    services.share_link_revoke(token=link.token, actor=ALICE)

    for attempt in (
        lambda: services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=True),
        lambda: services.share_link_download(token=link.token, ip="192.0.2.1", unlocked=True),
        lambda: services.share_link_unlock(
            token=link.token, password="granny-smith-42", ip="192.0.2.1"
        ),
    ):
        with pytest.raises(Gone) as caught:
            attempt()
        assert caught.value.code == "revoked"


def test_a_revocation_racing_the_count_refuses_the_open(make_photo):
    """The counted open is conditional on the link not being revoked: a revocation between the
    open's read and its count still refuses it."""
    link = share(make_photo())
    stale = ShareLink.get(link.token)
    services.share_link_revoke(token=link.token, actor=ALICE)

    with pytest.raises(Gone) as caught:
        services.share_view_count(link=stale)

    assert caught.value.code == "revoked"
    assert ShareLink.get(link.token).open_count == 0


# --- downloads ----------------------------------------------------------------------------------


def test_a_download_serves_the_display_copy_without_location_data_and_is_logged(make_photo):
    photo = make_photo()
    link = share(photo)

    served = services.share_link_download(token=link.token, ip="198.51.100.7", unlocked=False)

    assert f"/{photo.display_key}?" in served.url
    assert [entry.kind for entry in selectors.share_open_list(link=link).items] == ["file"]
    assert ShareLink.get(link.token).open_count == 0  # a download is no page open


def test_a_view_only_link_refuses_downloads(make_photo):
    link = share(make_photo(), allow_download=False)

    with pytest.raises(Forbidden) as caught:
        services.share_link_download(token=link.token, ip="198.51.100.7", unlocked=True)

    assert caught.value.code == "download_off"


def test_a_limited_or_protected_link_serves_its_file_only_after_its_page(fast_hasher, make_photo):
    photo = make_photo()
    for link in (share(photo, view_limit=1), share(photo, password="granny-smith-42")):
        with pytest.raises(services.PasswordRequired):
            services.share_link_download(token=link.token, ip="198.51.100.7", unlocked=False)
        assert services.share_link_download(token=link.token, ip="198.51.100.7", unlocked=True)


# --- selections ---------------------------------------------------------------------------------


def test_a_selection_shares_its_photos_in_order_and_skips_one_hidden_since(make_photo):
    first, second, third = (make_photo(name) for name in ("One", "Two", "Three"))
    link = services.share_link_create(
        photo_ids=[third.photo_id, first.photo_id, second.photo_id, first.photo_id],
        actor=ALICE,
        expires_in=3600,
        label="for Grandma",
    )
    assert (link.target, link.photo_id) == ("selection", None)
    assert link.photo_ids == [third.photo_id, first.photo_id, second.photo_id]

    services.photo_hide(photo_id=first.photo_id)
    shared = services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)

    assert [item.photo.name for item in shared.items] == ["Three", "Two"]
    assert all(item.url for item in shared.items)
    second_only = services.share_link_download(
        token=link.token, ip="198.51.100.7", unlocked=False, photo_id=second.photo_id
    )
    assert second_only.photo.photo_id == second.photo_id
    with pytest.raises(NotFound):
        services.share_link_download(
            token=link.token, ip="198.51.100.7", unlocked=False, photo_id=first.photo_id
        )


def test_a_selection_with_nothing_left_to_show_is_gone(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_ids=[photo.photo_id], actor=ALICE, expires_in=60)

    services.photo_delete(photo_id=photo.photo_id, actor=ALICE)

    with pytest.raises(Gone) as caught:
        services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)
    assert caught.value.code == "deleted"


def test_a_selection_of_someone_elses_photo_is_refused_and_nothing_is_written(make_photo):
    mine = make_photo()
    theirs = make_photo(owner_sub="sub-bob", owner_name="Bob")

    with pytest.raises(Invalid):  # two owners
        services.share_link_create(
            photo_ids=[mine.photo_id, theirs.photo_id], actor=ALICE, expires_in=60
        )
    with pytest.raises(Forbidden):
        services.share_link_create(photo_ids=[theirs.photo_id], actor=ALICE, expires_in=60)
    assert list(ShareLink.scan()) == []


@pytest.mark.parametrize("ids", [[], ["missing"], ["x" * 65], [f"p{n}" for n in range(51)]])
def test_an_empty_unknown_or_oversized_selection_is_refused(make_photo, ids):
    with pytest.raises(Invalid) as caught:
        services.share_link_create(photo_ids=ids, actor=ALICE, expires_in=60)

    assert caught.value.code == "bad_selection"


def test_a_moderators_selection_belongs_to_the_owner_and_is_recorded(make_photo):
    photo = make_photo()

    link = services.share_link_create(photo_ids=[photo.photo_id], actor=MODERATOR, expires_in=60)

    assert (link.owner_sub, link.created_by) == ("sub-alice", "sub-mod")
    [event] = list(AuditEvent.scan())
    assert event.action == "share"
    assert "selection of 1 photos" in event.detail


# --- removing ended links -----------------------------------------------------------------------


def test_an_active_link_cannot_be_removed(make_photo):
    link = share(make_photo())

    with pytest.raises(Invalid) as caught:
        services.share_link_remove(token=link.token, actor=ALICE)

    assert caught.value.code == "link_active"
    assert ShareLink.get(link.token)


@pytest.mark.parametrize("ending", ["revoked", "expired", "used_up"])
def test_an_ended_link_is_removed_once_and_again_is_harmless(make_photo, ending):
    link = share(make_photo(), view_limit=1, expires_in=60, now=datetime.now(UTC))
    if ending == "revoked":
        services.share_link_revoke(token=link.token, actor=ALICE)
    elif ending == "used_up":
        services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=True)
    when = datetime.now(UTC) + timedelta(seconds=61 if ending == "expired" else 0)

    services.share_link_remove(token=link.token, actor=ALICE, now=when)
    services.share_link_remove(token=link.token, actor=ALICE, now=when)

    with pytest.raises(ShareLink.DoesNotExist):
        ShareLink.get(link.token)


def test_removing_at_once_from_several_requests_is_harmless(make_photo):
    link = share(make_photo())
    services.share_link_revoke(token=link.token, actor=ALICE)

    race(4, lambda _n: services.share_link_remove(token=link.token, actor=ALICE))

    assert list(ShareLink.scan()) == []


def test_nobody_else_removes_a_link(make_photo):
    link = share(make_photo())
    services.share_link_revoke(token=link.token, actor=ALICE)

    with pytest.raises(Forbidden):
        services.share_link_remove(token=link.token, actor=BOB)

    assert ShareLink.get(link.token)


# --- the owner's reads --------------------------------------------------------------------------


def test_a_link_and_its_log_are_its_owners_and_a_moderators_only(make_photo):
    link = share(make_photo())

    assert selectors.share_link_get_for_owner(token=link.token, viewer=ALICE).token == link.token
    assert selectors.share_link_get_for_owner(token=link.token, viewer=MODERATOR)
    with pytest.raises(NotFound):
        selectors.share_link_get_for_owner(token=link.token, viewer=BOB)
    with pytest.raises(NotFound):
        selectors.share_link_get_for_owner(token="no-such-link", viewer=ALICE)


# --- albums -------------------------------------------------------------------------------------


def test_an_album_link_shows_the_albums_photos_in_order_as_they_are_now(make_photo):
    first, second, third = (make_photo(name) for name in ("One", "Two", "Three"))
    album = albums.album_create(actor=ALICE, title="Holiday 假期")
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[first.photo_id, second.photo_id], actor=ALICE
    )
    link = services.share_link_create(
        album_id=album.album_id, actor=ALICE, expires_in=3600, label="for Grandma"
    )
    assert (link.target, link.album_id, link.photo_id, link.photo_name) == (
        "album",
        album.album_id,
        None,
        "Holiday 假期",
    )

    # Added after the link was made, and one hidden since: the link shows the album as it is.
    albums.album_items_add(album_id=album.album_id, photo_ids=[third.photo_id], actor=ALICE)
    services.photo_hide(photo_id=first.photo_id)
    shared = services.share_link_visit(token=link.token, ip="198.51.100.7", unlocked=False)

    assert [item.photo.name for item in shared.items] == ["Two", "Three"]
    assert ShareLink.get(link.token).open_count == 1
    one = services.share_link_download(
        token=link.token, ip="198.51.100.7", unlocked=False, photo_id=third.photo_id
    )
    assert one.photo.photo_id == third.photo_id
    with pytest.raises(NotFound):  # hidden
        services.share_link_download(
            token=link.token, ip="198.51.100.7", unlocked=False, photo_id=first.photo_id
        )
    with pytest.raises(NotFound):  # never in the album
        services.share_link_download(
            token=link.token,
            ip="198.51.100.7",
            unlocked=False,
            photo_id=make_photo("Elsewhere").photo_id,
        )


def test_an_album_pages_through_a_link_and_only_its_first_page_counts(make_photo, monkeypatch):
    monkeypatch.setattr(services.share_links, "SHARE_ALBUM_PAGE_SIZE", 2)
    photos = [make_photo(f"P{n}") for n in range(3)]
    album = albums.album_create(actor=ALICE, title="Three")
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[photo.photo_id for photo in photos], actor=ALICE
    )
    link = services.share_link_create(album_id=album.album_id, actor=ALICE, expires_in=3600)

    first = services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=False)
    second = services.share_link_visit(
        token=link.token, ip="192.0.2.1", unlocked=True, cursor=first.cursor
    )

    assert [item.photo.name for item in first.items] == ["P0", "P1"]
    assert [item.photo.name for item in second.items] == ["P2"]
    assert ShareLink.get(link.token).open_count == 1
    assert len(selectors.share_open_list(link=link).items) == 1


def test_an_album_page_costs_the_link_the_album_its_items_and_its_photos(make_photo):
    photos = [make_photo(f"P{n}") for n in range(3)]
    album = albums.album_create(actor=ALICE, title="Three")
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[photo.photo_id for photo in photos], actor=ALICE
    )
    link = services.share_link_create(album_id=album.album_id, actor=ALICE, expires_in=3600)

    with count_dynamodb_calls() as calls:
        services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=False)

    assert calls.by_name == {
        "GetItem": 2,  # the link, the album
        "Query": 1,  # one page of its items
        "BatchGetItem": 1,  # their photos
        "UpdateItem": 1,  # the count
        "PutItem": 1,  # the log
    }


def test_a_deleted_album_or_an_empty_one(make_photo):
    album = albums.album_create(actor=ALICE, title="Empty")
    link = services.share_link_create(album_id=album.album_id, actor=ALICE, expires_in=None)

    assert services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=False).items == []
    albums.album_delete(album_id=album.album_id, actor=ALICE)
    with pytest.raises(Gone) as caught:
        services.share_link_visit(token=link.token, ip="192.0.2.1", unlocked=False)
    assert caught.value.code == "deleted"
