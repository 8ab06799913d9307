"""Direct uploads for API clients: `POST /api/uploads`, the file straight to S3, then complete.

The same three steps as the browser's, with a Bearer access token: the site signs the POST with
its own credentials (an access token gets no Identity Pool credentials), and completion is the
browser path's own service, so it is idempotent and safe under concurrency in the same way.
Real Cognito tokens and a real S3 POST, against the local stack.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from django.test import Client

from core import aws
from gallery import policy
from gallery.models import STATUS_PENDING, Photo

from .conftest import ApiUser, api_user, jpeg, published_once, race, stored_counts

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}


@pytest.fixture
def carol(aws_stack) -> ApiUser:
    return api_user(aws_stack, "carol@example.com")


@pytest.fixture
def dave(aws_stack) -> ApiUser:
    return api_user(aws_stack, "dave@example.com")


def upload_start(user: ApiUser, *, size: int, content_type="image/jpeg", name="Harbour"):
    return Client().post(
        "/api/uploads",
        {"name": name, "caption": "from the API", "content_type": content_type, "size": size},
        content_type="application/json",
        **user.bearer,
    )


def s3_post(ticket: dict, data: bytes) -> requests.Response:
    """POST the file to S3 as the client does: the ticket's fields, then the file, last."""
    return requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("photo.jpg", data, ticket["fields"]["Content-Type"])},
        timeout=30,
    )


def complete(user: ApiUser, ticket: dict, client: Client | None = None):
    return (client or Client()).post(ticket["complete_url"], **user.bearer)


def uploaded(user: ApiUser, data: bytes) -> dict:
    """Start an upload and send its file to S3; return the ticket, ready to complete."""
    ticket = upload_start(user, size=len(data)).json()
    assert s3_post(ticket, data).status_code in (200, 201, 204)
    return ticket


def policy_document(ticket: dict) -> dict:
    return json.loads(base64.b64decode(ticket["fields"]["policy"]))


def test_an_api_client_uploads_in_three_steps_and_no_photo_byte_passes_through_the_site(carol):
    data = jpeg(1200, 900)
    s3_requests: list[str] = []

    def record(request, **_kwargs):
        s3_requests.append(request.url)

    aws.client("s3").meta.events.register("before-send.s3", record)
    try:
        started = upload_start(carol, size=len(data))
    finally:
        aws.client("s3").meta.events.unregister("before-send.s3", record)
    assert started.status_code == 201, started.content
    ticket = started.json()
    photo_id = ticket["photo_id"]
    # Signing the POST is local: the site made no request to S3, and holds no bytes yet.
    assert s3_requests == []
    assert ticket["fields"]["key"] == f"private/api/{photo_id}.jpg"
    assert ticket["complete_url"] == f"http://testserver/api/uploads/{photo_id}/complete"
    assert ticket["max_bytes"] == policy.upload_max_bytes()
    assert Photo.get(photo_id).status == STATUS_PENDING

    sent = s3_post(ticket, data)
    assert sent.status_code == 204, sent.text

    done = complete(carol, ticket)
    assert done.status_code == 200, done.content
    photo = done.json()
    assert (photo["id"], photo["name"], photo["caption"]) == (photo_id, "Harbour", "from the API")
    assert (photo["owner_sub"], photo["size_bytes"]) == (carol.sub, len(data))
    assert (photo["width"], photo["height"]) == (1200, 900)
    assert photo["s3_key"].startswith(f"photos/{photo_id}/")
    published_once(photo_id, data)
    listed = Client().get("/api/photos", {"mine": "true"}, **carol.bearer).json()
    assert [item["id"] for item in listed["items"]] == [photo_id]


def test_the_post_is_signed_by_the_site_for_exactly_one_key_type_and_size_range(carol):
    ticket = upload_start(carol, size=50_000).json()

    conditions = policy_document(ticket)["conditions"]

    assert {"key": f"private/api/{ticket['photo_id']}.jpg"} in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert ["content-length-range", 1, policy.upload_max_bytes()] in conditions
    # The web tier's own credentials: an access token gets none from the Identity Pool.
    assert ticket["fields"]["x-amz-credential"].split("/")[0] == os.environ["AWS_ACCESS_KEY_ID"]


@pytest.mark.parametrize(
    ("size", "content_type", "status", "code"),
    [
        (25 * 1024 * 1024 + 1, "image/jpeg", 413, "too_large"),
        (0, "image/jpeg", 400, "empty"),
        (1000, "image/gif", 415, "unsupported_format"),
    ],
    ids=["over the direct limit", "empty", "not a type we take"],
)
def test_a_refused_start_writes_nothing(carol, aws_stack, size, content_type, status, code):
    response = upload_start(carol, size=size, content_type=content_type)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_without_a_token_neither_step_is_allowed(aws_stack):
    start = Client().post(
        "/api/uploads", {"name": "x", "content_type": "image/jpeg", "size": 10}, "application/json"
    )
    finish = Client().post("/api/uploads/anything/complete")

    assert (start.status_code, finish.status_code) == (401, 401)


def test_someone_elses_upload_cannot_be_completed_and_stays_theirs(carol, dave):
    data = jpeg()
    ticket = uploaded(carol, data)

    refused = complete(dave, ticket)

    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    assert Photo.get(ticket["photo_id"]).status == STATUS_PENDING
    assert complete(carol, ticket).status_code == 200
    published_once(ticket["photo_id"], data)


def test_completing_twice_returns_the_same_photo(carol):
    data = jpeg()
    ticket = uploaded(carol, data)

    first, again = complete(carol, ticket), complete(carol, ticket)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["id"] == again.json()["id"] == ticket["photo_id"]
    assert first.json()["version"] == again.json()["version"]
    published_once(ticket["photo_id"], data)


def test_simultaneous_completions_publish_once_and_the_others_get_409_or_the_photo(carol):
    data = jpeg(900, 700)
    ticket = uploaded(carol, data)
    clients = [Client() for _ in range(6)]

    answers = race(len(clients), lambda n: complete(carol, ticket, clients[n]))

    statuses = sorted(answer.status_code for answer in answers)
    assert set(statuses) <= {200, 409}, statuses
    assert 200 in statuses
    assert {a.json()["id"] for a in answers if a.status_code == 200} == {ticket["photo_id"]}
    assert all(a.json()["code"] == "upload_in_progress" for a in answers if a.status_code == 409)
    published_once(ticket["photo_id"], data)


def test_completing_before_the_file_arrived_is_400_and_can_be_done_later(carol):
    data = jpeg()
    ticket = upload_start(carol, size=len(data)).json()

    early = complete(carol, ticket)
    assert early.status_code == 400
    assert early.json()["code"] == "upload_missing"

    s3_post(ticket, data)
    assert complete(carol, ticket).status_code == 200
    published_once(ticket["photo_id"], data)


def test_a_file_over_the_limit_that_reaches_storage_is_refused_at_completion(
    carol, aws_stack, settings
):
    """S3 refuses such a POST by the policy's content-length-range (see the signing test); the
    local emulator does not enforce POST policies, so the file lands, and completion, which
    never trusts the policy alone, must refuse it and remove everything."""
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 20_000
    data = jpeg(1200, 900)
    assert len(data) > 20_000
    ticket = upload_start(carol, size=10_000).json()  # the client lies about the size
    assert ["content-length-range", 1, 20_000] in policy_document(ticket)["conditions"]
    assert s3_post(ticket, data).status_code == 204  # the emulator took it

    done = complete(carol, ticket)

    assert done.status_code == 413
    assert done.json()["code"] == "too_large"
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_the_schema_documents_both_steps_and_both_limits(client, settings):
    settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = 3 * 1024 * 1024

    schema = client.get("/api/openapi.json").json()

    assert {"/api/uploads", "/api/uploads/{photo_id}/complete"} <= set(schema["paths"])
    assert "presigned" in schema["paths"]["/api/uploads"]["post"]["description"]
    multipart = schema["paths"]["/api/photos"]["post"]["requestBody"]["content"]
    file_part = multipart["multipart/form-data"]["schema"]["properties"]["file"]
    assert file_part["maxLength"] == 3 * 1024 * 1024
    assert policy.server_upload_limit_text() in file_part["description"]
    assert "3 MB" in file_part["description"]
    assert policy.upload_limit_text() in file_part["description"]


# --- the examples of docs/gallery.md, run as written against a live site -----------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "gallery.md"


def docs_example(after: str, language: str) -> str:
    """Return the first `language` code block of docs/gallery.md that follows the line `after`."""
    text = DOCS.read_text(encoding="utf-8")
    rest = text[text.index(after) :]
    start = rest.index(f"```{language}\n") + len(f"```{language}\n")
    return rest[start : rest.index("```", start)]


@pytest.fixture
def transactional_db():
    """Nothing to set up: the site has no database (pytest-django's live_server asks for it)."""


def test_the_python_example_uploads_a_photo(carol, live_server, tmp_path):
    namespace: dict = {}
    exec(docs_example("With Python (`requests`):", "python"), namespace)  # noqa: S102
    data = jpeg()
    path = tmp_path / "harbour.jpg"
    path.write_bytes(data)
    token = carol.bearer["HTTP_AUTHORIZATION"].removeprefix("Bearer ")

    photo = namespace["upload"](live_server.url, token, str(path), "Harbour")

    assert (photo["name"], photo["owner_sub"]) == ("Harbour", carol.sub)
    published_once(photo["id"], data)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_example_uploads_a_photo(carol, live_server, tmp_path):
    data = jpeg()
    (tmp_path / "harbour.jpg").write_bytes(data)
    token = carol.bearer["HTTP_AUTHORIZATION"].removeprefix("Bearer ")

    run = subprocess.run(
        ["bash", "-e", "-c", docs_example("With curl", "sh")],
        cwd=tmp_path,
        env={**os.environ, "SITE": live_server.url, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    photo = json.loads(run.stdout)
    assert (photo["name"], photo["owner_sub"]) == ("Harbour", carol.sub)
    published_once(photo["id"], data)
