"""Bulk actions on an owner's selection of photos ("My photos"): change visibility, delete.

A bulk action is the single-photo service run once per photo, so each photo gets exactly the
checks, writes and idempotence it would get alone. Before anything is written, one
BatchGetItem reads the whole selection: if any photo in it belongs to someone else, the whole
request is refused and nothing is written (a bulk action is only ever about one's own photos,
moderators included). Then each photo is acted on in turn and its outcome recorded: done,
already gone (deleted meanwhile, or by an earlier click), or failed with the reason; one
photo's failure never stops the others, and never becomes a 500.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gallery.errors import Forbidden, GalleryError, Invalid, NotFound, gettext_noop
from gallery.models import STATUS_PENDING, STATUS_PROCESSING, STATUS_TRASHED, Photo
from gallery.services.photos import photo_delete
from gallery.services.visibility import photo_visibility_set, visibility_clean

logger = logging.getLogger(__name__)

# A page of "My photos" is 24; a selection may gather a few pages, but no more than this.
BULK_MAX = 100
# What new_id() makes, with room to spare; anything else is no photo of this site.
PHOTO_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

NOT_YOURS = gettext_noop(
    "You can only act on your own photos; nothing was changed. Reload the page and try again."
)
FAILED = gettext_noop("This photo could not be changed just now; try again.")


@dataclass
class BulkOutcome:
    """What happened to each photo of a bulk action, by photo id, in the order asked."""

    done: list[str] = field(default_factory=list)
    # Gone before or while the action ran (deleted meanwhile, a repeated click).
    gone: list[str] = field(default_factory=list)
    # Still there but not changed: the id and why (a translatable message).
    failed: list[tuple[str, str]] = field(default_factory=list)
    # The names of the photos as read before acting, for the report.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Tell whether nothing failed (photos already gone count as done: they are gone)."""
        return not self.failed


def bulk_selection_clean(photo_ids: Iterable[Any]) -> list[str]:
    """Return the selection's ids, first occurrence order, duplicates dropped.

    Invalid when it is empty, too long, or holds something that is no photo id.
    """
    ids: list[str] = []
    for value in photo_ids:
        if not isinstance(value, str) or not PHOTO_ID.match(value):
            raise Invalid(gettext_noop("That selection could not be understood."), code="invalid")
        if value not in ids:
            ids.append(value)
    if not ids:
        raise Invalid(gettext_noop("Select at least one photo."), code="empty_selection")
    if len(ids) > BULK_MAX:
        raise Invalid(
            gettext_noop("Select at most %(limit)d photos at once."),
            code="selection_too_large",
            params={"limit": BULK_MAX},
        )
    return ids


def photos_bulk_owned(*, photo_ids: list[str], actor: Any) -> dict[str, Photo]:
    """Return the selection's photos that exist, by id, after one BatchGetItem; Forbidden if
    any of them is someone else's (or the actor is signed out), before anything is written."""
    if not actor.is_authenticated:
        raise Forbidden(NOT_YOURS)
    found = {photo.photo_id: photo for photo in Photo.batch_get(photo_ids, consistent_read=True)}
    if any(photo.owner_sub != actor.get_username() for photo in found.values()):
        raise Forbidden(NOT_YOURS)
    # A pending upload is nobody's photo yet, and a trashed one is out of My photos (its own
    # page restores it): for a bulk action neither is there.
    return {
        photo_id: photo
        for photo_id, photo in found.items()
        if photo.status not in (STATUS_PENDING, STATUS_PROCESSING, STATUS_TRASHED)
    }


def _each(*, photo_ids: Iterable[Any], actor: Any, act: Callable[[str], object]) -> BulkOutcome:
    ids = bulk_selection_clean(photo_ids)
    photos = photos_bulk_owned(photo_ids=ids, actor=actor)
    outcome = BulkOutcome(names={pid: photo.name for pid, photo in photos.items()})
    for photo_id in ids:
        if photo_id not in photos:
            outcome.gone.append(photo_id)
            continue
        try:
            act(photo_id)
        except NotFound:
            outcome.gone.append(photo_id)
        except GalleryError as exc:
            outcome.failed.append((photo_id, exc.message))
        except Exception:
            # One photo's backend failure must not cost the others their change, nor the page
            # a 500: it is logged and reported as not changed.
            logger.exception("bulk action: photo %s failed", photo_id)
            outcome.failed.append((photo_id, FAILED))
        else:
            outcome.done.append(photo_id)
    return outcome


def photo_bulk_visibility(*, photo_ids: Iterable[Any], actor: Any, visibility: str) -> BulkOutcome:
    """Give each selected photo of the actor's this visibility (gallery.services.visibility).

    Idempotent per photo: a photo that has it already counts as done, with nothing written.
    """
    visibility = visibility_clean(visibility)
    return _each(
        photo_ids=photo_ids,
        actor=actor,
        act=lambda photo_id: photo_visibility_set(
            photo_id=photo_id, actor=actor, visibility=visibility
        ),
    )


def photo_bulk_delete(*, photo_ids: Iterable[Any], actor: Any) -> BulkOutcome:
    """Delete each selected photo of the actor's (gallery.services.photos.photo_delete).

    Idempotent per photo: a photo already gone is reported as such, not as a failure.
    """
    return _each(
        photo_ids=photo_ids,
        actor=actor,
        act=lambda photo_id: photo_delete(photo_id=photo_id, actor=actor),
    )
