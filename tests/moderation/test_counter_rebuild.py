"""Recounting the dashboard's counters from the indexes, for data older than the counters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core.management import call_command

from gallery import services
from gallery.counters import HIDDEN_COMMENTS, HIDDEN_PHOTOS, ActivityCounter
from gallery.services import moderation
from moderation import selectors


def test_the_rebuild_counts_what_the_indexes_hold_and_can_run_twice(make_photo):
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    make_photo("old", now=today - timedelta(days=40))  # outside the 30 days
    kept = make_photo("kept", now=yesterday)
    hidden = make_photo("hidden", now=today)
    moderation.photo_hide(photo_id=hidden.photo_id)
    for n in range(2):
        made = services.comment_create(
            photo_id=kept.photo_id,
            author_sub="sub-bob",
            author_name="Bob",
            body="hi",
            ip="",
            now=today - timedelta(minutes=n),
        )
    moderation.comment_hide(photo_id=kept.photo_id, created_key=made.created_key)
    expected = selectors.dashboard()
    # Counters that missed what happened before they existed (or drifted).
    for key, wrong in ((HIDDEN_PHOTOS, -3), (HIDDEN_COMMENTS, 0)):
        ActivityCounter(key, total=wrong).save()

    out = StringIO()
    call_command("counters_rebuild", stdout=out)
    call_command("counters_rebuild", stdout=StringIO())

    rebuilt = selectors.dashboard()
    assert (rebuilt.uploads, rebuilt.comments) == (expected.uploads, expected.comments)
    assert (rebuilt.hidden_photos, rebuilt.hidden_comments) == (1, 1)
    assert rebuilt.uploads[-2:] == [1, 1] and rebuilt.comments[-1] == 2
    assert "hidden photos 1, hidden comments 1" in out.getvalue()
