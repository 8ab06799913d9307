"""Health checks for a load balancer and for deployments."""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import aws
from photosite.tables import table_models

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process serves requests; touch nothing external."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when DynamoDB and S3 are reachable, 503 with the reasons otherwise."""
    checks = {"dynamodb": _check_dynamodb, "s3": _check_s3}
    problems = {}
    for name, check in checks.items():
        try:
            check()
        except (BotoCoreError, ClientError) as exc:
            logger.warning("readiness check %s failed: %s", name, exc)
            problems[name] = _reason(exc)
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})


def _check_dynamodb() -> None:
    """Describe one table: proves endpoint, credentials and table."""
    aws.probe_client("dynamodb").describe_table(TableName=table_models()[0].Meta.table_name)


def _check_s3() -> None:
    """Head the photo bucket."""
    aws.probe_client("s3").head_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)


def _reason(exc: Exception) -> str:
    """Return a short reason that names the failure without leaking configuration."""
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "ClientError")
    return type(exc).__name__
