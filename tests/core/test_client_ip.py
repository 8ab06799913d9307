"""The client IP is REMOTE_ADDR, or the right-most untrusted X-Forwarded-For hop."""

import pytest

from core.client_ip import client_ip, mask_ip, truncate_ip


def test_without_trusted_proxies_forwarded_for_is_ignored():
    meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    assert client_ip(meta, trusted_proxies=0) == "203.0.113.7"


def test_behind_one_proxy_the_last_hop_is_the_client():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert client_ip(meta, trusted_proxies=1) == "198.51.100.9"


def test_a_forged_left_most_entry_is_not_believed():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.9"}
    assert client_ip(meta, trusted_proxies=1) == "198.51.100.9"


def test_two_proxies_skip_the_inner_hop():
    meta = {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.9, 10.0.0.2"}
    assert client_ip(meta, trusted_proxies=2) == "198.51.100.9"


def test_fewer_hops_than_proxies_falls_back_to_the_peer():
    meta = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": ""}
    assert client_ip(meta, trusted_proxies=1) == "192.0.2.1"


@pytest.mark.parametrize("garbage", ["<script>", "999.1.1.1", "unknown", "1.2.3.4:80"])
def test_garbage_is_never_returned_as_an_address(garbage):
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": garbage}
    assert client_ip(meta, trusted_proxies=1) == ""


def test_ipv6_is_normalised():
    assert client_ip({"REMOTE_ADDR": "2001:DB8::0001"}, trusted_proxies=0) == "2001:db8::1"


def test_the_middleware_sets_request_client_ip(client, settings):
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 1
    # Not /healthz: the health checks are answered before the other middleware, because load
    # balancers probe by IP (photosite.middleware.HealthCheckMiddleware). A 404 still passes
    # through every middleware.
    response = client.get(
        "/no-such-page/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    assert response.wsgi_request.client_ip == "198.51.100.9"


@pytest.mark.parametrize(
    ("ip", "masked"),
    [
        ("203.0.113.77", "203.0.113.x"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:x"),
        ("not-an-ip", ""),
    ],
)
def test_masking_hides_the_host_part(ip, masked):
    assert mask_ip(ip) == masked


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.77", "203.0.113.x"),  # IPv4: /24
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:x"),  # IPv6: /48
        ("2001:db8::7", "2001:db8:0:x"),
        ("2001:0DB8:00a1::1", "2001:db8:a1:x"),
        # Already truncated, or nothing known: kept as it is, so it applies to any stored value.
        ("203.0.113.x", "203.0.113.x"),
        ("2001:db8:1:x", "2001:db8:1:x"),
        ("", ""),
    ],
)
def test_truncation_keeps_the_network_only(ip, network):
    assert truncate_ip(ip) == network
