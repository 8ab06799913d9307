"""Middleware of the project as a whole."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core import logs
from core.client_ip import client_ip
from photosite import health


class RequestIdMiddleware:
    """Give every request an id, tag its log lines with it and return it as X-Request-Id.

    The id is Lambda's request id under Zappa, the ALB's trace id behind a load balancer
    (both searchable in AWS's own logs), or a fresh random one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = self.request_id(request)
        request.request_id = request_id
        token = logs.bind_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            logs.unbind_request_id(token)
        response["X-Request-Id"] = request_id
        return response

    def request_id(self, request: HttpRequest) -> str:
        """Return the id this request is known by upstream, or a new one."""
        context = request.META.get("lambda.context")
        if context is not None:
            found = logs.safe_request_id(getattr(context, "aws_request_id", None))
            if found:
                return found
        trace = request.META.get("HTTP_X_AMZN_TRACE_ID", "")
        root = next((part[5:] for part in trace.split(";") if part.startswith("Root=")), None)
        return logs.safe_request_id(root) or logs.new_request_id()


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before anything validates the Host header.

    A load balancer probes each instance by its private IP address, which is not in
    ALLOWED_HOSTS; CommonMiddleware would answer those probes 400 and the instance would never
    become healthy. The checks reveal nothing a host name would protect.
    """

    views = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class ClientIPMiddleware:
    """Set `request.client_ip` from REMOTE_ADDR and the trusted proxies' X-Forwarded-For."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(
            request.META, trusted_proxies=settings.PHOTOSITE_TRUSTED_PROXY_COUNT
        )
        return self.get_response(request)
