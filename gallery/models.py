"""PynamoDB models for photos, comments, share links and the name-search index.

Access patterns (no Scan anywhere; see docs/data-model.md):
- a photo by id: table key;
- the public feed, newest first: sparse GSI `feed` (only visible public photos carry `feed`);
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
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    KeysOnlyProjection,
    LocalSecondaryIndex,
)
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

# Who may see a published photo (its owner chooses): everyone, in the feed and search; anyone
# holding its address or a share link; its owner and moderators only. A photo stored before
# visibility existed has no `visibility` and counts as public.
VISIBILITY_PUBLIC = "public"
VISIBILITY_UNLISTED = "unlisted"
VISIBILITY_PRIVATE = "private"
VISIBILITIES = (VISIBILITY_PUBLIC, VISIBILITY_UNLISTED, VISIBILITY_PRIVATE)


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


class FeedTakenIndex(GlobalSecondaryIndex):
    """The feed's photos by date taken, latest first (sparse exactly like `feed`: same key)."""

    class Meta:
        index_name = "feed_taken"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    taken_key = UnicodeAttribute(range_key=True)


class OwnerTakenIndex(GlobalSecondaryIndex):
    """One uploader's photos by date taken, latest first (sparse exactly like `by_owner`)."""

    class Meta:
        index_name = "by_owner_taken"
        projection = AllProjection()

    owner_feed = UnicodeAttribute(hash_key=True)
    taken_key = UnicodeAttribute(range_key=True)


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
    # public, unlisted or private; absent (a photo from before visibility existed): public.
    visibility = UnicodeAttribute(null=True)
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
    def audience(self) -> str:
        """Return the photo's visibility, public for a photo stored before visibility existed."""
        return self.visibility or VISIBILITY_PUBLIC

    @property
    def is_listed(self) -> bool:
        """Tell whether the photo belongs in the public feed and the name search.

        The one rule every write of the `feed` attribute and of the search terms follows
        (publish, rename, hide, unhide, a change of visibility): visible and public.
        """
        return self.is_visible and self.audience == VISIBILITY_PUBLIC

    @property
    def is_trashed(self) -> bool:
        """Tell whether the photo is in its owner's trash (perhaps past its purge time)."""
        return self.status == STATUS_TRASHED

    def is_purged(self, *, now: datetime) -> bool:
        """Tell whether a trashed photo is past its purge time: gone, even though DynamoDB's
        TTL may delete the item only days later."""
        return self.is_trashed and self.expires_at is not None and now >= self.expires_at

    # --- what the camera knew (gallery.exif), set at publication --------------------------
    # The date taken as the camera's local time, ISO 8601, with its offset when EXIF gave one
    # (`2024-05-01T12:34:56+02:00`), without when not (`2024-05-01T12:34:56`, zone unknown).
    taken_at = UnicodeAttribute(null=True)
    # Sort key of the date-taken order: the taken instant (a zoneless time read as UTC), or the
    # upload time when there is no date taken, then the id, like `sort_key`.
    taken_key = UnicodeAttribute(null=True)
    camera_make = UnicodeAttribute(null=True)
    camera_model = UnicodeAttribute(null=True)
    lens = UnicodeAttribute(null=True)
    exposure_seconds = NumberAttribute(null=True)
    f_number = NumberAttribute(null=True)
    iso = NumberAttribute(null=True)
    focal_length_mm = NumberAttribute(null=True)

    feed_taken_index = FeedTakenIndex()
    owner_taken_index = OwnerTakenIndex()

    # --- originals and full size (gallery.services.originals) ------------------------------
    # The full-resolution derivative (oriented, no metadata: no GPS); absent on photos
    # published before it existed, which then show `display` full size.
    full_key = UnicodeAttribute(null=True)
    # The file name the owner uploaded, for "Download original" (cleaned; absent when unknown).
    original_filename = UnicodeAttribute(null=True)

    @property
    def taken_datetime(self) -> datetime | None:
        """Return the date taken (aware only when its offset is known), or None."""
        if not self.taken_at:
            return None
        try:
            return datetime.fromisoformat(self.taken_at)
        except ValueError:
            return None


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
    """A link to a photo, a selection of photos or an album, for one recipient; TTL removes it
    lazily after it ended, readers check expiry too (gallery.services.share_links)."""

    class Meta(TableMeta):
        table = "share-links"

    token = UnicodeAttribute(hash_key=True)
    # The shared photo (target `photo`); absent for a selection or an album.
    photo_id = UnicodeAttribute(null=True)
    # The photo's owner, whoever made the link: the owner lists and revokes every link to their
    # photos through `by_owner`, and a link whose photo has another owner is refused on open.
    owner_sub = UnicodeAttribute()
    # Who made it: the owner, or a moderator (an audited act). Absent on links made before the
    # two were told apart, when only the maker was kept (in owner_sub).
    created_by = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    created_key = UnicodeAttribute()
    # The TTL: the link's end (links made before `ends_at`), or a while after it ends (ends_at
    # or revocation) so the owner still sees it and its log; absent while it lasts until revoked.
    expires_at = TTLAttribute(null=True)
    revoked = BooleanAttribute(default=False)
    # Copied from the photo so the owner's list needs no extra read per link.
    photo_name = UnicodeAttribute(default="")

    # --- per recipient (absent on links made before): what, for whom, and on which terms.
    target = UnicodeAttribute(null=True)  # photo (when absent) | selection | album
    photo_ids = ListAttribute(of=UnicodeAttribute, null=True)  # a selection, in its order
    album_id = UnicodeAttribute(null=True)
    label = UnicodeAttribute(null=True)  # the recipient, as the owner wrote it
    ends_at = UTCDateTimeAttribute(null=True)  # when it stops working; absent: until revoked
    until_revoked = BooleanAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)  # Django's password hashers; never the password
    view_limit = NumberAttribute(null=True)
    views = NumberAttribute(null=True)  # page opens, one atomic ADD each
    last_opened_at = UTCDateTimeAttribute(null=True)
    allow_download = BooleanAttribute(null=True)  # absent (older links): allowed

    @property
    def valid_until(self) -> datetime | None:
        """Return when the link stops working, or None if it works until revoked."""
        if self.until_revoked:
            return None
        return self.ends_at or self.expires_at

    def is_expired(self, *, now: datetime) -> bool:
        """Tell whether the link is past its expiry (TTL deletion is lazy, so always ask)."""
        end = self.valid_until
        return end is not None and now >= end

    @property
    def open_count(self) -> int:
        """Return how many times the link's page was opened."""
        return int(self.views or 0)

    @property
    def downloads(self) -> bool:
        """Tell whether the recipient may download the file (older links: yes)."""
        return self.allow_download is not False

    def status(self, *, now: datetime) -> str:
        """Return `revoked`, `expired`, `used_up` (view limit reached) or `active`."""
        if self.revoked:
            return "revoked"
        if self.is_expired(now=now):
            return "expired"
        if self.view_limit is not None and self.open_count >= self.view_limit:
            return "used_up"
        return "active"

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


# --- albums -----------------------------------------------------------------------------------


class AlbumOwnerIndex(GlobalSecondaryIndex):
    """One owner's albums, newest first ("My albums")."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_sub = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class Album(Model):
    """An owner's ordered set of their photos; its items live in `album-items`."""

    class Meta(TableMeta):
        table = "albums"

    # Derived from the owner and the creating request's token (gallery.services.albums), so a
    # retried or double-clicked creation finds the album the first one made.
    album_id = UnicodeAttribute(hash_key=True)
    owner_sub = UnicodeAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    created_key = UnicodeAttribute()
    cover_photo_id = UnicodeAttribute(null=True)
    # Kept by the same transactions that add and remove items (never recounted).
    item_count = NumberAttribute(default=0)
    version = VersionAttribute()

    owner_index = AlbumOwnerIndex()


class AlbumItemPositionIndex(LocalSecondaryIndex):
    """An album's items in the owner's order (strongly consistent reads: an LSI)."""

    class Meta:
        index_name = "by_position"
        projection = AllProjection()

    album_id = UnicodeAttribute(hash_key=True)
    position = UnicodeAttribute(range_key=True)


class AlbumItemPhotoIndex(GlobalSecondaryIndex):
    """The album items of one photo, so deleting the photo removes them."""

    class Meta:
        index_name = "by_photo"
        projection = KeysOnlyProjection()

    photo_id = UnicodeAttribute(hash_key=True)
    album_id = UnicodeAttribute(range_key=True)


class AlbumItem(Model):
    """One photo in one album: the key makes a photo appear in an album at most once."""

    class Meta(TableMeta):
        table = "album-items"

    album_id = UnicodeAttribute(hash_key=True)
    photo_id = UnicodeAttribute(range_key=True)
    # `<fractional key>#<photo_id>` (gallery.positions): moving an item rewrites this item only.
    position = UnicodeAttribute()
    added_at = UTCDateTimeAttribute()

    position_index = AlbumItemPositionIndex()
    photo_index = AlbumItemPhotoIndex()


dynamo.register(Album, AlbumItem)


class ShareOpen(Model):
    """One open of a share link, for its owner's open log: partition = the link's token, sort =
    time, so a link's log is one Query. Only the truncated address is kept; TTL removes the
    entry SHARE_OPEN_KEEP_DAYS after it was written (gallery.services.share_opens)."""

    class Meta(TableMeta):
        table = "share-opens"

    token = UnicodeAttribute(hash_key=True)
    opened_key = UnicodeAttribute(range_key=True)
    opened_at = UTCDateTimeAttribute()
    ip = UnicodeAttribute(default="")  # core.client_ip.truncate_ip: /24 or /48, never whole
    kind = UnicodeAttribute(default="page")  # page (counted) or file (a download)
    expires_at = TTLAttribute()


dynamo.register(ShareOpen)
