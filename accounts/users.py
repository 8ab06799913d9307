"""User administration in the Cognito User Pool, for the admin's user pages.

Cognito owns users. Disabling stops Cognito from issuing and refreshing tokens and signs the
user out everywhere (AdminUserGlobalSignOut revokes refresh tokens), but access and ID tokens
already issued stay cryptographically valid until they expire, and the site verifies them
itself. So every change is also written to the user's standing (accounts.standing), which each
authenticated request reads: a disabled user's earlier session or token is refused on their
next request, and a role change applies to tokens issued before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from accounts import cognito, standing
from accounts.cognito import CognitoError

MANAGED_GROUPS = ("admins", "members")
_FILTER_UNSAFE = re.compile(r'["\\]')


@dataclass(frozen=True)
class PoolUser:
    """A user as the User Pool describes it."""

    username: str
    attributes: dict[str, str]
    status: str
    enabled: bool
    created: datetime | None = None
    modified: datetime | None = None
    groups: list[str] = field(default_factory=list)

    @property
    def sub(self) -> str:
        return self.attributes.get("sub", "")

    @property
    def email(self) -> str:
        return self.attributes.get("email", "")

    @property
    def name(self) -> str:
        return self.attributes.get("name", "")


def _pool() -> str:
    return settings.COGNITO_USER_POOL_ID


def _pool_user(data: dict[str, Any], groups: list[str] | None = None) -> PoolUser:
    attrs = data.get("Attributes") or data.get("UserAttributes") or []
    return PoolUser(
        username=data["Username"],
        attributes={a["Name"]: a.get("Value", "") for a in attrs},
        status=data.get("UserStatus", ""),
        enabled=bool(data.get("Enabled", True)),
        created=data.get("UserCreateDate"),
        modified=data.get("UserLastModifiedDate"),
        groups=groups or [],
    )


def user_list(
    *, query: str = "", attribute: str = "email", token: str | None = None, limit: int = 50
) -> tuple[list[PoolUser], str | None]:
    """Return a page of users (ListUsers), optionally those whose attribute starts with `query`.

    ListUsers filters by prefix (`^=`) on one standard attribute; quotes and backslashes are
    dropped so the query cannot break out of the filter string.
    """
    if attribute not in {"email", "name", "sub", "username"}:
        attribute = "email"
    params: dict[str, Any] = {"UserPoolId": _pool(), "Limit": limit}
    query = _FILTER_UNSAFE.sub("", query.strip())
    if query:
        params["Filter"] = f'{attribute} ^= "{query}"'
    if token:
        params["PaginationToken"] = token
    response = cognito._call("list_users", **params)
    return [_pool_user(u) for u in response.get("Users", [])], response.get("PaginationToken")


def user_get(*, username: str) -> PoolUser:
    """Return one user with its groups (AdminGetUser, AdminListGroupsForUser)."""
    data = cognito._call("admin_get_user", UserPoolId=_pool(), Username=username)
    return _pool_user(data, groups=user_groups(username=username))


def user_groups(*, username: str) -> list[str]:
    """Return the names of a user's groups."""
    response = cognito._call(
        "admin_list_groups_for_user", UserPoolId=_pool(), Username=username, Limit=60
    )
    return sorted(g["GroupName"] for g in response.get("Groups", []))


def user_disable(*, username: str) -> PoolUser:
    """Disable a user and sign them out everywhere, in Cognito and on this site."""
    cognito._call("admin_disable_user", UserPoolId=_pool(), Username=username)
    cognito._call("admin_user_global_sign_out", UserPoolId=_pool(), Username=username)
    user = user_get(username=username)
    if user.sub:
        standing.standing_disable(sub=user.sub, display_name=user.name)
    return user


def user_enable(*, username: str) -> PoolUser:
    """Enable a disabled user in Cognito and on this site."""
    cognito._call("admin_enable_user", UserPoolId=_pool(), Username=username)
    user = user_get(username=username)
    if user.sub:
        standing.standing_enable(sub=user.sub, display_name=user.name)
    return user


def user_group_set(*, username: str, group: str, member: bool) -> PoolUser:
    """Add the user to a group or remove them; applies on the user's next request.

    Tokens issued before the change still name the old groups, so the groups Cognito now
    reports are recorded in the user's standing for those tokens: a moderator removed from
    `admins` loses the admin now, not when their token expires.
    """
    if group not in MANAGED_GROUPS:
        raise CognitoError("InvalidParameterException", f"Unknown group {group!r}.")
    operation = "admin_add_user_to_group" if member else "admin_remove_user_from_group"
    cognito._call(operation, UserPoolId=_pool(), Username=username, GroupName=group)
    user = user_get(username=username)
    if user.sub:
        standing.standing_groups_set(sub=user.sub, groups=user.groups, display_name=user.name)
    return user


def user_invite(*, email: str, display_name: str = "") -> PoolUser:
    """Create a user by invitation (AdminCreateUser): Cognito emails a temporary password.

    The email's text comes from the custom message trigger (CustomMessage_AdminCreateUser).
    Invited users join `members`, as the post confirmation trigger does for sign-ups (it does
    not run for invited users).
    """
    email = cognito.normalize_email(email)
    attributes = [
        {"Name": "email", "Value": email},
        {"Name": "email_verified", "Value": "true"},
    ]
    if display_name.strip():
        attributes.append({"Name": "name", "Value": display_name.strip()})
    data = cognito._call(
        "admin_create_user",
        UserPoolId=_pool(),
        Username=email,
        UserAttributes=attributes,
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    created = _pool_user(data)
    cognito._call(
        "admin_add_user_to_group",
        UserPoolId=_pool(),
        Username=created.username,
        GroupName="members",
    )
    return user_get(username=created.username)
