"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from photosite import health
from photosite.api import api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gallery.urls")),
]
