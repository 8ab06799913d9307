"""Normalise photo names, captions and search strings into the terms of the search index.

A name is indexed as one item per term (partition key = term). Terms carry a kind marker:

- ``w:<prefix>`` for words (runs of letters and digits in any script but the CJK ones): every
  prefix of 2 to ``MAX_PREFIX_CHARS`` characters; a one-letter word is indexed as itself.
  A word mixing letters and digits ("sunset2024") is also indexed by its parts ("2024").
- ``c:<chars>`` for CJK runs (Han, kana, Hangul): every character and every adjacent pair.

A query looks up its words as prefixes and its CJK runs as pairs (or the character itself when
the run is one character); the caller intersects the hits and filters them with ``matches()``,
which removes pairs found in the wrong places. Only the first ``MAX_NAME_CHARS`` normalised
characters of a name are indexed, and at most ``MAX_TERMS`` terms, in order of appearance.

The index's writes (`search_terms_put`, `search_terms_delete`) live here too, so every service
that makes a photo findable or unfindable writes the index the same way.

Out of scope: Traditional and Simplified Chinese are not converted into each other, and
Korean or Thai words are not segmented (Hangul is treated like Han; Thai like a word).
"""

import bisect
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from gallery.models import SearchTerm

__all__ = [
    "MAX_CAPTION_CHARS",
    "MAX_CAPTION_TERMS",
    "MAX_NAME_CHARS",
    "MAX_PREFIX_CHARS",
    "MAX_QUERY_TERMS",
    "MAX_TERMS",
    "index_terms",
    "matches",
    "normalise",
    "query_terms",
    "search_terms_delete",
    "search_terms_put",
]

MAX_NAME_CHARS = 200
MAX_TERMS = 300
# Captions are searchable like names, from their head: these bound a publish's extra writes.
MAX_CAPTION_CHARS = 400
MAX_CAPTION_TERMS = 300
MAX_PREFIX_CHARS = 20
# Each query term costs one DynamoDB Query; matches() still checks the whole query.
MAX_QUERY_TERMS = 8

WORD = "w:"
CJK = "c:"

# Unaccenting other scripts would destroy meaning (kana voicing marks, Indic vowel signs).
_UNACCENTED_RANGES = (
    (0x0000, 0x052F),
    (0x1D00, 0x1FFF),
    (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF),
    (0xAB30, 0xAB6F),
)
# Whole blocks, so CJK extensions newer than this Python's Unicode database still count;
# punctuation and symbols inside them are filtered out by category.
_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0x1AFF0, 0x1B16F),
    (0x20000, 0x3FFFF),
)
_CJK_STARTS = [start for start, _ in _CJK_RANGES]
# Letters with no Unicode decomposition that people still type without the stroke.
_FOLDS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe"})
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co"})


def normalise(text: str) -> str:
    """Return text folded for search: NFKC, casefolded, unaccented, single-spaced."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLDS)
    kept: list[str] = []
    unaccent = True
    for ch in unicodedata.normalize("NFKD", text):
        cp = ord(ch)
        category = unicodedata.category(ch)
        if category[0] == "M":
            if unaccent or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
                continue
        elif ch.isspace():
            ch = " "
        elif category in _DROPPED:
            continue
        else:
            unaccent = any(lo <= cp <= hi for lo, hi in _UNACCENTED_RANGES)
        kept.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def index_terms(name: str, caption: str = "") -> set[str]:
    """Return the terms to store in the search index for a photo's name and caption.

    The name's terms come first (at most MAX_TERMS), then the caption's (at most
    MAX_CAPTION_TERMS more, from its first MAX_CAPTION_CHARS normalised characters).
    """
    terms: set[str] = set()
    for term in _name_terms(name):
        terms.add(term)
        if len(terms) >= MAX_TERMS:
            break
    limit = len(terms) + MAX_CAPTION_TERMS
    for term in _name_terms(caption, chars=MAX_CAPTION_CHARS):
        if len(terms) >= limit:
            break
        terms.add(term)
    return terms


def query_terms(query: str) -> list[str]:
    """Return the index terms to look up for a search string, most selective first."""
    weights: dict[str, int] = {}
    for kind, units in _runs(_prepare(query)):
        if kind == WORD:
            word = "".join(units)[:MAX_PREFIX_CHARS]
            weights.setdefault(WORD + word, len(word))
        elif len(units) == 1:
            weights.setdefault(CJK + units[0], 2)
        else:
            # A CJK pair narrows about as much as a four-letter prefix.
            for a, b in pairwise(units):
                weights.setdefault(CJK + a + b, 4)
    if any(weight > 1 for weight in weights.values()):
        # A one-letter term only finds one-letter words; matches() checks it as a prefix instead.
        weights = {term: weight for term, weight in weights.items() if weight > 1}
    return sorted(weights, key=weights.__getitem__, reverse=True)[:MAX_QUERY_TERMS]


def matches(name: str, query: str, caption: str = "") -> bool:
    """Return whether every query word prefixes a word and every CJK run occurs in the name or
    the caption (the part of it that is indexed)."""
    query_runs = _runs(_prepare(query))
    if not query_runs:
        return False
    name_words: list[str] = []
    name_cjk: list[str] = []
    runs = _runs(_prepare(name))
    if caption:
        runs += _runs(_prepare(caption, chars=MAX_CAPTION_CHARS))
    for kind, units in runs:
        if kind == WORD:
            name_words.extend(_word_forms(units))
        else:
            # Separators keep a kana voicing mark from matching the bare kana it follows.
            name_cjk.append("\0" + "\0".join(units) + "\0")
    for kind, units in query_runs:
        if kind == WORD:
            word = "".join(units)
            if not any(candidate.startswith(word) for candidate in name_words):
                return False
        else:
            needle = "\0" + "\0".join(units) + "\0"
            if not any(needle in run for run in name_cjk):
                return False
    return True


def _prepare(text: str, *, chars: int = MAX_NAME_CHARS) -> str:
    """Return the normalised head of text that search looks at."""
    # Cut before normalising too, so a huge input costs no more than a long name.
    return normalise(text[: chars * 4])[:chars]


def _name_terms(name: str, *, chars: int = MAX_NAME_CHARS) -> Iterator[str]:
    """Yield the index terms of a name (or caption) in order of appearance, with repeats."""
    for kind, units in _runs(_prepare(name, chars=chars)):
        if kind == WORD:
            for word in _word_forms(units):
                if len(word) == 1:
                    yield WORD + word
                for end in range(2, min(len(word), MAX_PREFIX_CHARS) + 1):
                    yield WORD + word[:end]
        else:
            yield CJK + units[0]
            for a, b in pairwise(units):
                yield CJK + b
                yield CJK + a + b


def _word_forms(units: list[str]) -> list[str]:
    """Return a word and, if it mixes digits and letters, its digit and letter parts."""
    word = "".join(units)
    parts: list[str] = []
    previous = None
    for unit in units:
        digit = unit[0].isdecimal()
        if digit is previous:
            parts[-1] += unit
        else:
            parts.append(unit)
            previous = digit
    return [word, *parts[1:]] if len(parts) > 1 else [word]


def _runs(text: str) -> list[tuple[str, list[str]]]:
    """Split normalised text into word and CJK runs of characters with their marks."""
    runs: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "M":
            if current is not None:
                current[1][-1] += ch
            continue
        if _is_cjk(ch, category):
            kind = CJK
        elif ch.isalnum():
            kind = WORD
        else:
            current = None
            continue
        if current is None or current[0] != kind:
            current = (kind, [])
            runs.append(current)
        current[1].append(ch)
    return runs


def _is_cjk(ch: str, category: str) -> bool:
    """Return whether ch is a Han, kana or Hangul letter (or unassigned in those blocks)."""
    cp = ord(ch)
    if cp < 0x1100:
        return False
    i = bisect.bisect_right(_CJK_STARTS, cp) - 1
    return i >= 0 and cp <= _CJK_RANGES[i][1] and category[0] not in "PSZ"


# --- writes of the index -----------------------------------------------------------------------
# Every service that makes a photo findable or unfindable (publish, rename, hide, unhide, delete)
# writes its terms through these two, so the index has one writer.


def search_terms_put(*, terms: set[str], sort_key: str, photo_id: str) -> None:
    """Store one index item per term for the photo at `sort_key` (one BatchWriteItem per 25)."""
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.save(SearchTerm(term, sort_key, photo_id=photo_id))


def search_terms_delete(*, terms: set[str], sort_key: str) -> None:
    """Remove the photo's index items for these terms."""
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.delete(SearchTerm(term, sort_key))
