"""Specification of the account pages: flows, challenges, safe redirects, no account leaks."""

from __future__ import annotations

import base64
import time

import pytest
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.test import Client

from accounts import sessions
from accounts.sessions import TOKENS as SESSION_TOKENS
from accounts.views import safe_next
from core import aws
from tests.accounts.conftest import PASSWORD


def _errors(response) -> str:
    return response.content.decode()


def _signed_in(client: Client) -> bool:
    return SESSION_TOKENS in client.session


# --- next redirects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/photos/1/?tab=comments", "/photos/1/?tab=comments"),
        ("/", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http://testserver.evil.example/", "/"),
        ("http://testserver/photos/", "http://testserver/photos/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_keeps_only_local_urls(rf, value, expected):
    assert safe_next(rf.get("/"), value) == expected


def test_safe_next_refuses_http_on_an_https_site(rf):
    request = rf.get("/", secure=True)
    assert safe_next(request, "http://testserver/x") == "/"
    assert safe_next(request, "https://testserver/x") == "https://testserver/x"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example"])
def test_sign_in_never_redirects_off_site(client, account, next_url):
    response = client.post(
        "/accounts/login/?next=" + next_url, {"email": account.email, "password": account.password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_sign_in_page_carries_next_through_the_form(client):
    response = client.get("/accounts/login/?next=/photos/9/")
    assert 'name="next" value="/photos/9/"' in response.content.decode()
    evil = client.get("/accounts/login/?next=https://evil.example/")
    assert 'name="next" value="/"' in evil.content.decode()
    assert 'value="https://evil.example/"' not in evil.content.decode()


def test_the_admin_login_sends_staff_to_the_cognito_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/logout/", "/accounts/password/forgot/"],
)
def test_every_form_needs_a_csrf_token(path):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, {"email": "a@example.com"}).status_code == 403


def test_the_pages_render_a_csrf_token(client):
    for path in [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/confirm/",
        "/accounts/password/forgot/",
    ]:
        assert "csrfmiddlewaretoken" in client.get(path).content.decode(), path


# --- no account enumeration ----------------------------------------------------------------


def test_sign_in_says_the_same_for_an_unknown_email_and_a_wrong_password(client, account):
    unknown = client.post("/accounts/login/", {"email": "nobody@example.com", "password": PASSWORD})
    wrong = client.post("/accounts/login/", {"email": account.email, "password": "Wrong-pass-123"})

    assert unknown.status_code == wrong.status_code == 200
    assert "Incorrect email or password." in _errors(unknown)
    assert "Incorrect email or password." in _errors(wrong)
    assert not _signed_in(client)


def test_signing_up_with_a_taken_email_looks_like_a_fresh_sign_up(client, account):
    form = {
        "display_name": "Mallory",
        "new_password": "Other-pass-123",
        "new_password_again": "Other-pass-123",
    }
    taken = client.post("/accounts/signup/", {**form, "email": account.email}, follow=True)
    fresh = client.post("/accounts/signup/", {**form, "email": "fresh@example.com"}, follow=True)

    assert taken.redirect_chain[0][0].split("?")[0] == fresh.redirect_chain[0][0].split("?")[0]
    assert "If that address can receive a code" in _errors(taken)
    assert "If that address can receive a code" in _errors(fresh)


def test_forgot_password_says_the_same_for_known_and_unknown_emails(client, account):
    known = client.post("/accounts/password/forgot/", {"email": account.email})
    unknown = client.post("/accounts/password/forgot/", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"].split("?")[0] == unknown["Location"].split("?")[0]


def test_sign_up_validates_the_form_before_calling_cognito(client, aws_stack):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "not-an-email",
            "display_name": " ",
            "new_password": "a",
            "new_password_again": "b",
        },
    )
    body = _errors(response)
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert "The two passwords differ." in body


RULES = "At least 10 characters, including an uppercase letter, a lowercase letter and a digit."
RULES_ZH = "至少 10 个字符，包含大写字母、小写字母和数字。"


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/password/reset/"])
def test_the_password_rules_are_stated_before_choosing_one(client, aws_stack, path):
    english = client.get(path).content.decode()
    chinese = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert f'<div class="helptext" id="id_new_password_helptext">{RULES}</div>' in english
    assert RULES_ZH in chinese


def test_the_rules_follow_the_pools_policy(client, aws_stack, settings):
    settings.COGNITO_PASSWORD_POLICY = {"MinimumLength": 12, "RequireSymbols": True}

    html = client.get("/accounts/signup/").content.decode()

    assert "At least 12 characters, including a symbol." in html


def test_the_password_policy_message_reaches_the_user(client, aws_stack):
    weak = {
        "email": "weak@example.com",
        "display_name": "Weak",
        "new_password": "short",
        "new_password_again": "short",
    }
    response = client.post("/accounts/signup/", weak)
    chinese = client.post("/accounts/signup/", weak, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert "That password does not meet the password policy. " + RULES in _errors(response)
    assert "errorlist" in _errors(response)
    # Cognito's own message is English; the page says it in the visitor's language.
    assert "该密码不符合密码规则。" + RULES_ZH in _errors(chinese)


def test_resending_the_code_is_reported_honestly_when_cognito_cannot(client, account):
    # moto has no ResendConfirmationCode; the page says so instead of pretending.
    response = client.post("/accounts/confirm/resend/", {"email": account.email})
    assert response.status_code == 200
    assert "unavailable" in _errors(response)


# --- admin-created users: NEW_PASSWORD_REQUIRED ----------------------------------------------


@pytest.fixture
def invited(aws_stack):
    aws.client("cognito-idp").admin_create_user(
        UserPoolId=aws_stack.user_pool_id,
        Username="invited@example.com",
        TemporaryPassword="Temporary-pass-1",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "invited@example.com"},
            {"Name": "name", "Value": "Inv"},
        ],
    )
    return "invited@example.com"


def test_an_invited_user_chooses_a_new_password_then_is_signed_in(client, invited):
    response = client.post(
        "/accounts/login/?next=/photos/1/", {"email": invited, "password": "Temporary-pass-1"}
    )
    assert response["Location"] == "/accounts/login/new-password/"
    assert not _signed_in(client)

    mismatch = client.post(
        "/accounts/login/new-password/",
        {"new_password": "Brand-new-pass-1", "new_password_again": "Different-1"},
    )
    assert "The two passwords differ." in _errors(mismatch)

    response = client.post(
        "/accounts/login/new-password/",
        {"new_password": "Brand-new-pass-1", "new_password_again": "Brand-new-pass-1"},
    )
    assert response["Location"] == "/photos/1/"
    assert _signed_in(client)

    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"email": invited, "password": "Brand-new-pass-1"})
    assert response["Location"] == "/"


def test_challenge_pages_without_a_pending_challenge_go_back_to_sign_in(client):
    for path in [
        "/accounts/login/new-password/",
        "/accounts/login/mfa/",
        "/accounts/login/mfa-setup/",
    ]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"


# --- TOTP MFA ------------------------------------------------------------------------------


def _totp(secret: str) -> str:
    padded = secret + "=" * (-len(secret) % 8)
    # RFC 6238 as Cognito uses it: HMAC-SHA1, 6 digits, 30 s steps.
    key = base64.b32decode(padded, casefold=True)
    totp = TOTP(key, 6, SHA1(), 30, enforce_key_length=False)  # noqa: S303
    # moto accepts only the current 30 s step: keep clear of a step boundary (no timing asserted).
    while time.time() % 30 > 26:
        time.sleep(0.25)
    return totp.generate(int(time.time())).decode()


@pytest.fixture
def totp_pool(aws_stack, monkeypatch):
    # The in-process moto server checks TOTP codes only when asked to.
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    aws.client("cognito-idp").set_user_pool_mfa_config(
        UserPoolId=aws_stack.user_pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    return aws_stack


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_a_user_sets_up_totp_and_then_needs_it_to_sign_in(client, account, totp_pool):
    client.post("/accounts/login/", {"email": account.email, "password": account.password})
    page = client.get("/accounts/security/totp/")
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    assert page.context["otpauth"].startswith("otpauth://totp/")

    wrong = client.post("/accounts/security/totp/", {"code": _wrong(_totp(secret))})
    assert "That code is wrong" in _errors(wrong)
    done = client.post("/accounts/security/totp/", {"code": _totp(secret)})
    assert done.status_code == 302

    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": account.password}
    )
    assert response["Location"] == "/accounts/login/mfa/"
    assert not _signed_in(client)

    wrong = client.post("/accounts/login/mfa/", {"code": _wrong(_totp(secret))})
    assert "That code is wrong" in _errors(wrong)
    assert not _signed_in(client)
    response = client.post("/accounts/login/mfa/", {"code": _totp(secret)})
    assert response["Location"] == "/"
    assert _signed_in(client)


def test_totp_setup_is_refused_when_the_pool_has_no_mfa(signed_in):
    response = signed_in.get("/accounts/security/totp/", follow=True)
    assert "not enabled" in _errors(response)


def test_a_pool_requiring_mfa_makes_a_new_user_set_up_totp_while_signing_in(
    client, invited, totp_pool
):
    aws.client("cognito-idp").set_user_pool_mfa_config(
        UserPoolId=totp_pool.user_pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    client.post("/accounts/login/", {"email": invited, "password": "Temporary-pass-1"})
    response = client.post(
        "/accounts/login/new-password/",
        {"new_password": "Brand-new-pass-1", "new_password_again": "Brand-new-pass-1"},
    )
    assert response["Location"] == "/accounts/login/mfa-setup/"

    page = client.get("/accounts/login/mfa-setup/")
    secret = page.context["secret"]
    response = client.post("/accounts/login/mfa-setup/", {"code": _totp(secret)})

    assert response["Location"] == "/"
    assert _signed_in(client)


# --- passwords -----------------------------------------------------------------------------


def test_forgot_then_reset_password(client, account):
    response = client.post("/accounts/password/forgot/", {"email": account.email})
    assert response["Location"] == "/accounts/password/reset/?email=alice%40example.com"

    response = client.post(
        "/accounts/password/reset/",
        {
            "email": account.email,
            "code": "123456",
            "new_password": "Reset-pass-2026",
            "new_password_again": "Reset-pass-2026",
        },
    )
    assert response["Location"] == "/accounts/login/"
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": "Reset-pass-2026"}
    )
    assert response["Location"] == "/"


def test_change_password_checks_the_current_one(signed_in, account):
    wrong = signed_in.post(
        "/accounts/password/change/",
        {
            "old_password": "Not-my-pass-1",
            "new_password": "Changed-pass-1",
            "new_password_again": "Changed-pass-1",
        },
    )
    assert "That is not your current password." in _errors(wrong)

    done = signed_in.post(
        "/accounts/password/change/",
        {
            "old_password": account.password,
            "new_password": "Changed-pass-1",
            "new_password_again": "Changed-pass-1",
        },
    )
    assert done.status_code == 302
    signed_in.post("/accounts/logout/")
    response = signed_in.post(
        "/accounts/login/", {"email": account.email, "password": "Changed-pass-1"}
    )
    assert response["Location"] == "/"


def test_account_pages_for_signed_in_users_need_a_sign_in(client):
    for path in ["/accounts/password/change/", "/accounts/security/totp/"]:
        response = client.get(path)
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_the_nav_shows_sign_in_or_sign_out(client, account):
    page = client.get("/accounts/password/forgot/").content.decode()
    assert "/accounts/signup/" in page and "Sign out" not in page
    client.post("/accounts/login/", {"email": account.email, "password": account.password})
    page = client.get("/accounts/password/forgot/").content.decode()
    assert "Sign out" in page
    assert account.display_name in page


def test_cognito_being_down_gives_a_message_not_a_500(client, account, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from accounts import cognito

    class Down:
        def initiate_auth(self, **kwargs):
            raise EndpointConnectionError(
                endpoint_url="https://cognito-idp.us-east-1.amazonaws.com"
            )

    monkeypatch.setattr(cognito, "_idp", Down)
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    assert "unavailable" in _errors(response)


# --- what moto cannot produce, simulated at the User Pool call layer --------------------------


def _raise(code: str):
    from accounts import cognito

    def call(**kwargs):
        raise cognito.CognitoError(code, cognito.error_message(code))

    return call


def test_a_wrong_confirmation_code_is_explained(client, monkeypatch):
    from accounts import cognito

    monkeypatch.setattr(cognito, "user_confirm", _raise("CodeMismatchException"))
    response = client.post("/accounts/confirm/", {"email": "a@example.com", "code": "000000"})
    assert "That code is wrong or has expired" in _errors(response)


def test_confirming_an_unknown_email_looks_like_a_wrong_code(client, monkeypatch):
    from accounts import cognito

    monkeypatch.setattr(cognito, "user_confirm", _raise("UserNotFoundException"))
    response = client.post("/accounts/confirm/", {"email": "nobody@example.com", "code": "1"})
    assert "That code is wrong or has expired" in _errors(response)
    assert "Incorrect email" not in _errors(response)


def test_a_wrong_reset_code_is_explained_without_revealing_the_account(client, monkeypatch):
    from accounts import cognito

    for code in ["CodeMismatchException", "UserNotFoundException"]:
        monkeypatch.setattr(cognito, "password_reset", _raise(code))
        response = client.post(
            "/accounts/password/reset/",
            {
                "email": "a@example.com",
                "code": "1",
                "new_password": "Reset-pass-2026",
                "new_password_again": "Reset-pass-2026",
            },
        )
        assert "That code is wrong or has expired" in _errors(response), code


def test_a_challenge_this_site_does_not_offer_is_refused_cleanly(client, monkeypatch):
    from accounts import cognito

    monkeypatch.setattr(
        cognito,
        "password_auth",
        lambda **kw: cognito.Challenge(name="SMS_MFA", session="s" * 32, username="u"),
    )
    monkeypatch.setattr("accounts.ratelimit.hit", lambda **kw: True)
    monkeypatch.setattr("accounts.ratelimit.exceeded", lambda **kw: False)
    response = client.post(
        "/accounts/login/", {"email": "a@example.com", "password": "x"}, follow=True
    )
    assert "does not offer" in _errors(response)
    assert "cognito_challenge" not in client.session


def test_a_stale_challenge_means_signing_in_again(client, invited):
    client.post("/accounts/login/", {"email": invited, "password": "Temporary-pass-1"})
    session = client.session
    session["cognito_challenge"] = {**session["cognito_challenge"], "started_at": 0}
    session.save()

    response = client.get("/accounts/login/new-password/")

    assert response["Location"] == "/accounts/login/"


def test_sign_out_works_when_cognito_is_down(signed_in, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from accounts import cognito

    class Down:
        def __getattr__(self, name):
            def fail(**kwargs):
                raise EndpointConnectionError(endpoint_url="https://cognito-idp.example")

            return fail

    monkeypatch.setattr(cognito, "_idp", Down)
    response = signed_in.post("/accounts/logout/")
    assert response.status_code == 302
    assert not _signed_in(signed_in)
    assert not sessions.signed_in(session=signed_in.session)


def test_a_refresh_while_cognito_is_down_keeps_the_session(signed_in, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from accounts import cognito

    session = signed_in.session
    session[SESSION_TOKENS] = {**session[SESSION_TOKENS], "expires_at": int(time.time())}
    session.save()

    class Down:
        def initiate_auth(self, **kwargs):
            raise EndpointConnectionError(endpoint_url="https://cognito-idp.example")

    monkeypatch.setattr(cognito, "_idp", Down)
    assert signed_in.get("/accounts/password/change/").status_code == 200
    assert _signed_in(signed_in)


def test_the_admins_log_out_button_signs_out_of_cognito_too(signed_in, monkeypatch):
    from accounts import services

    calls = []
    monkeypatch.setattr(services, "signout", lambda *, request: calls.append(request.path))
    signed_in.post("/admin/logout/")
    assert calls == ["/admin/logout/"]
