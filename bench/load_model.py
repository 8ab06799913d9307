"""A load model of photosite's DynamoDB key design: where one partition key value saturates.

Run from the repository root (pure Python, deterministic, a few seconds, no AWS, no emulator):

    .venv/bin/python bench/load_model.py [--shards 1,4,16] [--uploads 10,100,1000] [--seed 1]

It draws a synthetic mix of requests (uploads, gallery and photo page views, comments, name
searches, share-link opens) with Zipf popularity of photos, users and words, turns each request
into the DynamoDB reads and writes the site's code makes (the same keys, indexes and batch
sizes; photo names become search terms through `gallery.search_terms`, the real code), and adds
up the capacity units each partition key value receives, per table or index. A partition key
value cannot take more than about 1,000 write units/s or 3,000 read units/s: DynamoDB splits
partitions for heat, but never one key value, and the feed's writes and first-page reads all
land at the newest end of its sort range, where a split does not help.

The mix is expressed per upload (`--views-per-upload` and so on), so every load scales with the
upload rate and each key's saturation rate is simply the limit divided by the units that key
receives per upload. The model prints, for every table and index, the hottest key, its share of
that table's units, its units per second and headroom at each upload rate, and the upload rate
at which it saturates; then the same for the feed written to N shards (`all#0..N-1`, chosen by
a hash of the photo id) and read by N parallel Queries merged newest first.

Units follow DynamoDB's rules: a write costs ceil(item KB) units, and a GSI write costs the same
on the index (a transactional write twice); a read costs ceil(bytes / 4 KB) units, halved when
eventually consistent; each item of a BatchGetItem is rounded up on its own. It is a model of
where the load lands, not a load test: it sends no request and measures no time.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import hashlib
import itertools
import math
import random
import string
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gallery import search_terms  # pure Python: no Django, no AWS

WRITE_LIMIT = 1000  # write units per second per partition key value
READ_LIMIT = 3000  # read units per second per partition key value
FEED_PARTITION = "all"  # the value every visible photo carries today (gallery.models)
PAGE_SIZE = 24  # gallery.selectors.PAGE_SIZE
COMMENT_PAGE_SIZE = 100  # gallery.selectors.COMMENT_PAGE_SIZE
SEARCH_BATCH = 60  # gallery.selectors.SEARCH_BATCH (the Query asks for one more)

# Ordinary words of photo names, most common first (their Zipf rank), then a synthetic tail.
COMMON_WORDS = (
    "sunset beach dog cat family the birthday party trip holiday summer winter city night "
    "morning lake mountain garden flowers wedding baby friends my street park sea sky snow river "
    "bridge tree autumn at spring festival concert food dinner of coffee house car train view "
    "light rain in and with"
)
COMMON_CJK = "夕阳 海边 东京 猫 樱花 家族 旅行 夜景 花火 富士山 朝日 公园 生日 咖啡 雪景"
YEARS = [str(year) for year in range(2018, 2027)]


@dataclass(frozen=True)
class Mix:
    """The synthetic traffic, per upload, and the sizes of what it touches."""

    views_per_upload: float = 50.0  # page views for each upload
    gallery_share: float = 0.5  # of views: first gallery page (feed Query)
    detail_share: float = 0.4  # of views: photo page (GetItem + comments Query); rest: my photos
    comments_per_upload: float = 2.0
    searches_per_upload: float = 5.0
    two_word_share: float = 0.3  # of searches: two words (a BatchGet on the second term)
    share_opens_per_upload: float = 1.0
    signed_in_share: float = 0.3  # of views and searches: signed in (a session read)
    photos: int = 100_000  # photos that views, comments and share opens pick from
    users: int = 100_000
    vocabulary: int = 5_000  # distinct words of names and searches
    photo_zipf: float = 1.0  # popularity of photos (views, comments, share opens)
    user_zipf: float = 0.8  # activity of users (uploads, comments, sign-ins)
    term_zipf: float = 1.0  # frequency of words in names and in searches
    camera_name_share: float = 0.3  # uploads named like IMG_1234
    year_share: float = 0.2  # uploads whose name carries a year
    comments_per_photo: float = 5.0  # mean; a photo's comment page grows with its popularity
    photo_kb: float = 0.75  # measured: a photo item is ~760 bytes
    comment_kb: float = 0.27
    term_kb: float = 0.09
    session_kb: float = 3.0  # Cognito tokens dominate a signed-in session
    gallery_cache_hit: float = 0.0  # of gallery first pages: served by a cache, no Query
    shard_margin: int = 2  # merged read: each shard's Query asks ceil(24/N) + margin items


@dataclass
class Load:
    """Capacity units per upload, for each table or index and operation, per key value.

    The feed's writes are kept per photo id (`FEED_BY_PHOTO`) until `feed_design` places them
    on one key or on N shards, so one simulation serves every design.
    """

    samples: int
    units: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, where: str, key: str, units: float, per_upload: float) -> None:
        """Count one sampled request of a kind that happens `per_upload` times per upload."""
        bucket = self.units[where]
        bucket[key] = bucket.get(key, 0.0) + units * per_upload / self.samples


@dataclass(frozen=True)
class Hottest:
    """The busiest key value of one table or index and operation."""

    where: str
    key: str
    per_upload: float  # units this key takes for each upload
    share: float  # of all units of this table or index and operation

    @property
    def limit(self) -> int:
        return WRITE_LIMIT if self.where.endswith(" W") else READ_LIMIT

    @property
    def saturates_at(self) -> float:
        """Return the upload rate at which this key reaches its partition limit."""
        return saturation_rate(limit=self.limit, per_upload=self.per_upload)


def write_units(kb: float) -> int:
    """Return the write units of one item of `kb` kilobytes (1 KB steps, at least 1)."""
    return max(1, math.ceil(kb))


def read_units(kb: float, *, consistent: bool = False) -> float:
    """Return the read units of `kb` kilobytes read at once (4 KB steps; half if eventual)."""
    units = max(1, math.ceil(kb / 4))
    return units if consistent else units / 2


def saturation_rate(*, limit: float, per_upload: float) -> float:
    """Return the uploads per second at which `per_upload` units on one key reach `limit`."""
    return math.inf if per_upload <= 0 else limit / per_upload


def feed_key(photo_id: str, *, shards: int) -> str:
    """Return the feed partition key value of a photo: `all`, or `all#k` by a hash of its id."""
    if shards == 1:
        return FEED_PARTITION
    digest = hashlib.sha256(photo_id.encode()).digest()
    return f"{FEED_PARTITION}#{int.from_bytes(digest[:8], 'big') % shards}"


def shard_page_limit(*, shards: int, margin: int) -> int:
    """Return the Limit of each shard's Query in a merged read of one page."""
    return PAGE_SIZE if shards == 1 else min(PAGE_SIZE, math.ceil(PAGE_SIZE / shards) + margin)


def refill_probability(*, shards: int, limit: int) -> float:
    """Return the chance that one shard holds more than `limit` of a page's newest 24 photos.

    Then the merge must query that shard again. With uniform hashing a shard's count among the
    newest 24 is binomial(24, 1/N).
    """
    if limit >= PAGE_SIZE:
        return 0.0
    p = 1 / shards
    return sum(
        math.comb(PAGE_SIZE, k) * p**k * (1 - p) ** (PAGE_SIZE - k)
        for k in range(limit + 1, PAGE_SIZE + 1)
    )


class Zipf:
    """Draw ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float) -> None:
        weights = [1 / (rank + 1) ** s for rank in range(n)]
        total = sum(weights)
        self.p = [w / total for w in weights]
        self.cumulative = list(itertools.accumulate(self.p))

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect_left(self.cumulative, rng.random()), len(self.p) - 1)


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Return the words of names and searches, most frequent first."""
    pairs = itertools.zip_longest(COMMON_WORDS.split(), COMMON_CJK.split())
    words = [word for pair in pairs for word in pair]
    words = [word for word in words if word]
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words[:size]


def photo_name(rng: random.Random, words: list[str], zipf: Zipf, mix: Mix) -> str:
    """Return a name as people give them: camera defaults, or a few words and maybe a year."""
    if rng.random() < mix.camera_name_share:
        return f"IMG_{rng.randint(0, 9999):04d}"
    name = " ".join(words[zipf.draw(rng)] for _ in range(rng.randint(2, 5)))
    return f"{name} {rng.choice(YEARS)}" if rng.random() < mix.year_share else name


def driving_term(terms: list[str]) -> str:
    """Return the term a search reads first: the longest, a CJK pair counting threefold.

    The same guess as gallery.selectors makes, restated because it is private there.
    """
    return max(terms, key=lambda term: len(term) - 2 if term[:2] == "w:" else 3 * (len(term) - 2))


FEED_BY_PHOTO = "photos/feed W by photo"


@functools.lru_cache(maxsize=100_000)
def _index_terms(name: str) -> frozenset[str]:
    return frozenset(search_terms.index_terms(name))


@functools.lru_cache(maxsize=100_000)
def _query_terms(text: str) -> tuple[str, ...]:
    return tuple(search_terms.query_terms(text))


def simulate(mix: Mix, *, samples: int = 10_000, seed: int = 1) -> Load:
    """Draw `samples` requests of each kind and return the units each key takes per upload."""
    rng = random.Random(seed)
    load = Load(samples=samples)
    add = load.add
    words = vocabulary(mix.vocabulary, rng)
    word_zipf = Zipf(len(words), mix.term_zipf)
    photo_zipf = Zipf(mix.photos, mix.photo_zipf)
    user_zipf = Zipf(mix.users, mix.user_zipf)
    owners = [user_zipf.draw(rng) for _ in range(mix.photos)]
    photo_ids = [f"p{index:07d}" for index in range(mix.photos)]
    photo_w = write_units(mix.photo_kb)
    photo_r = read_units(mix.photo_kb)
    # Strongly consistent: the request after sign-in may land on another instance.
    session_r = read_units(mix.session_kb, consistent=True)

    # Uploads: terms (BatchWriteItem), the duplicate check, the photo and its three indexes.
    rate = 1.0
    doc_frequency: dict[str, int] = defaultdict(int)
    for _ in range(samples):
        photo_id = f"u{rng.getrandbits(64):016x}"
        owner = f"user{user_zipf.draw(rng)}"
        for term in _index_terms(photo_name(rng, words, word_zipf, mix)):
            doc_frequency[term] += 1
            add("search-terms W", term, write_units(mix.term_kb), rate)
        add("photos W", photo_id, photo_w, rate)
        add(FEED_BY_PHOTO, photo_id, photo_w, rate)
        add("photos/by_owner W", owner, photo_w, rate)
        add("photos/by_owner_sha256 W", f"{owner}#{photo_id}", 1, rate)  # keys only
        add("photos/by_owner_sha256 R", f"{owner}#{photo_id}", read_units(0.1), rate)
        add("sessions R", owner, session_r, rate)

    # Gallery first pages: `feed_design` places their feed Queries; here their session reads.
    rate = mix.views_per_upload * mix.gallery_share
    for _ in range(samples):
        if rng.random() < mix.signed_in_share:
            add("sessions R", f"user{user_zipf.draw(rng)}", session_r, rate)

    # Photo pages: GetItem of the photo, Query of its comments (a popular photo has a full page).
    rate = mix.views_per_upload * mix.detail_share
    comments_total = mix.comments_per_photo * mix.photos
    for _ in range(samples):
        rank = photo_zipf.draw(rng)
        shown = min(COMMENT_PAGE_SIZE, comments_total * photo_zipf.p[rank])
        add("photos R", photo_ids[rank], photo_r, rate)
        add("comments R", photo_ids[rank], read_units(shown * mix.comment_kb), rate)
        if rng.random() < mix.signed_in_share:
            add("sessions R", f"user{user_zipf.draw(rng)}", session_r, rate)

    # My photos: signed in by definition; a Query of the user's partition on by_owner.
    rate = mix.views_per_upload * (1 - mix.gallery_share - mix.detail_share)
    for _ in range(samples):
        user = f"user{user_zipf.draw(rng)}"
        add("photos/by_owner R", user, read_units(PAGE_SIZE * mix.photo_kb), rate)
        add("sessions R", user, session_r, rate)

    # Comments: rate counter ADD, then one transaction (comment put + photo counter update,
    # each twice the units); the counter is projected into feed and by_owner, so both indexes
    # take a write as well, and every comment lands on the moderators' `recent` index.
    rate = mix.comments_per_upload
    for _ in range(samples):
        rank = photo_zipf.draw(rng)
        photo_id, author = photo_ids[rank], f"user{user_zipf.draw(rng)}"
        add("rate-counters W", f"comment#{author}", 1, rate)
        add("comments W", photo_id, 2 * write_units(mix.comment_kb), rate)
        add("comments/recent W", FEED_PARTITION, write_units(mix.comment_kb), rate)
        add("photos W", photo_id, 2 * photo_w, rate)
        add(FEED_BY_PHOTO, photo_id, photo_w, rate)
        add("photos/by_owner W", f"user{owners[rank]}", photo_w, rate)
        add("sessions R", author, session_r, rate)

    # Name searches, one round: Query the driving term (61 items), BatchGet the candidates'
    # other terms (each item rounded up on its own), BatchGet the surviving photos.
    rate = mix.searches_per_upload
    for _ in range(samples):
        count = 2 if rng.random() < mix.two_word_share else 1
        terms = _query_terms(" ".join(words[word_zipf.draw(rng)] for _ in range(count)))
        driver = driving_term(list(terms))
        candidates = min(SEARCH_BATCH, doc_frequency.get(driver, 0))
        add("search-terms R", driver, read_units((candidates + 1) * mix.term_kb), rate)
        for other in terms:
            if other == driver or candidates == 0:
                continue
            add("search-terms R", other, candidates * read_units(mix.term_kb), rate)
            # Names were drawn independently, so the other term keeps its overall frequency.
            candidates = round(candidates * doc_frequency.get(other, 0) / samples)
        for slot in range(candidates):
            add("photos R", f"newest#{slot}:{driver}", photo_r, rate)
        if rng.random() < mix.signed_in_share:
            add("sessions R", f"user{user_zipf.draw(rng)}", session_r, rate)

    # Share links: GetItem of the link, GetItem of its photo.
    rate = mix.share_opens_per_upload
    for _ in range(samples):
        photo_id = photo_ids[photo_zipf.draw(rng)]
        add("share-links R", f"link-of-{photo_id}", read_units(0.3), rate)
        add("photos R", photo_id, photo_r, rate)
    return load


def feed_design(load: Load, mix: Mix, *, shards: int) -> dict[str, dict[str, float]]:
    """Return the units per key with the feed on `shards` key values, written and read.

    Writes go to the shard of their photo's id; every gallery first page not served by a cache
    queries every shard (Limit `shard_page_limit`), and queries one again when it ran short.
    """
    units = {where: keys for where, keys in load.units.items() if where != FEED_BY_PHOTO}
    writes: dict[str, float] = defaultdict(float)
    for photo_id, value in load.units[FEED_BY_PHOTO].items():
        writes[feed_key(photo_id, shards=shards)] += value
    units["photos/feed W"] = dict(writes)
    limit = shard_page_limit(shards=shards, margin=mix.shard_margin)
    again = refill_probability(shards=shards, limit=limit)
    pages = mix.views_per_upload * mix.gallery_share * (1 - mix.gallery_cache_hit)
    per_shard = pages * read_units(limit * mix.photo_kb) * (1 + again)
    keys = [FEED_PARTITION] if shards == 1 else [f"{FEED_PARTITION}#{k}" for k in range(shards)]
    units["photos/feed R"] = dict.fromkeys(keys, per_shard)
    return units


def hottest(units: dict[str, dict[str, float]]) -> list[Hottest]:
    """Return the busiest key of every table or index and operation, the tightest first."""
    rows = []
    for where, keys in units.items():
        total = sum(keys.values())
        if total <= 0:
            continue
        key = max(keys, key=keys.__getitem__)
        rows.append(Hottest(where=where, key=key, per_upload=keys[key], share=keys[key] / total))
    return sorted(rows, key=lambda row: row.saturates_at)


def _rate(value: float) -> str:
    return "never" if math.isinf(value) else f"{value:,.0f}"


def _at(row: Hottest, rate: float) -> str:
    """Return the units per second on the hottest key at an upload rate, and the headroom."""
    units = row.per_upload * rate
    if units > row.limit:
        return f"{units:,.0f} OVER"
    headroom = row.limit / units if units else math.inf
    return f"{units:,.1f} ({'>999' if headroom > 999 else f'{headroom:.1f}'}x)"


def report(
    mix: Mix, *, shard_counts: list[int], rates: list[float], samples: int, seed: int
) -> str:
    """Return the printed tables: every design, then the side-by-side summary."""
    lines = [
        f"photosite load model (seed {seed}, {samples:,} samples of each request kind)",
        f"per upload: {mix.views_per_upload:g} page views ({mix.gallery_share:.0%} gallery, "
        f"{mix.detail_share:.0%} photo page, rest my photos), "
        f"{mix.comments_per_upload:g} comments, {mix.searches_per_upload:g} searches, "
        f"{mix.share_opens_per_upload:g} share opens; "
        f"Zipf photos {mix.photo_zipf:g}, words {mix.term_zipf:g}, users {mix.user_zipf:g}",
        f"limits per partition key value: {WRITE_LIMIT:,} WCU/s (W), {READ_LIMIT:,} RCU/s (R)",
    ]
    summary = []
    load = simulate(mix, samples=samples, seed=seed)
    for shards in shard_counts:
        rows = hottest(feed_design(load, mix, shards=shards))
        limit = shard_page_limit(shards=shards, margin=mix.shard_margin)
        lines += [
            "",
            f"== feed on {shards} partition key value{'s' if shards > 1 else ''}"
            + (f" (merged read: {shards} Queries of Limit {limit})" if shards > 1 else ""),
            f"{'table/index op':<26}{'hottest key':<18}{'share':>7}{'units/upload':>13}"
            + "".join(f"{f'@{r:g} uploads/s':>17}" for r in rates)
            + f"{'saturates at':>15}",
        ]
        for row in rows:
            lines.append(
                f"{row.where:<26}{row.key[:17]:<18}{row.share:>7.1%}{row.per_upload:>13.4g}"
                + "".join(f"{_at(row, r):>17}" for r in rates)
                + f"{_rate(row.saturates_at):>15}"
            )
        feed = {row.where: row for row in rows if row.where.startswith("photos/feed")}
        summary.append((shards, feed["photos/feed W"], feed.get("photos/feed R"), rows[0]))
    lines += [
        "",
        "== side by side: the upload rate (uploads/s, with the mix above) at which each saturates",
        f"{'feed keys':<11}{'feed W share':>13}{'feed writes':>13}{'feed reads':>12}"
        f"   first limit reached",
    ]
    for shards, write, read, first in summary:
        reads = read.saturates_at if read else math.inf
        lines.append(
            f"{shards:<11}{write.share:>13.1%}{_rate(write.saturates_at):>13}{_rate(reads):>12}"
            f"   {first.where} `{first.key[:24]}` at {_rate(first.saturates_at)} uploads/s"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shards", default="1,4,16", help="feed key counts to compare")
    parser.add_argument("--uploads", default="10,100,1000", help="upload rates to show (per s)")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    defaults = Mix()
    for name in (
        "views_per_upload",
        "gallery_share",
        "detail_share",
        "comments_per_upload",
        "searches_per_upload",
        "two_word_share",
        "share_opens_per_upload",
        "signed_in_share",
        "gallery_cache_hit",
        "photo_zipf",
        "user_zipf",
        "term_zipf",
        "camera_name_share",
        "photo_kb",
        "comment_kb",
        "session_kb",
    ):
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=float, default=getattr(defaults, name))
    args = parser.parse_args(argv)
    mix = replace(
        defaults,
        **{name: getattr(args, name) for name in vars(args) if hasattr(defaults, name)},
    )
    print(
        report(
            mix,
            shard_counts=[int(n) for n in args.shards.split(",")],
            rates=[float(r) for r in args.uploads.split(",")],
            samples=args.samples,
            seed=args.seed,
        )
    )


if __name__ == "__main__":
    main()
