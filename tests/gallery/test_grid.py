"""The grid's cards: each rendered once per process, reused while nothing it shows changes, and
never standing in for a photo that was renamed, commented on, hidden or deleted since."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gallery import grid, selectors, services

from .conftest import png

START = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
CARD = "gallery/_card.html"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    grid.cache_clear()
    yield
    grid.cache_clear()


@pytest.fixture
def three(make_photo):
    """Three photos a minute apart, the newest last."""
    return [
        make_photo(f"Harbour {i}", data=png(16, 12), now=START + timedelta(minutes=i))
        for i in range(3)
    ]


def card_renders(response) -> int:
    return [template.name for template in response.templates].count(CARD)


def cards_of(html: str) -> str:
    return html.split('<ul class="grid">')[1].split("</ul>")[0]


def gallery(client) -> str:
    return client.get(reverse("gallery:photo_list")).content.decode()


def test_a_card_is_rendered_once_then_reused(client, three):
    first = client.get(reverse("gallery:photo_list"))
    again = client.get(reverse("gallery:photo_list"))

    assert card_renders(first) == 3
    assert card_renders(again) == 0
    assert cards_of(again.content.decode()) == cards_of(first.content.decode())


def test_a_renamed_photo_shows_its_new_name_at_once(client, three, alice):
    gallery(client)
    photo = three[1]

    services.photo_update(
        photo_id=photo.photo_id,
        actor=alice,
        name="Lighthouse",
        caption="",
        expected_version=photo.version,
    )
    html = gallery(client)

    assert "Lighthouse" in html
    assert "Harbour 1" not in html


def test_a_hidden_or_deleted_photo_leaves_the_grid_at_once(client, three, alice):
    gallery(client)

    services.photo_hide(photo_id=three[0].photo_id)
    services.photo_delete(photo_id=three[2].photo_id, actor=alice)
    html = gallery(client)

    assert html.count('class="card"') == 1
    assert "Harbour 1" in html
    assert three[0].photo_id not in html and three[2].photo_id not in html


def test_a_new_comment_shows_in_the_count_at_once(client, three):
    assert "comment" not in cards_of(gallery(client))

    services.comment_create(
        photo_id=three[2].photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="Lovely",
        ip="203.0.113.9",
    )

    assert "· 1 comment" in gallery(client)


def test_each_language_and_time_zone_has_its_own_card(client, three):
    english_utc = gallery(client)
    client.cookies["tz"] = "Asia/Shanghai"
    english_shanghai = gallery(client)
    client.cookies["django_language"] = "zh-hans"
    chinese_shanghai = gallery(client)

    assert 'datetime="2026-01-01T23:32:00+00:00"' in english_utc
    assert 'datetime="2026-01-02T07:32:00+08:00"' in english_shanghai
    assert english_shanghai != chinese_shanghai
    # Back to the first viewer's settings: the first rendering, from the cache.
    del client.cookies["tz"], client.cookies["django_language"]
    assert cards_of(gallery(client)) == cards_of(english_utc)


def test_the_next_url_window_makes_a_new_card(three):
    card = selectors.PhotoCard.of(three[0])
    zone = ZoneInfo("UTC")

    now = grid.card_html(card=card, thumbnail_url="https://a.example/1", language="en", zone=zone)
    later = grid.card_html(card=card, thumbnail_url="https://a.example/2", language="en", zone=zone)

    assert 'src="https://a.example/1"' in now
    assert 'src="https://a.example/2"' in later


def test_a_card_escapes_what_the_uploader_wrote(make_photo, client):
    make_photo('<script>alert("x")</script> & co', data=png(16, 12))

    html = gallery(client)

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
