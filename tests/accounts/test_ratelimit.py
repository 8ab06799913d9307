"""Specification of sign-in rate limits: per client IP and per account, shared via DynamoDB."""

from __future__ import annotations

from pynamodb.exceptions import GetError, UpdateError

from accounts import ratelimit
from accounts.records import RateCounter
from accounts.sessions import TOKENS as SESSION_TOKENS


def _attempt(client, email: str, password: str, ip: str = "198.51.100.7"):
    return client.post("/accounts/login/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_too_many_failures_even_with_the_right_password(
    client, account, settings
):
    settings.PHOTOSITE_SIGNIN_ACCOUNT_LIMIT = 3
    for _ in range(3):
        assert (
            "Incorrect email or password."
            in _attempt(client, account.email, "Wrong-1").content.decode()
        )

    # Also from another IP, and also when the password is right.
    response = _attempt(client, account.email, account.password, ip="203.0.113.9")

    assert "Too many attempts" in response.content.decode()
    assert SESSION_TOKENS not in client.session


def test_the_account_lock_does_not_block_other_accounts(client, account, settings):
    settings.PHOTOSITE_SIGNIN_ACCOUNT_LIMIT = 2
    for _ in range(2):
        _attempt(client, "victim@example.com", "Wrong-1")
    response = _attempt(client, account.email, account.password)
    assert response.status_code == 302


def test_successful_sign_ins_do_not_count_against_the_account(client, account, settings):
    settings.PHOTOSITE_SIGNIN_ACCOUNT_LIMIT = 2
    for _ in range(3):
        assert _attempt(client, account.email, account.password).status_code == 302
        client.post("/accounts/logout/")


def test_one_ip_is_limited_across_accounts(client, account, settings):
    settings.PHOTOSITE_SIGNIN_IP_LIMIT = 3
    for n in range(3):
        _attempt(client, f"user{n}@example.com", "Wrong-1")

    blocked = _attempt(client, account.email, account.password)
    other_ip = _attempt(client, account.email, account.password, ip="192.0.2.44")

    assert "Too many attempts" in blocked.content.decode()
    assert other_ip.status_code == 302


def test_the_ip_comes_from_the_trusted_proxy_header(client, account, settings):
    settings.PHOTOSITE_SIGNIN_IP_LIMIT = 2
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        client.post(
            "/accounts/login/",
            {"email": "x@example.com", "password": "Wrong-1"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    # Same load balancer, another client: not blocked.
    response = client.post(
        "/accounts/login/",
        {"email": account.email, "password": account.password},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 302


def test_code_emails_are_limited_per_ip(client, aws_stack, settings):
    settings.PHOTOSITE_EMAIL_IP_LIMIT = 2
    for n in range(2):
        assert (
            client.post("/accounts/password/forgot/", {"email": f"u{n}@example.com"}).status_code
            == 302
        )
    response = client.post("/accounts/password/forgot/", {"email": "u9@example.com"})
    assert "Too many attempts" in response.content.decode()


LIMIT = ratelimit.Limit("test", hits=2, window=60)


def test_a_new_window_starts_from_zero(aws_stack):
    assert ratelimit.hit(limit=LIMIT, subject="s", now=1200.0)
    assert ratelimit.hit(limit=LIMIT, subject="s", now=1210.0)
    assert not ratelimit.hit(limit=LIMIT, subject="s", now=1259.0)
    assert ratelimit.exceeded(limit=LIMIT, subject="s", now=1259.0)
    assert ratelimit.hit(limit=LIMIT, subject="s", now=1260.0)
    assert not ratelimit.exceeded(limit=LIMIT, subject="s", now=1260.0)


def test_counters_expire_with_their_window_and_store_no_emails_or_ips(aws_stack):
    ratelimit.hit(limit=LIMIT, subject="someone@example.com", now=1200.0)
    ratelimit.hit(limit=LIMIT, subject="198.51.100.7", now=1200.0)

    items = list(RateCounter.scan())  # test inspection only; the site never scans

    assert len(items) == 2
    for item in items:
        assert "example.com" not in item.counter_key and "198.51" not in item.counter_key
        assert item.expires_at.timestamp() == 1260


def test_retry_after_counts_to_the_end_of_the_window():
    assert ratelimit.retry_after(limit=LIMIT, now=1230.0) == 30


def test_an_unreachable_counter_table_lets_sign_in_proceed(monkeypatch):
    def update_fails(self, **kwargs):
        raise UpdateError("Failed to update item", cause=ConnectionError("endpoint down"))

    def get_fails(*args, **kwargs):
        raise GetError("Failed to get item", cause=ConnectionError("endpoint down"))

    monkeypatch.setattr(RateCounter, "update", update_fails)
    monkeypatch.setattr(RateCounter, "get", get_fails)
    assert ratelimit.hit(limit=LIMIT, subject="s")
    assert not ratelimit.exceeded(limit=LIMIT, subject="s")


def test_a_sign_in_attempt_costs_two_counter_calls(client, account, monkeypatch):
    calls = []
    original_update, original_get = RateCounter.update, RateCounter.get
    monkeypatch.setattr(
        RateCounter,
        "update",
        lambda self, **kw: calls.append("update") or original_update(self, **kw),
    )
    monkeypatch.setattr(
        RateCounter, "get", lambda *a, **kw: calls.append("get") or original_get(*a, **kw)
    )

    _attempt(client, account.email, account.password)
    assert sorted(calls) == ["get", "update"]
    calls.clear()
    _attempt(client, account.email, "Wrong-1")
    assert sorted(calls) == ["get", "update", "update"]
