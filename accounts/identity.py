"""Temporary AWS credentials for a signed-in user, from the Cognito Identity Pool.

The browser upload path signs S3 presigned POSTs with these credentials, so S3 itself holds the
user to `private/<identity_id>/` (the role's policy uses `${cognito-identity.amazonaws.com:sub}`,
which is this identity id, not the user pool `sub`). Credentials are cached per process, keyed
by the user, and refreshed shortly before they expire.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from core import aws

# Hand out credentials only with this much life left: a presigned POST signed with them must
# still be usable by the time the browser finishes a large upload.
REFRESH_MARGIN = timedelta(minutes=10)
# moto answers with an Expiration equal to the moment of the call; real pools give an hour.
LOCAL_LIFETIME = timedelta(hours=1)


class IdentityUnavailable(RuntimeError):
    """Raise when the Identity Pool cannot give this user credentials."""


@dataclass(frozen=True)
class IdentityCredentials:
    """An Identity Pool identity and its temporary credentials."""

    identity_id: str
    access_key_id: str
    secret_access_key: str
    session_token: str
    expires_at: datetime

    def fresh(self, *, now: datetime) -> bool:
        """Tell whether the credentials still have the refresh margin left."""
        return self.expires_at - REFRESH_MARGIN > now


_lock = threading.Lock()
_cache: dict[str, IdentityCredentials] = {}


def provider_name() -> str:
    """Return the Logins key of the user pool: `cognito-idp.<region>.amazonaws.com/<pool>`."""
    return f"cognito-idp.{aws.settings().region}.amazonaws.com/{settings.COGNITO_USER_POOL_ID}"


def identity_credentials(
    *, user_key: str, id_token: str, now: datetime | None = None
) -> IdentityCredentials:
    """Return fresh temporary credentials for the user whose ID token this is.

    `user_key` is the user pool `sub`; it keys the cache so one user never gets another's
    credentials even if two users' calls interleave.
    """
    now = now or datetime.now(UTC)
    cached = _cache.get(user_key)
    if cached is not None and cached.fresh(now=now):
        return cached
    if not settings.COGNITO_IDENTITY_POOL_ID or not id_token:
        raise IdentityUnavailable("No identity pool is configured or the user has no ID token.")
    client = aws.client("cognito-identity")
    logins = {provider_name(): id_token}
    try:
        identity_id = (
            cached.identity_id
            if cached is not None
            else client.get_id(IdentityPoolId=settings.COGNITO_IDENTITY_POOL_ID, Logins=logins)[
                "IdentityId"
            ]
        )
        answer = client.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    except (ClientError, BotoCoreError) as exc:
        raise IdentityUnavailable(f"The identity pool refused: {exc}") from exc
    raw = answer["Credentials"]
    expires_at = raw["Expiration"]
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if aws.settings().is_local and expires_at <= now + REFRESH_MARGIN:
        expires_at = now + LOCAL_LIFETIME
    credentials = IdentityCredentials(
        identity_id=answer.get("IdentityId") or identity_id,
        access_key_id=raw["AccessKeyId"],
        secret_access_key=raw["SecretKey"],
        session_token=raw.get("SessionToken", ""),
        expires_at=expires_at,
    )
    with _lock:
        _cache[user_key] = credentials
    return credentials


def identity_forget(*, user_key: str) -> None:
    """Drop a user's cached credentials (on sign-out)."""
    with _lock:
        _cache.pop(user_key, None)


def identity_cache_clear() -> None:
    """Drop every cached credential (tests, and after the pool changes)."""
    with _lock:
        _cache.clear()
