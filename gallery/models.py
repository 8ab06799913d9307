"""PynamoDB models for photos, comments, share links and the name-search index.

Access patterns (no Scan anywhere; see docs/data-model.md):
- a photo by id: table key;
- the public feed, newest first: sparse GSI `feed` (only visible photos carry `feed`);
- one user's photos: GSI `by_owner` (owner_sub, sort_key);
- the same user's earlier upload of identical bytes: GSI `by_owner_sha256`;
- hidden photos for moderators: sparse GSI `hidden` (only hidden photos carry `hidden_feed`);
- one user's trash, newest first: sparse GSI `trash` (only trashed photos carry `trash_owner`),
  sorted by the time DynamoDB's TTL purges the photo, so a key condition leaves out the expired;
- date ranges: `sort_key BETWEEN` on the same GSIs (ISO-8601 UTC strings sort correctly);
- comments of a photo in time order: partition photo_id, sort created_key;
- name search: one SearchTerm item per (term, photo);
- every link to one user's photos (whoever made it): GSI `by_owner` on ShareLink; a photo's
  links: GSI `by_photo`;
- the full IP of a photo or comment during the retention period: RetainedIp by item key;
- rate limits: the accounts app's `rate-counters` table (accounts.ratelimit), atomic ADD.

Importable without Django settings: the connection comes from core.dynamo.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta

FEED_PARTITION = "all"

STATUS_PENDING = "pending"
# A browser upload one completion has claimed (claim_token) and is publishing.
STATUS_PROCESSING = "processing"
STATUS_VISIBLE = "visible"
STATUS_HIDDEN = "hidden"
# In its owner's trash (gallery.services.trash): out of every listing but the trash, purged by
# DynamoDB's TTL at `expires_at`; `trashed_status` keeps the status it returns to on restore.
STATUS_TRASHED = "trashed"


def time_key(moment: datetime, item_id: str) -> str:
    """Return a sort key that orders by time, then id: `2026-11-21T12:00:00.000000Z#<id>`."""
    if moment.tzinfo is None:
        raise ValueError("time_key needs a timezone-aware datetime")
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#{item_id}"


class FeedIndex(GlobalSecondaryIndex):
    """Visible photos of the whole site, newest first."""

    class Meta:
        index_name = "feed"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


class OwnerIndex(GlobalSecondaryIndex):
    """Every completed photo of one uploader, newest first."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_feed = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


class OwnerSha256Index(GlobalSecondaryIndex):
    """Photos by `<owner_sub>#<sha256>`, to flag a user's duplicate upload."""

    class Meta:
        index_name = "by_owner_sha256"
        projection = KeysOnlyProjection()

    owner_sha256 = UnicodeAttribute(hash_key=True)


class HiddenIndex(GlobalSecondaryIndex):
    """Hidden photos, newest first, for moderators."""

    class Meta:
        index_name = "hidden"
        projection = AllProjection()

    hidden_feed = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


class TrashIndex(GlobalSecondaryIndex):
    """One user's trashed photos by purge time, newest first (sparse: trashed photos only)."""

    class Meta:
        index_name = "trash"
        projection = AllProjection()

    trash_owner = UnicodeAttribute(hash_key=True)
    purge_key = UnicodeAttribute(range_key=True)


class Photo(Model):
    """One uploaded photo and everything recorded about it."""

    class Meta(TableMeta):
        table = "photos"

    photo_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute(default=STATUS_PENDING)
    name = UnicodeAttribute()
    caption = UnicodeAttribute(default="")
    owner_sub = UnicodeAttribute()
    owner_name = UnicodeAttribute(default="")
    uploader_ip = UnicodeAttribute(default="")
    uploaded_at = UTCDateTimeAttribute()
    sort_key = UnicodeAttribute()
    original_key = UnicodeAttribute()
    # The original's permanent S3 address (the bucket is private: browsers get presigned URLs).
    original_url = UnicodeAttribute(null=True)
    # Direct uploads only: whose prefix under private/ holds the original, the browser user's
    # Identity Pool identity or `api` (an API client's, signed by the site).
    identity_id = UnicodeAttribute(null=True)
    grid_key = UnicodeAttribute(null=True)
    display_key = UnicodeAttribute(null=True)
    content_type = UnicodeAttribute(null=True)
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    duplicate_of = UnicodeAttribute(null=True)
    comment_count = NumberAttribute(default=0)
    # Sparse index attributes: present only while the photo belongs in that index.
    feed = UnicodeAttribute(null=True)
    owner_feed = UnicodeAttribute(null=True)
    owner_sha256 = UnicodeAttribute(null=True)
    hidden_feed = UnicodeAttribute(null=True)
    # While a completion publishes a browser upload: whose claim it is and until when it holds
    # (a crashed claimant's upload can be taken over after that). Removed on publication.
    claim_token = UnicodeAttribute(null=True)
    claim_expires_at = UTCDateTimeAttribute(null=True)
    # Set on pending uploads so an abandoned one disappears; removed on completion. Set again
    # when the owner trashes the photo (its purge time) and removed on restore.
    expires_at = TTLAttribute(null=True)
    version = VersionAttribute()
    # The trash (gallery.services.trash): when, the status to restore, the sparse index keys.
    trashed_at = UTCDateTimeAttribute(null=True)
    trashed_status = UnicodeAttribute(null=True)
    trash_owner = UnicodeAttribute(null=True)
    purge_key = UnicodeAttribute(null=True)
    # The objects the last move between photos/ and trash/ left behind: deleted right after
    # the move's commit, and again by any retry, so a crash half-way leaves nothing for good.
    moved_from = UnicodeSetAttribute(null=True)
    # Why a moderator hid the photo (gallery.hide_reasons) and their note; its owner sees both.
    hidden_reason = UnicodeAttribute(null=True)
    hidden_note = UnicodeAttribute(null=True)

    feed_index = FeedIndex()
    owner_index = OwnerIndex()
    owner_sha256_index = OwnerSha256Index()
    hidden_index = HiddenIndex()
    trash_index = TrashIndex()

    @property
    def is_visible(self) -> bool:
        """Tell whether the public may see this photo."""
        return self.status == STATUS_VISIBLE

    @property
    def is_trashed(self) -> bool:
        """Tell whether the photo is in its owner's trash (perhaps past its purge time)."""
        return self.status == STATUS_TRASHED

    def is_purged(self, *, now: datetime) -> bool:
        """Tell whether a trashed photo is past its purge time: gone, even though DynamoDB's
        TTL may delete the item only days later."""
        return self.is_trashed and self.expires_at is not None and now >= self.expires_at


class RecentCommentIndex(GlobalSecondaryIndex):
    """Every comment of the site, newest first, for moderators."""

    class Meta:
        index_name = "recent"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class HiddenCommentIndex(GlobalSecondaryIndex):
    """Hidden comments, newest first, for moderators (sparse: only hidden ones carry it)."""

    class Meta:
        index_name = "hidden"
        projection = KeysOnlyProjection()

    hidden_feed = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class Comment(Model):
    """A comment on a photo; the timeline is the partition in sort-key order."""

    class Meta(TableMeta):
        table = "comments"

    photo_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)
    comment_id = UnicodeAttribute()
    author_sub = UnicodeAttribute()
    author_name = UnicodeAttribute(default="")
    body = UnicodeAttribute()
    ip = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    edited_at = UTCDateTimeAttribute(null=True)
    hidden = BooleanAttribute(default=False)
    feed = UnicodeAttribute(default=FEED_PARTITION)
    hidden_feed = UnicodeAttribute(null=True)
    version = VersionAttribute()
    # While its photo is in the trash: the photo's purge time, so DynamoDB's TTL deletes the
    # comment with it (gallery.services.trash); removed when the photo is restored.
    expires_at = TTLAttribute(null=True)

    recent_index = RecentCommentIndex()
    hidden_index = HiddenCommentIndex()

    def is_expired(self, *, now: datetime) -> bool:
        """Tell whether the comment went with its photo, purged from the trash (the TTL deletes
        it lazily, so listings ask)."""
        return self.expires_at is not None and now >= self.expires_at


class ShareLinkOwnerIndex(GlobalSecondaryIndex):
    """Every link to one user's photos, newest first, including links a moderator made."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_sub = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class ShareLinkPhotoIndex(GlobalSecondaryIndex):
    """The share links of one photo, so deleting or hiding it can revoke them."""

    class Meta:
        index_name = "by_photo"
        projection = KeysOnlyProjection()

    photo_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class ShareLink(Model):
    """A time-limited link to one photo; TTL removes it lazily, readers check expiry too."""

    class Meta(TableMeta):
        table = "share-links"

    token = UnicodeAttribute(hash_key=True)
    photo_id = UnicodeAttribute()
    # The photo's owner, whoever made the link: the owner lists and revokes every link to their
    # photos through `by_owner`, and a link whose photo has another owner is refused on open.
    owner_sub = UnicodeAttribute()
    # Who made it: the owner, or a moderator (an audited act). Absent on links made before the
    # two were told apart, when only the maker was kept (in owner_sub).
    created_by = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    created_key = UnicodeAttribute()
    expires_at = TTLAttribute()
    revoked = BooleanAttribute(default=False)
    # Copied from the photo so the owner's list needs no extra read per link.
    photo_name = UnicodeAttribute(default="")

    def is_expired(self, *, now: datetime) -> bool:
        """Tell whether the link is past its expiry (TTL deletion is lazy, so always ask)."""
        return now >= self.expires_at

    @property
    def maker(self) -> str:
        """Return the sub of the user who made the link (its owner, or a moderator)."""
        return self.created_by or self.owner_sub

    owner_index = ShareLinkOwnerIndex()
    photo_index = ShareLinkPhotoIndex()


class SearchTerm(Model):
    """One normalised name term of one visible photo: partition = term, sort = photo time."""

    class Meta(TableMeta):
        table = "search-terms"

    term = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)
    photo_id = UnicodeAttribute()


class RetainedIp(Model):
    """The full address a photo or comment was made from, for the retention period only.

    The item itself stores the truncated form (core.client_ip.truncate_ip); this item holds the
    whole address until `expires_at`, when DynamoDB's TTL deletes it (lazily: readers treat an
    expired item as gone). Written and deleted in the same transaction as its item.
    """

    class Meta(TableMeta):
        table = "ip-addresses"

    # photo#<photo_id> or comment#<photo_id>#<created_key> (see ip_key).
    item_key = UnicodeAttribute(hash_key=True)
    ip = UnicodeAttribute()
    expires_at = TTLAttribute()

    def is_expired(self, *, now: datetime) -> bool:
        """Tell whether the retention period is over (TTL deletion is lazy, so always ask)."""
        return now >= self.expires_at


def photo_ip_key(photo_id: str) -> str:
    """Return the RetainedIp key of a photo's uploader address."""
    return f"photo#{photo_id}"


def comment_ip_key(photo_id: str, created_key: str) -> str:
    """Return the RetainedIp key of a comment's author address."""
    return f"comment#{photo_id}#{created_key}"


def ip_key(item: Photo | Comment) -> str:
    """Return the RetainedIp key of a photo or comment."""
    if isinstance(item, Photo):
        return photo_ip_key(item.photo_id)
    return comment_ip_key(item.photo_id, item.created_key)


TABLES: list[type[Model]] = [Photo, Comment, ShareLink, SearchTerm, RetainedIp]
dynamo.register(*TABLES)
