"""Authenticate JSON API calls with a Cognito access token: `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from accounts import cognito, standing
from accounts.cognito import CognitoError
from accounts.profiles import profile_ensure
from accounts.request_user import SiteUser
from accounts.tokens import TokenError
from accounts.verifier import get_verifier

MAX_HEADER_LENGTH = 20 * 1024


class BearerAuthError(AuthenticationError):
    """A 401 for the API, with a stable reason `code` (the token error code, or our own)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(status_code=401, message=message)
        self.code = code


class CognitoBearer(HttpBearer):
    """Verify the access token; request.auth and request.user become the Django user.

    The verified claims are left on `request.cognito_claims` (groups, scopes, client id).
    Failures raise BearerAuthError, which photosite.api renders as a JSON 401 with a code.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header:
            raise BearerAuthError("missing_token", "An Authorization: Bearer token is required.")
        if len(header) > MAX_HEADER_LENGTH:
            raise BearerAuthError("too_large", "The Authorization header is too large.")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise BearerAuthError("bad_scheme", "Use the Authorization: Bearer <token> scheme.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> SiteUser:
        """Verify the token and return the user it belongs to, as their standing allows.

        One GetItem (the user's profile and standing) per call; a token issued before the
        user was disabled or signed out by the admin is refused, and one issued before a
        role change carries the groups the admin set (accounts.standing).
        """
        try:
            claims = get_verifier().verify_access_token(token)
        except TokenError as exc:
            raise BearerAuthError(exc.code, "The access token is not valid.") from exc
        state = standing.standing_get(sub=claims["sub"])
        if not state.exists:
            state = self.profile_fill(token=token, sub=claims["sub"]) or state
        try:
            user = standing.user_admit(claims=claims, standing=state)
        except standing.Refused as exc:
            if exc.code == "disabled":
                raise BearerAuthError("inactive_user", "This account is disabled.") from exc
            raise BearerAuthError(
                "token_revoked", "This token was revoked; sign in again."
            ) from exc
        request.cognito_claims = claims
        request.user = user
        return user

    def profile_fill(self, *, token: str, sub: str) -> standing.Standing | None:
        """Give a user first seen through the API a profile: GetUser once, then the profile.

        Access tokens carry no name; later calls read it from the profile with the standing.
        """
        try:
            attributes = cognito.user_attributes(access_token=token)
        except CognitoError:
            return None
        name = attributes.get("name") or attributes.get("email") or ""
        email = attributes.get("email", "")
        profile_ensure(sub=sub, display_name=name, email=email)
        return standing.Standing(exists=True, display_name=name, email=email)


class CognitoBearerOrSession(CognitoBearer):
    """Programs send a Cognito access token; the site's own pages use their session.

    With an Authorization header the token decides alone (a bad token is a 401 even when a
    session cookie is present). Without one, a signed-in session is accepted, with Django's
    CSRF check for unsafe methods, as ninja's `django_auth` does.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get(self.header):
            return super().__call__(request)
        user = django_auth(request)
        if user:
            return user
        raise BearerAuthError(
            "missing_token", "Sign in, or send an Authorization: Bearer <access token> header."
        )
