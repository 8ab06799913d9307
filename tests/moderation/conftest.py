"""Fixtures of the moderation tests: the gallery's users and photos, plus admin users."""

from __future__ import annotations

import pytest

from moderation.records import AuditEvent
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import (  # noqa: F401 - fixtures shared with the gallery tests
    _fresh_identity_cache,
    alice,
    bob,
    make_photo,
    moderator,
)


@pytest.fixture
def superuser(aws_stack):
    """A member of `superadmins`: every permission, managing users included."""
    return site_user("sub-root", "Root 管理员", ("superadmins",))


@pytest.fixture
def admins_member(aws_stack):
    """A moderator as Cognito sign-in makes one: in the `admins` group."""
    return site_user("sub-adm", "Adm", ("admins",))


@pytest.fixture
def viewer(aws_stack, settings):
    """Staff without moderation permissions: a group the mapping grants the admin's views only."""
    settings.COGNITO_GROUP_RIGHTS = {
        **settings.COGNITO_GROUP_RIGHTS,
        "viewers": {"is_staff": True, "permissions": ["moderation.view_photoentry"]},
    }
    return site_user("sub-view", "Vi", ("viewers",))


@pytest.fixture
def root_client(client, superuser):
    sign_in(client, superuser)
    return client


def audit_events() -> list:
    """Every event of the audit trail, oldest first (a Scan: the test inspecting, not the site)."""
    return sorted(AuditEvent.scan(), key=lambda event: event.created_key)


def only(events: list):
    """Return the one event of a list that must hold exactly one."""
    assert len(events) == 1, [(e.action, e.object_type) for e in events]
    return events[0]
