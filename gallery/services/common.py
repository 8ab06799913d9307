"""What every gallery service needs: ids, the clock, text hygiene and rate limits."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import UTC, datetime

from accounts import ratelimit
from gallery.errors import Invalid, RateLimited


def new_id() -> str:
    """Return a fresh random id that is safe in URLs and S3 keys."""
    return secrets.token_urlsafe(12)


def utc_now(now: datetime | None = None) -> datetime:
    """Return `now` if given (tests pass one), else the current UTC time.

    Services call it as `common.utc_now(...)`, so one patch of this module moves every
    service's clock.
    """
    return now or datetime.now(UTC)


def refuse_control_characters(text: str, *, allowed: str = "") -> None:
    """Refuse C0/C1 control characters (NUL, ESC, ...) other than `allowed`.

    Forms already refuse NUL; the API did not, and a name with NUL or ESC reached page titles
    and terminals. Bidirectional marks are not controls (Cc) and stay: they are real text.
    """
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise Invalid("Remove the control characters from the text.", code="control_characters")


def rate_limit_hit(
    *, action: str, user_key: str, limit: int, window_seconds: int, now: datetime | None = None
) -> None:
    """Count one action of a user in the current fixed window; raise RateLimited past `limit`.

    The counters are the accounts app's (one atomic ADD in DynamoDB), so every web instance
    shares the count and one table serves every limit of the site.
    """
    rule = ratelimit.Limit(scope=action, hits=limit, window=window_seconds)
    if not ratelimit.hit(limit=rule, subject=user_key, now=utc_now(now).timestamp()):
        raise RateLimited(f"You are doing that too often; try again in {window_seconds} seconds.")
