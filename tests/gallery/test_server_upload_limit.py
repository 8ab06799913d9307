"""Server-side uploads stay within what Lambda can carry, and a larger one gets a clear 413.

On Lambda, API Gateway hands each request to the function as a JSON event with the body
base64-encoded, and a synchronous invocation carries at most 6,291,456 bytes: a bigger request
never reaches Django and the client sees API Gateway's bare error. So the site's own limit for
uploads through it (PHOTOSITE_SERVER_UPLOAD_MAX_BYTES) must keep the largest request it accepts
inside that event, and refuse anything larger itself, before reading it. These tests build the
event API Gateway would send and serve it through Zappa's own event-to-WSGI translation, and
once through Zappa's whole Lambda handler in a process of its own.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from zappa.wsgi import create_wsgi_request

from deploy.build_lambda import zappa_settings_module
from gallery import policy
from gallery.forms import UploadForm
from gallery.models import Photo

from .conftest import api_user, jpeg, stored_counts

# AWS Lambda: the payload of a synchronous invocation (the event), in bytes.
LAMBDA_SYNC_PAYLOAD_MAX = 6_291_456
# API Gateway (REST): the request line and header values together, in bytes.
GATEWAY_HEADERS_MAX = 10_240
EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}


def jpeg_of_size(size: int) -> bytes:
    """Return a valid JPEG of exactly `size` bytes: a real picture padded with COM segments."""
    base = jpeg(800, 600)
    extra = size - len(base)
    assert extra == 0 or extra >= 4
    segments = []
    while extra:
        take = min(extra, 65_537)  # a segment: marker, length (at most 65,535), comment
        if 0 < extra - take < 4:
            take -= 4
        segments.append(b"\xff\xfe" + (take - 2).to_bytes(2, "big") + b"p" * (take - 4))
        extra -= take
    return base[:2] + b"".join(segments) + base[2:]


def multipart(*, name: str, data: bytes, boundary: str) -> bytes:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode()


def upload_body(total: int, *, boundary: str) -> bytes:
    """Return a multipart `POST /api/photos` body of exactly `total` bytes around a real JPEG."""
    framing = len(multipart(name="Largest", data=b"", boundary=boundary))
    body = multipart(name="Largest", data=jpeg_of_size(total - framing), boundary=boundary)
    assert len(body) == total
    return body


def gateway_event(*, path: str, headers: dict[str, str], body: bytes) -> dict:
    """Return the proxy event API Gateway (REST, as Zappa deploys it) sends for this request.

    Every header value appears twice (headers and multiValueHeaders); the body is base64.
    """
    request_id = str(uuid.uuid4())
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {key: [value] for key, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourceId": "a1b2c3",
            "resourcePath": "/{proxy+}",
            "httpMethod": "POST",
            "extendedRequestId": "Kx9sHFr2IAMFgVw=",
            "requestTime": "29/Nov/2026:02:00:00 +0000",
            "path": f"/prod{path}",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": "prod",
            "domainPrefix": "abcdef1234",
            "requestTimeEpoch": 1795917600000,
            "requestId": request_id,
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": "203.0.113.9",
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": headers.get("User-Agent"),
                "user": None,
            },
            "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "apiId": "abcdef1234",
        },
        "body": base64.b64encode(body).decode("ascii"),
        "isBase64Encoded": True,
    }


def gateway_headers(*, authorization: str, boundary: str, length: int) -> dict[str, str]:
    """The headers of an API client's upload through CloudFront and API Gateway, padded with a
    cookie to the most API Gateway lets through, so the event is as large as one can be."""
    headers = {
        "Accept": "application/json",
        "Authorization": authorization,
        "CloudFront-Forwarded-Proto": "https",
        "CloudFront-Is-Desktop-Viewer": "true",
        "CloudFront-Is-Mobile-Viewer": "false",
        "CloudFront-Viewer-Country": "NL",
        "Content-Length": str(length),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Host": "testserver",
        "User-Agent": "python-requests/2.32.3",
        "Via": "2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
        "X-Amz-Cf-Id": "Zf0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ==",
        "X-Amzn-Trace-Id": "Root=1-6749f0a0-0123456789abcdef01234567",
        "X-Forwarded-For": "203.0.113.9, 130.176.0.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    used = sum(len(value) for value in headers.values()) + len("POST /api/photos HTTP/1.1")
    headers["Cookie"] = "pad=" + "c" * (GATEWAY_HEADERS_MAX - used - len("pad="))
    return headers


def serve(event: dict) -> tuple[int, bytes]:
    """Serve an API Gateway event as Zappa's handler does: its event-to-WSGI translation
    (binary_support, as zappa_settings.json sets it), then the site's WSGI application."""
    environ = create_wsgi_request(event, binary_support=True)
    answer: dict[str, int] = {}

    def start_response(status: str, _headers, _exc_info=None):
        answer["status"] = int(status.split()[0])

    body = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], body


@pytest.fixture
def erin(aws_stack):
    return api_user(aws_stack, "erin@example.com")


def largest_events(authorization: str) -> tuple[dict, dict]:
    """The events of the largest server-side upload accepted and of one byte more."""
    limit = policy.server_upload_max_bytes()
    boundary = "----photosite" + "b" * 40
    events = []
    for total in (limit, limit + 1):
        body = upload_body(total, boundary=boundary)
        headers = gateway_headers(authorization=authorization, boundary=boundary, length=total)
        events.append(gateway_event(path="/api/photos", headers=headers, body=body))
    return events[0], events[1]


def test_the_default_limit_is_the_one_the_settings_explain():
    assert policy.server_upload_max_bytes() == 4 * 1024 * 1024
    assert policy.upload_max_bytes() == 25 * 1024 * 1024


def test_the_largest_accepted_upload_fits_in_a_lambda_invocation_and_is_published(erin):
    largest, _ = largest_events(erin.bearer["HTTP_AUTHORIZATION"])

    size = len(json.dumps(largest).encode())
    assert size <= LAMBDA_SYNC_PAYLOAD_MAX, size
    status, body = serve(largest)

    assert status == 201, body[:300]
    photo = Photo.get(json.loads(body)["id"])
    assert photo.is_visible and photo.name == "Largest"


def test_one_byte_more_is_refused_by_the_site_itself_with_a_clear_413(erin, aws_stack):
    _, over = largest_events(erin.bearer["HTTP_AUTHORIZATION"])
    # It still fits in the event: the refusal is the site's, with its message, not Lambda's.
    assert len(json.dumps(over).encode()) <= LAMBDA_SYNC_PAYLOAD_MAX

    status, body = serve(over)

    assert status == 413
    refusal = json.loads(body)
    assert refusal == {"code": "too_large", "message": policy.server_upload_refusal()}
    assert "4 MB" in refusal["message"] and "POST /api/uploads" in refusal["message"]
    assert stored_counts(aws_stack.bucket) == EMPTY


ROOT = Path(__file__).resolve().parents[2]


def lambda_invoke(event: dict, *, aws_stack, tmp_path: Path) -> dict:
    """Answer the event with Zappa's handler as Lambda runs it, in a process of its own, with
    the zappa_settings.py `zappa package` writes for the prod stage (test settings instead of
    production's, which need real AWS) against the local stack."""
    generated = zappa_settings_module("prod", ROOT / "zappa_settings.json")
    (tmp_path / "zappa_settings.py").write_text(
        generated
        + "\nDJANGO_SETTINGS = 'photosite.test_settings'\n"
        + "ENVIRONMENT_VARIABLES = {'PHOTOSITE_TRUSTED_PROXY_COUNT': '0'}\n"
    )
    (tmp_path / "event.json").write_text(json.dumps(event))
    env = {
        **os.environ,
        **aws_stack.as_env(),
        "PYTHONPATH": str(ROOT),
        "DJANGO_ALLOWED_HOSTS": "testserver",  # the events' Host
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "gallery" / "zappa_invoke.py"),
            str(tmp_path),
            str(tmp_path / "event.json"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_zappas_lambda_handler_publishes_the_largest_and_refuses_one_byte_more(
    erin, aws_stack, tmp_path
):
    largest, over = largest_events(erin.bearer["HTTP_AUTHORIZATION"])

    published = lambda_invoke(largest, aws_stack=aws_stack, tmp_path=tmp_path)
    refused = lambda_invoke(over, aws_stack=aws_stack, tmp_path=tmp_path)

    assert published["statusCode"] == 201, published["body"][:300]
    assert Photo.get(json.loads(published["body"])["id"]).is_visible
    assert refused["statusCode"] == 413
    assert json.loads(refused["body"])["message"] == policy.server_upload_refusal()


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, _buffer) -> int:
        raise AssertionError("the refused body was read")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/photos", "application/json"), ("/upload/", "text/html"), ("/", "text/plain")],
    ids=["API", "upload page", "any other page"],
)
def test_a_larger_body_is_refused_before_anything_reads_it(aws_stack, path, content_type):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(policy.server_upload_max_bytes() + 1),
        "wsgi.input": Unreadable(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    answer = {}

    def start_response(status, headers, _exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(WSGIHandler()(environ, start_response)).decode()

    assert answer["status"] == 413
    assert answer["headers"]["Content-Type"].startswith(content_type)
    assert "This upload is too large to send through the site." in body


def test_the_form_refuses_photos_that_together_exceed_the_limit_and_stores_none(
    alice_client, aws_stack, settings
):
    settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = 60_000
    one = jpeg(400, 300)
    assert 30_000 < len(one) < 55_000  # each would fit alone, the two together do not

    response = alice_client.post(
        "/upload/",
        {
            "files": [
                SimpleUploadedFile("a.jpg", one, content_type="image/jpeg"),
                SimpleUploadedFile("b.jpg", one, content_type="image/jpeg"),
            ],
            "name": "",
            "caption": "",
        },
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "This upload is too large to send through the site." in page
    assert 'id="upload-form"' in page  # the form again, to choose fewer or smaller photos
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_within_the_limit_the_form_uploads_through_the_site(alice_client, aws_stack, settings):
    settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = 60_000
    one = jpeg(400, 300)

    response = alice_client.post(
        "/upload/",
        {"files": [SimpleUploadedFile("a.jpg", one, content_type="image/jpeg")], "name": "A"},
    )

    assert response.status_code == 302
    assert stored_counts(aws_stack.bucket)["photos"] == 1


def test_the_form_states_both_limits_in_the_policys_words(settings):
    settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = 3 * 1024 * 1024

    form = UploadForm()

    help_text = str(form.fields["files"].help_text)
    assert policy.upload_limit_text() in help_text and "25 MB" in help_text
    assert policy.server_upload_limit_text() in help_text and "3 MB" in help_text
    assert form.server_max_bytes == 3 * 1024 * 1024


def test_the_server_limit_never_exceeds_the_direct_one(settings):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 1_000_000

    assert policy.server_upload_max_bytes() == 1_000_000
