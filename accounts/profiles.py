"""Write user profiles (DynamoDB). Django-free: the post-confirmation trigger uses it too."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from accounts.records import Profile


def profile_ensure(*, sub: str, display_name: str, email: str = "") -> bool:
    """Create the profile of sub unless it exists; return whether it was created.

    One conditional PutItem: safe to call on every confirmation and sign-in, and from
    concurrent requests.
    """
    profile = Profile(
        sub=sub, display_name=display_name, email=email or None, created_at=datetime.now(UTC)
    )
    try:
        profile.save(condition=Profile.sub.does_not_exist())
    except PutError as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True
