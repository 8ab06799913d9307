"""Specification of accounts.session_store: Django sessions in DynamoDB, expiry checked in code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from pynamodb.exceptions import GetError

from accounts.records import Session
from accounts.session_store import SessionStore


@pytest.fixture
def store(aws_stack) -> SessionStore:
    return SessionStore()


def test_a_saved_session_is_read_back_by_another_store(store):
    store["greeting"] = "你好, world"
    store.save()

    other = SessionStore(session_key=store.session_key)

    assert other["greeting"] == "你好, world"
    assert other.exists(store.session_key)


def test_the_item_expires_with_the_session(store):
    store.set_expiry(600)
    store["x"] = 1
    store.save()

    item = Session.get(store.session_key)

    expected = datetime.now(UTC) + timedelta(seconds=600)
    assert abs((item.expires_at - expected).total_seconds()) < 60
    assert item.data != '{"x": 1}'  # stored signed and encoded, not as plain JSON


def test_an_expired_item_is_ignored_although_ttl_has_not_deleted_it(store):
    store["secret"] = "value"
    store.save()
    # TTL deletion is lazy (moto never deletes): the item is still there, but expired.
    item = Session.get(store.session_key)
    item.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    item.save()

    reloaded = SessionStore(session_key=store.session_key)

    assert "secret" not in reloaded
    assert not reloaded.exists(store.session_key)
    assert reloaded.session_key is None  # a fresh key will be issued on save


def test_an_unknown_key_gives_an_empty_session(store):
    reloaded = SessionStore(session_key="nosuchsessionkey0000000000000000")
    assert dict(reloaded.items()) == {}


def test_create_refuses_to_overwrite_an_existing_key(store):
    store["a"] = 1
    store.save()
    clash = SessionStore(session_key=store.session_key)
    clash._session_cache = {"b": 2}
    with pytest.raises(CreateError):
        clash.save(must_create=True)
    assert SessionStore(session_key=store.session_key)["a"] == 1


def test_a_new_session_is_one_conditional_write_and_no_read(store, monkeypatch):
    def no_read(*args, **kwargs):
        raise AssertionError("a new session read the table")

    monkeypatch.setattr(Session, "get", no_read)
    writes = []
    original = Session.save

    def counting_save(item, *args, **kwargs):
        writes.append(kwargs.get("condition"))
        return original(item, *args, **kwargs)

    monkeypatch.setattr(Session, "save", counting_save)
    store["a"] = 1
    store.save()
    assert len(writes) == 1 and writes[0] is not None  # refuses a key that is taken


def test_a_key_that_is_taken_is_drawn_again(store, monkeypatch):
    store["a"] = 1
    store.save()
    taken = store.session_key
    keys = iter([taken, "f" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))

    fresh = SessionStore()
    fresh["b"] = 2
    fresh.save()

    assert fresh.session_key == "f" * 32
    assert SessionStore(session_key=taken)["a"] == 1  # the holder's session is untouched


def test_a_deleted_session_is_not_resurrected_by_a_late_save(store):
    store["a"] = 1
    store.save()
    late = SessionStore(session_key=store.session_key)
    late["a"]  # loaded before the sign-out elsewhere
    store.delete()
    late["b"] = 2
    with pytest.raises(UpdateError):
        late.save()
    assert not store.exists(store.session_key)


def test_cycle_key_moves_the_data_and_deletes_the_old_item(store):
    store["a"] = 1
    store.save()
    old = store.session_key

    store.cycle_key()

    assert store.session_key != old
    assert SessionStore(session_key=store.session_key)["a"] == 1
    assert not store.exists(old)


def test_flush_deletes_the_item(store):
    store["a"] = 1
    store.save()
    key = store.session_key
    store.flush()
    assert not store.exists(key)


def test_an_unreachable_table_is_an_error_not_a_sign_out(monkeypatch):
    # Read as "signed out", the response would delete the session cookie (tests/faults).
    def unreachable(*args, **kwargs):
        raise GetError("Failed to get item", cause=ConnectionError("endpoint down"))

    monkeypatch.setattr(Session, "get", unreachable)
    with pytest.raises(GetError):
        dict(SessionStore(session_key="k" * 32).items())


def test_clear_expired_does_not_touch_the_table(monkeypatch):
    def no_table(*args, **kwargs):
        raise AssertionError("clear_expired used the table")

    monkeypatch.setattr(Session, "_get_connection", no_table)
    SessionStore.clear_expired()


def test_the_site_uses_this_engine(settings):
    assert settings.SESSION_ENGINE == "accounts.session_store"


def test_a_page_costs_one_strongly_consistent_read_per_signed_in_request(signed_in, monkeypatch):
    calls = []
    original = Session.get

    def counting_get(*args, **kwargs):
        calls.append(kwargs.get("consistent_read"))
        return original(*args, **kwargs)

    monkeypatch.setattr(Session, "get", counting_get)
    signed_in.get("/accounts/password/change/")
    assert calls == [True]


def test_anonymous_requests_without_a_cookie_never_touch_the_table(client, monkeypatch):
    def no_table(*args, **kwargs):
        raise AssertionError("the session table was read")

    monkeypatch.setattr(Session, "get", no_table)
    assert client.get("/accounts/login/").status_code == 200
