"""Search by name and/or upload time: prefixes, accents, CJK, combined, paged, and keyed reads
only (no Scan, cost bounded per page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gallery import selectors, services
from gallery.cursors import BadCursor
from tests.accounts.users import site_user

from .conftest import count_dynamodb_calls, png

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

NAMES = [
    "Sunset at the beach",
    "海边日落",
    "Café au lait",
    "日落时分的城市",
    "Sunny morning",
    "落日",  # the same characters in another order: a bigram false positive for 日落
    "City lights",
]


@pytest.fixture
def photos(make_photo):
    return {
        name: make_photo(name, data=png(), now=START + timedelta(hours=i))
        for i, name in enumerate(NAMES)
    }


def names(page) -> list[str]:
    return [p.name for p in page.items]


def test_a_word_prefix_finds_names_newest_first(photos):
    assert names(selectors.photo_search(q="sun")) == ["Sunny morning", "Sunset at the beach"]


def test_case_and_accents_do_not_matter(photos):
    assert names(selectors.photo_search(q="CAFE")) == ["Café au lait"]
    assert names(selectors.photo_search(q="café")) == ["Café au lait"]


def test_chinese_finds_a_run_inside_a_name_without_spaces(photos):
    assert names(selectors.photo_search(q="日落")) == ["日落时分的城市", "海边日落"]


def test_several_words_must_all_match(photos):
    assert names(selectors.photo_search(q="sunset beach")) == ["Sunset at the beach"]
    assert selectors.photo_search(q="sunset city").items == []


def test_name_and_time_range_combine(photos):
    page = selectors.photo_search(
        q="sun", date_from=START + timedelta(hours=3), date_to=START + timedelta(hours=5)
    )

    assert names(page) == ["Sunny morning"]


def test_a_time_range_alone_lists_the_photos_in_it(photos):
    page = selectors.photo_search(
        date_from=START + timedelta(hours=1), date_to=START + timedelta(hours=2)
    )

    assert names(page) == ["Café au lait", "海边日落"]


def test_results_page_with_a_cursor_bound_to_the_query(make_photo):
    for i in range(7):
        make_photo(f"Harbour {i}", data=png(), now=START + timedelta(minutes=i))
    make_photo("Elsewhere", data=png(), now=START + timedelta(minutes=30))

    first = selectors.photo_search(q="harb", limit=3)
    second = selectors.photo_search(q="harb", limit=3, cursor=first.cursor)
    third = selectors.photo_search(q="harb", limit=3, cursor=second.cursor)

    assert names(first) == ["Harbour 6", "Harbour 5", "Harbour 4"]
    assert names(second) == ["Harbour 3", "Harbour 2", "Harbour 1"]
    assert names(third) == ["Harbour 0"]
    assert third.cursor is None
    with pytest.raises(BadCursor):
        selectors.photo_search(q="else", cursor=first.cursor)


def test_hidden_and_deleted_photos_are_not_found(photos):
    services.photo_delete(
        photo_id=photos["Sunny morning"].photo_id, actor=site_user("sub-alice", "Alice")
    )

    assert names(selectors.photo_search(q="sun")) == ["Sunset at the beach"]


def test_a_search_reads_by_key_only_and_its_cost_is_bounded(photos):
    with count_dynamodb_calls() as log:
        selectors.photo_search(q="sunset beach")

    assert "Scan" not in log.operations
    # One Query of the most selective term, one BatchGet of the other term, one of the photos.
    assert log.by_name == {"Query": 1, "BatchGetItem": 2}


def test_many_non_matching_candidates_cost_bounded_rounds(make_photo, monkeypatch):
    # Every name has the prefix "sun" but none has "zzz": the search gives up after the round
    # budget and hands back a cursor instead of reading the whole partition.
    monkeypatch.setattr(selectors, "SEARCH_BATCH", 2)
    monkeypatch.setattr(selectors, "SEARCH_MAX_ROUNDS", 2)
    for i in range(6):
        make_photo(f"Sunrise {i}", data=png(), now=START + timedelta(minutes=i))

    with count_dynamodb_calls() as log:
        page = selectors.photo_search(q="sunrise zzz")

    assert page.items == []
    assert page.cursor is not None
    assert log.by_name["Query"] == 2
