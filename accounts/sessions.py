"""What the accounts app keeps in the web session, behind small functions.

Other apps never read a session key by name: they call these. The layout::

    cognito_claims    the verified ID token's claims the request's user is built from:
                      {"sub", "email", "name", "cognito:groups", "cognito:username", "iat"}
    cognito_tokens    {"id_token", "access_token", "refresh_token", "expires_at": <epoch int>}
    cognito_username  the Cognito user name (refreshes need it; a federated user's differs)
    cognito_challenge a pending sign-in challenge (NEW_PASSWORD_REQUIRED, MFA, ...)
    signin_next       where to go after signing in
    signed_in_with    "hosted_ui" when the Hosted UI signed the user in (sign-out goes there too)
    mfa_setup_secret  the TOTP secret shown while setting up MFA during sign-in
    totp_secret       the TOTP secret shown while a signed-in user turns TOTP on
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from accounts.cognito import Challenge, Tokens

CLAIMS = "cognito_claims"
TOKENS = "cognito_tokens"
USERNAME = "cognito_username"
CHALLENGE = "cognito_challenge"
NEXT = "signin_next"
SIGNED_IN_WITH = "signed_in_with"
MFA_SETUP_SECRET = "mfa_setup_secret"  # noqa: S105 - a session key, not a secret
TOTP_SECRET = "totp_secret"  # noqa: S105 - a session key, not a secret
HOSTED_UI = "hosted_ui"


@dataclass(frozen=True)
class StoredTokens:
    """The session's Cognito tokens and when the access and ID tokens expire (epoch seconds)."""

    id_token: str
    access_token: str
    refresh_token: str
    expires_at: int
    username: str


# The claims a request's user is made of; the rest of the ID token is not kept.
KEPT_CLAIMS = ("sub", "email", "name", "display_name", "cognito:groups", "cognito:username", "iat")


def claims_store(*, session: SessionBase, claims: dict[str, Any]) -> None:
    """Keep the verified ID token's claims that make the request's user."""
    session[CLAIMS] = {key: claims[key] for key in KEPT_CLAIMS if key in claims}


def claims_read(*, session: SessionBase) -> dict[str, Any] | None:
    """Return the signed-in user's claims, or None when nobody is signed in."""
    stored = session.get(CLAIMS)
    return dict(stored) if stored and stored.get("sub") else None


def signed_in(*, session: SessionBase) -> bool:
    """Tell whether someone signed in with this session (nothing else is decoded)."""
    return CLAIMS in session


def session_end(*, session: SessionBase) -> None:
    """Forget everything and delete the session (sign-out, or a refused user)."""
    session.flush()


def session_renew(*, session: SessionBase, sub: str) -> None:
    """Give a session that is about to be signed in a new key (against session fixation).

    Another user's leftovers are dropped; this browser's own pending keys (where to go next,
    the challenge just answered) survive the new key.
    """
    previous = claims_read(session=session)
    if previous is not None and previous["sub"] != sub:
        session.flush()
    else:
        session.cycle_key()


def tokens_store(*, session: SessionBase, tokens: Tokens, username: str) -> None:
    """Keep freshly issued tokens, and the Cognito user name refreshes need."""
    session[TOKENS] = {
        "id_token": tokens.id_token,
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_at": int(time.time()) + tokens.expires_in,
    }
    session[USERNAME] = username


def tokens_read(*, session: SessionBase) -> StoredTokens | None:
    """Return the session's tokens, or None when nobody signed in through Cognito."""
    stored = session.get(TOKENS)
    if not stored:
        return None
    return StoredTokens(
        id_token=stored.get("id_token", ""),
        access_token=stored.get("access_token", ""),
        refresh_token=stored.get("refresh_token", ""),
        expires_at=int(stored.get("expires_at", 0)),
        username=session.get(USERNAME, ""),
    )


def tokens_present(*, session: SessionBase) -> bool:
    """Tell whether the session holds Cognito tokens (without decoding anything else)."""
    return TOKENS in session


def id_token_read(*, session: SessionBase) -> str:
    """Return the session's ID token ("" when none): the Identity Pool exchanges it."""
    stored = tokens_read(session=session)
    return stored.id_token if stored else ""


def access_token_read(*, session: SessionBase) -> str:
    """Return the session's access token ("" when none): self-service Cognito calls use it."""
    stored = tokens_read(session=session)
    return stored.access_token if stored else ""


def challenge_store(*, session: SessionBase, challenge: Challenge) -> None:
    """Remember a challenge (or its new Cognito session) for the next page."""
    session[CHALLENGE] = {**asdict(challenge), "started_at": int(time.time())}


def challenge_read(*, session: SessionBase, max_age: int) -> Challenge | None:
    """Return the pending challenge, unless there is none or it is older than max_age seconds."""
    stored = session.get(CHALLENGE)
    if not stored or time.time() - stored.get("started_at", 0) > max_age:
        return None
    return Challenge(
        name=stored["name"],
        session=stored["session"],
        username=stored["username"],
        parameters=stored.get("parameters", {}),
    )


def challenge_clear(*, session: SessionBase) -> None:
    """Forget the pending challenge."""
    session.pop(CHALLENGE, None)


def next_store(*, session: SessionBase, url: str) -> None:
    """Remember where to go once the sign-in (and its challenges) is done."""
    session[NEXT] = url


def next_pop(*, session: SessionBase) -> str | None:
    """Return and forget where to go after signing in."""
    return session.pop(NEXT, None)


def hosted_ui_mark(*, session: SessionBase) -> None:
    """Remember that the Hosted UI signed this browser in (sign-out then goes through it)."""
    session[SIGNED_IN_WITH] = HOSTED_UI


def hosted_ui_used(*, session: SessionBase) -> bool:
    """Tell whether the Hosted UI signed this browser in."""
    return session.get(SIGNED_IN_WITH) == HOSTED_UI


def secret_store(*, session: SessionBase, key: str, secret: str) -> None:
    """Keep a TOTP secret between the page that shows it and the page that checks a code."""
    if key not in {MFA_SETUP_SECRET, TOTP_SECRET}:
        raise ValueError(f"Not a secret slot: {key!r}")
    session[key] = secret


def secret_read(*, session: SessionBase, key: str) -> str | None:
    """Return a kept TOTP secret, or None."""
    value: Any = session.get(key)
    return value if isinstance(value, str) else None


def secret_clear(*, session: SessionBase, key: str) -> None:
    """Forget a TOTP secret once it is set up."""
    session.pop(key, None)
