"""Specification of Hosted UI sign-in: authorization code + PKCE, state and nonce checked.

Cognito's /oauth2/token is outside the project and moto has none, so a tiny local HTTP server
plays it: it checks the PKCE verifier against the challenge the site sent to /oauth2/authorize
and answers with tokens signed by a test key, whose JWKS it also serves.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from accounts import sessions
from accounts.sessions import TOKENS as SESSION_TOKENS
from tests.accounts.users import current_user
from tests.loopback_http import QuietHandler, serving

REGION = "us-east-1"
POOL_ID = "us-east-1_HostedTest"
CLIENT_ID = "hostedclient123"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}"
SUB = "6f1c2f0e-0000-4000-8000-00000000abcd"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign(key: rsa.RSAPrivateKey, claims: dict[str, Any], kid: str = "test-kid") -> str:
    header = b64url(json.dumps({"kid": kid, "alg": "RS256"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def jwk(key: rsa.RSAPrivateKey, kid: str = "test-kid") -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": b64url(n), "e": b64url(e)}


@dataclass
class FakeCognito:
    """The state of the fake token endpoint; tests tweak `id_claims` or `signing_key`."""

    key: rsa.RSAPrivateKey
    signing_key: rsa.RSAPrivateKey
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    id_claims: dict[str, Any] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    origin: str = ""  # the loopback server's, once it serves

    def issue(self, *, nonce: str) -> dict[str, Any]:
        now = int(time.time())
        access = sign(
            self.signing_key,
            {
                "sub": SUB,
                "iss": ISSUER,
                "client_id": CLIENT_ID,
                "token_use": "access",
                "scope": "openid email profile",
                "username": "google_1234",
                "cognito:groups": ["members", "admins"],
                "iat": now,
                "exp": now + 3600,
            },
        )
        digest = hashlib.sha256(access.encode()).digest()
        claims = {
            "sub": SUB,
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "token_use": "id",
            "nonce": nonce,
            "email": "social@example.com",
            "name": "社交 用户",
            "cognito:username": "google_1234",
            "cognito:groups": ["members", "admins"],
            "at_hash": b64url(digest[:16]),
            "iat": now,
            "exp": now + 3600,
            "auth_time": now,
        }
        claims.update(self.id_claims)
        claims = {k: v for k, v in claims.items() if v is not None}
        return {
            "id_token": sign(self.signing_key, claims),
            "access_token": access,
            "refresh_token": "opaque-refresh-token",
            "expires_in": 3600,
            "token_type": "Bearer",
        }


def _handler(fake: FakeCognito) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/jwks.json":
                self._json(200, {"keys": [jwk(fake.key)]})
            else:
                self._json(404, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            fake.requests.append({"form": form, "authorization": self.headers.get("Authorization")})
            if self.path != "/oauth2/token" or form.get("grant_type") != "authorization_code":
                self._json(400, {"error": "unsupported_grant_type"})
                return
            grant = fake.codes.pop(form.get("code", ""), None)  # codes are single-use
            if grant is None or form.get("client_id") != CLIENT_ID:
                self._json(400, {"error": "invalid_grant"})
                return
            challenge = b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if (
                challenge != grant["code_challenge"]
                or form.get("redirect_uri") != grant["redirect_uri"]
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            self._json(200, fake.issue(nonce=grant["nonce"]))

    return Handler


@pytest.fixture(scope="module")
def rsa_keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    return (
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


@pytest.fixture
def fake(local_aws, settings, rsa_keys) -> Iterator[FakeCognito]:
    """Run the fake Cognito domain on loopback and point the settings at it.

    No user pool is bootstrapped (the fake plays Cognito), so sessions live in signed cookies
    here; the DynamoDB session engine has its own tests.
    """
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    state = FakeCognito(key=rsa_keys[0], signing_key=rsa_keys[0])
    with serving(_handler(state)) as state.origin:
        settings.COGNITO_DOMAIN = state.origin
        settings.COGNITO_USER_POOL_ID = POOL_ID
        settings.COGNITO_APP_CLIENT_ID = CLIENT_ID
        settings.COGNITO_JWKS_URL = f"{state.origin}/jwks.json"
        settings.PHOTOSITE_SITE_ORIGIN = "http://testserver"
        yield state


def start(client, fake: FakeCognito, next_url: str = "/photos/7/") -> dict[str, str]:
    """Follow the site to /oauth2/authorize and let the fake 'user' approve: return the query."""
    response = client.get("/accounts/hosted/login/", {"next": next_url})
    assert response.status_code == 302
    url = urllib.parse.urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{fake.origin}/oauth2/authorize"
    query = dict(urllib.parse.parse_qsl(url.query))
    code = f"code-{len(fake.codes)}-{time.monotonic_ns()}"
    fake.codes[code] = {
        "code_challenge": query["code_challenge"],
        "nonce": query["nonce"],
        "redirect_uri": query["redirect_uri"],
    }
    return {"code": code, "state": query["state"], **query}


def callback(client, query: dict[str, str]):
    return client.get(
        "/accounts/hosted/callback/", {"code": query["code"], "state": query["state"]}
    )


def test_the_authorize_request_carries_pkce_state_and_nonce(client, fake):
    query = start(client, fake)

    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/accounts/hosted/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["scope"] == "openid email profile"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["state"] != query["nonce"]


def test_a_successful_round_trip_signs_the_user_in(client, fake):
    query = start(client, fake)

    response = callback(client, query)

    assert response.status_code == 302
    assert response["Location"] == "/photos/7/"
    user = current_user(client)
    assert (user.username, user.email, user.get_full_name()) == (
        SUB,
        "social@example.com",
        "社交 用户",
    )
    assert user.is_staff
    tokens = client.session[SESSION_TOKENS]
    assert tokens["refresh_token"] == "opaque-refresh-token"
    assert client.session["cognito_username"] == "google_1234"
    assert fake.requests[0]["form"]["code_verifier"]
    assert fake.requests[0]["authorization"] is None  # no client secret configured


def test_a_client_secret_is_sent_with_http_basic(client, fake, settings):
    settings.COGNITO_APP_CLIENT_SECRET = "s3cret"
    callback(client, start(client, fake))
    expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:s3cret".encode()).decode()
    assert fake.requests[0]["authorization"] == expected


def _refused(client, response) -> None:
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert SESSION_TOKENS not in client.session
    assert not sessions.signed_in(session=client.session)


def test_a_wrong_state_is_refused_before_the_code_is_used(client, fake):
    query = start(client, fake)
    response = client.get("/accounts/hosted/callback/", {"code": query["code"], "state": "forged"})
    _refused(client, response)
    assert fake.requests == []


def test_a_callback_without_a_started_flow_is_refused(client, fake):
    _refused(client, client.get("/accounts/hosted/callback/", {"code": "x", "state": "y"}))


def test_a_callback_cannot_be_replayed(client, fake):
    query = start(client, fake)
    callback(client, query)
    client.post("/accounts/logout/")
    _refused(client, callback(client, query))


def test_a_token_with_another_nonce_is_refused(client, fake):
    fake.id_claims = {"nonce": "someone-elses-nonce"}
    _refused(client, callback(client, start(client, fake)))


def test_a_token_without_nonce_is_refused(client, fake):
    fake.id_claims = {"nonce": None}
    _refused(client, callback(client, start(client, fake)))


def test_a_token_whose_at_hash_does_not_match_is_refused(client, fake):
    fake.id_claims = {"at_hash": b64url(b"0" * 16)}
    _refused(client, callback(client, start(client, fake)))


def test_a_token_signed_with_another_key_is_refused(client, fake, rsa_keys):
    fake.signing_key = rsa_keys[1]
    _refused(client, callback(client, start(client, fake)))


def test_a_token_for_another_client_is_refused(client, fake):
    fake.id_claims = {"aud": "other-client"}
    _refused(client, callback(client, start(client, fake)))


def test_a_wrong_pkce_verifier_is_refused_by_the_token_endpoint(client, fake, settings):
    query = start(client, fake)
    session = client.session
    flow = session["hosted_ui_flow"]
    session["hosted_ui_flow"] = {**flow, "verifier": "not-the-verifier"}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key  # a signed cookie
    _refused(client, callback(client, query))


def test_an_error_from_the_hosted_ui_is_shown(client, fake):
    query = start(client, fake)
    response = client.get(
        "/accounts/hosted/callback/",
        {"error": "access_denied", "state": query["state"]},
        follow=True,
    )
    assert "cancelled or refused" in response.content.decode()
    assert fake.requests == []


def test_an_unsafe_next_is_replaced_at_the_start(client, fake):
    query = start(client, fake, next_url="https://evil.example/")
    assert callback(client, query)["Location"] == "/"


def test_the_token_endpoint_down_is_a_message_not_a_500(client, fake, settings):
    query = start(client, fake)
    settings.COGNITO_DOMAIN = "http://127.0.0.1:9"
    _refused(client, callback(client, query))


def test_plain_http_is_refused_for_a_non_local_domain(client, fake, settings):
    query = start(client, fake)
    settings.COGNITO_DOMAIN = "http://auth.example.com"
    _refused(client, callback(client, query))


def test_hosted_ui_pages_are_off_without_a_domain(client, settings):
    settings.COGNITO_DOMAIN = ""
    assert client.get("/accounts/hosted/login/")["Location"] == "/accounts/login/"
    assert "hosted/login" not in client.get("/accounts/login/").content.decode()


def test_sign_out_after_hosted_ui_ends_the_hosted_session_too(client, fake):
    callback(client, start(client, fake))
    response = client.post("/accounts/logout/")
    location = urllib.parse.urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{fake.origin}/logout"
    query = dict(urllib.parse.parse_qsl(location.query))
    assert query == {"client_id": CLIENT_ID, "logout_uri": "http://testserver/"}
    assert SESSION_TOKENS not in client.session
