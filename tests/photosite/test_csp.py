"""photosite.csp: the Content-Security-Policy header, its exact directives, and its bucket sources.

tests/browser/test_csp.py shows that Chromium finds nothing to block on the site's pages; these
say what the policy is, that every kind of page carries it, and that its bucket sources match
the URLs boto3 really presigns.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config
from django.contrib.staticfiles import finders
from django.urls import reverse

from gallery import services
from photosite import csp
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import jpeg

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def alice_client(client, aws_stack):
    return sign_in(client, site_user("sub-alice", "Alice"))


@pytest.fixture
def root_client(client, aws_stack):
    return sign_in(client, site_user("sub-root", "Root", ("admins", "superadmins")))


@pytest.fixture
def photo(aws_stack):
    return services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Sunset at the beach",
        caption="",
        data=jpeg(),
        uploader_ip="203.0.113.7",
    )


def policy_of(response) -> dict[str, list[str]]:
    """Parse the response's Content-Security-Policy into {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {header}"
        parsed[name] = sources
    return parsed


def csp_source_matches(source: str, url: str) -> bool:
    """Tell whether a host source (scheme, host, port, optional path) matches a URL, as CSP does."""
    wanted, given = urlsplit(source), urlsplit(url)
    if (wanted.scheme, wanted.netloc) != (given.scheme, given.netloc):
        return False
    if not wanted.path:
        return True
    if wanted.path.endswith("/"):
        return given.path.startswith(wanted.path)
    return given.path == wanted.path


# --- The policy -------------------------------------------------------------------------------


def test_the_policy_allows_only_the_site_and_its_bucket(client, settings, aws_stack):
    response = client.get("/")

    endpoint = settings.AWS_ENDPOINT_URL
    bucket = [f"{endpoint}/{aws_stack.bucket}", f"{endpoint}/{aws_stack.bucket}/"]
    assert policy_of(response) == {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *bucket],
        "connect-src": ["'self'", *bucket],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }


def test_no_inline_script_no_eval_and_no_nonce_anywhere(client, aws_stack):
    # Every script is a static file, so nothing needs a nonce; a nonce would only widen the policy.
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]

    assert first == second
    for word in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "sha256-", "*"):
        assert word not in first
    assert "data:" not in first


def test_the_hosted_ui_may_receive_the_sign_out_form_when_configured(client, settings, aws_stack):
    settings.COGNITO_DOMAIN = "https://photosite.auth.eu-west-1.amazoncognito.com"

    response = client.get("/")

    assert policy_of(response)["form-action"] == [
        "'self'",
        "https://photosite.auth.eu-west-1.amazoncognito.com",
    ]


# --- Every kind of page carries it ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=sunset",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/forgot/",
        "/no-such-page/",
        "/s/not-a-token",
        "/api/photos",
        "/static/css/site.css",
    ],
)
def test_pages_for_anyone_carry_the_policy(client, aws_stack, path):
    response = client.get(path)

    assert response.status_code < 500
    assert policy_of(response)["script-src"] == ["'self'"]


def test_a_members_pages_carry_the_policy(alice_client, photo):
    shared = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 300}, follow=True
    )
    share_path = re.search(r'/s/[^"<\s]+', shared.content.decode()).group(0)

    for response in (
        alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id])),
        alice_client.get(reverse("gallery:upload")),
        alice_client.get(reverse("gallery:photo_mine")),
        alice_client.get(reverse("gallery:share_list")),
        shared,
        alice_client.get(share_path),
    ):
        assert response.status_code in {200, 201}, response.request["PATH_INFO"]
        assert policy_of(response)["frame-ancestors"] == ["'none'"]


def test_the_admin_pages_carry_the_same_policy(root_client, photo):
    site = policy_of(root_client.get("/"))

    for path in (
        "/admin/",
        "/admin/moderation/photoentry/",
        f"/admin/moderation/photoentry/{photo.photo_id}/change/",
        "/admin/moderation/commententry/",
        "/admin/moderation/cognitouser/",
        "/admin/moderation/moderationevent/",
    ):
        response = root_client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == site, path


def test_an_outage_page_carries_the_policy(client, aws_stack, aws_down):
    response = client.get("/")

    assert response.status_code == 503
    assert policy_of(response)["default-src"] == ["'none'"]


# --- Bucket sources match what boto3 presigns -----------------------------------------------


def presigned_urls(*, bucket: str, region: str, endpoint_url: str | None = None) -> list[str]:
    """Sign (offline) a GET and an upload POST the way the site's clients are configured."""
    s3 = {"addressing_style": "path"} if endpoint_url else {}
    client = boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret"
    ).client(
        "s3",
        region_name=region,
        endpoint_url=endpoint_url,
        # The suite's AWS_ENDPOINT_URL would otherwise stand in for AWS.
        config=Config(signature_version="s3v4", s3=s3, ignore_configured_endpoint_urls=True),
    )
    get = client.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "photos/p1/original.jpg"}
    )
    post = client.generate_presigned_post(bucket, "private/u1/p2.jpg")["url"]
    return [get, post]


@pytest.mark.parametrize(
    ("bucket", "region", "endpoint_url"),
    [
        ("photos-prod", "us-east-1", None),
        ("photos-prod", "eu-west-1", None),
        ("photos.example.com", "eu-west-1", None),  # dotted: path style on AWS too
        ("photosite-local-photos", "us-east-1", "http://127.0.0.1:4566"),
        ("photosite-local-photos", "us-east-1", "http://localhost:4566/"),
    ],
)
def test_bucket_sources_match_every_url_boto3_presigns(bucket, region, endpoint_url):
    sources = csp.bucket_sources(bucket=bucket, region=region, endpoint_url=endpoint_url)

    for url in presigned_urls(bucket=bucket, region=region, endpoint_url=endpoint_url):
        assert any(csp_source_matches(source, url) for source in sources), (url, sources)


def test_on_aws_the_sources_are_the_buckets_global_and_regional_hosts():
    # S3 redirects a bucket outside us-east-1 from the global host to the regional one.
    assert csp.bucket_sources(bucket="photos-prod", region="eu-west-1", endpoint_url=None) == (
        "https://photos-prod.s3.amazonaws.com",
        "https://photos-prod.s3.eu-west-1.amazonaws.com",
    )


def test_a_shared_host_is_allowed_only_the_buckets_path():
    # The emulator serves Cognito and DynamoDB on the same port: pages may not reach those.
    sources = csp.bucket_sources(
        bucket="photosite-local-photos", region="us-east-1", endpoint_url="http://127.0.0.1:4566"
    )

    assert not any(csp_source_matches(s, "http://127.0.0.1:4566/") for s in sources)
    assert not any(csp_source_matches(s, "http://127.0.0.1:4566/other-bucket/k") for s in sources)
    assert not any(
        csp_source_matches(s, "http://127.0.0.1:4566/photosite-local-photos-2/k") for s in sources
    )


# --- The templates need nothing the policy refuses --------------------------------------------

INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
}


@pytest.mark.parametrize("what", INLINE)
def test_no_template_has_inline_code_or_style(what):
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE[what].search(line)
    ]

    assert found == []


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_the_favicon_is_a_file_of_the_site_itself(client, aws_stack, path):
    page = client.get(path, follow=True)
    icon = re.search(
        r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.content.decode()
    )

    assert icon, "no favicon link"
    assert icon.group(1).startswith("/static/")  # img-src 'self': no other origin needed
    found = finders.find(icon.group(1).removeprefix("/static/"))
    assert found and "<svg" in Path(found).read_text()
