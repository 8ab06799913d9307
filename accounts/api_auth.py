"""Authenticate JSON API calls with a Cognito access token: `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from accounts import cognito
from accounts.backends import user_sync
from accounts.cognito import CognitoError
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

    def authenticate(self, request: HttpRequest, token: str) -> AbstractUser:
        """Verify the token and return the Django user it belongs to."""
        try:
            claims = get_verifier().verify_access_token(token)
        except TokenError as exc:
            raise BearerAuthError(exc.code, "The access token is not valid.") from exc
        user = self.user_for_claims(token=token, claims=claims)
        if not user.is_active:
            raise BearerAuthError("inactive_user", "This account is disabled.")
        request.cognito_claims = claims
        request.user = user
        return user

    def user_for_claims(self, *, token: str, claims: dict[str, Any]) -> AbstractUser:
        """Return the user for verified access-token claims, creating it on first use.

        Access tokens carry no email or name: a user first seen through the API gets them
        from GetUser once; later calls only refresh roles and groups from the token.
        """
        from django.contrib.auth import get_user_model

        groups = claims.get("cognito:groups") or []
        exists = get_user_model().objects.filter(username=claims["sub"]).exists()
        email = display_name = None
        if not exists:
            try:
                attributes = cognito.user_attributes(access_token=token)
            except CognitoError:
                attributes = {}
            email = attributes.get("email", "")
            display_name = attributes.get("name", "")
        return user_sync(sub=claims["sub"], groups=groups, email=email, display_name=display_name)


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
