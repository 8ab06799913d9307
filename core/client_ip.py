"""Find the client's IP address behind zero or more trusted proxies."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping


def client_ip(meta: Mapping[str, str], *, trusted_proxies: int) -> str:
    """Return the client address: REMOTE_ADDR, or the right-most untrusted X-Forwarded-For hop.

    Each trusted proxy appends the address it received the request from, so the client is the
    entry `trusted_proxies` places from the right. Anything further left was written by the
    client itself and may be forged.
    """
    remote = meta.get("REMOTE_ADDR", "")
    if trusted_proxies <= 0:
        return _clean(remote)
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        # Fewer hops than proxies: the request bypassed them; the direct peer is all we know.
        return _clean(remote)
    return _clean(hops[-trusted_proxies])


def mask_ip(ip: str) -> str:
    """Hide the host part: the last IPv4 octet, or all but the first four IPv6 groups."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 4:
        return ".".join([*ip.split(".")[:3], "x"])
    network = ipaddress.ip_network(f"{address}/64", strict=False)
    return f"{network.network_address.compressed.rstrip(':')}:x"


def truncate_ip(ip: str) -> str:
    """Return the network an address belongs to, in the form kept after the retention period:
    IPv4 /24 as `203.0.113.x`, IPv6 /48 as `2001:db8:1:x`.

    A value that is not an address (already truncated, or empty) is returned as it is, so the
    function can be applied to whatever an item stores.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 4:
        return ".".join([*ip.split(".")[:3], "x"])
    network = ipaddress.ip_network(f"{address}/48", strict=False)
    groups = network.network_address.exploded.split(":")[:3]
    return ":".join([*(group.lstrip("0") or "0" for group in groups), "x"])


def _clean(value: str) -> str:
    """Return a valid IP address string, or "" for anything that is not one."""
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return ""
