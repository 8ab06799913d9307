"""Inject AWS faults below botocore's retry loop, so retries and error parsing run as in production.

`Faults.fail(...)` matches outgoing requests by service and operation and, for the next `times`
matches (every one when None), either raises a connection error or answers with an AWS error
body. Every botocore client in the process is affected (boto3 clients, django-storages' S3
resource, PynamoDB's), because the patch is on `Endpoint._send`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse
from botocore.endpoint import Endpoint
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs) -> Iterator[bytes]:
        yield self._body


def _operation(request) -> tuple[str, str]:
    """Return (service, operation) of a prepared request, good enough for matching."""
    target = request.headers.get("X-Amz-Target", b"")
    target = target.decode() if isinstance(target, bytes) else target
    if target.startswith("DynamoDB_"):
        return "dynamodb", target.split(".", 1)[1]
    if target.startswith("AWSCognitoIdentityProviderService."):
        return "cognito-idp", target.split(".", 1)[1]
    if target.startswith("AWSCognitoIdentityService."):
        return "cognito-identity", target.split(".", 1)[1]
    return "s3", request.method  # S3 has no target header: match it by HTTP method


@dataclass
class Rule:
    service: str
    operations: frozenset[str]
    kind: str  # "connect", "read", "refused" or an AWS error code
    times: int | None
    status: int = 400
    table: str = ""
    hits: int = 0

    def matches(self, service: str, operation: str, body: bytes) -> bool:
        if service != self.service or (self.operations and operation not in self.operations):
            return False
        if self.table and f'"{self.table}'.encode() not in body:
            return False
        return self.times is None or self.hits < self.times


@dataclass
class Faults:
    rules: list[Rule] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)

    def fail(
        self,
        service: str,
        *operations: str,
        kind: str = "connect",
        times: int | None = None,
        status: int = 400,
        table: str = "",
    ) -> Rule:
        """Fail matching requests: kind is connect/read/refused or an AWS error code.

        `table` limits a DynamoDB rule to requests naming that table (prefix included).
        """
        rule = Rule(service, frozenset(operations), kind, times, status, table)
        self.rules.append(rule)
        return rule

    def count(self, service: str, operation: str) -> int:
        return self.sent.count((service, operation))

    def handle(self, request):
        service, operation = _operation(request)
        self.sent.append((service, operation))
        body = request.body if isinstance(request.body, bytes) else b""
        for rule in self.rules:
            if rule.matches(service, operation, body):
                rule.hits += 1
                return self._failure(rule, request)
        return None

    @staticmethod
    def _failure(rule: Rule, request):
        if rule.kind == "connect":
            raise ConnectTimeoutError(endpoint_url=request.url)
        if rule.kind == "read":
            raise ReadTimeoutError(endpoint_url=request.url)
        if rule.kind == "refused":
            raise EndpointConnectionError(endpoint_url=request.url)
        body = json.dumps({"__type": f"com.amazonaws#{rule.kind}", "message": "injected"})
        headers = {"x-amzn-ErrorType": rule.kind, "Content-Type": "application/x-amz-json-1.0"}
        if rule.service == "s3":
            body = f"<Error><Code>{rule.kind}</Code><Message>injected</Message></Error>"
            headers = {"Content-Type": "application/xml"}
        return AWSResponse(request.url, rule.status, headers, _Raw(body.encode()))


@contextmanager
def injected_faults(monkeypatch) -> Iterator[Faults]:
    """Patch every botocore endpoint to consult the returned Faults before sending."""
    faults = Faults()
    original = Endpoint._send

    def send(self, request):
        failure = faults.handle(request)
        return failure if failure is not None else original(self, request)

    monkeypatch.setattr(Endpoint, "_send", send)
    yield faults
