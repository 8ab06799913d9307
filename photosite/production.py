"""Refuse configurations that are unsafe outside a developer's machine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.aws import is_local_endpoint


def production_problems(
    *,
    secret_key: str,
    allowed_hosts: Sequence[str],
    environ: Mapping[str, str],
) -> list[str]:
    """Return why these settings must not run with DEBUG off; empty when they may."""
    problems = []
    if not secret_key:
        problems.append("DJANGO_SECRET_KEY is not set (generate one; never commit it).")
    elif len(secret_key) < 50 or secret_key.startswith("django-insecure"):
        problems.append("DJANGO_SECRET_KEY is too weak (use at least 50 random characters).")
    if not allowed_hosts:
        problems.append("DJANGO_ALLOWED_HOSTS is empty (list the site's host names).")
    if "*" in allowed_hosts:
        problems.append("DJANGO_ALLOWED_HOSTS must not contain '*'.")
    for name, endpoint in sorted(environ.items()):
        if not name.startswith("AWS_ENDPOINT_URL") or not endpoint:
            continue
        kind = "a local emulator" if is_local_endpoint(endpoint) else "an override"
        problems.append(f"{name}={endpoint} is {kind}; production talks to AWS itself, unset it.")
    if environ.get("COGNITO_JWKS_URL"):
        # The emulator signs with a private key everyone knows: trusting its JWKS lets anyone
        # forge a token.
        problems.append("COGNITO_JWKS_URL overrides Cognito's JWKS; production must not set it.")
    if environ.get("DATABASE_URL"):
        # Everything lives in Cognito, DynamoDB and S3; a database would hold nothing but could
        # tempt code into depending on it.
        problems.append("DATABASE_URL is set; the site uses no SQL database, unset it.")
    if environ.get("PHOTOSITE_DEMO_USERS", "").lower() in {"1", "true", "yes", "on"}:
        problems.append("PHOTOSITE_DEMO_USERS is on; demo accounts exist only in local mode.")
    return problems
