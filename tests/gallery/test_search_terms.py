"""Specification of photo-name search terms: what a name indexes and what a query finds."""

import unicodedata
from itertools import groupby

import pytest

from gallery.search_terms import (
    MAX_NAME_CHARS,
    MAX_PREFIX_CHARS,
    MAX_QUERY_TERMS,
    MAX_TERMS,
    index_terms,
    matches,
    normalise,
    query_terms,
)


def found(name: str, query: str) -> bool:
    """Return whether the index would return name for query and matches() would keep it."""
    terms = query_terms(query)
    return bool(terms) and set(terms) <= index_terms(name) and matches(name, query)


# Word prefixes


@pytest.mark.parametrize("query", ["sun", "Sun", "sunset", "at", "beach", "sun beach", "the sun"])
def test_word_prefix_finds_name(query: str) -> None:
    assert found("Sunset at the beach", query)


@pytest.mark.parametrize("query", ["unset", "beaches", "sunrise", "moon"])
def test_word_that_is_not_a_prefix_is_not_found(query: str) -> None:
    assert not found("Sunset at the beach", query)


def test_word_terms_are_marked_prefixes_of_two_or_more_characters() -> None:
    assert index_terms("Sunset") == {"w:su", "w:sun", "w:suns", "w:sunse", "w:sunset"}


def test_one_letter_word_is_indexed_as_itself() -> None:
    assert index_terms("Plan B") == {"w:pl", "w:pla", "w:plan", "w:b"}
    assert found("Plan B", "b")


def test_one_letter_query_finds_only_one_letter_words() -> None:
    assert query_terms("b") == ["w:b"]
    assert not set(query_terms("b")) <= index_terms("Beach")


def test_one_letter_word_in_longer_query_is_checked_as_prefix_only() -> None:
    assert query_terms("a sun") == ["w:sun"]
    assert matches("Sunset at the beach", "a sun")
    assert not matches("Sunset on the beach", "a sun")


def test_long_word_prefixes_are_capped_and_full_word_is_still_checked() -> None:
    word = "pneumonoultramicroscopicsilicovolcanoconiosis"
    terms = index_terms(word)
    assert max(len(term) for term in terms) == len("w:") + MAX_PREFIX_CHARS
    assert query_terms(word) == ["w:" + word[:MAX_PREFIX_CHARS]]
    assert found(word, word)
    assert not matches(word, word[:MAX_PREFIX_CHARS] + "xyz")


def test_letters_and_digits_in_one_word_are_also_indexed_apart() -> None:
    assert found("IMG20240101", "20240101")
    assert found("sunset2024", "sunset2024")
    assert not found("sunset 2024", "sunset2024")


def test_words_split_on_punctuation() -> None:
    assert normalise("self-portrait_v2.jpg") == "self-portrait_v2.jpg"
    assert found("self-portrait_v2.jpg", "portrait")
    assert found("self-portrait_v2.jpg", "jpg")


# Normalisation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CAFÉ", "café"),
        ("Café", "cafe"),
        ("Ångström", "angstrom"),
        ("\u212bngstr\u00f6m", "angstrom"),  # ANGSTROM SIGN, not A WITH RING
        ("Cafe\u0301", "café"),  # decomposed accent
        ("Straße", "STRASSE"),
        ("Søren Łódź", "soren lodz"),
        ("İstanbul", "istanbul"),
        ("Ελλάδα", "ΕΛΛΑΔΑ"),
    ],
)
def test_case_and_accents_are_ignored(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)
    assert found(a, b)
    assert found(b, a)


def test_full_width_letters_and_digits_become_ascii() -> None:
    assert normalise("ＳＵＮＳＥＴ\u3000２０２４") == "sunset 2024"
    assert found("ＳＵＮＳＥＴ at the beach", "sun")
    assert found("Sunset at the beach", "ｓｕｎ")


def test_half_width_katakana_becomes_full_width() -> None:
    assert normalise("ｶﾒﾗ") == "カメラ"
    assert found("カメラ", "ｶﾒﾗ")


def test_kana_voicing_marks_are_not_stripped_like_accents() -> None:
    assert normalise("が") != normalise("か")
    assert not found("がっこう", "かっこう")


def test_traditional_and_simplified_chinese_are_not_converted() -> None:
    assert not found("海邊日落", "海边")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sun\u202eset", "sunset"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u2066sunset\u2069", "sunset"),  # isolates
        ("sun\u200bset\ufeff", "sunset"),  # zero-width space, BOM
        ("sun\x00set\x07", "sunset"),
        ("x\ud800y", "xy"),  # lone surrogate could not be stored as UTF-8
        ("a\tb\n\r c\u00a0d\u3000e\u2028f", "a b c d e f"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_controls_and_bidi_overrides_are_stripped_and_spaces_collapsed(
    text: str, expected: str
) -> None:
    assert normalise(text) == expected


def test_bidi_override_cannot_hide_a_word_from_search() -> None:
    assert found("evil\u202egnp.jpg", "evilgnp")


def test_ideographic_variation_selector_is_ignored() -> None:
    assert normalise("葛\U000e0100飾") == "葛飾"
    assert found("葛\U000e0100飾区", "葛飾")


@pytest.mark.parametrize(
    "name", ["Sunset at the Beach", "海边日落 ＳＵＮ", "Ca\u0301fe ｶﾞ", "ǅemal", "Ⅻ ① ﬁ"]
)
def test_normalise_is_idempotent(name: str) -> None:
    assert normalise(normalise(name)) == normalise(name)


# CJK


def test_cjk_terms_are_marked_characters_and_adjacent_pairs() -> None:
    assert index_terms("海边日落") == {
        "c:海",
        "c:边",
        "c:日",
        "c:落",
        "c:海边",
        "c:边日",
        "c:日落",
    }


@pytest.mark.parametrize("query", ["日落", "海边", "边日", "海边日落", "边日落"])
def test_cjk_substring_finds_name(query: str) -> None:
    assert found("海边日落", query)


def test_single_cjk_character_query_is_the_character() -> None:
    assert query_terms("日") == ["c:日"]
    assert found("海边日落", "日")
    assert not found("海边日落", "月")


def test_longer_cjk_query_uses_pairs_only() -> None:
    assert query_terms("海边日落") == ["c:海边", "c:边日", "c:日落"]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("边日出日落", "边日落"),  # 边日 and 日落 both present, not together
        ("海边日边日落", "海边日落"),
        ("海边日 日落", "边日落"),
    ],
)
def test_matches_rejects_pairs_found_in_different_places(name: str, query: str) -> None:
    assert set(query_terms(query)) <= index_terms(name)
    assert not matches(name, query)


def test_cjk_query_in_different_order_is_not_found() -> None:
    assert not found("日落海边", "海边日落")
    assert not matches("日落海边", "海边日落")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("さくらの写真", "さくら"),
        ("さくらの写真", "写真"),
        ("カメラとレンズ", "レンズ"),
        ("東京タワー", "タワー"),
        ("東京タワー", "京タ"),
        ("서울 야경", "야경"),
        ("서울 야경", "서울"),
        ("서울 야경", "야"),
    ],
)
def test_kana_and_hangul_work_like_han(name: str, query: str) -> None:
    assert found(name, query)


def test_katakana_middle_dot_separates_runs() -> None:
    assert "c:ンス" not in index_terms("ジョン・スミス")
    assert found("ジョン・スミス", "スミス")


@pytest.mark.parametrize(
    "char",
    [
        "\U00020000",  # Extension B
        "\U0002b740",  # Extension D
        "\U00030000",  # Extension G
        "\U00031350",  # Extension H (newer than some Unicode databases)
        "\u3400",  # Extension A
        "〇",
        "々",
    ],
)
def test_cjk_extension_characters_are_cjk(char: str) -> None:
    name = "海" + char
    assert index_terms(name) == {"c:海", "c:" + char, "c:海" + char}
    assert found(name, char)


# Mixed text, emoji


def test_mixed_cjk_and_latin_gives_both_kinds() -> None:
    terms = index_terms("海边日落 sunset2024")
    assert {"c:日落", "w:sun", "w:sunset2024", "w:2024"} <= terms
    assert found("海边日落 sunset2024", "日落 sun")
    assert found("海边日落 sunset2024", "sun 海边")
    assert not found("海边日落 sunset2024", "日落 moon")


def test_script_change_without_space_splits_runs() -> None:
    assert found("海边日落sunset", "sunset")
    assert found("海边日落sunset", "日落sun")


@pytest.mark.parametrize("name", ["🌅 Sunset 🏖️", "Sunset👨\u200d👩\u200d👧", "🌅Sunset"])
def test_emoji_are_ignored(name: str) -> None:
    assert index_terms(name) == index_terms("Sunset")
    assert found(name, "sun")
    assert found(name, "sunset 🌅")
    assert query_terms("sunset 🌅") == ["w:sunset"]


def test_keycap_emoji_keeps_its_digit() -> None:
    assert normalise("1\ufe0f\u20e3") == "1"


# Empty queries and caps


@pytest.mark.parametrize(
    "query", ["", "   ", "\t\n", "!!!", "...", "、。「」", "—", "🌅🏖️", "\u202e\u200b", "・"]
)
def test_query_without_words_gives_no_terms(query: str) -> None:
    assert query_terms(query) == []
    assert not matches("Sunset at the beach 海边日落", query)


def test_name_without_words_gives_no_terms() -> None:
    assert index_terms("🌅 !!! ・") == set()


def test_huge_name_is_capped_to_its_beginning() -> None:
    name = " ".join(f"word{i}" for i in range(2000))
    assert len(name) > 10_000
    terms = index_terms(name)
    assert 0 < len(terms) <= MAX_TERMS
    assert "w:word0" in terms
    assert "w:word1999" not in terms
    assert found(name, "word0")
    assert not matches(name, "word1999")


def test_huge_cjk_name_is_capped() -> None:
    name = "".join(chr(0x4E00 + i) for i in range(10_000))
    terms = index_terms(name)
    assert 0 < len(terms) <= MAX_TERMS
    assert found(name, name[:10])
    assert not matches(name, name[MAX_NAME_CHARS : MAX_NAME_CHARS + 2])


def test_query_terms_are_deduplicated() -> None:
    assert query_terms("sun SUN Sun") == ["w:sun"]
    assert query_terms("日落日落") == ["c:日落", "c:落日"]


def test_query_terms_put_the_most_selective_first() -> None:
    assert query_terms("at 海 sunset 日落") == ["w:sunset", "c:日落", "w:at", "c:海"]


def test_query_terms_are_capped_and_matches_checks_the_rest() -> None:
    name = "alpha bravo charlie delta echo foxtrot golf hotel india juliett"
    query = "al br ch de ec fo go ho india juliett"
    terms = query_terms(query)
    assert len(terms) == MAX_QUERY_TERMS
    assert terms[:2] == ["w:juliett", "w:india"]
    assert set(terms) <= index_terms(name)
    assert matches(name, query)
    assert not matches(name.replace("bravo", "zulu"), query)


# Property-style check: every piece of a name finds it

SAMPLE_NAMES = [
    "Sunset at the Beach",
    "海边日落",
    "海边日落 sunset2024",
    "Café de Flore, Paris (1998)",
    "さくらの写真・東京タワー",
    "서울 야경 — 남산",
    "ＳＵＮＳＥＴ\u3000２０２４ 🌅",
    "Москва зимой",
    "IMG_20240101_123456.jpg",
    "a b c 日",
]


def _kind(ch: str) -> str | None:
    """Return "c" for a Han, kana or Hangul letter, "w" for another letter or digit."""
    if not ch.isalnum():
        return None
    cjk = unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
    return "c" if cjk else "w"


def _pieces(name: str) -> list[str]:
    """Return every CJK substring and every word prefix (two letters or the whole word)."""
    pieces: list[str] = []
    for kind, chars in groupby(normalise(name), key=_kind):
        run = "".join(chars)
        if kind == "c":
            pieces += [run[i:j] for i in range(len(run)) for j in range(i + 1, len(run) + 1)]
        elif kind == "w":
            pieces += [run[:n] for n in range(min(2, len(run)), len(run) + 1)]
    return pieces


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_piece_of_a_name_finds_it(name: str) -> None:
    index = index_terms(name)
    pieces = _pieces(name)
    assert pieces
    for piece in pieces:
        terms = query_terms(piece)
        assert terms, piece
        assert set(terms) <= index, piece
        assert matches(name, piece), piece


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_whole_name_finds_itself(name: str) -> None:
    assert found(name, name)
    assert found(name.upper(), name.lower())
