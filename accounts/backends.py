"""The authentication backend Django asks for; it signs nobody in and grants nothing.

Users sign in through Cognito (accounts.services) and a request's user is built from verified
claims (accounts.middleware, accounts.api_auth), never through `django.contrib.auth`'s
authenticate() or a database. Django still wants one backend: AnonymousUser.has_perm asks it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend


class CognitoBackend(BaseBackend):
    """Answer None to every authenticate() and grant anonymous users nothing."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None
