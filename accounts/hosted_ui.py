"""Sign-in through Cognito's Hosted UI (managed login): OAuth 2.0 code flow with PKCE.

Used for social and enterprise identity providers when COGNITO_DOMAIN is set. The browser
goes to /oauth2/authorize with `state`, `nonce` and a PKCE challenge kept in the session;
the callback checks `state`, swaps the code for tokens at /oauth2/token and signs in only with
an ID token that verifies, carries our `nonce` and whose `at_hash` matches the access token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import services
from accounts.cognito import CognitoError, Tokens
from core.aws import is_local_endpoint

logger = logging.getLogger(__name__)

SESSION_FLOW = "hosted_ui_flow"
FLOW_MAX_AGE = 600
TOKEN_TIMEOUT = 5.0
MAX_TOKEN_RESPONSE = 64 * 1024


class HostedUIError(CognitoError):
    """The Hosted UI round trip failed; `message` is safe to show."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(
            code, message or _("Sign-in with the hosted page failed. Please try again.")
        )


def enabled() -> bool:
    """Tell whether Hosted UI sign-in is configured."""
    return bool(settings.COGNITO_DOMAIN)


def redirect_uri() -> str:
    """Return the callback URL registered on the app client (built from the site origin)."""
    # Never from the request's Host header, which a client controls.
    return settings.PHOTOSITE_SITE_ORIGIN.rstrip("/") + reverse("accounts:hosted_callback")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def authorize_url(*, request: HttpRequest, next_url: str, provider: str = "") -> str:
    """Start a sign-in: remember state, nonce and PKCE verifier; return the authorize URL."""
    verifier = secrets.token_urlsafe(64)
    flow = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": verifier,
        "next": next_url,
        "started_at": int(time.time()),
    }
    request.session[SESSION_FLOW] = flow
    params = {
        "response_type": "code",
        "client_id": settings.COGNITO_APP_CLIENT_ID,
        "redirect_uri": redirect_uri(),
        "scope": " ".join(settings.COGNITO_HOSTED_UI_SCOPES),
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": _b64url(hashlib.sha256(verifier.encode("ascii")).digest()),
        "code_challenge_method": "S256",
    }
    if provider:
        params["identity_provider"] = provider
    return f"{settings.COGNITO_DOMAIN}/oauth2/authorize?{urllib.parse.urlencode(params)}"


def callback(*, request: HttpRequest) -> str:
    """Finish a sign-in from the callback's query string; return where to go next."""
    flow = request.session.pop(SESSION_FLOW, None)
    if not flow or time.time() - flow.get("started_at", 0) > FLOW_MAX_AGE:
        raise HostedUIError("no_flow", _("That sign-in link has expired. Please start again."))
    state = request.GET.get("state", "")
    if not hmac.compare_digest(state.encode(), flow["state"].encode()):
        logger.warning("Hosted UI callback with a wrong state")
        raise HostedUIError("wrong_state")
    if request.GET.get("error"):
        logger.info("Hosted UI returned error=%s", request.GET.get("error")[:100])
        raise HostedUIError("denied", _("Sign-in was cancelled or refused."))
    code = request.GET.get("code", "")
    if not code:
        raise HostedUIError("no_code")
    tokens = token_exchange(code=code, verifier=flow["verifier"])
    # Hosted UI ID tokens carry at_hash: binding them to the access token is free.
    services.signin_complete(request=request, tokens=tokens, nonce=flow["nonce"], bind_access=True)
    return flow["next"]


def token_endpoint() -> str:
    """Return the /oauth2/token URL, refusing plain HTTP except on this machine."""
    url = f"{settings.COGNITO_DOMAIN}/oauth2/token"
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme != "https" and not (scheme == "http" and is_local_endpoint(url)):
        raise HostedUIError("insecure_domain")
    return url


def token_exchange(*, code: str, verifier: str) -> Tokens:
    """Swap an authorization code for tokens at the token endpoint."""
    form = {
        "grant_type": "authorization_code",
        "client_id": settings.COGNITO_APP_CLIENT_ID,
        "code": code,
        "redirect_uri": redirect_uri(),
        "code_verifier": verifier,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    secret = settings.COGNITO_APP_CLIENT_SECRET
    if secret:
        pair = f"{settings.COGNITO_APP_CLIENT_ID}:{secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    body = urllib.parse.urlencode(form).encode("ascii")
    request = urllib.request.Request(token_endpoint(), data=body, headers=headers, method="POST")  # noqa: S310
    try:
        # token_endpoint() allows only https, or http on loopback.
        with urllib.request.urlopen(request, timeout=TOKEN_TIMEOUT) as response:  # noqa: S310
            document: Any = json.loads(response.read(MAX_TOKEN_RESPONSE))
    except urllib.error.HTTPError as exc:
        logger.info("Hosted UI token endpoint refused the code: HTTP %s", exc.code)
        raise HostedUIError("token_refused") from exc
    except (OSError, ValueError) as exc:
        logger.warning("Hosted UI token endpoint failed: %s", type(exc).__name__)
        raise HostedUIError("token_unavailable") from exc
    if not isinstance(document, dict) or not all(
        isinstance(document.get(k), str) for k in ("id_token", "access_token")
    ):
        raise HostedUIError("token_malformed")
    expires_in = document.get("expires_in", 3600)
    return Tokens(
        id_token=document["id_token"],
        access_token=document["access_token"],
        refresh_token=document.get("refresh_token") or "",
        expires_in=expires_in if isinstance(expires_in, int) else 3600,
    )


def logout_url() -> str:
    """Return the Hosted UI logout URL, which ends the Cognito browser session too."""
    params = {
        "client_id": settings.COGNITO_APP_CLIENT_ID,
        "logout_uri": settings.PHOTOSITE_SITE_ORIGIN.rstrip("/") + "/",
    }
    return f"{settings.COGNITO_DOMAIN}/logout?{urllib.parse.urlencode(params)}"
