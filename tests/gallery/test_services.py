"""Writing photos: what an upload records, what it refuses, and that a refusal leaves nothing.

Both upload paths end in the same publishing code; these tests call the services directly,
against the local AWS stack.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image

from accounts.identity import identity_credentials
from core import aws
from core.transactions import Transaction
from gallery import search_terms, selectors, services, storage
from gallery.errors import Conflict, Forbidden, Invalid, NotFound
from gallery.images import ImageRejected
from gallery.models import (
    STATUS_PENDING,
    Comment,
    Photo,
    RetainedIp,
    SearchTerm,
    ShareLink,
    photo_ip_key,
)
from tests.accounts.users import site_user

from .conftest import (
    NOT_AN_IMAGE,
    SVG,
    bucket_keys,
    jpeg,
    png,
    png_bomb,
    stored_counts,
)

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}


def _get(key: str) -> bytes:
    return aws.client("s3").get_object(Bucket=_bucket(), Key=key)["Body"].read()


def _bucket() -> str:
    from django.conf import settings

    return settings.AWS_STORAGE_BUCKET_NAME


# --- the server path ---------------------------------------------------------------------------


def test_an_upload_records_everything_the_brief_asks_for(make_photo):
    data = jpeg(800, 600)
    when = datetime(2026, 11, 21, 8, 30, 15, tzinfo=UTC)

    photo = make_photo("海边日落 Sunset", data=data, caption="夕阳", now=when)

    stored = Photo.get(photo.photo_id)
    assert stored.is_visible
    assert (stored.owner_sub, stored.owner_name) == ("sub-alice", "Alice 爱丽丝")
    assert stored.uploader_ip == "203.0.113.x"  # the full address is kept apart, for a while
    assert RetainedIp.get(photo_ip_key(photo.photo_id)).ip == "203.0.113.7"
    assert stored.uploaded_at == when
    assert (stored.name, stored.caption) == ("海边日落 Sunset", "夕阳")
    assert stored.original_key == f"photos/{photo.photo_id}/original.jpg"
    assert stored.original_url.endswith(f"/{_bucket()}/photos/{photo.photo_id}/original.jpg")
    assert (stored.width, stored.height) == (800, 600)
    assert stored.size_bytes == len(data)
    assert stored.content_type == "image/jpeg"
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.duplicate_of is None
    assert stored.expires_at is None
    assert _get(stored.original_key) == data
    assert bucket_keys(_bucket()) == sorted(
        [stored.original_key, stored.grid_key, stored.display_key, stored.full_key]
    )


def test_derivatives_are_small_jpegs_without_exif(make_photo):
    photo = make_photo(data=jpeg(2400, 1600, exif=Image.Exif().tobytes()))

    import io

    for key, longest in ((photo.grid_key, 480), (photo.display_key, 1600)):
        with Image.open(io.BytesIO(_get(key))) as im:
            assert im.format == "JPEG"
            assert max(im.size) == longest
            assert not im.getexif()


def test_the_same_users_second_upload_of_the_same_bytes_is_flagged_as_duplicate(make_photo):
    data = jpeg()
    first = make_photo("one", data=data)
    second = make_photo("two", data=data)
    someone_else = make_photo("three", data=data, owner_sub="sub-bob", owner_name="Bob")

    assert first.duplicate_of is None
    assert second.duplicate_of == first.photo_id
    assert someone_else.duplicate_of is None


def test_png_is_accepted_and_stored_with_its_detected_type(make_photo):
    photo = make_photo(data=png())

    assert photo.content_type == "image/png"
    assert photo.original_key.endswith("/original.png")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(NOT_AN_IMAGE, "not_an_image", id="non-image named .jpg"),
        pytest.param(jpeg()[:3000], "truncated", id="truncated JPEG"),
        pytest.param(png_bomb(), "too_many_pixels", id="decompression bomb"),
        pytest.param(b"", "empty", id="0 bytes"),
        pytest.param(SVG, "not_an_image", id="SVG"),
    ],
)
def test_bad_files_are_rejected_with_a_reason_and_nothing_is_written(make_photo, data, code):
    with pytest.raises(ImageRejected) as caught:
        make_photo(data=data)

    assert caught.value.code == code
    assert caught.value.message
    assert stored_counts(_bucket()) == EMPTY


def test_an_oversize_file_is_rejected_before_decoding(make_photo, settings):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 10_000

    with pytest.raises(ImageRejected) as caught:
        make_photo(data=jpeg(1200, 900))

    assert caught.value.code == "too_large"
    assert "limit" in caught.value.message
    assert stored_counts(_bucket()) == EMPTY


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_missing_or_overlong_name_is_refused(make_photo, name):
    with pytest.raises(Invalid):
        make_photo(name)

    assert stored_counts(_bucket()) == EMPTY


def test_a_failure_half_way_removes_objects_and_terms(make_photo, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("DynamoDB went away")

    # The server path saves the photo with its retained IP in one transaction.
    monkeypatch.setattr(Transaction, "save", broken_save)

    with pytest.raises(RuntimeError):
        make_photo("Sunset")

    assert stored_counts(_bucket()) == EMPTY


# --- the browser path --------------------------------------------------------------------------


@pytest.fixture
def alice_credentials(aws_stack):
    return identity_credentials(user_key="sub-alice", id_token="alice-id-token")


def _start(credentials, *, content_type="image/jpeg", size=50_000, name="Direct"):
    return services.upload_start(
        owner_sub="sub-alice",
        owner_name="Alice 爱丽丝",
        name=name,
        content_type=content_type,
        size=size,
        uploader_ip="198.51.100.4",
        credentials=credentials,
    )


def _browser_post(ticket, data: bytes, content_type="image/jpeg") -> requests.Response:
    """Do what upload.js does: POST the fields and then the file, straight to S3."""
    return requests.post(
        ticket.url,
        data=ticket.fields,
        files={"file": ("photo.jpg", data, content_type)},
        timeout=10,
    )


def test_a_browser_upload_starts_as_a_pending_photo_that_expires(alice_credentials, settings):
    ticket = _start(alice_credentials)

    pending = Photo.get(ticket.photo.photo_id)
    assert pending.status == STATUS_PENDING
    assert pending.expires_at > datetime.now(UTC)
    assert pending.expires_at <= datetime.now(UTC) + timedelta(
        seconds=settings.PHOTOSITE_PENDING_UPLOAD_TTL
    )
    assert pending.feed is None and pending.owner_feed is None  # in no listing
    # The completion will not know the address: it is retained with the pending record.
    assert pending.uploader_ip == "198.51.100.x"
    assert RetainedIp.get(photo_ip_key(pending.photo_id)).ip == "198.51.100.4"
    assert pending.original_key == (
        f"private/{alice_credentials.identity_id}/{pending.photo_id}.jpg"
    )
    assert selectors.photo_list_feed().items == []


def test_the_presigned_post_pins_key_type_and_size(alice_credentials, settings):
    import base64
    import json

    ticket = _start(alice_credentials)

    policy = json.loads(base64.b64decode(ticket.fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": ticket.photo.original_key} in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert ["content-length-range", 1, settings.PHOTOSITE_MAX_UPLOAD_BYTES] in conditions
    # Signed with the user's Identity Pool credentials, so S3 applies their role's policy.
    assert ticket.fields["x-amz-credential"].startswith(alice_credentials.access_key_id + "/")
    assert ticket.fields["x-amz-security-token"] == alice_credentials.session_token


def test_a_completed_browser_upload_is_published_like_a_server_upload(alice_credentials):
    data = jpeg(900, 700)
    ticket = _start(alice_credentials, size=len(data))
    assert _browser_post(ticket, data).status_code in (200, 201, 204)

    photo = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert photo.is_visible
    assert photo.expires_at is None
    assert (photo.width, photo.height, photo.size_bytes) == (900, 700, len(data))
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.uploader_ip == "198.51.100.x"
    assert RetainedIp.get(photo_ip_key(photo.photo_id)).ip == "198.51.100.4"
    # Under the photo's prefix and the completing claim's own (see test_upload_completion.py).
    assert photo.original_key.startswith(f"photos/{photo.photo_id}/")
    assert photo.original_key.endswith("/original.jpg")
    assert _get(photo.original_key) == data
    # The upload under the user's private prefix was moved, not left behind.
    assert not any(key.startswith("private/") for key in bucket_keys(_bucket()))
    assert [p.photo_id for p in selectors.photo_list_feed().items] == [photo.photo_id]
    assert SearchTerm.get("w:di", photo.sort_key).photo_id == photo.photo_id


@pytest.mark.parametrize(
    ("declared", "data", "code"),
    [
        pytest.param("image/jpeg", NOT_AN_IMAGE, "not_an_image", id="non-image"),
        pytest.param("image/jpeg", jpeg()[:2000], "truncated", id="truncated"),
        pytest.param("image/png", png_bomb(), "too_many_pixels", id="bomb"),
        pytest.param("image/png", jpeg(), "type_mismatch", id="jpeg declared as png"),
    ],
)
def test_completion_decodes_what_landed_and_cleans_up_a_bad_file(
    alice_credentials, declared, data, code
):
    ticket = _start(alice_credentials, content_type=declared, size=len(data))
    _browser_post(ticket, data, declared)

    with pytest.raises(ImageRejected) as caught:
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert caught.value.code == code
    assert stored_counts(_bucket()) == EMPTY
    # The discarded upload's address goes with its record.
    assert RetainedIp.count(photo_ip_key(ticket.photo.photo_id)) == 0


def test_completion_rechecks_the_size_the_emulator_did_not_enforce(alice_credentials, settings):
    data = jpeg(1600, 1200)
    ticket = _start(alice_credentials, size=1000)  # the browser lied about the size
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = len(data) - 1
    _browser_post(ticket, data)  # moto ignores content-length-range

    with pytest.raises(ImageRejected) as caught:
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert caught.value.code == "too_large"
    assert stored_counts(_bucket()) == EMPTY


@pytest.mark.parametrize(
    ("content_type", "size", "code"),
    [
        ("image/svg+xml", 100, "unsupported_format"),
        ("image/gif", 100, "unsupported_format"),
        ("image/jpeg", 0, "empty"),
        ("image/jpeg", 26 * 1024 * 1024, "too_large"),
    ],
)
def test_a_browser_upload_declared_wrong_is_refused_before_signing(
    alice_credentials, content_type, size, code
):
    with pytest.raises(ImageRejected) as caught:
        _start(alice_credentials, content_type=content_type, size=size)

    assert caught.value.code == code
    assert stored_counts(_bucket()) == EMPTY


def test_completing_before_the_file_arrived_says_so_and_keeps_the_pending_record(
    alice_credentials,
):
    ticket = _start(alice_credentials)

    with pytest.raises(Invalid) as caught:
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert caught.value.code == "upload_missing"
    assert Photo.get(ticket.photo.photo_id).status == STATUS_PENDING


def test_nobody_can_complete_someone_elses_upload(alice_credentials):
    data = jpeg()
    ticket = _start(alice_credentials, size=len(data))
    _browser_post(ticket, data)

    with pytest.raises(NotFound):
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-bob")

    assert Photo.get(ticket.photo.photo_id).status == STATUS_PENDING


def test_each_users_uploads_go_under_their_own_identity_prefix(aws_stack):
    alice = identity_credentials(user_key="sub-alice", id_token="alice-token")
    bob = identity_credentials(user_key="sub-bob", id_token="bob-token")

    alice_ticket = _start(alice)
    bob_ticket = services.upload_start(
        owner_sub="sub-bob",
        owner_name="Bob",
        name="b",
        content_type="image/png",
        size=10,
        uploader_ip="",
        credentials=bob,
    )

    assert alice.identity_id != bob.identity_id
    assert alice_ticket.fields["key"].startswith(f"private/{alice.identity_id}/")
    assert bob_ticket.fields["key"].startswith(f"private/{bob.identity_id}/")


def test_an_expired_pending_upload_cannot_be_completed(alice_credentials):
    data = jpeg()
    ticket = _start(alice_credentials, size=len(data))
    _browser_post(ticket, data)
    later = datetime.now(UTC) + timedelta(days=2)

    with pytest.raises(NotFound):
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice", now=later)

    assert stored_counts(_bucket()) == EMPTY


def test_completing_twice_publishes_once_and_answers_the_same_photo(alice_credentials):
    data = jpeg()
    ticket = _start(alice_credentials, size=len(data))
    _browser_post(ticket, data)
    first = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    again = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert (again.photo_id, again.version) == (first.photo_id, first.version)
    assert len(selectors.photo_list_feed().items) == 1


# --- edit and delete ---------------------------------------------------------------------------


def test_the_owner_renames_and_search_terms_follow(make_photo):
    photo = make_photo("Sunset")

    updated = services.photo_update(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        name="Moonrise 月亮",
        caption="new",
        expected_version=photo.version,
    )

    assert (updated.name, updated.caption) == ("Moonrise 月亮", "new")
    assert updated.version == photo.version + 1
    assert [p.name for p in selectors.photo_search(q="moon").items] == ["Moonrise 月亮"]
    assert [p.name for p in selectors.photo_search(q="月亮").items] == ["Moonrise 月亮"]
    assert selectors.photo_search(q="sunset").items == []
    terms = {t.term for t in SearchTerm.scan()}  # the test inspecting, not the site
    assert terms == search_terms.index_terms("Moonrise 月亮", "new")  # the caption is indexed too


def test_a_stale_edit_is_refused_and_changes_nothing(make_photo):
    photo = make_photo("Original")
    services.photo_update(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        name="First edit",
        caption="",
        expected_version=photo.version,
    )

    with pytest.raises(Conflict) as caught:
        services.photo_update(
            photo_id=photo.photo_id,
            actor=site_user("sub-alice", "Alice"),
            name="Second edit",
            caption="",
            expected_version=photo.version,
        )

    assert "changed meanwhile" in caught.value.message
    assert caught.value.status == 409
    assert Photo.get(photo.photo_id).name == "First edit"
    assert selectors.photo_search(q="second").items == []


def test_a_race_lost_at_the_database_is_also_a_conflict(make_photo, monkeypatch):
    photo = make_photo("Original")
    real_get = Photo.get

    def get_then_someone_edits(photo_id, *args, **kwargs):
        seen = real_get(photo_id, *args, **kwargs)
        other = real_get(photo_id)
        other.update(actions=[Photo.caption.set("sneaky")])
        return seen

    monkeypatch.setattr(Photo, "get", get_then_someone_edits)

    with pytest.raises(Conflict):
        services.photo_update(
            photo_id=photo.photo_id,
            actor=site_user("sub-alice", "Alice"),
            name="Mine",
            caption="",
            expected_version=photo.version,
        )

    monkeypatch.undo()
    assert Photo.get(photo.photo_id).name == "Original"
    assert selectors.photo_search(q="mine").items == []


def test_someone_elses_photo_cannot_be_edited_or_deleted(make_photo):
    photo = make_photo()

    with pytest.raises(Forbidden):
        services.photo_update(
            photo_id=photo.photo_id,
            actor=site_user("sub-bob", "Bob"),
            name="mine now",
            caption="",
            expected_version=photo.version,
        )
    with pytest.raises(Forbidden):
        services.photo_delete(photo_id=photo.photo_id, actor=site_user("sub-bob", "Bob"))

    assert Photo.get(photo.photo_id).name == photo.name


def test_staff_can_edit_and_delete_any_photo(make_photo):
    photo = make_photo()

    services.photo_update(
        photo_id=photo.photo_id,
        actor=site_user("sub-mod", "Mo", ("admins",)),
        name="Moderated",
        caption="",
        expected_version=photo.version,
    )
    services.photo_delete(photo_id=photo.photo_id, actor=site_user("sub-mod", "Mo", ("admins",)))

    with pytest.raises(Photo.DoesNotExist):
        Photo.get(photo.photo_id)


def test_delete_removes_objects_terms_comments_links_and_the_record(make_photo):
    photo = make_photo("Sunset 日落")
    keep = make_photo("Other", owner_sub="sub-bob", owner_name="Bob")
    services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="nice",
        ip="192.0.2.1",
    )
    services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"), expires_in=60
    )

    services.photo_purge(photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"))

    assert bucket_keys(_bucket()) == sorted(
        [keep.original_key, keep.grid_key, keep.display_key, keep.full_key]
    )
    assert [p.photo_id for p in Photo.scan()] == [keep.photo_id]
    assert {t.photo_id for t in SearchTerm.scan()} == {keep.photo_id}
    assert list(Comment.scan()) == []
    assert list(ShareLink.scan()) == []


def test_deleting_a_deleted_photo_is_not_found(make_photo):
    photo = make_photo()
    services.photo_purge(photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"))

    with pytest.raises(NotFound):
        services.photo_purge(photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"))


def test_storage_urls_are_presigned_and_short(make_photo, settings):
    photo = make_photo()

    url = storage.object_url(photo.display_key, expires_in=60)

    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url


def test_a_completion_racing_another_gets_the_winners_photo_without_touching_it(
    alice_credentials, monkeypatch
):
    data = jpeg()
    ticket = _start(alice_credentials, size=len(data))
    _browser_post(ticket, data)
    real_get = Photo.get

    def get_then_lose_the_race(photo_id, *args, **kwargs):
        seen = real_get(photo_id, *args, **kwargs)
        monkeypatch.setattr(Photo, "get", real_get)
        services.upload_complete(photo_id=photo_id, owner_sub="sub-alice")  # the winner
        return seen

    monkeypatch.setattr(Photo, "get", get_then_lose_the_race)

    loser = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    winner = Photo.get(ticket.photo.photo_id)
    assert winner.is_visible and loser.photo_id == winner.photo_id
    assert bucket_keys(_bucket()) == sorted(
        [winner.original_key, winner.grid_key, winner.display_key, winner.full_key]
    )


def test_a_delete_whose_clean_up_fails_still_removes_the_photo(make_photo, monkeypatch, caplog):
    photo = make_photo()

    def s3_down(keys):
        raise RuntimeError("S3 unavailable")

    monkeypatch.setattr(storage, "objects_delete", s3_down)

    services.photo_purge(photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"))

    with pytest.raises(Photo.DoesNotExist):
        Photo.get(photo.photo_id)
    assert "left behind" in caplog.text


def test_abandoned_browser_uploads_expire_from_the_bucket_after_a_day(aws_stack, settings):
    from photosite.bootstrap import ensure_bucket

    rules = aws.client("s3").get_bucket_lifecycle_configuration(Bucket=_bucket())["Rules"]
    changes: list[str] = []
    ensure_bucket(_bucket(), site_origin=settings.PHOTOSITE_SITE_ORIGIN, log=changes.append)

    assert [(r["Filter"]["Prefix"], r["Expiration"]["Days"], r["Status"]) for r in rules] == [
        ("private/", 1, "Enabled"),
        ("trash/", settings.PHOTOSITE_TRASH_DAYS + 1, "Enabled"),  # the trash (test_trash.py)
    ]
    assert changes == []  # a second bootstrap changes nothing
