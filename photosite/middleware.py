"""Middleware of the project as a whole."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from photosite import health
from photosite.client_ip import client_ip


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
