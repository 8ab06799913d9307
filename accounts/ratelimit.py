"""Fixed-window rate limits kept in DynamoDB, shared by every web instance and Lambda.

One atomic ADD per hit (UpdateItem returning the new count); the item carries a TTL so old
windows disappear by themselves, and reads ignore windows that have ended.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from pynamodb.exceptions import GetError, UpdateError

from accounts.records import RateCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `hits` per `window` seconds for one scope (e.g. "signin-ip")."""

    scope: str
    hits: int
    window: int


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """Return (window number, second the window ends)."""
    number = int(now // limit.window)
    return number, (number + 1) * limit.window


def _key(limit: Limit, subject: str, number: int) -> str:
    # Hashed: counter keys must not store emails or IPs in clear text.
    digest = hashlib.sha256(f"{limit.scope}:{subject}".encode()).hexdigest()[:32]
    return f"{limit.scope}#{digest}#{number}"


def retry_after(*, limit: Limit, now: float | None = None) -> int:
    """Return the seconds until the current window of limit ends."""
    now = time.time() if now is None else now
    return max(1, _window(limit, now)[1] - int(now))


def hit(*, limit: Limit, subject: str, now: float | None = None) -> bool:
    """Count one hit; return False when the limit is now exceeded.

    If the counter table cannot be reached the hit is allowed (and logged): Cognito has its
    own brute-force protection, and an outage here must not lock everyone out.
    """
    now = time.time() if now is None else now
    number, ends = _window(limit, now)
    counter = RateCounter(_key(limit, subject, number))
    try:
        counter.update(
            actions=[
                RateCounter.hits.add(1),
                RateCounter.expires_at.set(datetime.fromtimestamp(ends, UTC)),
            ]
        )
    except UpdateError:
        logger.warning("Rate counter %s unavailable; allowing the hit", limit.scope, exc_info=True)
        return True
    return counter.hits <= limit.hits


def exceeded(*, limit: Limit, subject: str, now: float | None = None) -> bool:
    """Tell whether the subject has used up the current window, without counting a hit."""
    now = time.time() if now is None else now
    number, _ends = _window(limit, now)
    try:
        counter = RateCounter.get(_key(limit, subject, number))
    except RateCounter.DoesNotExist:
        return False
    except GetError:
        logger.warning("Rate counter %s unavailable; allowing", limit.scope, exc_info=True)
        return False
    return counter.hits >= limit.hits
