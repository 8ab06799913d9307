"""Where a photo's objects lie while it is in the trash, and the bucket rule that purges them.

S3 lifecycle expiration counts an object's age from its creation, not from when it was tagged
or trashed: a rule on a tag would delete a two-month-old photo the day it is trashed. So
trashing copies the photo's objects under TRASH_PREFIX (a copy is a new object, whose age
starts then) and deletes the originals; restoring copies them back. The bucket expires
everything under TRASH_PREFIX one day after the trash period (`lifecycle_days`), so S3 never
removes an object before DynamoDB's TTL purges its photo; deploy/cloudformation.yaml and
photosite.bootstrap declare that rule, and a test holds both to these values.

Each move writes new keys named after the photo's version it starts from: two requests making
the same move (a double click, two tabs) write the same keys, and a late request of an earlier
move can only delete keys no record points to any more.
"""

from __future__ import annotations

TRASH_PREFIX = "trash/"
LIFECYCLE_RULE_ID = "expire-trashed-photos"


def lifecycle_days(trash_days: int) -> int:
    """Return after how many days the bucket expires a trashed object: one day more than the
    trash keeps a photo, so a restore in its last minute still finds every object."""
    return trash_days + 1


def trash_key(key: str, *, photo_id: str, version: int) -> str:
    """Return where a photo's object goes when the photo at `version` is trashed."""
    return f"{TRASH_PREFIX}photos/{photo_id}/v{version}/{key.rsplit('/', 1)[-1]}"


def restored_key(key: str, *, photo_id: str, version: int) -> str:
    """Return where a trashed object goes back when the photo at `version` is restored."""
    return f"photos/{photo_id}/v{version}/{key.rsplit('/', 1)[-1]}"


def photo_folders(photo_id: str) -> tuple[str, str]:
    """Return the two folders that can hold a photo's objects: its own and its trash."""
    return f"photos/{photo_id}/", f"{TRASH_PREFIX}photos/{photo_id}/"
