"""Fixtures of the hostile-input tests: the gallery's users and a client that shows error pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.users import sign_in
from tests.gallery.conftest import (  # noqa: F401  (fixtures)
    _fresh_identity_cache,
    alice,
    alice_client,
    bob,
    make_photo,
)


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns the error page instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def bob_client(bob) -> Client:  # noqa: F811  (the imported fixture)
    client = Client(raise_request_exception=False)
    sign_in(client, bob)
    return client
