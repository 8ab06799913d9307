"""A URLconf whose one view fails, for the logging tests."""

from django.urls import path


def explode(request):
    raise ValueError("password hunter2-pass rejected for token eyJsecret")


urlpatterns = [path("explode/", explode)]
