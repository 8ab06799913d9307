"""django-storages on the process's one S3 client, handing out URLs the browser can cache.

django-storages builds a boto3 Session and S3 resource for every thread (about 65 ms and
19 MiB each) from its own settings, which know `AWS_ENDPOINT_URL` but not the per-service
`AWS_ENDPOINT_URL_S3`. Here every thread's resource wraps `core.aws.client("s3")`, so the files
and the presigned URLs go through the same configured client as every other S3 call.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import boto3
from storages.backends import s3
from storages.utils import clean_name

from core import aws, presign

# A URL stays the same for this share of its lifetime: with the default 300 s, one URL per
# object every 240 s, valid for at least the last 60 s of it.
WINDOW_SHARE = 0.8
# django-storages' names for response overrides, and the query parameters S3 signs for them.
RESPONSE_PARAMS = {
    "ResponseCacheControl": "response-cache-control",
    "ResponseContentDisposition": "response-content-disposition",
    "ResponseContentType": "response-content-type",
}


def url_window(lifetime: int) -> presign.Window:
    """Return the signing window for URLs that must expire within `lifetime` seconds."""
    return presign.Window(lifetime=lifetime, window=max(1, int(lifetime * WINDOW_SHARE)))


@cache
def _resource_class() -> type:
    # The resource class is generated from boto3's service model; making it once costs one
    # throwaway client, after which each thread's instance only wraps the shared client.
    made = boto3.session.Session().resource("s3", region_name=aws.settings().region)
    return type(made)


class S3Storage(s3.S3Storage):
    """S3 storage whose connection is the shared client and whose URLs are stable."""

    @property
    def connection(self) -> Any:
        connection = getattr(self._connections, "connection", None)
        if connection is None or connection.meta.client is not aws.client("s3"):
            # A resource is not thread-safe, so one per thread as django-storages does, but
            # they share the one thread-safe client underneath.
            connection = _resource_class()(client=aws.client("s3"))
            self._connections.connection = connection
        return connection

    def _get_write_parameters(self, name: str, content: Any = None) -> dict[str, Any]:
        params = super()._get_write_parameters(name, content)
        cache_control = getattr(content, "cache_control", None)
        if cache_control:
            params["CacheControl"] = cache_control
        return params

    @property
    def bucket(self) -> Any:
        # django-storages caches one Bucket for all threads, built on the first thread's
        # resource; build it from this thread's instead.
        return self.connection.Bucket(self.bucket_name)

    def url(
        self,
        name: str,
        parameters: dict[str, str] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        """Return a presigned GET URL that stays the same for a window of its lifetime."""
        params = parameters or {}
        if (
            self.custom_domain
            or not self.querystring_auth
            or http_method not in (None, "GET")
            or not set(params) <= set(RESPONSE_PARAMS)
        ):
            return super().url(name, parameters, expire, http_method)
        return presign.s3_get_url(
            key=self._normalize_name(clean_name(name)),
            response_params={RESPONSE_PARAMS[key]: value for key, value in params.items()},
            **self._signing(expire),
        )

    def urls(self, names: list[str], expire: int | None = None) -> list[str]:
        """Return the presigned GET URL of each name, as `url()` does, looking up the client,
        credentials and window once for all of them (a page of thumbnails)."""
        if self.custom_domain or not self.querystring_auth:
            return [self.url(name, expire=expire) for name in names]
        signing = self._signing(expire)
        return [
            presign.s3_get_url(key=self._normalize_name(clean_name(name)), **signing)
            for name in names
        ]

    def _signing(self, expire: int | None) -> dict[str, Any]:
        client = aws.client("s3")
        return {
            "credentials": presign.client_credentials(client),
            "region": client.meta.region_name,
            "bucket": self.bucket_name,
            "window": url_window(expire or self.querystring_expire),
            "now": time.time(),
            "endpoint_url": aws.settings().endpoint_for("s3"),
        }
