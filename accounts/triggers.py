"""Cognito User Pool Lambda triggers, importable without Django settings.

`handler(event, context)` is the one entry point; it dispatches on `triggerSource` to one
function per trigger. Every function returns the whole event (Cognito reads `response` from
it); unknown trigger sources come back unchanged. Configuration comes from the environment:

- PHOTOSITE_SIGNUP_ALLOWED_DOMAINS / PHOTOSITE_SIGNUP_DENIED_DOMAINS: comma-separated email
  domains; ".example.com" also matches subdomains. An empty allow list allows every domain.
- COGNITO_MEMBERS_GROUP: the group every confirmed user joins (default "members").
- PHOTOSITE_SITE_NAME / PHOTOSITE_SITE_ORIGIN: used in the messages.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from accounts.profiles import profile_ensure
from core import aws

logger = logging.getLogger(__name__)

DISPLAY_NAME_CLAIM = "display_name"
Event = dict[str, Any]


class SignUpRejected(Exception):
    """Refuse a sign-up; Cognito shows the message as "PreSignUp failed with error ..."."""


def _env_list(name: str, environ: Mapping[str, str]) -> list[str]:
    return [item.strip().lower() for item in environ.get(name, "").split(",") if item.strip()]


def _domain_matches(domain: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.startswith("."):
            if domain.endswith(pattern) or domain == pattern[1:]:
                return True
        elif domain == pattern:
            return True
    return False


def _display_name(attributes: Mapping[str, Any]) -> str:
    """Return the user's display name: the `name` attribute, else the email's local part."""
    name = str(attributes.get("name") or "").strip()
    if name:
        return name
    return str(attributes.get("email") or "").split("@")[0]


def pre_sign_up(event: Event, *, environ: Mapping[str, str] | None = None) -> Event:
    """Allow or refuse a sign-up by email domain (self sign-up and federated first sign-in).

    Users an administrator creates (PreSignUp_AdminCreateUser) are not filtered.
    """
    environ = os.environ if environ is None else environ
    if event.get("triggerSource") == "PreSignUp_AdminCreateUser":
        return event
    email = str(event.get("request", {}).get("userAttributes", {}).get("email") or "").lower()
    _local, at, domain = email.rpartition("@")
    if not at or not domain:
        raise SignUpRejected("An email address is required to sign up.")
    allowed = _env_list("PHOTOSITE_SIGNUP_ALLOWED_DOMAINS", environ)
    denied = _env_list("PHOTOSITE_SIGNUP_DENIED_DOMAINS", environ)
    if _domain_matches(domain, denied) or (allowed and not _domain_matches(domain, allowed)):
        logger.info("Sign-up refused for domain %s", domain)
        raise SignUpRejected(f"Sign-up with an address at {domain} is not allowed on this site.")
    return event


def post_confirmation(event: Event, *, environ: Mapping[str, str] | None = None) -> Event:
    """Add the user to the members group and create their profile; safe to run twice.

    It also fires after a forgotten-password reset (PostConfirmation_ConfirmForgotPassword),
    so both steps tolerate work already done.
    """
    environ = os.environ if environ is None else environ
    attributes = event["request"]["userAttributes"]
    group = environ.get("COGNITO_MEMBERS_GROUP", "members")
    # AdminAddUserToGroup is idempotent: adding a member again changes nothing.
    aws.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=event["userPoolId"], Username=event["userName"], GroupName=group
    )
    profile_ensure(
        sub=attributes["sub"],
        display_name=_display_name(attributes),
        email=attributes.get("email", ""),
    )
    return event


def pre_token_generation(event: Event) -> Event:
    """Add the display name claim (ID token; access token too in v2 events); keep groups.

    Leaving groupOverrideDetails unset keeps `cognito:groups` as Cognito computed them.
    """
    attributes = event.get("request", {}).get("userAttributes", {})
    claims = {DISPLAY_NAME_CLAIM: _display_name(attributes)}
    response = event.get("response") or {}
    if str(event.get("version", "1")) == "1":
        details = response.get("claimsOverrideDetails") or {}
        details["claimsToAddOrOverride"] = {
            **(details.get("claimsToAddOrOverride") or {}),
            **claims,
        }
        response["claimsOverrideDetails"] = details
    else:
        details = response.get("claimsAndScopeOverrideDetails") or {}
        for token in ("idTokenGeneration", "accessTokenGeneration"):
            part = details.get(token) or {}
            part["claimsToAddOrOverride"] = {**(part.get("claimsToAddOrOverride") or {}), **claims}
            details[token] = part
        response["claimsAndScopeOverrideDetails"] = details
    event["response"] = response
    return event


# (subject, lead sentence) per custom message source; the code always follows the lead.
_MESSAGES = {
    "CustomMessage_SignUp": ("Confirm your {site} account", "Welcome to {site}! Your code is"),
    "CustomMessage_ResendCode": ("Your {site} code", "Here is your new {site} code:"),
    "CustomMessage_ForgotPassword": (
        "Reset your {site} password",
        "Someone asked to reset your {site} password. If it was you, your code is",
    ),
    "CustomMessage_UpdateUserAttribute": ("Confirm your new email", "Your {site} code is"),
    "CustomMessage_VerifyUserAttribute": ("Confirm your email", "Your {site} code is"),
    "CustomMessage_Authentication": ("Your {site} sign-in code", "Your {site} sign-in code is"),
}


def custom_message(event: Event, *, environ: Mapping[str, str] | None = None) -> Event:
    """Write branded email and SMS texts that contain the code placeholder Cognito fills in.

    The placeholders (`request.codeParameter`, and `request.usernameParameter` for
    invitations) are copied from the event, never hard-coded.
    """
    environ = os.environ if environ is None else environ
    source = event.get("triggerSource", "")
    request = event.get("request", {})
    code = request.get("codeParameter") or "{####}"
    site = environ.get("PHOTOSITE_SITE_NAME", "photosite")
    origin = environ.get("PHOTOSITE_SITE_ORIGIN", "").rstrip("/")
    name = html.escape(_display_name(request.get("userAttributes", {})))
    if source == "CustomMessage_AdminCreateUser":
        username = request.get("usernameParameter") or "{username}"
        subject = f"You are invited to {site}"
        text = (
            f"You are invited to {site}. Sign in with the username {username} "
            f"and the temporary password {code}"
        )
        link = ""
        if origin:
            link = (
                f'<p><a href="{html.escape(origin)}/accounts/login/">Sign in</a> '
                "and choose your own password.</p>"
            )
        body = (
            f"<p>Hello {name},</p><p>You are invited to {html.escape(site)}.</p>"
            f"<p>Username: <b>{username}</b><br>Temporary password: <b>{code}</b></p>{link}"
        )
    elif source in _MESSAGES:
        subject_template, lead_template = _MESSAGES[source]
        subject = subject_template.format(site=site)
        lead = lead_template.format(site=site)
        text = f"{lead} {code}"
        body = (
            f"<p>Hello {name},</p><p>{html.escape(lead)} <b>{code}</b></p>"
            "<p>If you did not ask for this, you can ignore this email.</p>"
        )
    else:
        return event
    response = event.get("response") or {}
    response.update(emailSubject=subject, emailMessage=body, smsMessage=text)
    event["response"] = response
    return event


_HANDLERS: list[tuple[str, Callable[[Event], Event]]] = [
    ("PreSignUp_", pre_sign_up),
    ("PostConfirmation_", post_confirmation),
    ("TokenGeneration_", pre_token_generation),
    ("CustomMessage_", custom_message),
]


def handler(event: Event, context: Any = None) -> Event:
    """Dispatch a Cognito trigger event on its triggerSource; return the event."""
    source = str(event.get("triggerSource", ""))
    for prefix, function in _HANDLERS:
        if source.startswith(prefix):
            logger.info("Cognito trigger %s", source)
            return function(event)
    return event
