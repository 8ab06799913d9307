"""Read and write a user's preferences, kept on their profile (accounts.records.Profile).

Apart from accounts.profiles on purpose: the Cognito triggers import that module, and their
role may only do what it needs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.records import Profile


def profile_photo_visibility_get(*, sub: str) -> str | None:
    """Return the visibility the user chose for new photos, or None if they never chose."""
    try:
        profile = Profile.get(sub, attributes_to_get=["sub", "photo_visibility"])
    except Profile.DoesNotExist:
        return None
    return profile.photo_visibility


def profile_photo_visibility_set(*, sub: str, display_name: str, visibility: str) -> None:
    """Record the visibility the user wants for new photos (the gallery checks the value).

    One UpdateItem that sets the value whatever it was, so repeating it changes nothing; a
    profile not written yet starts with this write, as an admin's standing change starts one.
    """
    Profile(sub=sub).update(
        actions=[
            Profile.photo_visibility.set(visibility),
            Profile.display_name.set(Profile.display_name | display_name),
            Profile.created_at.set(Profile.created_at | datetime.now(UTC)),
        ]
    )
