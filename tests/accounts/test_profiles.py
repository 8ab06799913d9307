"""Specification of accounts.profiles: one profile per sub, created once."""

from __future__ import annotations

from accounts.profiles import profile_ensure
from accounts.records import Profile


def test_a_profile_is_created_once_and_never_overwritten(aws_stack):
    assert profile_ensure(sub="sub-1", display_name="第一")
    created = Profile.get("sub-1")

    assert not profile_ensure(sub="sub-1", display_name="Second")

    again = Profile.get("sub-1")
    assert (again.display_name, again.created_at) == ("第一", created.created_at)
