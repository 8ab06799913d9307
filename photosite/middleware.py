"""Middleware of the project as a whole."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from photosite.client_ip import client_ip


class ClientIPMiddleware:
    """Set `request.client_ip` from REMOTE_ADDR and the trusted proxies' X-Forwarded-For."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(
            request.META, trusted_proxies=settings.PHOTOSITE_TRUSTED_PROXY_COUNT
        )
        return self.get_response(request)
