"""Health checks for a load balancer and for deployments."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.tokens import fetch_jwks_url
from accounts.verifier import VerifierNotConfigured, get_verifier
from core import aws
from photosite.tables import table_models

logger = logging.getLogger(__name__)

# Every check runs at once, so a dependency that hangs costs one probe timeout, not one each.
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


class NotReady(Exception):
    """Raise when a dependency answers, but not as the site needs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process serves requests; touch nothing external."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every dependency a request may need answers, 503 with the reasons."""
    checks = readiness_checks()
    futures = {name: _executor().submit(_run, check) for name, check in checks.items()}
    problems = {name: reason for name, future in futures.items() if (reason := future.result())}
    if problems:
        logger.warning("not ready: %s", problems)
        return JsonResponse(
            {"status": "unavailable", "code": "not_ready", "problems": problems}, status=503
        )
    return JsonResponse({"status": "ready"})


def readiness_checks() -> dict[str, Callable[[], None]]:
    """Return the checks by name: every table, the photo bucket and the user pool's keys."""
    checks: dict[str, Callable[[], None]] = {
        f"dynamodb:{model.Meta.table}": _table_check(model.Meta.table_name)
        for model in table_models()
    }
    checks["s3"] = _check_bucket
    checks["cognito"] = _check_user_pool_keys
    return checks


def _table_check(table_name: str) -> Callable[[], None]:
    def check() -> None:
        """Describe the table: proves endpoint, credentials and that the table is usable."""
        table = aws.probe_client("dynamodb").describe_table(TableName=table_name)["Table"]
        if table.get("TableStatus") not in {"ACTIVE", "UPDATING"}:
            raise NotReady(table.get("TableStatus", "Unknown"))

    return check


def _check_bucket() -> None:
    """Head the photo bucket."""
    aws.probe_client("s3").head_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)


def _check_user_pool_keys() -> None:
    """Have the user pool's signing keys: cached ones, or fetch them (no IAM; a short timeout).

    With keys cached the verifier keeps serving while the JWKS endpoint is down, so the
    instance stays ready and a load balancer's probes cost no fetch.
    """
    verifier = get_verifier()
    if verifier.has_keys:
        return
    document = fetch_jwks_url(verifier.jwks_url)
    if not document.get("keys"):
        raise NotReady("NoSigningKeys")


def _run(check: Callable[[], None]) -> str | None:
    """Run one check; return None when it passed, else a short reason."""
    try:
        check()
    except NotReady as exc:
        return exc.reason
    except VerifierNotConfigured:
        return "NotConfigured"
    except (BotoCoreError, ClientError, OSError, ValueError) as exc:
        return _reason(exc)
    return None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="readyz")
    return _pool


def _reason(exc: Exception) -> str:
    """Return a short reason that names the failure without leaking configuration."""
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "ClientError")
    return type(exc).__name__
