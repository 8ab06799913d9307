"""What the camera knew, end to end: stored at publication, shown on the photo page (translated,
localised), and captions searchable like names (Chinese included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from gallery import search_terms, selectors, services
from gallery.errors import Conflict
from gallery.models import Photo, SearchTerm, time_key
from gallery.services.camera import photo_taken_backfill

from .conftest import count_dynamodb_calls, png
from .test_exif import A_CAMERA, AN_EXPOSURE, TAG, exif_jpeg

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_publishing_stores_the_date_taken_camera_lens_and_exposure(make_photo):
    photo = make_photo("Morning", data=exif_jpeg(A_CAMERA, AN_EXPOSURE), now=NOW)

    stored = Photo.get(photo.photo_id)
    assert stored.taken_at == "2024-05-01T09:30:15+02:00"
    assert stored.taken_key == f"2024-05-01T07:30:15.000000Z#{photo.photo_id}"
    assert (stored.camera_make, stored.camera_model) == ("FUJIFILM", "X-T5")
    assert stored.lens == "FUJIFILM XF35mmF1.4 R"
    assert (stored.iso, stored.focal_length_mm) == (400, 35)
    assert stored.exposure_seconds == pytest.approx(0.004)
    assert stored.f_number == pytest.approx(2.8)


def test_a_photo_without_a_date_taken_sorts_by_its_upload_time(make_photo):
    photo = make_photo("Screenshot", data=png(), now=NOW)

    stored = Photo.get(photo.photo_id)
    assert stored.taken_at is None
    assert stored.taken_key == stored.sort_key == time_key(NOW, photo.photo_id)


def test_a_date_taken_after_the_upload_is_ignored(make_photo):
    data = exif_jpeg(sub={TAG.DateTimeOriginal: "2027:01:01 10:00:00"})

    photo = make_photo("From the future", data=data, now=NOW)

    assert Photo.get(photo.photo_id).taken_at is None


def test_the_photo_page_shows_what_the_camera_knew(client, make_photo):
    photo = make_photo("Morning", data=exif_jpeg(A_CAMERA, AN_EXPOSURE), now=NOW)

    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert '<time datetime="2024-05-01T09:30:15+02:00">May 1, 2024, 9:30 AM (UTC+02:00)' in page
    assert '<dt>Camera</dt><dd class="camera-fact">FUJIFILM X-T5</dd>' in page
    assert "FUJIFILM XF35mmF1.4 R" in page
    assert "1/250 s · f/2.8 · ISO 400 · 35 mm" in page


def test_a_date_taken_without_its_zone_says_so(client, make_photo):
    data = exif_jpeg(
        {TAG.Make: "Canon", TAG.Model: "Canon EOS R5"},
        {TAG.DateTimeOriginal: "2023:07:04 18:05:00"},
    )
    photo = make_photo("Fireworks", data=data, now=NOW)

    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert "July 4, 2023, 6:05 PM (time zone unknown)" in page
    assert ">Canon EOS R5</dd>" in page  # the make is not said twice


def test_the_camera_facts_are_chinese_in_chinese(client, make_photo):
    photo = make_photo("Morning", data=exif_jpeg(A_CAMERA, AN_EXPOSURE), now=NOW)

    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id]), **ZH)

    text = page.content.decode()
    assert "<dt>拍摄时间</dt>" in text
    assert "2024年5月1日 09:30 (UTC+02:00)" in text
    assert "<dt>相机</dt>" in text and "<dt>镜头</dt>" in text and "<dt>曝光</dt>" in text
    assert "1/250 秒 · f/2.8 · ISO 400 · 35 毫米" in text


def test_a_photo_without_exif_shows_no_camera_rows(client, make_photo):
    photo = make_photo("Plain", data=png(), now=NOW)

    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert "camera-fact" not in page


# --- captions are searchable like names --------------------------------------------------------


def names(page) -> list[str]:
    return [photo.name for photo in page.items]


def test_a_caption_word_finds_the_photo(make_photo):
    make_photo("IMG_0042", caption="Lighthouse at dusk, Brittany", data=png(), now=NOW)
    make_photo("IMG_0043", caption="Harbour", data=png(), now=NOW + timedelta(minutes=1))

    assert names(selectors.photo_search(q="lighthou")) == ["IMG_0042"]
    assert names(selectors.photo_search(q="brittany dusk")) == ["IMG_0042"]


def test_a_chinese_caption_finds_the_photo(make_photo):
    make_photo("IMG_1", caption="我们在海边看日落", data=png(), now=NOW)
    make_photo("IMG_2", caption="落日", data=png(), now=NOW + timedelta(minutes=1))

    assert names(selectors.photo_search(q="日落")) == ["IMG_1"]
    assert names(selectors.photo_search(q="海边")) == ["IMG_1"]


def test_words_of_the_name_and_of_the_caption_combine(make_photo):
    make_photo("Sunset", caption="at the harbour", data=png(), now=NOW)

    assert names(selectors.photo_search(q="sunset harbour")) == ["Sunset"]


def test_editing_the_caption_moves_its_terms(make_photo, alice):
    photo = make_photo("IMG_7", caption="old bridge", data=png(), now=NOW)

    services.photo_update(
        photo_id=photo.photo_id,
        actor=alice,
        name="IMG_7",
        caption="new tower",
        expected_version=photo.version,
    )

    assert names(selectors.photo_search(q="tower")) == ["IMG_7"]
    assert selectors.photo_search(q="bridge").items == []
    stored = {item.term for item in SearchTerm.query("w:br")} | {
        item.term for item in SearchTerm.query("w:bridge")
    }
    assert stored == set()  # the old caption's terms are gone, not merely filtered
    assert SearchTerm.count("w:tower") == 1


def test_a_stale_caption_edit_leaves_the_terms_as_they_were(make_photo, alice):
    photo = make_photo("IMG_8", caption="quiet lake", data=png(), now=NOW)
    services.photo_update(
        photo_id=photo.photo_id,
        actor=alice,
        name="IMG_8",
        caption="loud city",
        expected_version=photo.version,
    )

    with pytest.raises(Conflict):
        services.photo_update(
            photo_id=photo.photo_id,
            actor=alice,
            name="IMG_8",
            caption="mountain",
            expected_version=photo.version,
        )

    assert SearchTerm.count("w:mountain") == 0
    assert names(selectors.photo_search(q="loud")) == ["IMG_8"]


def test_deleting_a_photo_removes_its_caption_terms(make_photo, alice):
    photo = make_photo("IMG_9", caption="orchard in bloom", data=png(), now=NOW)

    services.photo_delete(photo_id=photo.photo_id, actor=alice)

    assert SearchTerm.count("w:orchard") == 0


def test_a_long_caption_indexes_a_bounded_number_of_terms():
    caption = " ".join(f"word{i:04d}abcdefghij" for i in range(500))

    terms = search_terms.index_terms("Name", caption)

    name_terms = search_terms.index_terms("Name")
    assert len(terms) <= len(name_terms) + search_terms.MAX_CAPTION_TERMS
    assert name_terms <= terms


def test_caption_search_costs_what_name_search_costs(make_photo):
    for i in range(5):
        make_photo(
            f"IMG_{i}", caption=f"lighthouse number {i}", data=png(), now=NOW + timedelta(minutes=i)
        )

    with count_dynamodb_calls() as log:
        page = selectors.photo_search(q="lighthouse")

    assert len(page.items) == 5
    assert log.operations == ["Query", "BatchGetItem"]


# --- the date-taken order and search by date taken ---------------------------------------------


def taken_jpeg(stamp: str, offset: str | None = None) -> bytes:
    sub = {TAG.DateTimeOriginal: stamp}
    if offset:
        sub[TAG.OffsetTimeOriginal] = offset
    return exif_jpeg(sub=sub)


@pytest.fixture
def album(make_photo):
    """Uploaded in one order, taken in another; one screenshot without a date taken."""
    return [
        make_photo("Paris 2019", data=taken_jpeg("2019:06:01 10:00:00", "+02:00"), now=NOW),
        make_photo("Screenshot", data=png(), now=NOW + timedelta(minutes=1)),
        make_photo(
            "Tokyo 2024", data=taken_jpeg("2024:03:05 08:00:00"), now=NOW + timedelta(minutes=2)
        ),
        make_photo(
            "Lima 2021",
            data=taken_jpeg("2021:01:01 20:00:00", "-05:00"),
            now=NOW + timedelta(minutes=3),
        ),
    ]


def test_the_gallery_by_date_taken_puts_undated_photos_at_their_upload_time(album):
    by_upload = selectors.photo_card_list_feed().items
    by_taken = selectors.photo_card_list_feed_taken().items

    assert [c.name for c in by_upload] == ["Lima 2021", "Tokyo 2024", "Screenshot", "Paris 2019"]
    # The screenshot has no date taken: it sorts by its upload (2026-11-20) in the taken order.
    assert [c.name for c in by_taken] == ["Screenshot", "Tokyo 2024", "Lima 2021", "Paris 2019"]


def test_my_photos_by_date_taken_are_alices_only(album, make_photo):
    make_photo("Bob's", owner_sub="sub-bob", data=taken_jpeg("2025:01:01 00:00:00"), now=NOW)

    cards = selectors.photo_card_list_owner_taken(owner_sub="sub-alice").items

    assert [c.name for c in cards] == ["Screenshot", "Tokyo 2024", "Lima 2021", "Paris 2019"]


def test_a_hidden_photo_leaves_the_taken_order_as_it_leaves_the_feed(album):
    services.photo_hide(photo_id=album[2].photo_id)

    assert "Tokyo 2024" not in [c.name for c in selectors.photo_card_list_feed_taken().items]
    # Its owner still has it (like `by_owner`, the owner's index keeps hidden photos).
    assert "Tokyo 2024" in [
        c.name for c in selectors.photo_card_list_owner_taken(owner_sub="sub-alice").items
    ]


def test_search_by_date_taken_is_a_range_on_the_taken_index(album):
    with count_dynamodb_calls() as log:
        page = selectors.photo_search_taken(
            taken_from=datetime(2020, 1, 1, tzinfo=UTC), taken_to=datetime(2024, 12, 31, tzinfo=UTC)
        )

    assert names(page) == ["Tokyo 2024", "Lima 2021"]
    assert log.operations == ["Query"]
    assert log.requests[0]["IndexName"] == "feed_taken"


def test_search_by_name_and_date_taken_combine(album):
    page = selectors.photo_search_taken(
        q="2021",
        taken_from=datetime(2020, 1, 1, tzinfo=UTC),
        taken_to=datetime(2022, 1, 1, tzinfo=UTC),
    )

    assert names(page) == ["Lima 2021"]
    assert (
        selectors.photo_search_taken(q="paris", taken_from=datetime(2020, 1, 1, tzinfo=UTC)).items
        == []
    )


@pytest.fixture
def thirty_taken(make_photo):
    return [
        make_photo(
            f"Day {i}",
            data=taken_jpeg(f"2020:01:{i + 1:02d} 12:00:00"),
            now=NOW + timedelta(minutes=i),
        )
        for i in range(30)
    ]


def test_a_taken_order_page_costs_one_query_of_at_most_24_items(client, thirty_taken):
    with count_dynamodb_calls() as log:
        first = client.get(reverse("gallery:photo_list") + "?order=taken")
    html = first.content.decode()
    cursor = html.split("cursor=")[1].split('"')[0]

    assert html.count('class="card"') == 24
    assert log.operations == ["Query"] and log.items == 24
    assert log.requests[0]["IndexName"] == "feed_taken"
    # "Load more" keeps the order, and costs the same.
    assert "?order=taken&amp;cursor=" in html
    with count_dynamodb_calls() as log:
        second = client.get(reverse("gallery:photo_list") + "?order=taken&cursor=" + cursor)
    assert log.operations == ["Query"] and log.items == 6
    assert second.content.decode().count('class="card"') == 6


def test_my_photos_by_date_taken_costs_one_query(alice_client, thirty_taken):
    with count_dynamodb_calls() as log:
        response = alice_client.get(reverse("gallery:photo_mine") + "?order=taken")

    assert response.status_code == 200
    queries = [r for op, r in zip(log.operations, log.requests, strict=True) if op == "Query"]
    assert [r["IndexName"] for r in queries] == ["by_owner_taken"]
    assert response.content.decode().index("Day 29") < response.content.decode().index("Day 28")


def test_the_order_switch_marks_the_current_order(client, album):
    html = client.get(reverse("gallery:photo_list") + "?order=taken").content.decode()

    assert '<a class="order-option" href="?order=taken" aria-current="true">Date taken</a>' in html
    html = client.get(reverse("gallery:photo_list")).content.decode()
    assert '<a class="order-option" href="?" aria-current="true">Upload time</a>' in html


def test_a_cursor_of_one_order_is_refused_by_the_other(client, thirty_taken):
    html = client.get(reverse("gallery:photo_list") + "?order=taken").content.decode()
    cursor = html.split("cursor=")[1].split('"')[0]

    response = client.get(reverse("gallery:photo_list") + "?cursor=" + cursor)

    assert response.status_code == 302  # the upload order's first page, with a message


def test_the_search_page_searches_by_date_taken(client, album):
    response = client.get(
        reverse("gallery:photo_search") + "?taken_from=2021-01-01&taken_to=2021-12-31"
    )

    assert response.status_code == 200
    assert "Lima 2021" in response.content.decode()
    assert "Tokyo 2024" not in response.content.decode()


def test_a_reversed_taken_range_is_refused_with_a_message(client, album):
    response = client.get(
        reverse("gallery:photo_search") + "?taken_from=2022-01-01&taken_to=2021-12-31"
    )

    assert response.status_code == 400
    assert "The end of the range is before its start." in response.content.decode()


def test_the_api_lists_by_date_taken_and_searches_by_it(alice_client, album):
    body = alice_client.get("/api/photos?order=taken").json()
    assert [p["name"] for p in body["items"]] == [
        "Screenshot",
        "Tokyo 2024",
        "Lima 2021",
        "Paris 2019",
    ]
    assert body["items"][1]["taken_at"] == "2024-03-05T08:00:00"
    assert body["items"][2]["taken_at"] == "2021-01-01T20:00:00-05:00"

    body = alice_client.get(
        "/api/photos?taken_from=2021-01-01T00:00:00Z&taken_to=2021-12-31T23:59:59Z"
    ).json()
    assert [p["name"] for p in body["items"]] == ["Lima 2021"]

    body = alice_client.get("/api/photos?mine=true&order=taken").json()
    assert [p["name"] for p in body["items"]] == [
        "Screenshot",
        "Tokyo 2024",
        "Lima 2021",
        "Paris 2019",
    ]

    assert alice_client.get("/api/photos?order=sideways").status_code in (400, 422)


# --- photos published before the date-taken order ---------------------------------------------


def _as_before_this_feature(photo: Photo) -> None:
    """Make a photo look as one published before taken_key and caption terms existed."""
    Photo.get(photo.photo_id).update(actions=[Photo.taken_key.remove()])
    caption_only = search_terms.index_terms(photo.name, photo.caption) - search_terms.index_terms(
        photo.name
    )
    search_terms.search_terms_delete(terms=caption_only, sort_key=photo.sort_key)


def test_the_backfill_gives_old_photos_their_place_and_indexes_their_captions(make_photo):
    from io import StringIO

    from django.core.management import call_command

    old = make_photo("IMG_1", caption="lighthouse", data=png(), now=NOW)
    _as_before_this_feature(old)
    assert selectors.photo_card_list_feed_taken().items == []
    assert selectors.photo_search(q="lighthouse").items == []

    out = StringIO()
    call_command("photos_backfill_taken", stdout=out)

    assert "1 photos read, 1 given a place" in out.getvalue()
    assert [c.name for c in selectors.photo_card_list_feed_taken().items] == ["IMG_1"]
    assert Photo.get(old.photo_id).taken_key == old.sort_key
    assert names(selectors.photo_search(q="lighthouse")) == ["IMG_1"]
    again = StringIO()
    call_command("photos_backfill_taken", stdout=again)
    assert "1 photos read, 0 given a place" in again.getvalue()


def test_concurrent_backfills_change_a_photo_once(make_photo):
    from .conftest import race

    old = make_photo("IMG_2", data=png(), now=NOW)
    _as_before_this_feature(old)

    results = race(4, lambda _n: photo_taken_backfill(photo_id=old.photo_id))

    assert sorted(results) == [False, False, False, True]
    assert Photo.get(old.photo_id).taken_key == old.sort_key
