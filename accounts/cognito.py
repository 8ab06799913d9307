"""Calls to the Cognito User Pool API on behalf of a user, with errors made user-safe.

Every function takes keyword-only arguments and raises `CognitoError` (with the AWS error code
and a message that can be shown to the user) instead of botocore exceptions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from django.conf import settings
from django.utils.translation import gettext as _

from accounts import password_rules
from core import aws

logger = logging.getLogger(__name__)

UNAVAILABLE = "ServiceUnavailable"
# Codes that say the same thing to the user: never which of email or password was wrong.
BAD_CREDENTIALS = frozenset({"NotAuthorizedException", "UserNotFoundException"})
THROTTLED = frozenset(
    {
        "TooManyRequestsException",
        "LimitExceededException",
        "TooManyFailedAttemptsException",
    }
)
BAD_CODE = frozenset(
    {"CodeMismatchException", "ExpiredCodeException", "EnableSoftwareTokenMFAException"}
)


SHOWN_AS_IS = frozenset({"InvalidPasswordException", "UserLambdaValidationException"})
# Cognito prefixes a trigger's exception message with this.
TRIGGER_PREFIX = "PreSignUp failed with error "


class CognitoError(Exception):
    """A failed User Pool call: `code` is the AWS error code, `message` is safe to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Tokens:
    """The tokens of a successful authentication."""

    id_token: str
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Challenge:
    """A challenge Cognito wants answered before it issues tokens."""

    name: str
    session: str
    username: str
    parameters: dict[str, Any] = field(default_factory=dict)


def _idp() -> Any:
    return aws.client("cognito-idp")


def normalize_email(email: str) -> str:
    """Return the email as the pool compares it (the pool is case-insensitive)."""
    return email.strip().lower()


def secret_hash(*, username: str) -> str | None:
    """Return the SECRET_HASH for username, or None when the app client has no secret."""
    secret = settings.COGNITO_APP_CLIENT_SECRET
    if not secret:
        return None
    message = (username + settings.COGNITO_APP_CLIENT_ID).encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _with_secret(params: dict[str, str], *, username: str, key: str = "SECRET_HASH") -> dict:
    value = secret_hash(username=username)
    if value is not None:
        params[key] = value
    return params


def error_message(code: str, default: str = "") -> str:
    """Return the user-facing message for an AWS error code."""
    if code in BAD_CREDENTIALS:
        return _("Incorrect email or password.")
    if code in THROTTLED:
        return _("Too many attempts. Please wait a few minutes and try again.")
    if code in BAD_CODE:
        return _("That code is wrong or has expired. Check it, or ask for a new one.")
    if code == "InvalidPasswordException":
        return password_rules.password_refusal_text(default)
    if code == "UserLambdaValidationException":
        return default.removeprefix(TRIGGER_PREFIX) or _("This sign-up is not allowed.")
    if code == "UserNotConfirmedException":
        return _("Please confirm your email address first.")
    if code == "PasswordResetRequiredException":
        return _("You need to reset your password before you can sign in.")
    if code == "InvalidParameterException":
        return _("Please check what you entered and try again.")
    if code == UNAVAILABLE:
        return _("Sign-in is unavailable right now. Please try again shortly.")
    return _("Something went wrong. Please try again.")


def _call(operation: str, **kwargs: Any) -> dict[str, Any]:
    """Call one User Pool operation and translate its failures into CognitoError."""
    try:
        return getattr(_idp(), operation)(**kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code", "Unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status >= 500 or code.isdigit():
            logger.warning("Cognito %s failed: HTTP %s", operation, status)
            code = UNAVAILABLE
        else:
            logger.info("Cognito %s refused: %s", operation, code)
        # Cognito's own text is shown only where it carries no secrets: the password policy,
        # and the refusal our pre sign-up trigger wrote.
        detail = error.get("Message", "") if code in SHOWN_AS_IS else ""
        raise CognitoError(code, error_message(code, detail)) from exc
    except ParamValidationError as exc:
        # Input botocore refuses before sending (a code too long, a bad session string).
        logger.info("Cognito %s: invalid parameters", operation)
        code = "InvalidParameterException"
        raise CognitoError(code, error_message(code)) from exc
    except BotoCoreError as exc:
        logger.warning("Cognito %s failed: %s", operation, type(exc).__name__)
        raise CognitoError(UNAVAILABLE, error_message(UNAVAILABLE)) from exc


def _outcome(
    response: dict[str, Any], *, username: str, refresh_token: str = ""
) -> Tokens | Challenge:
    """Turn an InitiateAuth or RespondToAuthChallenge answer into Tokens or a Challenge."""
    result = response.get("AuthenticationResult")
    if result:
        return Tokens(
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
            refresh_token=result.get("RefreshToken") or refresh_token,
            expires_in=int(result.get("ExpiresIn", 3600)),
        )
    parameters = response.get("ChallengeParameters") or {}
    return Challenge(
        name=response["ChallengeName"],
        session=response.get("Session", ""),
        username=parameters.get("USER_ID_FOR_SRP") or parameters.get("USERNAME") or username,
        parameters=parameters,
    )


def user_sign_up(*, email: str, password: str, display_name: str) -> None:
    """Register a new user; Cognito emails them a confirmation code."""
    email = normalize_email(email)
    params: dict[str, Any] = {
        "ClientId": settings.COGNITO_APP_CLIENT_ID,
        "Username": email,
        "Password": password,
        "UserAttributes": [
            {"Name": "email", "Value": email},
            {"Name": "name", "Value": display_name},
        ],
    }
    _call("sign_up", **_with_secret(params, username=email))


def user_confirm(*, email: str, code: str) -> None:
    """Confirm a registration with the emailed code."""
    email = normalize_email(email)
    params = {
        "ClientId": settings.COGNITO_APP_CLIENT_ID,
        "Username": email,
        "ConfirmationCode": code.strip(),
    }
    _call("confirm_sign_up", **_with_secret(params, username=email))


def code_resend(*, email: str) -> None:
    """Send the registration code again."""
    email = normalize_email(email)
    params = {"ClientId": settings.COGNITO_APP_CLIENT_ID, "Username": email}
    _call("resend_confirmation_code", **_with_secret(params, username=email))


def password_auth(*, email: str, password: str) -> Tokens | Challenge:
    """Sign in with email and password (USER_PASSWORD_AUTH)."""
    email = normalize_email(email)
    auth = _with_secret({"USERNAME": email, "PASSWORD": password}, username=email)
    response = _call(
        "initiate_auth",
        ClientId=settings.COGNITO_APP_CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=auth,
    )
    return _outcome(response, username=email)


def challenge_respond(*, challenge: Challenge, answers: dict[str, str]) -> Tokens | Challenge:
    """Answer a challenge (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, ...)."""
    responses = _with_secret(
        {"USERNAME": challenge.username, **answers}, username=challenge.username
    )
    response = _call(
        "respond_to_auth_challenge",
        ClientId=settings.COGNITO_APP_CLIENT_ID,
        ChallengeName=challenge.name,
        Session=challenge.session,
        ChallengeResponses=responses,
    )
    return _outcome(response, username=challenge.username)


def tokens_refresh(*, refresh_token: str, username: str) -> Tokens:
    """Get fresh ID and access tokens with a refresh token; username is cognito:username."""
    auth = _with_secret({"REFRESH_TOKEN": refresh_token}, username=username)
    response = _call(
        "initiate_auth",
        ClientId=settings.COGNITO_APP_CLIENT_ID,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters=auth,
    )
    outcome = _outcome(response, username=username, refresh_token=refresh_token)
    if not isinstance(outcome, Tokens):
        raise CognitoError("UnexpectedChallenge", error_message("UnexpectedChallenge"))
    return outcome


def password_forgot(*, email: str) -> None:
    """Ask Cognito to email a password reset code."""
    email = normalize_email(email)
    params = {"ClientId": settings.COGNITO_APP_CLIENT_ID, "Username": email}
    _call("forgot_password", **_with_secret(params, username=email))


def password_reset(*, email: str, code: str, new_password: str) -> None:
    """Set a new password with the emailed reset code."""
    email = normalize_email(email)
    params = {
        "ClientId": settings.COGNITO_APP_CLIENT_ID,
        "Username": email,
        "ConfirmationCode": code.strip(),
        "Password": new_password,
    }
    _call("confirm_forgot_password", **_with_secret(params, username=email))


def password_change(*, access_token: str, old_password: str, new_password: str) -> None:
    """Change the signed-in user's password."""
    _call(
        "change_password",
        AccessToken=access_token,
        PreviousPassword=old_password,
        ProposedPassword=new_password,
    )


def global_sign_out(*, access_token: str) -> None:
    """Invalidate every refresh token of the user (all devices)."""
    _call("global_sign_out", AccessToken=access_token)


def token_revoke(*, refresh_token: str) -> bool:
    """Revoke a refresh token and the tokens issued from it; False if the endpoint can't.

    The local emulator implements no RevokeToken (it answers with a server error and prints a
    traceback), so against it the call is not made: an unsupported operation, like a pool
    without token revocation. GlobalSignOut, called first at sign-out, already revoked the
    refresh token there.
    """
    if aws.is_local_endpoint(aws.settings().endpoint_for("cognito-idp")):
        return False
    params: dict[str, str] = {"ClientId": settings.COGNITO_APP_CLIENT_ID, "Token": refresh_token}
    if settings.COGNITO_APP_CLIENT_SECRET:
        params["ClientSecret"] = settings.COGNITO_APP_CLIENT_SECRET
    try:
        _call("revoke_token", **params)
    except CognitoError as exc:
        # moto has no RevokeToken (it answers 500); a pool without revocation refuses it.
        if exc.code in {
            UNAVAILABLE,
            "UnsupportedOperationException",
            "UnsupportedTokenTypeException",
        }:
            return False
        raise
    return True


def user_attributes(*, access_token: str) -> dict[str, str]:
    """Return the signed-in user's attributes (GetUser)."""
    response = _call("get_user", AccessToken=access_token)
    attributes = {a["Name"]: a["Value"] for a in response.get("UserAttributes", [])}
    attributes["cognito:username"] = response.get("Username", "")
    attributes["mfa:totp"] = str("SOFTWARE_TOKEN_MFA" in (response.get("UserMFASettingList") or []))
    return attributes


def totp_available() -> bool:
    """Tell whether the user pool allows TOTP (authenticator app) MFA."""
    response = _call("get_user_pool_mfa_config", UserPoolId=settings.COGNITO_USER_POOL_ID)
    if response.get("MfaConfiguration", "OFF") == "OFF":
        return False
    return bool(response.get("SoftwareTokenMfaConfiguration", {}).get("Enabled"))


def totp_associate(*, access_token: str) -> str:
    """Start TOTP setup; return the shared secret for the authenticator app."""
    return _call("associate_software_token", AccessToken=access_token)["SecretCode"]


def totp_verify(*, access_token: str, code: str, device_name: str) -> None:
    """Check the first code from the authenticator app and make TOTP the preferred MFA."""
    response = _call(
        "verify_software_token",
        AccessToken=access_token,
        UserCode=code.strip(),
        FriendlyDeviceName=device_name,
    )
    if response.get("Status") != "SUCCESS":
        raise CognitoError("CodeMismatchException", error_message("CodeMismatchException"))
    _call(
        "set_user_mfa_preference",
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )


def totp_associate_for_challenge(*, challenge: Challenge) -> tuple[str, Challenge]:
    """Start TOTP setup during sign-in (MFA_SETUP); return the secret and the new session."""
    response = _call("associate_software_token", Session=challenge.session)
    return response["SecretCode"], Challenge(
        name=challenge.name,
        session=response.get("Session", challenge.session),
        username=challenge.username,
        parameters=challenge.parameters,
    )


def totp_verify_for_challenge(*, challenge: Challenge, code: str) -> Challenge:
    """Check the first TOTP code during sign-in; return the challenge with its new session."""
    response = _call(
        "verify_software_token",
        Session=challenge.session,
        UserCode=code.strip(),
        FriendlyDeviceName="photosite",
    )
    if response.get("Status") != "SUCCESS":
        raise CognitoError("CodeMismatchException", error_message("CodeMismatchException"))
    return Challenge(
        name=challenge.name,
        session=response.get("Session", challenge.session),
        username=challenge.username,
        parameters=challenge.parameters,
    )
