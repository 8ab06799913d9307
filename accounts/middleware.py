"""Keep signed-in users' Cognito tokens fresh."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import services, sessions


class CognitoTokenRefreshMiddleware:
    """Refresh the session's tokens before they expire; sign out when Cognito refuses.

    Goes after SessionMiddleware, AuthenticationMiddleware and MessageMiddleware. Requests
    without a session cookie cost nothing: the session is empty and nothing is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessions.tokens_present(session=request.session):
            was_signed_in = request.user.is_authenticated
            services.tokens_refresh_if_due(request=request)
            if was_signed_in and not request.user.is_authenticated:
                messages.info(request, _("Your session has ended. Please sign in again."))
        return self.get_response(request)
