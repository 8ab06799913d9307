"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from photosite import health
from photosite.api import api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Staff sign in through Cognito like everyone else; the admin has no password form.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    # The admin's "Log out" ends the Cognito session too.
    path("admin/logout/", accounts_views.signout),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("gallery.urls")),
]

# An AWS outage outside a view (session save, middleware) is a 503 too, not a 500.
handler500 = "core.outage.server_error"
handler404 = "photosite.api.page_not_found"
