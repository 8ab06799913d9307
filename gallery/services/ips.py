"""IP retention writes: an item stores the truncated address, its full address goes into an
item of its own (RetainedIp) that DynamoDB's TTL removes after PHOTOSITE_IP_RETENTION_DAYS.

Both are written in the caller's transaction, so neither exists without the other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from core.client_ip import truncate_ip
from core.transactions import Transaction
from gallery.models import RetainedIp


def ip_stored_form(ip: str) -> str:
    """Return what a photo or comment itself keeps of an address: its network only."""
    return truncate_ip(ip)


def ip_retain(transaction: Transaction, *, key: str, ip: str, created_at: datetime) -> None:
    """Add the full address, kept until the retention period after `created_at`, to
    `transaction`. Nothing is written for an unknown address (there is nothing to keep)."""
    if not ip or ip == truncate_ip(ip):
        return
    expires_at = created_at + timedelta(days=settings.PHOTOSITE_IP_RETENTION_DAYS)
    transaction.save(RetainedIp(key, ip=ip, expires_at=expires_at))


def ip_forget(transaction: Transaction, *, key: str) -> None:
    """Add the deletion of an item's full address (if any is left) to `transaction`."""
    transaction.delete(RetainedIp(key))
