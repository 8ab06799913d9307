"""Fixtures of the fault tests: the gallery's users and files, and the fault injector."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.users import sign_in
from tests.faults.inject import injected_faults
from tests.gallery.conftest import (  # noqa: F401  (fixtures)
    _fresh_identity_cache,
    alice,
    bob,
    make_photo,
)


@pytest.fixture
def faults(monkeypatch):
    with injected_faults(monkeypatch) as injected:
        yield injected


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns the error page instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def alice_web(quiet_client, alice) -> Client:  # noqa: F811  (the imported fixture)
    sign_in(quiet_client, alice)
    return quiet_client
