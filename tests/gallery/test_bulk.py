"""Bulk actions of "My photos": the service (each photo as if alone, one refusal for a
selection that is not all one's own, partial outcomes reported) and the form POST (works
without JavaScript, deleting asks once, never a 500)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gallery import services
from gallery.errors import Forbidden, Invalid
from gallery.models import VISIBILITY_PRIVATE, VISIBILITY_PUBLIC, Photo
from gallery.services import bulk
from tests.accounts.users import sign_in

from .conftest import count_dynamodb_calls, png, table_count


def stored(photo_id: str) -> Photo | None:
    try:
        return Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return None


@pytest.fixture
def three(make_photo):
    return [make_photo(f"Bulk {i}", data=png(16, 12)) for i in range(3)]


# --- the service ------------------------------------------------------------------------------


def test_bulk_visibility_changes_each_selected_photo(three, alice):
    ids = [photo.photo_id for photo in three[:2]]

    outcome = services.photo_bulk_visibility(photo_ids=ids, actor=alice, visibility="private")

    assert outcome.done == ids and outcome.gone == [] and outcome.complete
    assert [stored(pid).visibility for pid in ids] == [VISIBILITY_PRIVATE] * 2
    assert stored(three[2].photo_id).visibility == VISIBILITY_PUBLIC


def test_bulk_visibility_is_idempotent_per_photo(three, alice):
    ids = [photo.photo_id for photo in three]
    services.photo_bulk_visibility(photo_ids=ids[:1], actor=alice, visibility="unlisted")
    versions = {pid: stored(pid).version for pid in ids}

    with count_dynamodb_calls() as log:
        again = services.photo_bulk_visibility(photo_ids=ids, actor=alice, visibility="unlisted")

    assert again.done == ids
    # One BatchGetItem for the check, a read per photo, a write only for the two that changed.
    assert log.by_name == {"BatchGetItem": 1, "GetItem": 3, "TransactWriteItems": 2}
    assert stored(ids[0]).version == versions[ids[0]]


def test_another_users_photo_in_the_selection_refuses_all_and_writes_nothing(
    three, make_photo, alice
):
    bobs = make_photo("Bob's", owner_sub="sub-bob", data=png(16, 12))
    ids = [three[0].photo_id, bobs.photo_id, three[1].photo_id]

    for act in (
        lambda: services.photo_bulk_visibility(photo_ids=ids, actor=alice, visibility="private"),
        lambda: services.photo_bulk_delete(photo_ids=ids, actor=alice),
    ):
        with count_dynamodb_calls() as log, pytest.raises(Forbidden):
            act()
        assert log.operations == ["BatchGetItem"]

    assert all(stored(pid).visibility == VISIBILITY_PUBLIC for pid in ids)
    assert table_count(Photo) == 4


def test_a_moderator_acts_in_bulk_only_on_their_own_photos(three, moderator):
    with pytest.raises(Forbidden):
        services.photo_bulk_delete(photo_ids=[three[0].photo_id], actor=moderator)
    assert stored(three[0].photo_id) is not None


def test_bulk_delete_deletes_and_reports_photos_already_gone(three, alice):
    ids = [photo.photo_id for photo in three]
    services.photo_delete(photo_id=ids[1], actor=alice)

    outcome = services.photo_bulk_delete(photo_ids=[*ids, ids[0], "never-existed"], actor=alice)

    assert outcome.done == [ids[0], ids[2]]
    assert outcome.gone == [ids[1], "never-existed"]
    assert outcome.complete
    assert all(Photo.get(photo_id).is_trashed for photo_id in ids)  # restorable from the trash
    # A repeated click: everything is gone already, nothing fails.
    assert services.photo_bulk_delete(photo_ids=ids, actor=alice).gone == ids


def test_a_photo_deleted_while_the_bulk_action_runs_is_reported_gone(three, alice, monkeypatch):
    ids = [photo.photo_id for photo in three]
    real = bulk.photo_visibility_set

    def delete_the_second_first(*, photo_id, **kwargs):
        if photo_id == ids[0]:
            services.photo_delete(photo_id=ids[1], actor=alice)
        return real(photo_id=photo_id, **kwargs)

    monkeypatch.setattr(bulk, "photo_visibility_set", delete_the_second_first)
    outcome = services.photo_bulk_visibility(photo_ids=ids, actor=alice, visibility="private")

    assert outcome.done == [ids[0], ids[2]] and outcome.gone == [ids[1]]


def test_one_photos_failure_does_not_stop_the_others(three, alice, monkeypatch):
    ids = [photo.photo_id for photo in three]
    real = bulk.photo_visibility_set

    def the_second_fails(*, photo_id, **kwargs):
        if photo_id == ids[1]:
            raise RuntimeError("the backend failed for this one")
        return real(photo_id=photo_id, **kwargs)

    monkeypatch.setattr(bulk, "photo_visibility_set", the_second_fails)
    outcome = services.photo_bulk_visibility(photo_ids=ids, actor=alice, visibility="private")

    assert outcome.done == [ids[0], ids[2]]
    assert [pid for pid, _ in outcome.failed] == [ids[1]] and not outcome.complete
    assert outcome.names[ids[1]] == "Bulk 1"
    assert stored(ids[1]).visibility == VISIBILITY_PUBLIC


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        ([], "empty_selection"),
        (["../etc"], "invalid"),
        ([f"id{i}" for i in range(bulk.BULK_MAX + 1)], "selection_too_large"),
    ],
)
def test_a_bad_selection_is_refused_before_any_read(alice, aws_stack, ids, code):
    with count_dynamodb_calls() as log, pytest.raises(Invalid) as refused:
        services.photo_bulk_delete(photo_ids=ids, actor=alice)

    assert refused.value.code == code
    assert log.operations == []


# --- the form POST ----------------------------------------------------------------------------


@pytest.fixture
def bob_client(bob):
    client = Client()
    sign_in(client, bob)
    return client


def post(client, ids, **fields):
    return client.post(reverse("gallery:bulk"), {"photo_id": ids, **fields}, follow=True)


def test_my_photos_offers_a_checkbox_per_card_and_the_action_bar(three, alice_client):
    html = alice_client.get(reverse("gallery:photo_mine")).content.decode()

    assert html.count('class="bulk-check"') == 3
    assert 'id="bulk-form"' in html and "js/bulk.js" in html
    # "Share…" posts the same selection to the share-link form of a selection.
    assert f'formaction="{reverse("gallery:share_selection")}"' in html
    assert "checked" not in html.split('id="bulk-form"')[1].split("</ul>")[0]
    # Without JavaScript, "select all on this page" is a link to the page with every box ticked.
    ticked = alice_client.get(reverse("gallery:photo_mine") + "?select=all").content.decode()
    assert ticked.count('form="bulk-form" checked') == 3


def test_the_public_gallery_has_no_checkboxes(three, client):
    html = client.get(reverse("gallery:photo_list")).content.decode()

    assert "bulk-check" not in html and "bulk-form" not in html


def test_bulk_visibility_through_the_form(three, alice_client):
    ids = [photo.photo_id for photo in three]

    response = post(alice_client, ids[:2], action="visibility", visibility="private")

    assert response.status_code == 200
    assert "2 photos are now Private." in response.content.decode()
    assert [stored(pid).visibility for pid in ids] == ["private", "private", "public"]
    assert response.redirect_chain[-1][0] == reverse("gallery:photo_mine")


def test_bulk_delete_asks_once_then_deletes(three, alice_client):
    ids = [photo.photo_id for photo in three[:2]]

    asked = alice_client.post(reverse("gallery:bulk"), {"photo_id": ids, "action": "delete"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Delete 2 photos?" in page and "Bulk 0" in page and "Bulk 1" in page
    assert table_count(Photo) == 3

    done = post(alice_client, ids, action="delete", confirmed="on")
    assert "2 photos were moved to the trash." in done.content.decode()
    assert [Photo.get(photo.photo_id).is_trashed for photo in three] == [True, True, False]
    again = post(alice_client, ids, action="delete", confirmed="on")
    assert "2 photos were already gone." in again.content.decode()


def test_add_to_album_hands_the_selection_to_the_album_chooser(three, alice_client):
    ids = [photo.photo_id for photo in three[:2]]

    response = alice_client.post(reverse("gallery:bulk"), {"photo_id": ids, "action": "album"})
    chooser = alice_client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("gallery:album_choose") + "?")
    assert chooser.status_code == 200
    html = chooser.content.decode()
    assert "Bulk 0" in html and "Bulk 1" in html and "Bulk 2" not in html


def test_share_takes_the_selection_to_the_share_link_form(three, alice_client):
    ids = [photo.photo_id for photo in three[:2]]

    # What the bar's "Share…" button sends: the form's fields, to the share form's address.
    response = alice_client.post(
        reverse("gallery:share_selection"),
        {"photo_id": ids, "action": "visibility", "visibility": "public", "next": "/mine/"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'value="{pid}"' in html for pid in ids)


def test_another_users_id_in_the_form_is_refused_and_nothing_is_written(three, bob_client):
    response = bob_client.post(
        reverse("gallery:bulk"),
        {"photo_id": [three[0].photo_id], "action": "delete", "confirmed": "on"},
    )

    assert response.status_code == 403
    assert "only act on your own photos" in response.content.decode()
    assert table_count(Photo) == 3


@pytest.mark.parametrize(
    "fields",
    [
        {"action": "visibility", "visibility": "private"},  # nothing selected
        {"action": "explode", "photo_id": ["x"]},
        {"action": "visibility", "visibility": "friends", "photo_id": ["x"]},
        {"action": "visibility", "photo_id": ["x"]},
        {"action": "delete", "photo_id": ["a/b"]},
    ],
)
def test_a_bad_bulk_request_is_a_message_not_a_500(three, alice_client, fields):
    response = alice_client.post(reverse("gallery:bulk"), fields, follow=True)

    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode() or (
        "message-error" in response.content.decode()
    )
    assert table_count(Photo) == 3


@pytest.mark.parametrize("wanted", ["https://evil.example/", "//evil.example/", "Infinity"])
def test_the_return_address_must_be_a_path_of_this_site(three, alice_client, wanted):
    response = alice_client.post(
        reverse("gallery:bulk"),
        {
            "photo_id": [three[0].photo_id],
            "action": "visibility",
            "visibility": "unlisted",
            "next": wanted,
        },
    )

    assert response["Location"] == reverse("gallery:photo_mine")


def test_bulk_needs_a_signed_in_post(client, aws_stack):
    assert client.get(reverse("gallery:bulk")).status_code == 405
    assert client.post(reverse("gallery:bulk"), {"action": "delete"}).status_code == 302


# --- in Chinese -------------------------------------------------------------------------------


def test_the_bulk_pages_and_reports_are_chinese(alice_client, make_photo):
    from .test_chinese_pages import ASCII_AFTER_CHINESE, ZH, english_left, visible_text

    ids = [make_photo(name, data=png(16, 12)).photo_id for name in ("海边", "山顶", "小巷")]
    make_photo("私密的", visibility="private")
    confirm = alice_client.post(
        reverse("gallery:bulk"), {"photo_id": ids, "action": "delete"}, **ZH
    ).content.decode()
    changed = alice_client.post(
        reverse("gallery:bulk"),
        {"photo_id": ids[:2], "action": "visibility", "visibility": "unlisted"},
        follow=True,
        **ZH,
    ).content.decode()
    mine = alice_client.get(reverse("gallery:photo_mine") + "?select=all", **ZH).content.decode()
    settings_page = alice_client.get(reverse("gallery:settings"), **ZH).content.decode()

    assert "删除 3 张照片？" in confirm
    assert "2 张照片现为不公开列出。" in changed
    for html in (confirm, changed, mine, settings_page):
        assert english_left(html) == []
        assert [t for t in visible_text(html) if ASCII_AFTER_CHINESE.search(t)] == []
