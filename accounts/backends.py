"""Authentication backend: a verified Cognito ID token becomes a Django user keyed by `sub`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.http import HttpRequest

from accounts.tokens import TokenError
from accounts.verifier import get_verifier

logger = logging.getLogger(__name__)


class CognitoBackend(ModelBackend):
    """Sign users in with a Cognito ID token; never with a Django password.

    The user's `username` is the Cognito `sub` (an email can change hands, a sub never does);
    email, display name (`first_name`), roles and Django groups are refreshed from the token's
    claims on every sign-in and token refresh.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        *,
        cognito_id_token: str | None = None,
        access_token: str | None = None,
        nonce: str | None = None,
    ) -> AbstractUser | None:
        """Verify the ID token (and its nonce if given); return the matching user."""
        if not cognito_id_token:
            return None
        try:
            claims = get_verifier().verify_id_token(cognito_id_token, access_token=access_token)
        except TokenError:
            return None  # the verifier logged why
        if nonce is not None and claims.get("nonce") != nonce:
            logger.info("Rejected Cognito id token: code=wrong_nonce")
            return None
        user = user_sync(
            sub=claims["sub"],
            email=claims.get("email"),
            # `name` is the attribute; `display_name` is what our pre-token trigger adds.
            display_name=claims.get("name", claims.get("display_name")),
            groups=claims.get("cognito:groups") or [],
        )
        if not self.user_can_authenticate(user):
            return None
        # The sign-in service needs cognito:username (for refreshes) without verifying twice.
        user.cognito_claims = claims
        return user


def roles_for_groups(groups: Iterable[str]) -> tuple[bool, bool]:
    """Return (is_staff, is_superuser) for a set of Cognito groups."""
    groups = set(groups)
    is_superuser = not groups.isdisjoint(settings.COGNITO_SUPERUSER_GROUPS)
    is_staff = is_superuser or not groups.isdisjoint(settings.COGNITO_STAFF_GROUPS)
    return is_staff, is_superuser


def user_sync(
    *,
    sub: str,
    groups: Iterable[str],
    email: str | None = None,
    display_name: str | None = None,
) -> AbstractUser:
    """Create or update the Django user for a Cognito sub; write only what changed.

    None for email or display name means "not in these claims, keep what we have" (access
    tokens carry neither).
    """
    groups = sorted(set(groups))
    is_staff, is_superuser = roles_for_groups(groups)
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.select_for_update().get_or_create(
            username=sub,
            defaults={"email": email or "", "first_name": (display_name or "")[:150]},
        )
        wanted: Mapping[str, Any] = {
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            **({"email": email} if email is not None else {}),
            **({"first_name": display_name[:150]} if display_name is not None else {}),
        }
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if created:
            user.set_unusable_password()
            user.save()
        elif changed:
            user.save(update_fields=changed)
        _mirror_groups(user, groups)
    return user


def _mirror_groups(user: AbstractUser, groups: list[str]) -> None:
    """Make the user's Django groups exactly the Cognito groups."""
    current = set(user.groups.values_list("name", flat=True))
    if current == set(groups):
        return
    wanted = [Group.objects.get_or_create(name=name)[0] for name in groups]
    user.groups.set(wanted)
