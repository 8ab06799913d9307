"""The album pages in Chinese: every text and label a member reads or hears is Chinese."""

from __future__ import annotations

from django.urls import reverse

from gallery import services
from gallery.services import albums

from .test_chinese_pages import ASCII_AFTER_CHINESE, ZH, english_left, visible_text


def test_every_album_page_in_chinese_is_chinese(alice_client, alice, make_photo):
    photos = [make_photo("海边日落"), make_photo("山")]
    hidden = make_photo("被隐藏的照片")
    services.photo_hide(photo_id=hidden.photo_id)
    theirs = make_photo("别人的", owner_sub="sub-bob", owner_name="Bob")
    album = albums.album_create(actor=alice, title="旅行", description="两周")
    albums.album_items_add(
        album_id=album.album_id,
        photo_ids=[p.photo_id for p in (*photos, hidden)],
        actor=alice,
    )
    empty = albums.album_create(actor=alice, title="空相册")
    pages = {
        "my albums": reverse("gallery:album_list"),
        "album": reverse("gallery:album_detail", args=[album.album_id]),
        "empty album": reverse("gallery:album_detail", args=[empty.album_id]),
        "delete album": reverse("gallery:album_delete", args=[album.album_id]),
        "add to album": reverse("gallery:album_choose")
        + f"?photo_id={photos[0].photo_id}&photo_id={theirs.photo_id}",
        "photo": reverse("gallery:photo_detail", args=[photos[0].photo_id]),
    }

    for name, path in pages.items():
        response = alice_client.get(path, **ZH)

        assert response.status_code == 200, name
        html = response.content.decode()
        assert english_left(html) == [], name
        assert [t for t in visible_text(html) if ASCII_AFTER_CHINESE.search(t)] == [], name


def test_an_album_refusal_is_told_in_chinese(alice_client, alice, make_photo):
    album = albums.album_create(actor=alice, title="旅行")
    theirs = make_photo("别人的", owner_sub="sub-bob", owner_name="Bob")

    refused = alice_client.post(
        reverse("gallery:album_add", args=[album.album_id]), {"photo_id": theirs.photo_id}, **ZH
    )
    too_long = alice_client.post(reverse("gallery:album_list"), {"title": "长" * 201}, **ZH)

    assert refused.status_code == 403
    assert "只能把您自己的照片加入您的相册。" in refused.content.decode()
    assert too_long.status_code == 400
    assert english_left(too_long.content.decode()) == []
