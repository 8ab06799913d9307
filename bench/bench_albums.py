"""Show that an album's page, an add and a move cost the same in a small and a large album.

Run from the repository root:

    .venv/bin/python bench/bench_albums.py [--runs N] [--sizes 10,1000] [--dynamodb local|moto]

Like bench/bench_gallery.py (whose setup and photo writer it reuses), it starts its own moto
server and, by default, DynamoDB Local, writes bench photos straight into the photos table, and
fills one album per size with that many items (written straight into album-items with
consecutive order keys; bench data only). For each album it counts the DynamoDB calls and items
of: a page of 24 photos (`album_photo_page`, first and later page), the owner's page of 60
(`album_edit_page`), adding one photo at the end, and moving the last photo to the front and
back; and the median time of N runs (emulator times: read them side by side only).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime

import bench_gallery  # noqa: F401  (sets the environment and Django up, as its docstring says)
from bench_gallery import LocalAws, aws, bootstrap_aws, measure, settings, write_photos

from accounts.request_user import SiteUser, rights_for_groups
from core.dynamodb_local import DynamoDBLocal
from gallery import album_selectors, positions
from gallery.models import Album, AlbumItem
from gallery.services import albums

OWNER = "bench-user-0"  # bench_gallery gives every 20th photo to this user
ACTOR = SiteUser(
    sub=OWNER,
    email="bench@example.com",
    display_name="Bench",
    groups=("members",),
    cognito_username=OWNER,
    rights=rights_for_groups(("members",)),
)


def album_fill(size: int, first_photo: int) -> tuple[str, list[str]]:
    """Make an album of OWNER's and put `size` of their photos in it, in order."""
    album = albums.album_create(actor=ACTOR, title=f"Bench album of {size}")
    photo_ids = [f"bench{n:06d}" for n in range(first_photo, first_photo + 20 * size, 20)]
    key = None
    with AlbumItem.batch_write() as batch:
        for photo_id in photo_ids:
            key = positions.key_between(key, None)
            batch.save(
                AlbumItem(
                    album.album_id,
                    photo_id,
                    position=positions.position_of(key, photo_id),
                    added_at=datetime.now(UTC),
                )
            )
    album.update(actions=[Album.item_count.set(size)], add_version_condition=False)
    return album.album_id, photo_ids


def run(sizes: list[int], runs: int) -> None:
    bootstrap_aws(bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin="http://127.0.0.1")
    photos_needed = 20 * (sum(sizes) + len(sizes))
    write_photos(0, photos_needed)
    print(f"{photos_needed} photos in the table; {runs} timed runs per row")
    header = f"{'album':>6}  {'operation':<44} {'calls':>5} {'items':>5} {'median ms':>10}"
    print(header)
    print("-" * len(header))
    first = 0
    for size in sizes:
        album_id, photo_ids = album_fill(size, first)
        first += 20 * (size + 1)
        extra = f"bench{first - 20:06d}"  # one more of OWNER's photos, not in the album
        second = album_selectors.album_photo_page(album_id=album_id, viewer=ACTOR).cursor

        def add_and_remove(album_id=album_id, extra=extra) -> None:
            albums.album_item_add(album_id=album_id, photo_id=extra, actor=ACTOR)
            albums.album_item_remove(album_id=album_id, photo_id=extra, actor=ACTOR)

        def move_and_back(album_id=album_id, photo_ids=photo_ids) -> None:
            albums.album_item_move(
                album_id=album_id, photo_id=photo_ids[-1], actor=ACTOR, before=photo_ids[0]
            )
            albums.album_item_move(
                album_id=album_id, photo_id=photo_ids[-1], actor=ACTOR, after=photo_ids[-2]
            )

        def page_one(album_id=album_id):
            return album_selectors.album_photo_page(album_id=album_id, viewer=ACTOR)

        def page_two(album_id=album_id, cursor=second):
            return album_selectors.album_photo_page(album_id=album_id, viewer=ACTOR, cursor=cursor)

        def owners_page(album_id=album_id):
            return album_selectors.album_edit_page(album_id=album_id, viewer=ACTOR)

        for name, action in [
            ("page 1 of 24 (album_photo_page)", page_one),
            ("page 2 of 24 (album_photo_page)", page_two),
            ("owner's page of 60 (album_edit_page)", owners_page),
            ("add one photo, then remove it", add_and_remove),
            ("move the last photo first, then back", move_and_back),
        ]:
            row = measure(name, action, runs)
            print(
                f"{size:>6}  {row['label']:<44} {row['calls']:>5} {row['items']:>5} "
                f"{row['median_ms']:>10.1f}"
            )
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sizes", default="10,1000")
    parser.add_argument("--dynamodb", choices=("local", "moto"), default="local")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    port = int(os.environ["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    with LocalAws(port=port):
        if args.dynamodb == "moto":
            run(sizes, args.runs)
            return
        with DynamoDBLocal() as dynamodb_local:
            os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb_local.endpoint_url
            aws.reset()
            try:
                run(sizes, args.runs)
            finally:
                os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
                aws.reset()


if __name__ == "__main__":
    sys.exit(main())
