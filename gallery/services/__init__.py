"""Writes of the gallery: the only code that changes the gallery tables and the bucket.

One module per entity: photos, uploads (the browser path), comments, share_links, and
moderation (hide and unhide); trash (deleting into the owner's trash, restoring, purging).
Callers import from here; the names below are the public surface.
"""

from gallery.services.bulk import (
    BULK_MAX,
    BulkOutcome,
    photo_bulk_delete,
    photo_bulk_visibility,
    photos_bulk_owned,
)
from gallery.services.comments import (
    TRANSACTION_ATTEMPTS,
    comment_create,
    comment_delete,
    comment_update,
)
from gallery.services.common import new_id, rate_limit_hit, upload_admit
from gallery.services.moderation import comment_hide, comment_unhide, photo_hide, photo_unhide
from gallery.services.photos import (
    CAPTION_MAX_CHARS,
    DERIVATIVE_SIZES,
    NAME_MAX_CHARS,
    PhotoSubmission,
    photo_create,
    photo_purge,
    photo_update,
)
from gallery.services.share_links import (
    SHARE_CHOICES,
    SHARE_LABEL_MAX_CHARS,
    SHARE_MAX_SECONDS,
    SHARE_MIN_SECONDS,
    SHARE_PASSWORD_MAX_CHARS,
    SHARE_PASSWORD_MIN_CHARS,
    SHARE_SELECTION_MAX,
    SHARE_VIEW_LIMIT_MAX,
    SharedPhoto,
    share_link_create,
    share_link_live,
    share_link_open,
    share_link_remove,
    share_link_revoke,
)
from gallery.services.share_opens import share_open_record, share_view_count
from gallery.services.share_visits import (
    PasswordRequired,
    SharedView,
    share_link_download,
    share_link_unlock,
    share_link_visit,
)
from gallery.services.trash import (
    TrashEmptied,
    photo_delete,
    photo_delete_forever,
    photo_restore,
    photo_trash,
    trash_empty,
)
from gallery.services.uploads import EXTENSIONS, UploadTicket, upload_complete, upload_start
from gallery.services.visibility import (
    VISIBILITY_CHOICES,
    VISIBILITY_NAMES,
    photo_visibility_set,
    visibility_default,
    visibility_default_set,
)

__all__ = [
    "BULK_MAX",
    "CAPTION_MAX_CHARS",
    "DERIVATIVE_SIZES",
    "EXTENSIONS",
    "NAME_MAX_CHARS",
    "SHARE_CHOICES",
    "SHARE_LABEL_MAX_CHARS",
    "SHARE_MAX_SECONDS",
    "SHARE_MIN_SECONDS",
    "SHARE_PASSWORD_MAX_CHARS",
    "SHARE_PASSWORD_MIN_CHARS",
    "SHARE_SELECTION_MAX",
    "SHARE_VIEW_LIMIT_MAX",
    "TRANSACTION_ATTEMPTS",
    "VISIBILITY_CHOICES",
    "VISIBILITY_NAMES",
    "BulkOutcome",
    "PasswordRequired",
    "PhotoSubmission",
    "SharedPhoto",
    "SharedView",
    "TrashEmptied",
    "UploadTicket",
    "comment_create",
    "comment_delete",
    "comment_hide",
    "comment_unhide",
    "comment_update",
    "new_id",
    "photo_bulk_delete",
    "photo_bulk_visibility",
    "photo_create",
    "photo_delete",
    "photo_delete_forever",
    "photo_hide",
    "photo_purge",
    "photo_restore",
    "photo_trash",
    "photo_unhide",
    "photo_update",
    "photo_visibility_set",
    "photos_bulk_owned",
    "rate_limit_hit",
    "share_link_create",
    "share_link_download",
    "share_link_live",
    "share_link_open",
    "share_link_remove",
    "share_link_revoke",
    "share_link_unlock",
    "share_link_visit",
    "share_open_record",
    "share_view_count",
    "trash_empty",
    "upload_admit",
    "upload_complete",
    "upload_start",
    "visibility_default",
    "visibility_default_set",
]
