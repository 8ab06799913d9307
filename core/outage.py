"""Turn an AWS outage (unreachable, timing out, throttling) into a 503 page or JSON, not a 500.

A bug still renders Django's 500 page; a dependency that is down is a condition the user can
wait out, so they are told that, with `Retry-After`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from pynamodb.exceptions import PynamoDBException

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Error codes AWS uses for "too busy" or "broken on our side": retrying later may work.
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "LimitExceededException",
        "SlowDown",
        "ServiceUnavailable",
        "InternalServerError",
        "InternalFailure",
        "InternalError",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
MESSAGE = "The site is temporarily unavailable. Please try again in a moment."


def _chain(exc: BaseException) -> list[BaseException]:
    """Return the exception and what caused it (PynamoDB keeps botocore's error in `cause`)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen) and len(seen) < 10:
        seen.append(current)
        cause = getattr(current, "cause", None)
        current = (
            cause
            if isinstance(cause, BaseException)
            else (current.__cause__ or current.__context__)
        )
    return seen


def is_outage(exc: BaseException) -> bool:
    """Tell whether an exception means an AWS service is unreachable, slow or throttling."""
    for link in _chain(exc):
        if isinstance(link, BotoConnectionError | HTTPClientError):
            return True
        if isinstance(link, ClientError):
            error = link.response.get("Error", {})
            status = link.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if error.get("Code") in TRANSIENT_CODES or status in (500, 502, 503, 504):
                return True
        if isinstance(link, PynamoDBException) and getattr(link, "cause_response_code", None) in (
            TRANSIENT_CODES
        ):
            return True
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Render the 503: JSON in the API's error format under /api/, a plain page elsewhere."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "unavailable", "message": MESSAGE}, status=503
        )
    else:
        # Self-contained on purpose: the base template reads the session, which may be down too.
        response = HttpResponse(
            loader.render_to_string("photosite/unavailable.html", {"message": MESSAGE}),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    """Answer 503 when a view fails because AWS is unreachable, slow or throttling."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.warning("AWS unavailable on %s %s: %r", request.method, request.path, exception)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the failure outside a view (session save, middleware) is an outage."""
    exc = sys.exc_info()[1]
    if exc is not None and is_outage(exc):
        return unavailable_response(request)
    return HttpResponseServerError(
        loader.render_to_string("photosite/server_error.html"), content_type="text/html"
    )
