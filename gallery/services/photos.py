"""Photo writes: publish, rename and re-caption, delete for good (the trash: services.trash).

Photos arrive two ways and both end in `photo_publish`: the server path (`photo_create`, bytes
posted to Django) and the browser path (gallery.services.uploads: a presigned POST straight to
S3, then a check of what landed there).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, NotRequired, TypedDict, Unpack

from django.conf import settings
from pynamodb.exceptions import DeleteError, TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed
from gallery import (
    audit,
    counters,
    images,
    policy,
    search_terms,
    selectors,
    storage,
    trash_paths,
)
from gallery.errors import Conflict, Invalid, NotFound, gettext_noop
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    STATUS_PENDING,
    STATUS_PROCESSING,
    STATUS_TRASHED,
    STATUS_VISIBLE,
    VISIBILITY_PUBLIC,
    Comment,
    Photo,
    RetainedIp,
    ShareLink,
    comment_ip_key,
    photo_ip_key,
    time_key,
)
from gallery.services import albums, camera, common, ips, originals
from gallery.services.visibility import visibility_for_upload

logger = logging.getLogger(__name__)

DERIVATIVE_SIZES = {"grid": 480, "display": 1600}
NAME_MAX_CHARS = 200
CAPTION_MAX_CHARS = 2000


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(gettext_noop("Give the photo a name."), code="name_required")
    common.refuse_control_characters(name)
    if len(name) > NAME_MAX_CHARS:
        raise Invalid(
            gettext_noop("The name is too long (at most %(limit)d characters)."),
            code="name_too_long",
            params={"limit": NAME_MAX_CHARS},
        )
    return name


def _clean_caption(caption: str) -> str:
    caption = (caption or "").strip()
    common.refuse_control_characters(caption, allowed="\t\n\r")
    if len(caption) > CAPTION_MAX_CHARS:
        raise Invalid(
            gettext_noop("The caption is too long (at most %(limit)d characters)."),
            code="caption_too_long",
            params={"limit": CAPTION_MAX_CHARS},
        )
    return caption


class PhotoSubmission(TypedDict):
    """Who submits which photo from where: what both ways of uploading start with."""

    owner_sub: str
    owner_name: str
    name: str
    caption: NotRequired[str]
    uploader_ip: str
    # public, unlisted or private; absent or empty: the owner's default (their settings).
    visibility: NotRequired[str | None]
    # The uploaded file's own name, for "Download original" (gallery.services.originals).
    filename: NotRequired[str]


def photo_create(
    *, data: bytes, now: datetime | None = None, **submission: Unpack[PhotoSubmission]
) -> Photo:
    """Validate image bytes posted to the site, store them and the derivatives, record the photo.

    Raises images.ImageRejected or Invalid for bad input; then, and when a later step fails,
    nothing stays behind.
    """
    photo = photo_pending_build(now=now, **submission)
    return photo_publish(
        photo=photo, data=data, source_key=None, uploader_ip=submission["uploader_ip"]
    )


def photo_pending_build(
    *,
    owner_sub: str,
    owner_name: str,
    name: str,
    caption: str = "",
    uploader_ip: str,
    now: datetime | None,
    visibility: str | None = None,
    filename: str = "",
) -> Photo:
    """Return a new, unsaved pending photo with its id, time, cleaned text and visibility (the
    one asked for, else the owner's default).

    The photo keeps only the truncated `uploader_ip`; whoever saves it first retains the full
    address (gallery.services.ips) in the same write.
    """
    uploaded_at = common.utc_now(now)
    photo_id = common.new_id()
    name, caption = _clean_name(name), _clean_caption(caption)
    visibility = visibility_for_upload(owner_sub=owner_sub, visibility=visibility)
    return Photo(
        photo_id,
        status=STATUS_PENDING,
        name=name,
        caption=caption,
        owner_sub=owner_sub,
        owner_name=owner_name,
        uploader_ip=ips.ip_stored_form(uploader_ip),
        uploaded_at=uploaded_at,
        sort_key=time_key(uploaded_at, photo_id),
        original_key="",
        visibility=visibility,
        original_filename=originals.original_filename_clean(filename),
    )


def photo_publish(
    *,
    photo: Photo,
    data: bytes,
    source_key: str | None,
    claim: str | None = None,
    uploader_ip: str = "",
) -> Photo:
    """Decode, make derivatives, store them, index the name and make the photo visible.

    `source_key` is where the browser path's original already lies; the server path has None
    and stores `data` as the original. `claim` is the browser path's claim token
    (gallery.services.uploads): the objects then go under a prefix of that claim alone, so a
    claimant that loses never overwrites or deletes what the winner published, and the photo
    is saved only while the claim is still this one (else PutError, condition failed). On the
    claimed path the search terms stay on failure: the winner may share them, and a term
    without its visible photo is ignored by search.

    `uploader_ip` is the full address to retain with the photo, in one transaction (the
    server path; the browser path retained it with the pending record).
    """
    processed = images.process_image(
        data,
        max_bytes=policy.upload_max_bytes(),
        max_pixels=settings.PHOTOSITE_MAX_PIXELS,
        sizes=DERIVATIVE_SIZES,
        max_decode_bytes=settings.PHOTOSITE_DECODE_MAX_BYTES,
        taken_not_after=photo.uploaded_at,
        full_max_decode_bytes=settings.PHOTOSITE_FULL_SIZE_DECODE_MAX_BYTES,
    )
    info, derivatives = processed.info, processed.derivatives
    if photo.content_type and not images.same_content_type(photo.content_type, info.content_type):
        raise images.ImageRejected(
            f"The file is a {info.format} image but was declared as {photo.content_type}.",
            code="type_mismatch",
        )
    prefix = f"photos/{photo.photo_id}" if claim is None else f"photos/{photo.photo_id}/{claim}"
    keys = {"original": f"{prefix}/original{info.extension}"}
    keys.update({size: f"{prefix}/{size}.jpg" for size in derivatives})
    # Only a public photo's name and caption are searchable (gallery.models.Photo.is_listed).
    terms = (
        search_terms.index_terms(photo.name, photo.caption)
        if photo.audience == VISIBILITY_PUBLIC
        else set()
    )
    written: list[str] = []
    common.storage_quota_charge(owner_sub=photo.owner_sub, size=info.byte_size)
    try:
        if source_key is None:
            written.append(
                storage.object_put(keys["original"], data, content_type=info.content_type)
            )
        else:
            written.append(
                storage.object_copy(source_key, keys["original"], content_type=info.content_type)
            )
        for size, derivative in derivatives.items():
            written.append(
                storage.object_put(keys[size], derivative.data, content_type="image/jpeg")
            )
        # Terms first: a term without its photo is ignored by search, a photo without its terms
        # would be unfindable.
        search_terms.search_terms_put(terms=terms, sort_key=photo.sort_key, photo_id=photo.photo_id)
        photo.status = STATUS_VISIBLE
        photo.original_key = keys["original"]
        photo.original_url = storage.object_location(keys["original"])
        photo.grid_key = keys["grid"]
        photo.display_key = keys["display"]
        photo.full_key = keys.get(images.FULL)
        photo.content_type = info.content_type
        photo.width = info.width
        photo.height = info.height
        photo.size_bytes = info.byte_size
        photo.sha256 = info.sha256
        photo.duplicate_of = _earlier_upload(photo.owner_sub, info.sha256)
        photo.feed = FEED_PARTITION if photo.is_listed else None
        photo.owner_feed = photo.owner_sub
        photo.owner_sha256 = f"{photo.owner_sub}#{info.sha256}"
        camera.photo_camera_apply(photo=photo, facts=processed.camera)
        photo.expires_at = None
        photo.claim_token = None
        photo.claim_expires_at = None

        # A fresh photo must not exist yet; a claimed one must still be this claim's (and the
        # version the claim wrote).
        # The upload is counted for the admin's dashboard in the same transaction.
        def commit() -> None:
            with Transaction.on(Photo) as transaction:
                transaction.save(photo, condition=_claim_held(claim))
                if uploader_ip:
                    ips.ip_retain(
                        transaction,
                        key=photo_ip_key(photo.photo_id),
                        ip=uploader_ip,
                        created_at=photo.uploaded_at,
                    )
                counters.activity_count(transaction, kind=counters.UPLOADS, at=photo.uploaded_at)

        counters.transaction_retried(commit)
    except Exception:
        logger.exception("photo %s failed half-way; removing what was written", photo.photo_id)
        # Each step on its own: the table that just failed may fail again, and must not keep
        # the objects (which no lifecycle rule removes) from being deleted.
        undos = [
            lambda: storage.objects_delete(written),
            lambda: common.storage_quota_release(owner_sub=photo.owner_sub, size=info.byte_size),
        ]
        if claim is None:
            undos.append(
                lambda: search_terms.search_terms_delete(terms=terms, sort_key=photo.sort_key)
            )
        for undo in undos:
            try:
                undo()
            except Exception:
                logger.exception("photo %s: clean-up step failed", photo.photo_id)
        raise
    if source_key is not None:
        storage.objects_delete([source_key])
    return photo


def _hidden_photo_delete(photo: Photo) -> None:
    """Delete a hidden photo's record and uncount it from the dashboard's hidden photos, in one
    transaction conditioned on its still being hidden (an unhide in between fails it)."""

    def commit() -> None:
        with Transaction.on(Photo) as transaction:
            transaction.delete(
                photo, condition=Photo.status == STATUS_HIDDEN, add_version_condition=False
            )
            counters.counter_add(transaction, counter_key=counters.HIDDEN_PHOTOS, delta=-1)

    counters.transaction_retried(commit)


def _claim_held(claim: str | None) -> Any:
    """Return the condition that a browser upload is still claimed by `claim` (None: none)."""
    if claim is None:
        return None
    return (Photo.status == STATUS_PROCESSING) & (Photo.claim_token == claim)


def _earlier_upload(owner_sub: str, sha256: str) -> str | None:
    """Return the id of this user's earlier upload of the same bytes, if any."""
    for hit in Photo.owner_sha256_index.query(f"{owner_sub}#{sha256}", limit=1):
        return hit.photo_id
    return None


def _photo_for_change(photo_id: str, *, actor: Any) -> tuple[Photo, bool]:
    """Return the latest photo and whether changing it is moderation (Forbidden if refused)."""
    photo = selectors.photo_get_latest(photo_id=photo_id)
    return photo, policy.change_check(item=photo, actor=actor)


def photo_update(
    *,
    photo_id: str,
    actor: Any,
    name: str,
    caption: str,
    expected_version: int,
) -> Photo:
    """Rename and re-caption a photo if nobody changed it since `expected_version` was read.

    Raises Conflict when the stored version differs, so the user can reload and retry. A
    moderator's change of someone else's photo is recorded in the audit trail.
    """
    photo, moderated = _photo_for_change(photo_id, actor=actor)
    before = f"name {photo.name!r}, caption {photo.caption!r}"
    name, caption = _clean_name(name), _clean_caption(caption)
    if photo.version != expected_version:
        raise Conflict(
            gettext_noop("This photo was changed meanwhile; reload the page and try again.")
        )
    old_terms = search_terms.index_terms(photo.name, photo.caption) if photo.is_listed else set()
    new_terms = search_terms.index_terms(name, caption) if photo.is_listed else set()
    added, removed = new_terms - old_terms, old_terms - new_terms
    search_terms.search_terms_put(terms=added, sort_key=photo.sort_key, photo_id=photo.photo_id)
    try:
        # The condition is on the version the user saw, not merely the one just read.
        photo.update(actions=[Photo.name.set(name), Photo.caption.set(caption)])
    except UpdateError as exc:
        search_terms.search_terms_delete(terms=added, sort_key=photo.sort_key)
        if condition_failed(exc):
            raise Conflict(
                gettext_noop("This photo was changed meanwhile; reload the page and try again.")
            ) from None
        raise
    search_terms.search_terms_delete(terms=removed, sort_key=photo.sort_key)
    if moderated:
        audit.moderation_record(
            actor=actor,
            action="edit",
            object_type="photo",
            object_id=photo.photo_id,
            object_repr=name,
            detail=f"was {before}; uploader {photo.owner_name} ({photo.owner_sub})",
        )
    return photo


def photo_delete(*, photo_id: str, actor: Any) -> Photo | None:
    """Delete a photo as the site does everywhere: its owner's into their trash, someone else's
    by a moderator for good (gallery.services.trash.photo_delete, which this hands over to)."""
    # Imported here: the trash builds on this module (photo_purge).
    from gallery.services import trash

    return trash.photo_delete(photo_id=photo_id, actor=actor)


def photo_purge(*, photo_id: str, actor: Any, trashed_version: int | None = None) -> None:
    """Delete a photo for good: its record first (so it vanishes at once), then terms,
    comments, links and S3 objects. A moderator's deletion of someone else's photo is recorded.

    Owners delete into the trash (gallery.services.trash), which calls this with
    `trashed_version` to purge a trashed photo only as it was read: NotFound if it is gone
    already, Conflict (from the caller) if it was restored meanwhile.
    """
    photo, moderated = _photo_for_change(photo_id, actor=actor)
    condition = Photo.photo_id.exists()
    if trashed_version is not None:
        condition &= (Photo.status == STATUS_TRASHED) & (Photo.version == trashed_version)
    try:
        if photo.status == STATUS_HIDDEN:
            _hidden_photo_delete(photo)
        else:
            photo.delete(condition, add_version_condition=False)
    except (DeleteError, TransactWriteError) as exc:
        if condition_failed(exc):
            raise NotFound(gettext_noop("No such photo.")) from None
        raise
    if not photo.is_trashed:  # a trashed photo gave its bytes back when it was trashed
        common.storage_quota_release(owner_sub=photo.owner_sub, size=photo.size_bytes)
    if moderated:
        audit.moderation_record(
            actor=actor,
            action="delete",
            object_type="photo",
            object_id=photo.photo_id,
            object_repr=photo.name,
            detail=f"uploader {photo.owner_name} ({photo.owner_sub}), ip {photo.uploader_ip}",
        )
    # The record's deletion is the commit point: everything below is invisible without it, so
    # a failure here leaves orphans to log, not a half-deleted photo to show.
    try:
        search_terms.search_terms_delete(
            terms=search_terms.index_terms(photo.name, photo.caption), sort_key=photo.sort_key
        )
        hidden_comments = 0
        with Comment.batch_write() as batch, RetainedIp.batch_write() as kept:
            kept.delete(RetainedIp(photo_ip_key(photo.photo_id)))
            for comment in Comment.query(
                photo.photo_id, attributes_to_get=["photo_id", "created_key", "hidden"]
            ):
                hidden_comments += bool(comment.hidden)
                batch.delete(comment)
                kept.delete(RetainedIp(comment_ip_key(comment.photo_id, comment.created_key)))
        if hidden_comments:  # the dashboard's count of hidden comments
            counters.counter_decrease(counter_key=counters.HIDDEN_COMMENTS, amount=hidden_comments)
        with ShareLink.batch_write() as batch:
            for link in ShareLink.photo_index.query(photo.photo_id):
                batch.delete(ShareLink(link.token))
        keys = {
            photo.original_key,
            photo.grid_key,
            photo.display_key,
            photo.full_key,
            *(photo.moved_from or ()),
        }
        # And whatever a move between photos/ and trash/ that crashed before its commit left
        # in the photo's own folders (gallery.services.trash).
        for folder in trash_paths.photo_folders(photo.photo_id):
            keys.update(storage.object_keys_under(folder))
        storage.objects_delete(sorted(key for key in keys if key))
    except Exception:
        logger.exception(
            "photo %s deleted; some of its items and objects were left behind", photo.photo_id
        )
    # Album pages skip a missing photo anyway; this keeps the albums' counts and covers right.
    try:
        albums.album_items_forget_photo(photo_id=photo.photo_id)
    except Exception:
        logger.exception("photo %s deleted; it stays listed in some album", photo.photo_id)
