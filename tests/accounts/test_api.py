"""Specification of the JSON API's Cognito bearer auth and GET /api/me."""

from __future__ import annotations

import base64
import json

import pytest

from accounts import cognito, standing
from accounts.records import Profile
from accounts.verifier import get_verifier
from tests.accounts.conftest import account_create


@pytest.fixture
def tokens(aws_stack):
    account = account_create(
        aws_stack.user_pool_id, email="api@example.com", display_name="接口", groups=("members",)
    )
    return cognito.password_auth(email=account.email, password=account.password)


def _me(client, header: str | None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return client.get("/api/me", **extra)


def test_me_answers_who_the_access_token_belongs_to(client, tokens):
    response = _me(client, f"Bearer {tokens.access_token}")

    assert response.status_code == 200
    body = response.json()
    sub = get_verifier().verify_access_token(tokens.access_token)["sub"]
    assert body == {
        "sub": sub,
        "username": sub,  # an email-alias pool's username is the sub
        "email": "api@example.com",
        "groups": ["members"],
    }
    assert response.wsgi_request.user.get_full_name() == "接口"
    # Fetched once from GetUser for a user new to the site, and kept in the profile.
    profile = Profile.get(sub)
    assert (profile.display_name, profile.email) == ("接口", "api@example.com")


def test_a_known_user_costs_no_cognito_call(client, tokens, monkeypatch):
    _me(client, f"Bearer {tokens.access_token}")

    def fail(**kwargs):
        raise AssertionError("GetUser called for a known user")

    monkeypatch.setattr(cognito, "user_attributes", fail)
    assert _me(client, f"Bearer {tokens.access_token}").status_code == 200


def _forged(token: str, **claims) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


BAD_HEADERS = [
    (lambda t: None, "missing_token"),
    (lambda t: "", "missing_token"),
    (lambda t: f"Basic {t.access_token}", "bad_scheme"),
    (lambda t: "Bearer", "bad_scheme"),
    (lambda t: "Bearer    ", "bad_scheme"),
    (lambda t: "Bearer not-a-jwt", "malformed"),
    (lambda t: "Bearer a.b.c.d", "malformed"),
    (lambda t: "Bearer " + "x" * 30000, "too_large"),
    (lambda t: f"Bearer {t.id_token}", "wrong_token_use"),
    (lambda t: f"Bearer {_forged(t.access_token, sub='someone-else')}", "bad_signature"),
    (lambda t: f"Bearer {t.access_token[:-4]}AAAA", "bad_signature"),
    (lambda t: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.e30", "unsupported_alg"),
    (lambda t: "Bearer \u4f60\u597d.\u4f60.\u597d", "malformed"),
]


def test_bad_tokens_get_a_json_401_with_a_reason_code(client, tokens, subtests):
    # One stack for all cases (each would otherwise bootstrap its own): subtests report each.
    for make_header, code in BAD_HEADERS:
        with subtests.test(code=code):
            response = _me(client, make_header(tokens))

            assert response.status_code == 401
            assert response["Content-Type"].startswith("application/json")
            body = response.json()
            assert body["code"] == code
            assert body["message"]
            assert response["WWW-Authenticate"].startswith("Bearer ")
    assert sum(1 for _ in Profile.scan()) == 0  # no user was created for a refused token


def test_an_expired_access_token_is_refused_as_expired(client, tokens, monkeypatch):
    from accounts.verifier import get_verifier

    monkeypatch.setattr(get_verifier(), "_clock", lambda: 4_000_000_000.0)
    response = _me(client, f"Bearer {tokens.access_token}")
    assert response.status_code == 401
    assert response.json()["code"] == "expired"


def test_another_app_clients_token_is_refused_unless_configured(client, aws_stack, settings):
    from core import aws

    idp = aws.client("cognito-idp")
    other = idp.create_user_pool_client(
        UserPoolId=aws_stack.user_pool_id,
        ClientName="mobile",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    account = account_create(aws_stack.user_pool_id, email="m@example.com")
    token = idp.initiate_auth(
        ClientId=other,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": account.email, "PASSWORD": account.password},
    )["AuthenticationResult"]["AccessToken"]

    assert _me(client, f"Bearer {token}").json()["code"] == "wrong_client"
    settings.COGNITO_API_CLIENT_IDS = [other]
    assert _me(client, f"Bearer {token}").status_code == 200


def test_a_session_cookie_does_not_authorise_the_api(signed_in):
    assert signed_in.get("/api/me").status_code == 401


def test_the_api_works_when_the_jwks_endpoint_is_down_with_cached_keys(client, tokens, monkeypatch):
    assert _me(client, f"Bearer {tokens.access_token}").status_code == 200
    from accounts.verifier import get_verifier

    monkeypatch.setattr(get_verifier(), "jwks_url", "http://127.0.0.1:9/nothing")
    assert _me(client, f"Bearer {tokens.access_token}").status_code == 200


def test_the_jwks_endpoint_down_before_any_fetch_gives_401_not_500(client, tokens, settings):
    settings.COGNITO_JWKS_URL = "http://127.0.0.1:9/nothing"
    response = _me(client, f"Bearer {tokens.access_token}")
    assert response.status_code == 401
    assert response.json()["code"] == "jwks_unavailable"


def test_unknown_api_paths_answer_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404


def test_openapi_schema_lists_me(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "photosite API"
    assert "/api/me" in schema["paths"]


def test_cors_allows_configured_origins_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    allowed = client.options(
        "/api/me",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    refused = client.options(
        "/api/me",
        HTTP_ORIGIN="https://evil.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    page = client.get("/accounts/login/", HTTP_ORIGIN="https://app.example.com")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Origin" not in page  # only /api/ is CORS-enabled


def test_a_disabled_user_is_refused(client, tokens):
    assert _me(client, f"Bearer {tokens.access_token}").status_code == 200
    sub = get_verifier().verify_access_token(tokens.access_token)["sub"]
    standing.standing_disable(sub=sub)

    response = _me(client, f"Bearer {tokens.access_token}")

    assert response.status_code == 401
    assert response.json()["code"] == "inactive_user"
