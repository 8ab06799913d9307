"""Sign-in, token refresh and sign-out: the session side of Cognito authentication.

Views, the Hosted UI callback and the middleware call these; they in turn call
`accounts.cognito` (the User Pool API) and `accounts.sessions` (what the session holds). Other
apps read the session through `accounts.sessions` too, never by key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.utils.translation import gettext as _
from pynamodb.exceptions import PynamoDBException

from accounts import cognito, ratelimit, sessions, standing
from accounts.cognito import Challenge, CognitoError, Tokens
from accounts.identity import identity_forget
from accounts.profiles import profile_ensure
from accounts.request_user import SiteUser
from accounts.tokens import TokenError
from accounts.verifier import get_verifier

logger = logging.getLogger(__name__)

__all__ = ["Challenge", "CognitoError", "SignInRefused"]  # the errors and types views handle

# Cognito's sign-in session for a challenge lives 3 minutes; ours must not outlive it by much.
CHALLENGE_MAX_AGE = 300


class SignInRefused(Exception):
    """Refuse a sign-in before asking Cognito (rate limit); `message` is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def signin_ip_limit() -> ratelimit.Limit:
    """Return the limit on sign-in attempts per client IP."""
    return ratelimit.Limit(
        "signin-ip", settings.PHOTOSITE_SIGNIN_IP_LIMIT, settings.PHOTOSITE_SIGNIN_WINDOW
    )


def signin_account_limit() -> ratelimit.Limit:
    """Return the limit on failed sign-ins per account."""
    return ratelimit.Limit(
        "signin-account", settings.PHOTOSITE_SIGNIN_ACCOUNT_LIMIT, settings.PHOTOSITE_SIGNIN_WINDOW
    )


def email_ip_limit() -> ratelimit.Limit:
    """Return the limit on code e-mails (sign-up, resend, reset) per client IP."""
    return ratelimit.Limit(
        "email-ip", settings.PHOTOSITE_EMAIL_IP_LIMIT, settings.PHOTOSITE_SIGNIN_WINDOW
    )


def _too_many(limit: ratelimit.Limit) -> SignInRefused:
    minutes = max(1, round(ratelimit.retry_after(limit=limit) / 60))
    return SignInRefused(
        _("Too many attempts. Please try again in %(minutes)d minutes.") % {"minutes": minutes}
    )


def email_rate_check(*, request: HttpRequest) -> None:
    """Count one code e-mail for the client IP; raise SignInRefused over the limit."""
    limit = email_ip_limit()
    if not ratelimit.hit(limit=limit, subject=_client_ip(request)):
        raise _too_many(limit)


# Errors a code-sending call may show: the rest would tell whether the email is registered.
SHOWN_WHEN_SENDING = frozenset({*cognito.THROTTLED, cognito.UNAVAILABLE})


def _send_code(call: Callable[..., None], *, request: HttpRequest, **kwargs: str) -> None:
    """Rate-check, then call; swallow errors that would reveal whether an account exists."""
    email_rate_check(request=request)
    try:
        call(**kwargs)
    except CognitoError as exc:
        if exc.code in SHOWN_WHEN_SENDING:
            raise
        logger.info("Code e-mail not sent (%s); answering as if it was", exc.code)


def user_sign_up(*, request: HttpRequest, email: str, password: str, display_name: str) -> None:
    """Register a user; a taken email looks exactly like a fresh registration.

    Raises SignInRefused (rate limit) or CognitoError for what the user can fix (password
    policy, refused domain, outage).
    """
    email_rate_check(request=request)
    try:
        cognito.user_sign_up(email=email, password=password, display_name=display_name)
    except CognitoError as exc:
        if exc.code != "UsernameExistsException":
            raise
        logger.info("Sign-up for a taken email; answering as if it was new")


def code_resend(*, request: HttpRequest, email: str) -> None:
    """Send the registration code again (silently nothing for unknown emails)."""
    _send_code(cognito.code_resend, request=request, email=email)


def password_forgot(*, request: HttpRequest, email: str) -> None:
    """Send a password reset code (silently nothing for unknown emails)."""
    _send_code(cognito.password_forgot, request=request, email=email)


def password_reset(*, email: str, code: str, new_password: str) -> None:
    """Set a new password with the emailed code; an unknown email reads as a wrong code."""
    try:
        cognito.password_reset(email=email, code=code, new_password=new_password)
    except CognitoError as exc:
        if exc.code in {"InvalidPasswordException", *SHOWN_WHEN_SENDING}:
            raise
        code_error = "CodeMismatchException"
        raise CognitoError(code_error, cognito.error_message(code_error)) from exc


def user_confirm(*, email: str, code: str) -> None:
    """Confirm a registration; an unknown email reads as a wrong code."""
    try:
        cognito.user_confirm(email=email, code=code)
    except CognitoError as exc:
        if exc.code not in {"UserNotFoundException", "NotAuthorizedException"}:
            raise
        code_error = "CodeMismatchException"
        raise CognitoError(code_error, cognito.error_message(code_error)) from exc


def _client_ip(request: HttpRequest) -> str:
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR", "")


def signin_start(*, request: HttpRequest, email: str, password: str) -> Challenge | None:
    """Sign in with email and password; return a pending challenge, or None when signed in."""
    email = cognito.normalize_email(email)
    ip_limit, account_limit = signin_ip_limit(), signin_account_limit()
    if not ratelimit.hit(limit=ip_limit, subject=_client_ip(request)):
        raise _too_many(ip_limit)
    if ratelimit.exceeded(limit=account_limit, subject=email):
        raise _too_many(account_limit)
    try:
        outcome = cognito.password_auth(email=email, password=password)
    except CognitoError as exc:
        if exc.code in cognito.BAD_CREDENTIALS:
            ratelimit.hit(limit=account_limit, subject=email)
        raise
    return _signin_continue(request=request, outcome=outcome)


def challenge_pending(*, request: HttpRequest) -> Challenge | None:
    """Return the challenge this browser must answer, if any (and not stale)."""
    return sessions.challenge_read(session=request.session, max_age=CHALLENGE_MAX_AGE)


def challenge_answer(*, request: HttpRequest, answers: dict[str, str]) -> Challenge | None:
    """Answer the pending challenge; return the next one, or None when signed in."""
    challenge = challenge_pending(request=request)
    if challenge is None:
        raise CognitoError("ExpiredCodeException", _("Your sign-in took too long; start again."))
    outcome = cognito.challenge_respond(challenge=challenge, answers=answers)
    return _signin_continue(request=request, outcome=outcome)


def challenge_store(*, request: HttpRequest, challenge: Challenge) -> None:
    """Remember a challenge (or its new Cognito session) for the next page."""
    sessions.challenge_store(session=request.session, challenge=challenge)


def challenge_abandon(*, request: HttpRequest) -> None:
    """Forget the pending challenge (one this site cannot answer)."""
    sessions.challenge_clear(session=request.session)


def _signin_continue(*, request: HttpRequest, outcome: Tokens | Challenge) -> Challenge | None:
    if isinstance(outcome, Challenge):
        challenge_store(request=request, challenge=outcome)
        return outcome
    sessions.challenge_clear(session=request.session)
    signin_complete(request=request, tokens=outcome)
    return None


def _verified_claims(
    *, tokens: Tokens, nonce: str | None = None, bind_access: bool = False
) -> dict[str, Any]:
    """Verify the ID token (bound to the access token and nonce when asked); return its claims."""
    try:
        claims = get_verifier().verify_id_token(
            tokens.id_token, access_token=tokens.access_token if bind_access else None
        )
    except TokenError as exc:
        raise CognitoError("InvalidToken", _("Sign-in failed. Please try again.")) from exc
    if nonce is not None and claims.get("nonce") != nonce:
        logger.info("Rejected Cognito id token: code=wrong_nonce")
        raise CognitoError("InvalidToken", _("Sign-in failed. Please try again."))
    return claims


def signin_complete(
    *, request: HttpRequest, tokens: Tokens, nonce: str | None = None, bind_access: bool = False
) -> SiteUser:
    """Verify the ID token, sign the browser in and keep the claims and tokens in the session.

    Nothing is written but the session (and the profile, once): the request's user is built
    from these claims on every request (accounts.middleware).
    """
    claims = _verified_claims(tokens=tokens, nonce=nonce, bind_access=bind_access)
    try:
        user = standing.user_admit(claims=claims)
    except standing.Refused as exc:
        logger.info("Sign-in refused by the user's standing (%s)", exc.code)
        raise CognitoError(
            "NotAuthorizedException", cognito.error_message("NotAuthorizedException")
        ) from exc
    sessions.session_renew(session=request.session, sub=user.sub)
    rotate_token(request)  # a new CSRF secret for the signed-in session, as Django's login does
    sessions.claims_store(session=request.session, claims=claims)
    sessions.tokens_store(
        session=request.session, tokens=tokens, username=user.cognito_username or user.sub
    )
    request.user = user
    _profile_ensure(user)
    return user


def _profile_ensure(user: SiteUser) -> None:
    """Create the profile if the post-confirmation trigger has not (moto runs no triggers)."""
    try:
        profile_ensure(sub=user.sub, display_name=user.display_name or user.email, email=user.email)
    except PynamoDBException:
        # The profile is a convenience copy; a failed write must not fail the sign-in.
        logger.warning("Profile write failed at sign-in", exc_info=True)


def _signout_local(*, request: HttpRequest) -> None:
    claims = sessions.claims_read(session=request.session)
    if claims is not None:
        # The browser upload path caches this user's Identity Pool credentials per process.
        identity_forget(user_key=claims["sub"])
    sessions.session_end(session=request.session)
    request.user = AnonymousUser()


def tokens_refresh_if_due(*, request: HttpRequest) -> bool:
    """Refresh the session's tokens when they are about to expire; False if that signed out.

    A refused refresh token (revoked, expired, user disabled) signs the user out; Cognito
    being unreachable leaves the session as it is, to try again on the next request.
    The refreshed ID token's claims replace the session's, so group changes made in Cognito
    reach the user now.
    """
    stored = sessions.tokens_read(session=request.session)
    if stored is None:
        return True
    if stored.expires_at - time.time() > settings.COGNITO_REFRESH_MARGIN:
        return True
    try:
        tokens = cognito.tokens_refresh(
            refresh_token=stored.refresh_token, username=stored.username
        )
    except CognitoError as exc:
        if exc.code == cognito.UNAVAILABLE:
            return True
        logger.info("Token refresh refused (%s); signing the user out", exc.code)
        _signout_local(request=request)
        return False
    previous = sessions.claims_read(session=request.session) or {}
    try:
        claims = _verified_claims(tokens=tokens)
    except CognitoError:
        claims = {}
    if claims.get("sub") != previous.get("sub"):
        logger.warning("Refreshed ID token rejected; signing the user out")
        _signout_local(request=request)
        return False
    sessions.claims_store(session=request.session, claims=claims)
    sessions.tokens_store(session=request.session, tokens=tokens, username=stored.username)
    return True


def session_user(*, request: HttpRequest) -> SiteUser | None:
    """Return the signed-in user of this browser, or None (signed out now if refused).

    Refreshes the tokens when due, then admits the session's claims against the user's
    standing: one GetItem per request of a signed-in browser, nothing for anyone else.
    """
    if sessions.claims_read(session=request.session) is None:
        return None
    if not tokens_refresh_if_due(request=request):
        return None
    claims = sessions.claims_read(session=request.session)
    try:
        return standing.user_admit(claims=claims)
    except standing.Refused as exc:
        logger.info("Session refused by the user's standing (%s); signing out", exc.code)
        _signout_local(request=request)
        return None


def signout(*, request: HttpRequest) -> None:
    """End the session and the user's Cognito sessions (best effort)."""
    stored = sessions.tokens_read(session=request.session)
    if stored and stored.access_token:
        try:
            cognito.global_sign_out(access_token=stored.access_token)
        except CognitoError as exc:
            logger.info("GlobalSignOut failed (%s); revoking the refresh token", exc.code)
    if stored and stored.refresh_token:
        try:
            cognito.token_revoke(refresh_token=stored.refresh_token)
        except CognitoError as exc:
            logger.info("RevokeToken failed (%s)", exc.code)
    _signout_local(request=request)


# --- self-service for the signed-in user (and MFA set-up during sign-in) ------------------------


def email_normalize(*, email: str) -> str:
    """Return the email as the pool compares it (case-insensitive)."""
    return cognito.normalize_email(email)


def signin_next_store(*, request: HttpRequest, url: str) -> None:
    """Remember where to go once the sign-in and its challenges are done."""
    sessions.next_store(session=request.session, url=url)


def signin_next_pop(*, request: HttpRequest) -> str | None:
    """Return and forget where to go after signing in."""
    return sessions.next_pop(session=request.session)


def hosted_ui_signed_in(*, request: HttpRequest) -> bool:
    """Tell whether the Hosted UI signed this browser in."""
    return sessions.hosted_ui_used(session=request.session)


def hosted_ui_mark(*, request: HttpRequest) -> None:
    """Remember that the Hosted UI signed this browser in."""
    sessions.hosted_ui_mark(session=request.session)


def mfa_setup_secret(*, request: HttpRequest, challenge: Challenge) -> str:
    """Return the TOTP secret for an MFA_SETUP challenge, asking Cognito once per sign-in."""
    secret = sessions.secret_read(session=request.session, key=sessions.MFA_SETUP_SECRET)
    if secret is None:
        secret, challenge = cognito.totp_associate_for_challenge(challenge=challenge)
        challenge_store(request=request, challenge=challenge)
        sessions.secret_store(session=request.session, key=sessions.MFA_SETUP_SECRET, secret=secret)
    return secret


def mfa_setup_verify(*, request: HttpRequest, code: str) -> Challenge | None:
    """Check the first code of an MFA_SETUP challenge and continue the sign-in."""
    challenge = challenge_pending(request=request)
    if challenge is None:
        raise CognitoError("ExpiredCodeException", _("Your sign-in took too long; start again."))
    challenge = cognito.totp_verify_for_challenge(challenge=challenge, code=code)
    challenge_store(request=request, challenge=challenge)
    following = challenge_answer(request=request, answers={})
    sessions.secret_clear(session=request.session, key=sessions.MFA_SETUP_SECRET)
    return following


def totp_offered(*, request: HttpRequest) -> bool:
    """Tell whether this signed-in user can turn on an authenticator app here."""
    return bool(sessions.access_token_read(session=request.session)) and cognito.totp_available()


def totp_secret(*, request: HttpRequest, renew: bool) -> tuple[str, bool]:
    """Return the TOTP secret to show and whether it is new; `renew` asks for a fresh one."""
    secret = sessions.secret_read(session=request.session, key=sessions.TOTP_SECRET)
    if secret is not None and not renew:
        return secret, False
    secret = cognito.totp_associate(
        access_token=sessions.access_token_read(session=request.session)
    )
    sessions.secret_store(session=request.session, key=sessions.TOTP_SECRET, secret=secret)
    return secret, True


def totp_verify(*, request: HttpRequest, code: str) -> None:
    """Check the first code from the authenticator app and make TOTP the user's MFA."""
    cognito.totp_verify(
        access_token=sessions.access_token_read(session=request.session),
        code=code,
        device_name="photosite",
    )
    sessions.secret_clear(session=request.session, key=sessions.TOTP_SECRET)


def password_change(*, request: HttpRequest, old_password: str, new_password: str) -> None:
    """Change the signed-in user's password."""
    cognito.password_change(
        access_token=sessions.access_token_read(session=request.session),
        old_password=old_password,
        new_password=new_password,
    )
