"""Visibility per photo: public (feed and search), unlisted (its address or a share link),
private (owner and moderators). Services, selectors and cost, policy, share links, concurrency.

The one rule: a photo carries `feed` and its search terms exactly while it is visible and
public (Photo.is_listed), whichever write (publish, hide, unhide, visibility) changed it last.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.contrib.auth.models import AnonymousUser

from accounts import preferences
from gallery import policy, search_terms, selectors, services
from gallery.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    VISIBILITY_PRIVATE,
    VISIBILITY_PUBLIC,
    VISIBILITY_UNLISTED,
    Photo,
    SearchTerm,
)
from gallery.services import moderation, visibility

from .conftest import count_dynamodb_calls, png, table_count

START = datetime(2026, 3, 1, tzinfo=UTC)


def stored(photo_id: str) -> Photo:
    return Photo.get(photo_id, consistent_read=True)


def terms_of(photo: Photo) -> set[str]:
    """The photo's search-term items as stored (one GetItem per term of its name)."""
    found = set()
    for term in search_terms.index_terms(photo.name):
        try:
            SearchTerm.get(term, photo.sort_key, consistent_read=True)
        except SearchTerm.DoesNotExist:
            continue
        found.add(term)
    return found


def assert_follows_the_rule(photo_id: str) -> Photo:
    """The photo carries `feed` and every search term exactly while it is visible and public."""
    photo = stored(photo_id)
    expected = search_terms.index_terms(photo.name) if photo.is_listed else set()
    assert (photo.feed == FEED_PARTITION) is photo.is_listed, photo.attribute_values
    assert terms_of(photo) == expected
    return photo


def feed_ids() -> list[str]:
    return [card.photo_id for card in selectors.photo_card_list_feed(limit=100).items]


def search_ids(q: str) -> list[str]:
    return [photo.photo_id for photo in selectors.photo_search(q=q).items]


# --- chosen at upload -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "listed"),
    [(VISIBILITY_PUBLIC, True), (VISIBILITY_UNLISTED, False), (VISIBILITY_PRIVATE, False)],
)
def test_an_upload_keeps_its_visibility_and_only_a_public_one_is_listed(make_photo, chosen, listed):
    photo = make_photo("Harbour lights", visibility=chosen)

    kept = assert_follows_the_rule(photo.photo_id)
    assert kept.visibility == chosen
    assert (photo.photo_id in feed_ids()) is listed
    assert (photo.photo_id in search_ids("harbour")) is listed
    # Its owner finds it in "My photos" whatever its visibility.
    mine = selectors.photo_card_list_owner(owner_sub="sub-alice").items
    assert [(card.photo_id, card.visibility) for card in mine] == [(photo.photo_id, chosen)]


def test_an_upload_without_a_choice_takes_the_owners_default(make_photo, aws_stack):
    assert make_photo("Before any setting").visibility == VISIBILITY_PUBLIC

    services.visibility_default_set(
        owner_sub="sub-alice", owner_name="Alice", visibility=VISIBILITY_PRIVATE
    )
    photo = make_photo("After the setting")

    assert stored(photo.photo_id).visibility == VISIBILITY_PRIVATE
    assert photo.photo_id not in feed_ids()
    # Another user's default is their own.
    assert make_photo("Bob's", owner_sub="sub-bob").visibility == VISIBILITY_PUBLIC


def test_the_default_setting_is_idempotent_and_checked(aws_stack):
    for _ in range(2):
        services.visibility_default_set(
            owner_sub="sub-alice", owner_name="Alice", visibility=VISIBILITY_UNLISTED
        )
    assert services.visibility_default(owner_sub="sub-alice") == VISIBILITY_UNLISTED

    with pytest.raises(Invalid) as refused:
        services.visibility_default_set(owner_sub="sub-alice", owner_name="Alice", visibility="x")
    assert refused.value.code == "bad_visibility"
    assert services.visibility_default(owner_sub="sub-alice") == VISIBILITY_UNLISTED


def test_a_direct_upload_keeps_its_visibility_through_completion(aws_stack):
    data = png(32, 24)
    ticket = services.upload_start(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Quiet street",
        content_type="image/png",
        size=len(data),
        uploader_ip="198.51.100.4",
        credentials=None,
        visibility="unlisted",
    )
    sent = requests.post(
        ticket.url, data=ticket.fields, files={"file": ("p.png", data, "image/png")}, timeout=10
    )
    assert sent.status_code in (200, 201, 204)
    photo = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert photo.visibility == VISIBILITY_UNLISTED
    assert_follows_the_rule(photo.photo_id)
    assert photo.photo_id not in feed_ids()


def test_a_bad_visibility_at_upload_is_refused_and_nothing_is_written(make_photo):
    with pytest.raises(Invalid) as refused:
        make_photo("Odd", visibility="friends")

    assert refused.value.code == "bad_visibility"
    assert table_count(Photo) == 0


# --- photos stored before visibility existed --------------------------------------------------


def test_a_photo_without_the_attribute_counts_as_public(make_photo, alice, bob):
    photo = make_photo("Old harbour")
    Photo(photo.photo_id).update(actions=[Photo.visibility.remove()], add_version_condition=False)
    old = stored(photo.photo_id)

    assert old.visibility is None
    assert old.audience == VISIBILITY_PUBLIC and old.is_listed
    assert policy.may_view(viewer=AnonymousUser(), photo=old)
    assert photo.photo_id in feed_ids() and photo.photo_id in search_ids("old")
    card = selectors.photo_card_list_owner(owner_sub="sub-alice").items[0]
    assert card.visibility == VISIBILITY_PUBLIC

    # Its owner can still make it private, and back.
    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="private")
    assert assert_follows_the_rule(photo.photo_id).audience == VISIBILITY_PRIVATE
    # Commenting on it is its owner's alone now.
    with pytest.raises(NotFound):
        services.comment_create(
            photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
        )


# --- changed later ----------------------------------------------------------------------------


def test_making_a_photo_private_and_public_again_moves_feed_and_terms_in_one_write(
    make_photo, alice
):
    photo = make_photo("Sunset over the bay")

    with count_dynamodb_calls() as log:
        services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="private")
    # One consistent read, one transaction (the photo and its terms together).
    assert log.operations == ["GetItem", "TransactWriteItems"]
    assert assert_follows_the_rule(photo.photo_id).visibility == VISIBILITY_PRIVATE
    assert feed_ids() == [] and search_ids("sunset") == []

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="unlisted")
    assert assert_follows_the_rule(photo.photo_id).visibility == VISIBILITY_UNLISTED

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="public")
    assert assert_follows_the_rule(photo.photo_id).is_listed
    assert feed_ids() == [photo.photo_id] and search_ids("sunset") == [photo.photo_id]


def test_asking_again_for_the_same_visibility_writes_nothing(make_photo, alice):
    photo = make_photo("Twice", visibility="unlisted")

    with count_dynamodb_calls() as log:
        again = services.photo_visibility_set(
            photo_id=photo.photo_id, actor=alice, visibility="unlisted"
        )

    assert log.operations == ["GetItem"]
    assert again.version == stored(photo.photo_id).version


def test_only_the_owner_may_change_visibility(make_photo, bob, moderator):
    photo = make_photo("Alice's")

    for actor in (bob, moderator, AnonymousUser()):
        with pytest.raises(Forbidden):
            services.photo_visibility_set(photo_id=photo.photo_id, actor=actor, visibility="public")
    assert stored(photo.photo_id).version == photo.version


def test_a_change_from_a_stale_page_is_refused(make_photo, alice):
    photo = make_photo("Stale")
    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="unlisted")

    with pytest.raises(Conflict):
        services.photo_visibility_set(
            photo_id=photo.photo_id,
            actor=alice,
            visibility="private",
            expected_version=photo.version,
        )
    assert stored(photo.photo_id).visibility == VISIBILITY_UNLISTED


def test_a_missing_photo_is_not_found(alice, aws_stack):
    with pytest.raises(NotFound):
        services.photo_visibility_set(photo_id="nope", actor=alice, visibility="public")


def test_a_long_name_keeps_every_term_in_step(make_photo, alice):
    # More terms than one transaction holds: the rest are written beside it.
    name = "Extraordinarily photogenic lighthouse silhouettes beneath thunderclouds"
    assert len(search_terms.index_terms(name)) > visibility.TRANSACTION_MAX_ITEMS
    photo = make_photo(name, visibility="private")
    assert terms_of(photo) == set()

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="public")
    assert_follows_the_rule(photo.photo_id)
    assert search_ids("lighthouse thunder") == [photo.photo_id]

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="private")
    assert_follows_the_rule(photo.photo_id)
    assert table_count(SearchTerm) == 0


def test_a_rename_of_a_private_photo_indexes_nothing(make_photo, alice):
    photo = make_photo("Secret garden", visibility="private")

    services.photo_update(
        photo_id=photo.photo_id,
        actor=alice,
        name="Hidden orchard",
        caption="",
        expected_version=photo.version,
    )

    assert table_count(SearchTerm) == 0
    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="public")
    assert search_ids("orchard") == [photo.photo_id] and search_ids("garden") == []


# --- hide and unhide follow the same rule -----------------------------------------------------


@pytest.mark.parametrize("chosen", [VISIBILITY_PUBLIC, VISIBILITY_UNLISTED, VISIBILITY_PRIVATE])
def test_hide_and_unhide_keep_the_owners_visibility(make_photo, chosen):
    photo = make_photo("Moderated", visibility=chosen)

    moderation.photo_hide(photo_id=photo.photo_id)
    hidden = assert_follows_the_rule(photo.photo_id)
    assert hidden.status == STATUS_HIDDEN and hidden.visibility == chosen

    moderation.photo_unhide(photo_id=photo.photo_id)
    back = assert_follows_the_rule(photo.photo_id)
    assert back.visibility == chosen
    assert (feed_ids() == [photo.photo_id]) is (chosen == VISIBILITY_PUBLIC)


def test_the_owner_may_change_the_visibility_of_a_hidden_photo_which_stays_hidden(
    make_photo, alice
):
    photo = make_photo("Hidden then public", visibility="private")
    moderation.photo_hide(photo_id=photo.photo_id)

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="public")

    assert assert_follows_the_rule(photo.photo_id).status == STATUS_HIDDEN
    assert feed_ids() == []
    moderation.photo_unhide(photo_id=photo.photo_id)
    assert feed_ids() == [photo.photo_id]


# Concurrency with real threads: tests/data/test_visibility_race.py (on DynamoDB Local, whose
# conditional writes are atomic under concurrent requests, unlike moto's).


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "public_sees"),
    [(VISIBILITY_PUBLIC, True), (VISIBILITY_UNLISTED, True), (VISIBILITY_PRIVATE, False)],
)
def test_may_view_follows_the_visibility(make_photo, alice, bob, moderator, chosen, public_sees):
    photo = make_photo("Seen?", visibility=chosen)

    assert policy.may_view(viewer=AnonymousUser(), photo=photo) is public_sees
    assert policy.may_view(viewer=bob, photo=photo) is public_sees
    assert policy.may_view(viewer=alice, photo=photo)
    assert policy.may_view(viewer=moderator, photo=photo)


def test_a_private_photo_is_not_found_for_anyone_else(make_photo, alice, bob, moderator):
    photo = make_photo("Mine alone", visibility="private")

    for viewer in (None, AnonymousUser(), bob):
        with pytest.raises(NotFound):
            selectors.photo_get_visible(photo_id=photo.photo_id, viewer=viewer)
        if viewer is not None:
            with pytest.raises(NotFound):
                selectors.photo_get_for_viewer(photo_id=photo.photo_id, viewer=viewer)
    for viewer in (alice, moderator):
        assert selectors.photo_get_for_viewer(photo_id=photo.photo_id, viewer=viewer)
        assert selectors.photo_get_visible(photo_id=photo.photo_id, viewer=viewer)


def test_a_stranger_cannot_comment_on_a_private_photo_but_its_owner_can(make_photo):
    photo = make_photo("Diary", visibility="private")

    with pytest.raises(NotFound):
        services.comment_create(
            photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
        )
    services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-alice", author_name="A", body="note", ip=""
    )
    assert stored(photo.photo_id).comment_count == 1


# --- share links ------------------------------------------------------------------------------


def test_an_unlisted_photo_can_be_shared_and_a_private_one_cannot(make_photo, alice):
    unlisted = make_photo("Unlisted", visibility="unlisted")
    private = make_photo("Private", visibility="private")

    link = services.share_link_create(photo_id=unlisted.photo_id, actor=alice, expires_in=600)
    assert services.share_link_open(token=link.token).photo.photo_id == unlisted.photo_id
    with pytest.raises(Invalid) as refused:
        services.share_link_create(photo_id=private.photo_id, actor=alice, expires_in=600)
    assert refused.value.code == "photo_private"


def test_making_a_shared_photo_private_stops_its_links_and_public_again_revives_them(
    make_photo, alice
):
    photo = make_photo("Shared", visibility="unlisted")
    link = services.share_link_create(photo_id=photo.photo_id, actor=alice, expires_in=600)

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="private")
    with pytest.raises(Gone):
        services.share_link_open(token=link.token)

    services.photo_visibility_set(photo_id=photo.photo_id, actor=alice, visibility="unlisted")
    assert services.share_link_open(token=link.token).photo.photo_id == photo.photo_id


# --- cost: page cost independent of the table --------------------------------------------------


def test_the_feed_page_reads_no_unlisted_or_private_photo(make_photo):
    for i in range(30):
        make_photo(f"Private {i}", data=png(16, 12), visibility="private", now=START + timedelta(i))
    public = [
        make_photo(f"Public {i}", data=png(16, 12), now=START + timedelta(hours=i))
        for i in range(3)
    ]

    with count_dynamodb_calls() as log:
        page = selectors.photo_card_list_feed()

    # The sparse index holds public photos only: one Query, and only their items read.
    assert log.operations == ["Query"]
    assert log.items == 3
    assert {card.photo_id for card in page.items} == {p.photo_id for p in public}


def test_a_search_reads_no_term_of_a_private_photo(make_photo):
    for i in range(20):
        make_photo(f"Lantern {i}", data=png(16, 12), visibility="private")
    shown = make_photo("Lantern festival", data=png(16, 12))

    with count_dynamodb_calls() as log:
        found = search_ids("lantern")

    assert found == [shown.photo_id]
    # One Query of the term and one BatchGetItem of the single public photo.
    assert log.by_name == {"Query": 1, "BatchGetItem": 1}
    assert log.items == 2


def test_a_visibility_change_costs_the_same_whatever_else_is_stored(make_photo, alice):
    first = make_photo("Costs", data=png(16, 12))
    with count_dynamodb_calls() as few:
        services.photo_visibility_set(photo_id=first.photo_id, actor=alice, visibility="private")
    for i in range(20):
        make_photo(f"Costs {i}", data=png(16, 12))
    last = make_photo("Costs", data=png(16, 12))
    with count_dynamodb_calls() as many:
        services.photo_visibility_set(photo_id=last.photo_id, actor=alice, visibility="private")

    assert few.operations == many.operations == ["GetItem", "TransactWriteItems"]
    assert "Scan" not in few.operations + many.operations


def test_the_default_setting_is_one_read_and_one_write(aws_stack):
    with count_dynamodb_calls() as log:
        services.visibility_default_set(
            owner_sub="sub-alice", owner_name="Alice", visibility="private"
        )
        services.visibility_default(owner_sub="sub-alice")

    assert log.operations == ["UpdateItem", "GetItem"]
    assert preferences.profile_photo_visibility_get(sub="sub-alice") == VISIBILITY_PRIVATE


def test_a_selection_with_a_private_photo_cannot_be_shared(make_photo, alice):
    shown = make_photo("Open", data=png(16, 12))
    private = make_photo("Closed", data=png(16, 12), visibility="private")

    with pytest.raises(Invalid) as refused:
        services.share_link_create(
            photo_ids=[shown.photo_id, private.photo_id], actor=alice, expires_in=600
        )

    assert refused.value.code == "photo_private"


def test_a_photo_made_private_leaves_a_shared_selection(make_photo, alice):
    first = make_photo("First", data=png(16, 12))
    second = make_photo("Second", data=png(16, 12), visibility="unlisted")
    link = services.share_link_create(
        photo_ids=[first.photo_id, second.photo_id], actor=alice, expires_in=600
    )

    services.photo_visibility_set(photo_id=second.photo_id, actor=alice, visibility="private")

    shown = services.share_link_open(token=link.token)
    assert shown.photo.photo_id == first.photo_id
    with pytest.raises(NotFound):
        services.share_link_open(token=link.token, photo_id=second.photo_id)
    services.photo_visibility_set(photo_id=first.photo_id, actor=alice, visibility="private")
    with pytest.raises(Gone):
        services.share_link_open(token=link.token)
