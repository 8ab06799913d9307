"""Signed-in users for tests that do not need a Cognito sign-in: claims in a real session.

A request's user is built from the Cognito claims kept in the session (accounts.middleware);
these helpers put such claims in the test client's session (the DynamoDB session store, as in
production), exactly as a sign-in does, without asking Cognito for tokens.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client

from accounts import sessions
from accounts.cognito import Tokens
from accounts.request_user import Rights, SiteUser, rights_for_groups


def site_user(
    sub: str, display_name: str, groups: tuple[str, ...] = (), *, rights: Rights | None = None
) -> SiteUser:
    """Return the user a sign-in with these claims makes (rights from the groups by default)."""
    return SiteUser(
        sub=sub,
        email=f"{sub}@example.com",
        display_name=display_name,
        groups=tuple(sorted(groups)),
        cognito_username=sub,
        rights=rights if rights is not None else rights_for_groups(groups),
    )


def claims_for(user: SiteUser, *, issued_at: int | None = None) -> dict:
    """Return ID-token claims that make this user."""
    return {
        "sub": user.sub,
        "email": user.email,
        "name": user.display_name,
        "cognito:groups": list(user.groups),
        "cognito:username": user.cognito_username or user.sub,
        "iat": int(time.time()) if issued_at is None else issued_at,
    }


def sign_in(client: Client, user: SiteUser, *, issued_at: int | None = None) -> Client:
    """Sign the test client in as `user`: the claims go into its session (no tokens)."""
    session = _session_of(client)
    sessions.claims_store(session=session, claims=claims_for(user, issued_at=issued_at))
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _session_of(client: Client) -> SessionBase:
    """The client's session; a new one is written only when saved, with what it holds then.

    (`client.session` saves an empty session first, which the caller then writes again.)
    """
    if settings.SESSION_COOKIE_NAME in client.cookies:
        return client.session
    return import_module(settings.SESSION_ENGINE).SessionStore()


def current_user(client: Client):
    """Return the user a request of this client is made by (anonymous when signed out)."""
    return client.get("/accounts/login/").wsgi_request.user


def tokens_in_session(client: Client, username: str) -> Client:
    """Keep placeholder Cognito tokens in the client's session, as the accounts app leaves
    them after a sign-in (what the identity and upload paths read); return the client."""
    session = _session_of(client)
    sessions.tokens_store(
        session=session,
        tokens=Tokens(
            id_token=f"{username}-id-token", access_token="a", refresh_token="r", expires_in=3600
        ),
        username=username,
    )
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client
