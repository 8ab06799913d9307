"""A user's standing on this site: disabled, signed out, or re-grouped by the admin.

Tokens the site verified stay cryptographically valid until they expire (an hour), whatever
happens in Cognito meanwhile. So the admin also writes the change to the user's profile item
(accounts.records.Profile), and every authenticated request (web session or Bearer token)
reads that item once, with a strongly consistent GetItem, before it gets a user:

- disabled: refused outright;
- `signed_out_at` after the token was issued: refused (disabling signs the user out);
- `groups_changed_at` after the token was issued: the token's groups are replaced by the ones
  the admin set, so a demoted admin's earlier token carries no staff rights on the very next
  request, and a promoted user's carries the new ones.

No cache: a cached standing would let a disabled user in until it expired. The cost is one
GetItem (one read capacity unit) per authenticated request; anonymous requests read nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from accounts.records import Profile
from accounts.request_user import SiteUser, user_from_claims


class Refused(Exception):
    """The user may not use the site now; `code` says why ("disabled" or "signed_out")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Standing:
    """What the profile item says about a user."""

    exists: bool = False
    display_name: str = ""
    email: str = ""
    disabled: bool = False
    signed_out_at: datetime | None = None
    groups_changed_at: datetime | None = None
    groups: tuple[str, ...] | None = None


def standing_get(*, sub: str) -> Standing:
    """Read a user's standing (one consistent GetItem); no profile means good standing."""
    try:
        item = Profile.get(sub, consistent_read=True)
    except Profile.DoesNotExist:
        return Standing()
    return Standing(
        exists=True,
        display_name=item.display_name or "",
        email=item.email or "",
        disabled=bool(item.disabled),
        signed_out_at=item.signed_out_at,
        groups_changed_at=item.groups_changed_at,
        groups=tuple(item.groups) if item.groups is not None else None,
    )


def _before(issued_at: int, moment: datetime | None) -> bool:
    # `iat` has whole seconds; a moment inside the token's second counts as after it, so a
    # token issued just before the change can never slip through (one issued just after it,
    # in the same second, is treated as older: refused or re-grouped, never over-privileged).
    return moment is not None and issued_at < moment.timestamp()


def user_admit(*, claims: Mapping[str, Any], standing: Standing | None = None) -> SiteUser:
    """Return the user for verified claims, as their standing allows; raise Refused otherwise.

    Reads the standing unless the caller already did.
    """
    standing = standing if standing is not None else standing_get(sub=claims["sub"])
    issued_at = int(claims.get("iat", 0))
    if standing.disabled:
        raise Refused("disabled")
    if _before(issued_at, standing.signed_out_at):
        raise Refused("signed_out")
    groups = standing.groups if _before(issued_at, standing.groups_changed_at) else None
    if "email" not in claims:
        # An access token: no name or email in it, the profile has them.
        claims = {**claims, "name": standing.display_name, "email": standing.email}
    return user_from_claims(claims=claims, groups=groups)


def _update(*, sub: str, display_name: str, actions: list[Any]) -> None:
    now = datetime.now(UTC)
    Profile(sub=sub).update(
        actions=[
            *actions,
            # The user may never have signed in here: the item then starts with this write.
            Profile.display_name.set(Profile.display_name | display_name),
            Profile.created_at.set(Profile.created_at | now),
        ]
    )


def standing_disable(*, sub: str, display_name: str = "", now: datetime | None = None) -> None:
    """Refuse the user from now on: every token and session issued so far, and new ones."""
    now = now or datetime.now(UTC)
    _update(
        sub=sub,
        display_name=display_name,
        actions=[Profile.disabled.set(True), Profile.signed_out_at.set(now)],
    )


def standing_enable(*, sub: str, display_name: str = "") -> None:
    """Let the user in again (tokens from before the disabling stay refused)."""
    _update(sub=sub, display_name=display_name, actions=[Profile.disabled.set(False)])


def standing_groups_set(
    *, sub: str, groups: Iterable[str], display_name: str = "", now: datetime | None = None
) -> None:
    """Record the user's groups as the admin just set them, for tokens issued before now."""
    now = now or datetime.now(UTC)
    _update(
        sub=sub,
        display_name=display_name,
        actions=[
            Profile.groups.set(sorted(set(groups))),
            Profile.groups_changed_at.set(now),
        ],
    )
