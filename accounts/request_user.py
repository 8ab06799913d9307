"""The Django user of a request, built from verified Cognito claims; never an ORM row.

Cognito owns users. A request's user is made from the claims of a token the site verified (the
ID token kept in the session, or a Bearer access token), corrected by the user's standing in
DynamoDB (accounts.standing): it is never read from or written to SQL. Rights come from the
user's Cognito groups through one mapping, `settings.COGNITO_GROUP_RIGHTS`.

`SiteUser` offers what Django's templates, `login_required`, django-ninja and django.contrib.admin
ask of a user; whatever would write it (`save`, `delete`, passwords) refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Rights:
    """What a set of Cognito groups grants on this site."""

    is_staff: bool = False
    is_superuser: bool = False
    permissions: frozenset[str] = frozenset()


def rights_for_groups(groups: Iterable[str]) -> Rights:
    """Combine the rights of each group the user belongs to (unknown groups grant nothing)."""
    mapping: Mapping[str, Mapping[str, Any]] = settings.COGNITO_GROUP_RIGHTS
    is_staff = is_superuser = False
    permissions: set[str] = set()
    for group in groups:
        granted = mapping.get(group)
        if not granted:
            continue
        is_superuser = is_superuser or bool(granted.get("is_superuser"))
        is_staff = is_staff or is_superuser or bool(granted.get("is_staff"))
        permissions.update(granted.get("permissions", ()))
    return Rights(is_staff=is_staff, is_superuser=is_superuser, permissions=frozenset(permissions))


class NotStored(TypeError):
    """Raise when code tries to save or change a SiteUser: users live in Cognito."""


@dataclass(frozen=True, eq=False)
class SiteUser:
    """A signed-in Cognito user, as Django code expects a user to look.

    `username`, `pk` and `id` are the Cognito `sub` (an email can change hands, a sub never
    does); `first_name` is the display name.
    """

    sub: str
    email: str = ""
    display_name: str = ""
    groups: tuple[str, ...] = ()
    cognito_username: str = ""
    rights: Rights = field(default_factory=Rights)

    is_active = True
    is_authenticated = True
    is_anonymous = False

    # --- identity ---

    @property
    def username(self) -> str:
        return self.sub

    @property
    def pk(self) -> str:
        return self.sub

    @property
    def id(self) -> str:
        return self.sub

    @property
    def first_name(self) -> str:
        return self.display_name

    last_name = ""

    def get_username(self) -> str:
        return self.sub

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    def natural_key(self) -> tuple[str]:
        return (self.sub,)

    def __str__(self) -> str:
        return self.display_name or self.email or self.sub

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SiteUser) and other.sub == self.sub

    def __hash__(self) -> int:
        return hash(self.sub)

    # --- rights ---

    @property
    def is_staff(self) -> bool:
        return self.rights.is_staff

    @property
    def is_superuser(self) -> bool:
        return self.rights.is_superuser

    def get_all_permissions(self, obj: Any = None) -> set[str]:
        return set(self.rights.permissions)

    def get_user_permissions(self, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, obj: Any = None) -> set[str]:
        return set(self.rights.permissions)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Tell whether the user has `app_label.codename` (superusers have every permission)."""
        if not self.is_active:
            return False
        return self.is_superuser or perm in self.rights.permissions

    def has_perms(self, perm_list: Iterable[str], obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or any(
            p.startswith(f"{app_label}.") for p in self.rights.permissions
        )

    # --- what a stored user could do, and this one cannot ---

    def has_usable_password(self) -> bool:
        return False  # Cognito owns passwords: the admin shows no "change password" link.

    def check_password(self, raw_password: str) -> bool:
        return False

    def set_password(self, raw_password: str | None) -> None:
        raise NotStored("Passwords belong to Cognito.")

    def set_unusable_password(self) -> None:
        raise NotStored("Passwords belong to Cognito.")

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise NotStored("Users live in Cognito; this object is never stored.")

    def delete(self, *args: Any, **kwargs: Any) -> None:
        raise NotStored("Users live in Cognito; this object is never stored.")

    def get_session_auth_hash(self) -> str:
        return ""


def user_from_claims(*, claims: Mapping[str, Any], groups: Iterable[str] | None = None) -> SiteUser:
    """Build the user from verified token claims; `groups` overrides the claims' groups.

    ID tokens carry email and name; access tokens carry neither (the caller fills them in).
    """
    chosen = sorted(set(claims.get("cognito:groups") or [] if groups is None else groups))
    return SiteUser(
        sub=claims["sub"],
        email=claims.get("email", "") or "",
        # `name` is the attribute; `display_name` is what our pre-token trigger adds.
        display_name=(claims.get("name") or claims.get("display_name") or "")[:300],
        groups=tuple(chosen),
        cognito_username=claims.get("cognito:username") or claims.get("username") or "",
        rights=rights_for_groups(chosen),
    )
