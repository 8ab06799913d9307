"""The site's URLs plus `/bench/plain/`, the floor bench/bench_page_cpu.py compares a page to.

`/bench/plain/` renders the site's base template (navigation, footer, language form) with an
empty body through the same middleware as every page, so what a gallery page costs above it is
the gallery's own work: the Query, 24 presigned URLs and the cards. /healthz is no floor:
HealthCheckMiddleware answers it before the rest of the middleware runs.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from photosite.urls import handler404, handler500  # noqa: F401  (the site's error pages)

PLAIN = (
    '{% extends "base.html" %}{% block title %}Plain · photosite{% endblock %}'
    "{% block content %}<h1>Plain</h1>{% endblock %}"
)


@cache
def _plain_template():
    return engines["django"].from_string(PLAIN)


def plain(request: HttpRequest) -> HttpResponse:
    """Render the base template with nothing in it."""
    return HttpResponse(_plain_template().render({}, request))


urlpatterns = [
    path("bench/plain/", plain),
    path("", include("photosite.urls")),
]
