"""Fixtures of the gallery tests: users, sample files, and a counter of DynamoDB calls."""

from __future__ import annotations

import io
import itertools
import json
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import pytest
import requests
from botocore.awsrequest import AWSResponse
from django.conf import settings
from PIL import Image

from accounts import cognito, identity
from accounts.identity import identity_credentials
from core import aws
from gallery import search_terms, selectors, services
from gallery.models import Comment, Photo, SearchTerm, ShareLink
from photosite.tables import table_models
from tests.accounts.conftest import PASSWORD, account_create
from tests.accounts.users import sign_in, site_user

# --- sample files: all generated, no binary fixtures -------------------------------------------


def jpeg(width: int = 640, height: int = 480, color=(200, 120, 40), **params) -> bytes:
    """Return a JPEG with some noise so encoders cannot make it trivially small.

    Every call's bytes differ (uploads of the same bytes are duplicates to the site): the noise
    of a size is made once, and a serial number written into its first pixels tells calls apart.
    """
    noise = _noise(width, height).copy()
    serial = next(_jpeg_serial)
    for x in range(min(3, width)):
        noise.putpixel((x, 0), (serial >> (8 * x)) & 0xFF)
    image = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((width, height)),
            noise,
            Image.new("L", (width, height), color[2]),
        ),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", **params)
    return out.getvalue()


_jpeg_serial = itertools.count(1)


@cache  # a 640 x 480 band of noise costs 10 ms to draw
def _noise(width: int, height: int) -> Image.Image:
    return Image.effect_noise((width, height), 40)


def png(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


@cache  # compressing 20,000 rows takes a while; the bytes never change
def png_bomb(width: int = 20_000, height: int = 20_000, *, rgb: bool = False) -> bytes:
    """Return a tiny, valid PNG (1-bit, or 8-bit RGB) whose header claims a huge picture."""
    row = bytes(1 + (width * 3 if rgb else (width + 7) // 8))
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, *((8, 2) if rgb else (1, 0)), 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
NOT_AN_IMAGE = b"%PDF-1.4 this is not a picture at all" * 10


# --- users --------------------------------------------------------------------------------------


# Users are Cognito's: a fixture user is the user a sign-in with these claims makes (no row
# anywhere); sign_in puts the claims in a test client's session.


@pytest.fixture
def alice(aws_stack):
    return site_user("sub-alice", "Alice 爱丽丝", ("members",))


@pytest.fixture
def bob(aws_stack):
    return site_user("sub-bob", "Bob", ("members",))


@pytest.fixture
def moderator(aws_stack):
    """A moderator: in the `admins` group, so staff with the moderation permissions."""
    return site_user("sub-mod", "Mo", ("admins",))


@pytest.fixture
def alice_client(client, alice):
    sign_in(client, alice)
    return client


@dataclass(frozen=True)
class ApiUser:
    sub: str
    bearer: dict[str, str]


def api_user(aws_stack, email: str) -> ApiUser:
    """A confirmed member and the Authorization header of their Cognito access token."""
    account = account_create(aws_stack.user_pool_id, email=email, groups=("members",))
    tokens = cognito.password_auth(email=account.email, password=PASSWORD)
    return ApiUser(sub=account.sub, bearer={"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}"})


@pytest.fixture(autouse=True)
def _fresh_identity_cache() -> Iterator[None]:
    identity.identity_cache_clear()
    yield
    identity.identity_cache_clear()


def spam_comment(photo: Photo, author) -> Comment:
    """A comment worth reporting, by `author` (a Cognito user) on `photo`."""
    return services.comment_create(
        photo_id=photo.photo_id,
        author_sub=author.username,
        author_name="Bob",
        body="Buy cheap watches",
        ip="203.0.113.9",
    )


@pytest.fixture
def make_photo(aws_stack):
    """Create a photo through the real service, as `user` (default: Alice).

    The default picture is small (160 x 120): the image pipeline's cost grows with the pixels,
    and the tests that check sizes, resizing or encoding pass pictures of their own.
    """

    def make(
        name: str = "Sunset at the beach",
        *,
        owner_sub: str = "sub-alice",
        owner_name: str = "Alice 爱丽丝",
        data: bytes | None = None,
        **kwargs,
    ) -> Photo:
        return services.photo_create(
            owner_sub=owner_sub,
            owner_name=owner_name,
            name=name,
            data=data if data is not None else jpeg(160, 120),
            uploader_ip=kwargs.pop("uploader_ip", "203.0.113.7"),
            **kwargs,
        )

    return make


def browser_upload_arrived(data: bytes, *, name: str = "Harbour lights"):
    """Start Alice's browser upload and POST its file straight to S3, as the browser does.

    Returns the upload's ticket: the pending photo, ready to be completed.
    """
    credentials = identity_credentials(user_key="sub-alice", id_token="alice-id-token")
    ticket = services.upload_start(
        owner_sub="sub-alice",
        owner_name="Alice",
        name=name,
        content_type="image/jpeg",
        size=len(data),
        uploader_ip="198.51.100.4",
        credentials=credentials,
    )
    answer = requests.post(
        ticket.url, data=ticket.fields, files={"file": ("p.jpg", data, "image/jpeg")}, timeout=10
    )
    assert answer.status_code in (200, 201, 204)
    return ticket


# --- what is stored -----------------------------------------------------------------------------


def bucket_keys(bucket: str) -> list[str]:
    listing = aws.client("s3").list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def table_count(model) -> int:
    """Count a table's items. A Scan is fine here: this is the test inspecting, not the site."""
    return sum(1 for _ in model.scan())


def stored_counts(bucket: str) -> dict[str, int]:
    return {
        "objects": len(bucket_keys(bucket)),
        "photos": table_count(Photo),
        "terms": table_count(SearchTerm),
        "comments": table_count(Comment),
        "links": table_count(ShareLink),
    }


# --- completions ------------------------------------------------------------------------------


def published_once(photo_id: str, data: bytes) -> Photo:
    """Assert the upload is published exactly once and whole; return the photo."""
    photo = Photo.get(photo_id, consistent_read=True)
    assert photo.is_visible
    assert photo.claim_token is None and photo.claim_expires_at is None
    # Exactly the published photo's three objects: no loser's copies, the upload moved.
    assert bucket_keys(settings.AWS_STORAGE_BUCKET_NAME) == sorted(
        [photo.original_key, photo.grid_key, photo.display_key, photo.full_key]
    )
    original = aws.client("s3").get_object(
        Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=photo.original_key
    )
    assert original["Body"].read() == data
    terms = search_terms.index_terms(photo.name, photo.caption)
    assert table_count(SearchTerm) == len(terms)
    assert {SearchTerm.get(term, photo.sort_key).photo_id for term in terms} == {photo_id}
    assert [p.photo_id for p in selectors.photo_list_feed().items] == [photo_id]
    return photo


def race(count: int, call) -> list:
    """Run `call(n)` in `count` threads released together by a barrier; return the results."""
    start = threading.Barrier(count)

    def run(n: int):
        start.wait(timeout=30)
        return call(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


# --- counting DynamoDB calls --------------------------------------------------------------------


@dataclass
class CallLog:
    """Every DynamoDB operation made while counting, and the items it returned."""

    operations: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    # Each request's parameters as sent (DynamoDB's JSON body).
    requests: list[dict] = field(default_factory=list)
    items: int = 0

    @property
    def by_name(self) -> Counter:
        return Counter(self.operations)


def _clients() -> list:
    """Return every botocore client that talks to DynamoDB: each model's and the shared one."""
    clients = [model._get_connection().connection.client for model in table_models()]
    clients.append(aws.client("dynamodb"))
    unique = []
    for client in clients:
        if all(client is not seen for seen in unique):
            unique.append(client)
    return unique


@contextmanager
def count_dynamodb_calls() -> Iterator[CallLog]:
    """Record DynamoDB operations (names) and how many items they returned."""
    log = CallLog()

    def before(model, params, **_kwargs):
        log.operations.append(model.name)
        # before-call sees the serialised request; DynamoDB's is a JSON body.
        body = json.loads(params.get("body") or b"{}")
        log.requests.append(body)
        log.tables.append(body.get("TableName", ""))

    def after(http_response, parsed, model, **_kwargs):
        if "Items" in parsed:
            log.items += len(parsed["Items"])
        elif "Item" in parsed:
            log.items += 1
        elif "Responses" in parsed:
            log.items += sum(len(items) for items in parsed["Responses"].values())

    clients = _clients()
    for client in clients:
        client.meta.events.register("before-call.dynamodb", before)
        client.meta.events.register("after-call.dynamodb", after)
    try:
        yield log
    finally:
        for client in clients:
            client.meta.events.unregister("before-call.dynamodb", before)
            client.meta.events.unregister("after-call.dynamodb", after)


@contextmanager
def transaction_conflicts_on(client) -> Iterator[dict[str, int]]:
    """Make DynamoDB cancel the next `conflicts` TransactWriteItems calls of this botocore
    client with TransactionConflict, as it does when a concurrent transaction holds an item;
    `calls` counts every attempt."""
    pending = {"conflicts": 0, "calls": 0}

    def cancel(**_kwargs):
        pending["calls"] += 1
        if pending["conflicts"] <= 0:
            return None  # the real call goes through
        pending["conflicts"] -= 1
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}],
            "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}},
        }
        return AWSResponse("http://dynamodb", 400, {}, None), parsed

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", cancel)
    try:
        yield pending
    finally:
        client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", cancel)
