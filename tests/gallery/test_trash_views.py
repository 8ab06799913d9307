"""gallery.trash_views: the owner's Trash page, one-click restore, and delete forever and empty
trash that each ask once; a hidden photo's page tells its owner why."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gallery import selectors, services
from gallery.models import STATUS_HIDDEN, Photo
from gallery.services import moderation
from tests.accounts.users import sign_in, site_user

from .conftest import count_dynamodb_calls, png, race, stored_counts
from .test_chinese_pages import ASCII_AFTER_CHINESE, ZH, english_left, visible_text

ALICE = site_user("sub-alice", "Alice 爱丽丝", ("members",))
TRASH = reverse("gallery:trash")
EMPTY_TRASH = reverse("gallery:trash_empty")


def trashed(make_photo, name: str = "海边日落", **kwargs) -> Photo:
    photo = make_photo(name, **kwargs)
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE)
    return Photo.get(photo.photo_id)


def restore_url(photo: Photo) -> str:
    return reverse("gallery:trash_restore", args=[photo.photo_id])


def delete_url(photo: Photo) -> str:
    return reverse("gallery:trash_delete", args=[photo.photo_id])


# --- the Trash page -----------------------------------------------------------------------------


def test_my_photos_links_to_the_trash(alice_client, aws_stack):
    html = alice_client.get(reverse("gallery:photo_mine")).content.decode()

    assert f'href="{TRASH}"' in html


def test_the_trash_lists_each_photo_with_its_purge_day_restore_and_delete_forever(
    alice_client, make_photo
):
    photo = trashed(make_photo)
    make_photo("Still here")

    response = alice_client.get(TRASH)

    html = response.content.decode()
    assert response.status_code == 200
    assert "海边日落" in html and "Still here" not in html
    assert f'<form method="post" action="{restore_url(photo)}">' in html  # one click
    assert f'href="{delete_url(photo)}"' in html  # asks first
    assert f'href="{EMPTY_TRASH}"' in html
    assert "Deleted for good on" in html
    assert photo.grid_key.startswith("trash/") and photo.grid_key in html


def test_an_empty_trash_says_so_and_offers_no_emptying(alice_client, aws_stack):
    html = alice_client.get(TRASH).content.decode()

    assert "Your trash is empty." in html
    assert EMPTY_TRASH not in html


def test_the_trash_is_only_its_owners(client, bob, make_photo):
    trashed(make_photo)
    sign_in(client, bob)

    assert "海边日落" not in client.get(TRASH).content.decode()
    assert Client().get(TRASH).status_code == 302  # signed out: to the sign-in page


def test_the_trash_page_costs_one_query(alice_client, make_photo):
    for n in range(3):
        trashed(make_photo, f"Gone {n}", data=png(16, 12))

    with count_dynamodb_calls() as log:
        alice_client.get(TRASH)

    on_photos = [op for op, t in zip(log.operations, log.tables, strict=True) if "photos" in t]
    assert on_photos == ["Query"]
    assert "Scan" not in log.operations


# --- restore ------------------------------------------------------------------------------------


def test_restore_is_one_post_and_puts_the_photo_back(alice_client, make_photo):
    photo = trashed(make_photo)

    response = alice_client.post(restore_url(photo), follow=True)

    assert response.redirect_chain[-1][0] == TRASH
    assert "“海边日落” is back in your photos." in response.content.decode()
    assert [p.photo_id for p in selectors.photo_list_feed().items] == [photo.photo_id]
    assert alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).status_code == (
        200
    )


def test_restore_answers_no_get(alice_client, make_photo):
    photo = trashed(make_photo)

    assert alice_client.get(restore_url(photo)).status_code == 405
    assert Photo.get(photo.photo_id).is_trashed


def test_a_double_click_on_restore_restores_once(alice_client, make_photo):
    photo = trashed(make_photo)

    first, second = alice_client.post(restore_url(photo)), alice_client.post(restore_url(photo))

    assert (first.status_code, second.status_code) == (302, 302)
    assert Photo.get(photo.photo_id).version == photo.version + 1


def test_someone_else_cannot_restore_or_delete_my_trashed_photo(client, bob, make_photo):
    photo = trashed(make_photo)
    sign_in(client, bob)

    assert client.post(restore_url(photo)).status_code == 403
    assert client.get(delete_url(photo)).status_code == 403
    assert client.post(delete_url(photo)).status_code == 403
    assert Photo.get(photo.photo_id).is_trashed


# --- delete forever and empty trash: each asks once ---------------------------------------------


def test_delete_forever_asks_first_and_only_the_post_deletes(alice_client, make_photo, aws_stack):
    photo = trashed(make_photo)

    asked = alice_client.get(delete_url(photo))

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Delete “海边日落” for good?" in html
    assert f'<form class="confirm-actions" method="post" action="{delete_url(photo)}">' in html
    assert f'href="{TRASH}"' in html  # Cancel
    assert stored_counts(aws_stack.bucket)["photos"] == 1

    response = alice_client.post(delete_url(photo), follow=True)

    assert "The photo was deleted for good." in response.content.decode()
    assert stored_counts(aws_stack.bucket)["photos"] == 0
    assert stored_counts(aws_stack.bucket)["objects"] == 0


def test_a_double_click_on_delete_forever_says_it_is_already_gone(alice_client, make_photo):
    photo = trashed(make_photo)

    alice_client.post(delete_url(photo))
    second = alice_client.post(delete_url(photo), follow=True)

    assert second.status_code == 200
    assert "That photo is already gone." in second.content.decode()
    assert alice_client.get(delete_url(photo)).status_code == 404


def test_delete_forever_of_a_photo_not_in_the_trash_is_refused(alice_client, make_photo):
    photo = make_photo()

    assert alice_client.get(delete_url(photo)).status_code == 404
    response = alice_client.post(delete_url(photo))

    assert response.status_code == 409
    assert Photo.get(photo.photo_id).is_visible


def test_empty_trash_asks_first_listing_what_goes_then_deletes_it_all(
    alice_client, make_photo, aws_stack
):
    kept = make_photo("Kept")
    for n in range(2):
        trashed(make_photo, f"Gone {n}", data=png(16, 12))

    asked = alice_client.get(EMPTY_TRASH)

    html = asked.content.decode()
    assert "Empty the trash?" in html and "Gone 0" in html and "Gone 1" in html
    assert f'<form class="confirm-actions" method="post" action="{EMPTY_TRASH}">' in html
    assert stored_counts(aws_stack.bucket)["photos"] == 3

    response = alice_client.post(EMPTY_TRASH, follow=True)

    assert "2 photos were deleted for good." in response.content.decode()
    assert [p.photo_id for p in Photo.scan()] == [kept.photo_id]


def test_two_tabs_emptying_the_trash_both_end_on_the_trash_page(alice, make_photo):
    for n in range(3):
        trashed(make_photo, f"Gone {n}", data=png(16, 12))
    tabs = [Client(), Client()]
    for tab in tabs:
        sign_in(tab, alice)

    statuses = race(2, lambda n: tabs[n].post(EMPTY_TRASH).status_code)

    assert statuses == [302, 302]
    assert list(Photo.scan()) == []


def test_emptying_an_empty_trash_asks_nothing(alice_client, aws_stack):
    response = alice_client.get(EMPTY_TRASH, follow=True)

    assert response.redirect_chain[-1][0] == TRASH
    assert "Your trash is empty." in response.content.decode()


# --- a hidden photo: its reason, and its owner may still delete it -------------------------------


def test_the_owner_reads_why_the_photo_was_hidden_and_may_delete_it(alice_client, make_photo):
    photo = make_photo("被隐藏的照片")
    moderation.photo_hide(photo_id=photo.photo_id, reason="copyright", note="Taken from X's site")

    html = alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content
    page = html.decode()

    assert "Reason: <strong>Someone else&#x27;s copyright</strong>" in page
    assert "Taken from X&#x27;s site" in page
    assert reverse("gallery:photo_delete", args=[photo.photo_id]) in page
    alice_client.post(reverse("gallery:photo_delete", args=[photo.photo_id]))
    alice_client.post(reverse("gallery:trash_restore", args=[photo.photo_id]))
    assert Photo.get(photo.photo_id).status == STATUS_HIDDEN


def test_a_trashed_hidden_photo_shows_its_badge_in_the_trash(alice_client, make_photo):
    photo = make_photo("被隐藏的照片")
    moderation.photo_hide(photo_id=photo.photo_id, reason="spam")
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE)

    html = alice_client.get(TRASH).content.decode()

    assert "Hidden by a moderator" in html


# --- Chinese, and both widths' markup ------------------------------------------------------------


@pytest.fixture
def chinese_trash(alice_client, make_photo):
    photo = trashed(make_photo)
    hidden = make_photo("被隐藏的照片")
    moderation.photo_hide(photo_id=hidden.photo_id, reason="privacy", note="")
    return {"photo": photo, "hidden": hidden}


def test_the_trash_pages_are_chinese(alice_client, chinese_trash):
    pages = {
        "trash": TRASH,
        "delete forever": delete_url(chinese_trash["photo"]),
        "empty trash": EMPTY_TRASH,
        "hidden photo": reverse("gallery:photo_detail", args=[chinese_trash["hidden"].photo_id]),
        "delete question": reverse("gallery:photo_delete", args=[chinese_trash["hidden"].photo_id]),
    }
    for name, path in pages.items():
        response = alice_client.get(path, **ZH)

        assert response.status_code == 200, name
        html = response.content.decode()
        assert english_left(html) == [], name
        assert [t for t in visible_text(html) if ASCII_AFTER_CHINESE.search(t)] == [], name
    hidden_page = alice_client.get(pages["hidden photo"], **ZH).content.decode()
    assert "原因：<strong>泄露他人隐私</strong>" in hidden_page


def test_the_trash_messages_are_chinese(alice_client, make_photo):
    photo = make_photo("海边日落")

    moved = alice_client.post(
        reverse("gallery:photo_delete", args=[photo.photo_id]), follow=True, **ZH
    )
    back = alice_client.post(restore_url(photo), follow=True, **ZH)

    assert "照片已移到回收站；30 天内可以恢复。" in moved.content.decode()
    assert "“海边日落”已回到您的照片中。" in back.content.decode()


# --- restoring several at once ------------------------------------------------------------------

RESTORE_SELECTED = reverse("gallery:trash_restore_selected")


def test_ticked_photos_restore_together_and_the_rest_stay_in_the_trash(alice_client, make_photo):
    first, second, kept = (trashed(make_photo, name) for name in ("一", "二", "三"))

    html = alice_client.get(TRASH).content.decode()
    response = alice_client.post(
        RESTORE_SELECTED, {"photo_id": [first.photo_id, second.photo_id]}, follow=True
    )

    assert f'value="{first.photo_id}" form="trash-selected"' in html  # works without a script
    assert "2 photos are back in your photos." in response.content.decode()
    assert {p.photo_id for p in selectors.photo_list_feed().items} == {
        first.photo_id,
        second.photo_id,
    }
    assert Photo.get(kept.photo_id).is_trashed


def test_restoring_a_selection_again_changes_nothing(alice_client, make_photo):
    photo = trashed(make_photo)

    alice_client.post(RESTORE_SELECTED, {"photo_id": [photo.photo_id]})
    again = alice_client.post(RESTORE_SELECTED, {"photo_id": [photo.photo_id]}, follow=True)

    assert again.status_code == 200  # a resent form: the photo is already back, one write
    assert Photo.get(photo.photo_id).version == photo.version + 1
    assert not Photo.get(photo.photo_id).is_trashed


def test_a_selection_with_someone_elses_photo_restores_only_mine(client, bob, make_photo):
    mine = make_photo("Bob's", owner_sub=bob.username, owner_name="Bob")
    services.photo_trash(photo_id=mine.photo_id, actor=bob)
    alices = trashed(make_photo)
    sign_in(client, bob)

    response = client.post(
        RESTORE_SELECTED, {"photo_id": [alices.photo_id, mine.photo_id]}, follow=True
    )

    assert "1 photo is back in your photos." in response.content.decode()
    assert Photo.get(alices.photo_id).is_trashed
    assert not Photo.get(mine.photo_id).is_trashed


def test_restoring_nothing_or_too_much_is_refused_without_a_write(alice_client, make_photo):
    photo = trashed(make_photo)

    empty = alice_client.post(RESTORE_SELECTED, follow=True)
    flood = alice_client.post(RESTORE_SELECTED, {"photo_id": [f"p{n}" for n in range(101)]})

    assert "Tick the photos to restore first" in empty.content.decode()
    assert flood.status_code == 400
    assert Photo.get(photo.photo_id).is_trashed
