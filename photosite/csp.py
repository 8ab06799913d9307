"""The Content-Security-Policy of every response, the second line of defence behind escaping.

Scripts, styles and everything else come from the site only; images and the browser's direct
upload may also use the photo bucket; nothing may frame a page, no plugin runs, and forms post to
the site only (and to the Hosted UI, where signing out redirects). No directive allows inline
script or `eval`: every script is a static file, and the pages pass data to them in `data-`
attributes or in a `<script type="application/json">` block, which browsers never execute.

django-csp's middleware writes the header; this module decides the policy, per request, from the
same settings the photo URLs are built from, so it names exactly the bucket URLs the site hands
out: path style on the local emulator, the bucket's virtual host on AWS.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from core import aws
from gallery.storage import photo_storage

SELF = "'self'"
NONE = "'none'"


def bucket_sources(*, bucket: str, region: str, endpoint_url: str | None) -> tuple[str, ...]:
    """Return the CSP sources matching every URL of the bucket that boto3 presigns.

    On AWS, boto3 presigns on the bucket's global virtual host, and S3 redirects a bucket outside
    us-east-1 to its regional one, so both are listed. Path-style URLs (an emulator, or a bucket
    name with dots, whose virtual host no certificate covers) share their host with other
    buckets and services: the sources name the bucket's path, exactly (a POST goes to `/bucket`)
    and as a prefix (objects are under `/bucket/`).
    """
    if endpoint_url:
        bases = [endpoint_url.rstrip("/")]
    elif "." in bucket:
        bases = ["https://s3.amazonaws.com", f"https://s3.{region}.amazonaws.com"]
    else:
        return (f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com")
    return tuple(source for base in bases for source in (f"{base}/{bucket}", f"{base}/{bucket}/"))


@lru_cache(maxsize=8)
def policy_directives(
    *, bucket: tuple[str, ...], hosted_ui_domain: str
) -> dict[str, tuple[str, ...]]:
    """Return the policy's directives for these bucket sources and Hosted UI domain."""
    form_targets = [SELF]
    if hosted_ui_domain:
        # Signing out of a Hosted UI session posts to the site, which redirects to the Hosted
        # UI's /logout; browsers hold a form's redirects to form-action too.
        parts = urlsplit(hosted_ui_domain)
        form_targets.append(f"{parts.scheme}://{parts.netloc}")
    return {
        "default-src": (NONE,),
        "script-src": (SELF,),
        "style-src": (SELF,),
        "img-src": (SELF, *bucket),
        "connect-src": (SELF, *bucket),  # upload.js: the site's JSON endpoints, then S3's POST
        "form-action": tuple(form_targets),
        "base-uri": (SELF,),
        "object-src": (NONE,),
        "frame-ancestors": (NONE,),
    }


def site_policy() -> dict[str, tuple[str, ...]]:
    """Return the directives for this site's settings."""
    storage = photo_storage()  # presigns the GET URLs of photos
    upload = aws.settings()  # core.aws presigns the browser's upload POST
    sources = dict.fromkeys(
        bucket_sources(
            bucket=storage.bucket_name,
            region=storage.region_name or upload.region,
            endpoint_url=storage.endpoint_url,
        )
        + bucket_sources(
            bucket=settings.AWS_STORAGE_BUCKET_NAME,
            region=upload.region,
            endpoint_url=upload.endpoint_url,
        )
    )
    return policy_directives(bucket=tuple(sources), hosted_ui_domain=settings.COGNITO_DOMAIN)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with this site's policy, unless a view set its own."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            parts.config = dict(site_policy())
        return parts
