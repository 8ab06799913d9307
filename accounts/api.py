"""The accounts part of the JSON API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.api_auth import CognitoBearer

router = Router(tags=["accounts"])


class MeOut(Schema):
    sub: str
    username: str
    email: str
    groups: list[str]


class ErrorOut(Schema):
    code: str
    message: str


@router.get("/me", auth=CognitoBearer(), response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> MeOut:
    """Return who the access token belongs to, and the groups the site applies to it.

    The groups are the token's, unless the admin changed them after it was issued
    (accounts.standing).
    """
    claims = request.cognito_claims
    return MeOut(
        sub=claims["sub"],
        username=claims.get("username") or claims.get("cognito:username") or claims["sub"],
        email=request.auth.email,
        groups=list(request.auth.groups),
    )
