"""Give photos published before the date-taken order their place in it (run once after deploy)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gallery.models import Photo
from gallery.services.camera import photo_taken_backfill


class Command(BaseCommand):
    help = (
        "Set taken_key (= the upload place) on photos published before the date-taken order, "
        "and index their captions. Idempotent; safe to run again or alongside the site."
    )

    def handle(self, *args, **options) -> None:
        changed = seen = 0
        # A maintenance walk of the whole table, once: the one Scan of the site, never in a
        # request. Only the ids are read; each photo is then read and updated on its own.
        for item in Photo.scan(attributes_to_get=["photo_id"], page_size=100):
            seen += 1
            changed += photo_taken_backfill(photo_id=item.photo_id)
        self.stdout.write(f"{seen} photos read, {changed} given a place in the date-taken order")
