"""Build the process-wide token verifier from Django settings."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from accounts.tokens import CognitoTokenVerifier

# Settings that change what the verifier accepts; changing one (in tests) drops the cache.
VERIFIER_SETTINGS = frozenset(
    {
        "AWS_REGION",
        "COGNITO_USER_POOL_ID",
        "COGNITO_APP_CLIENT_ID",
        "COGNITO_API_CLIENT_IDS",
        "COGNITO_JWKS_URL",
        "COGNITO_TOKEN_LEEWAY",
    }
)

_lock = threading.Lock()
_verifier: CognitoTokenVerifier | None = None


class VerifierNotConfigured(RuntimeError):
    """Raise when the user pool id or app client id is missing from settings."""


def pool_region(*, user_pool_id: str) -> str:
    """Return the region of a user pool: the prefix of its id, else AWS_REGION."""
    prefix, sep, _rest = user_pool_id.partition("_")
    return prefix if sep and prefix else settings.AWS_REGION


def get_verifier() -> CognitoTokenVerifier:
    """Return the one verifier of this process, building it on first use."""
    global _verifier
    verifier = _verifier
    if verifier is not None:
        return verifier
    with _lock:
        if _verifier is None:
            _verifier = build_verifier()
        return _verifier


def build_verifier() -> CognitoTokenVerifier:
    """Build a verifier for the configured user pool and app clients."""
    pool_id = settings.COGNITO_USER_POOL_ID
    client_ids = [settings.COGNITO_APP_CLIENT_ID, *settings.COGNITO_API_CLIENT_IDS]
    client_ids = [c for c in client_ids if c]
    if not pool_id or not client_ids:
        raise VerifierNotConfigured("COGNITO_USER_POOL_ID and COGNITO_APP_CLIENT_ID must be set")
    return CognitoTokenVerifier(
        region=pool_region(user_pool_id=pool_id),
        user_pool_id=pool_id,
        client_ids=client_ids,
        # Production settings refuse COGNITO_JWKS_URL (photosite/production.py).
        jwks_url=settings.COGNITO_JWKS_URL or None,
        leeway=settings.COGNITO_TOKEN_LEEWAY,
    )


def reset_verifier() -> None:
    """Forget the cached verifier so the next call builds one from current settings."""
    global _verifier
    with _lock:
        _verifier = None


@receiver(setting_changed)
def _reset_on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in VERIFIER_SETTINGS:
        reset_verifier()
