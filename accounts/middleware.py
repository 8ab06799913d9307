"""request.user from the Cognito claims kept in the session; never from a database."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import services, sessions


class CognitoAuthenticationMiddleware(AuthenticationMiddleware):
    """Set request.user: the session's signed-in user as their standing allows, or anonymous.

    Replaces Django's AuthenticationMiddleware (a subclass, so the admin's checks accept it),
    which would load the user from SQL. Refreshes the session's tokens before they expire and
    signs out when Cognito or the user's standing (accounts.standing) refuses.

    Goes after SessionMiddleware and MessageMiddleware. Requests without a signed-in session
    cost nothing: the session is empty and nothing is read.
    """

    def process_request(self, request: HttpRequest) -> None:
        user = AnonymousUser()
        if sessions.signed_in(session=request.session):
            found = services.session_user(request=request)
            if found is None:
                messages.info(request, _("Your session has ended. Please sign in again."))
            else:
                user = found
        request.user = user

        async def auser() -> object:
            return request.user

        request.auser = auser
