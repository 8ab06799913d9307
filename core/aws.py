"""Build boto3 clients from the environment: one client per service per process.

This module must not import Django: the Lambda trigger handlers and the PynamoDB models use it
too. Every value is read from the environment the first time it is needed, never at import.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.loaders import Loader, create_loader

from core import dynamodb_parser

RETRY_MODES = ("standard", "adaptive")
LOCAL_HOSTNAMES = frozenset({"localhost", "::1"})


class AwsConfigError(ValueError):
    """Raise when the AWS environment variables are inconsistent."""


@dataclass(frozen=True)
class AwsSettings:
    """The AWS connection settings shared by boto3 clients and PynamoDB models."""

    region: str
    endpoint_url: str | None
    retry_mode: str
    max_attempts: int
    connect_timeout: float
    read_timeout: float
    table_prefix: str
    # Per-service overrides, named as the AWS SDKs name them (AWS_ENDPOINT_URL_DYNAMODB, ...),
    # so DynamoDB can run on Amazon's DynamoDB Local while S3 and Cognito stay on moto.
    service_endpoints: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AwsSettings:
        """Read the settings from environment variables."""
        environ = os.environ if environ is None else environ
        retry_mode = environ.get("AWS_RETRY_MODE", "standard")
        if retry_mode not in RETRY_MODES:
            raise AwsConfigError(f"AWS_RETRY_MODE must be one of {RETRY_MODES}, not {retry_mode!r}")
        try:
            max_attempts = int(environ.get("AWS_MAX_ATTEMPTS", "3"))
            connect_timeout = float(environ.get("AWS_CONNECT_TIMEOUT", "2"))
            read_timeout = float(environ.get("AWS_READ_TIMEOUT", "5"))
        except ValueError as exc:
            raise AwsConfigError(f"invalid AWS timeout or attempt count: {exc}") from exc
        return cls(
            region=environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=environ.get("AWS_ENDPOINT_URL") or None,
            retry_mode=retry_mode,
            max_attempts=max(1, max_attempts),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            table_prefix=environ.get("DYNAMODB_TABLE_PREFIX", "photosite-"),
            service_endpoints=tuple(
                sorted(
                    (key.removeprefix("AWS_ENDPOINT_URL_").lower(), value)
                    for key, value in environ.items()
                    if key.startswith("AWS_ENDPOINT_URL_") and value
                )
            ),
        )

    def endpoint_for(self, service: str) -> str | None:
        """Return the endpoint override for a service (e.g. "dynamodb"), if any."""
        wanted = service.replace("-", "_").lower()
        return dict(self.service_endpoints).get(wanted, self.endpoint_url)

    @property
    def is_local(self) -> bool:
        """Tell whether the endpoint override points at an emulator on this machine."""
        return is_local_endpoint(self.endpoint_url)

    def botocore_config(self, **overrides: Any) -> Config:
        """Return the botocore Config every client shares."""
        return Config(
            region_name=self.region,
            # total_max_attempts counts the first try, as AWS_MAX_ATTEMPTS does in the SDKs.
            retries={"mode": self.retry_mode, "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            **overrides,
        )


def is_local_endpoint(url: str | None) -> bool:
    """Tell whether an endpoint URL names this machine (the local AWS emulator)."""
    if not url:
        return False
    host = urlsplit(url).hostname or ""
    return host in LOCAL_HOSTNAMES or host.startswith("127.")


_lock = threading.RLock()
_settings: AwsSettings | None = None
_clients: dict[str, Any] = {}


def settings() -> AwsSettings:
    """Return the process-wide AWS settings, read from the environment once."""
    global _settings
    if _settings is None:
        with _lock:
            if _settings is None:
                _settings = AwsSettings.from_env()
    return _settings


def client(service: str) -> Any:
    """Return the shared boto3 client for a service, creating it on first use.

    boto3 clients are thread-safe, so one per service serves every request of the process.
    """
    return _cached_client(service, probe=False)


def probe_client(service: str) -> Any:
    """Return a client that tries once with short timeouts, for health checks."""
    return _cached_client(service, probe=True)


def _cached_client(service: str, *, probe: bool) -> Any:
    key = f"{service}:probe" if probe else service
    existing = _clients.get(key)
    if existing is not None:
        return existing
    with _lock:
        if key not in _clients:
            cfg = settings()
            if probe:
                # A readiness probe must answer within the load balancer's timeout.
                cfg = replace(cfg, max_attempts=1, connect_timeout=1.0, read_timeout=2.0)
            # s3v4 with virtual hosts breaks on an IP endpoint: path style is what emulators serve.
            extra: dict[str, Any] = {}
            endpoint_url = cfg.endpoint_for(service)
            if service == "s3":
                extra["signature_version"] = "s3v4"
                if endpoint_url:
                    extra["s3"] = {"addressing_style": "path"}
            _clients[key] = _session_for(service).client(
                service,
                region_name=cfg.region,
                endpoint_url=endpoint_url,
                config=cfg.botocore_config(**extra),
            )
        return _clients[key]


@functools.cache
def _data_loader() -> Loader:
    return create_loader()


def botocore_session() -> botocore.session.Session:
    """Return a new botocore session that shares the process's one data loader.

    A session's loader reads and parses the service model, endpoint rules and partitions on the
    first client it makes: about 50 ms of CPU, against 5 ms with the JSON already parsed.
    PynamoDB makes a session per model (and per thread), so a process paid it some twenty times
    on start (a Lambda cold start, a gunicorn worker). The loader only reads files that never
    change while the process runs, and caches what it parsed.
    """
    session = botocore.session.get_session()
    session.register_component("data_loader", _data_loader())
    return session


def _session_for(service: str) -> boto3.session.Session:
    """Return a new boto3 session for a client of `service` (DynamoDB's parses faster)."""
    core = botocore_session()
    if service == "dynamodb":
        core.register_component("response_parser_factory", dynamodb_parser.ResponseParserFactory())
    return boto3.session.Session(botocore_session=core)


_USER_CLIENTS_MAX = 256
_user_clients: dict[tuple[str, str], Any] = {}


def client_for_credentials(
    service: str, *, access_key_id: str, secret_access_key: str, session_token: str | None
) -> Any:
    """Return a client that signs with someone's temporary credentials (an Identity Pool user).

    Cached per access key, so one set of credentials costs one client for its whole lifetime.
    """
    key = (service, access_key_id)
    existing = _user_clients.get(key)
    if existing is not None and existing._request_signer._credentials.secret_key == (
        secret_access_key
    ):
        return existing
    cfg = settings()
    extra: dict[str, Any] = {}
    if service == "s3":
        extra["signature_version"] = "s3v4"
        if cfg.endpoint_url:
            extra["s3"] = {"addressing_style": "path"}
    made = boto3.session.Session(botocore_session=botocore_session()).client(
        service,
        region_name=cfg.region,
        endpoint_url=cfg.endpoint_url,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        aws_session_token=session_token or None,
        config=cfg.botocore_config(**extra),
    )
    with _lock:
        if len(_user_clients) >= _USER_CLIENTS_MAX:
            _user_clients.pop(next(iter(_user_clients)))
        _user_clients[key] = made
    return made


_reset_hooks: list[Callable[[], None]] = []


def on_reset(hook: Callable[[], None]) -> None:
    """Call `hook` whenever `reset()` runs (PynamoDB's cached connections register here)."""
    if hook not in _reset_hooks:
        _reset_hooks.append(hook)


def reset() -> None:
    """Forget cached settings and clients, so the next call reads the environment again."""
    global _settings
    with _lock:
        _settings = None
        _clients.clear()
        _user_clients.clear()
    for hook in _reset_hooks:
        hook()
