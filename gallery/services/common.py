"""What every gallery service needs: ids, the clock, text hygiene, rate limits and quotas."""

from __future__ import annotations

import logging
import secrets
import unicodedata
from datetime import UTC, datetime

from django.conf import settings
from pynamodb.exceptions import UpdateError

from accounts import ratelimit
from accounts.records import RateCounter
from core.transactions import condition_failed
from gallery.errors import Invalid, QuotaExceeded, RateLimited, gettext_noop

logger = logging.getLogger(__name__)


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
        raise Invalid(
            gettext_noop("Remove the control characters from the text."), code="control_characters"
        )


def rate_limit_hit(
    *, action: str, user_key: str, limit: int, window_seconds: int, now: datetime | None = None
) -> None:
    """Count one action of a user in the current fixed window; raise RateLimited past `limit`.

    The counters are the accounts app's (one atomic ADD in DynamoDB), so every web instance
    shares the count and one table serves every limit of the site.
    """
    rule = ratelimit.Limit(scope=action, hits=limit, window=window_seconds)
    if not ratelimit.hit(limit=rule, subject=user_key, now=utc_now(now).timestamp()):
        raise RateLimited(
            gettext_noop("You are doing that too often; try again in %(seconds)d seconds."),
            params={"seconds": window_seconds},
        )


def upload_admit(*, owner_sub: str, now: datetime | None = None) -> None:
    """Count one upload of a user against the upload rate limit; RateLimited past it."""
    rate_limit_hit(
        action="upload",
        user_key=owner_sub,
        limit=settings.PHOTOSITE_UPLOAD_RATE_LIMIT,
        window_seconds=settings.PHOTOSITE_UPLOAD_RATE_WINDOW,
        now=now,
    )


def _quota_counter(owner_sub: str) -> RateCounter:
    # The site's counters table holds every limit; this counter has no window, so no TTL.
    return RateCounter(f"storage-quota#{owner_sub}")


def storage_quota_charge(*, owner_sub: str, size: int) -> None:
    """Add `size` bytes to the user's stored total, or raise QuotaExceeded if it would pass.

    One conditional ADD: DynamoDB checks the total and adds in one step, so concurrent uploads
    cannot together pass the quota (each sees the others' bytes or fails).
    """
    quota = settings.PHOTOSITE_STORAGE_QUOTA_BYTES
    if quota <= 0:
        return
    counter = _quota_counter(owner_sub)
    try:
        counter.update(
            actions=[RateCounter.hits.add(size)],
            condition=RateCounter.hits.does_not_exist() | (RateCounter.hits <= quota - size),
        )
    except UpdateError as exc:
        if condition_failed(exc):
            raise QuotaExceeded(
                gettext_noop(
                    "Your photos use all of your %(quota)s of storage; delete some to upload more."
                ),
                params={"quota": _mebibytes(quota)},
            ) from None
        raise


def storage_quota_release(*, owner_sub: str, size: int | None) -> None:
    """Give back `size` bytes of the user's quota (a deleted photo, a failed upload)."""
    if not size or settings.PHOTOSITE_STORAGE_QUOTA_BYTES <= 0:
        return
    try:
        _quota_counter(owner_sub).update(actions=[RateCounter.hits.add(-size)])
    except UpdateError:
        # The photo is gone either way; the user keeps a little less room until corrected.
        logger.warning("storage quota of %s not released (%d bytes)", owner_sub, size)


def _mebibytes(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"
