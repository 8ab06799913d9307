"""Fixtures of the moderation tests: the gallery's users and photos, plus admin users."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.gallery.conftest import (  # noqa: F401 - fixtures shared with the gallery tests
    _fresh_identity_cache,
    alice,
    bob,
    make_photo,
    moderator,
)


@pytest.fixture
def superuser(db, aws_stack):
    return get_user_model().objects.create_user(
        username="sub-root", first_name="Root 管理员", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admins_member(db, aws_stack):
    """A moderator as Cognito sign-in makes one: staff, in the mirrored `admins` group."""
    user = get_user_model().objects.create_user(username="sub-adm", first_name="Adm", is_staff=True)
    user.groups.add(Group.objects.get(name="admins"))
    return user


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard is cached per process; each test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
