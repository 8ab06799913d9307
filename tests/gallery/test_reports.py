"""Reports (gallery.services.reports): any viewer reports a photo or a comment; the same
reporter reporting twice is one report; floods are refused; a moderator hides or dismisses,
once. The same rules under real threads (double clicks, floods, moderators acting at once) run
on DynamoDB Local in tests/data/test_report_races.py: moto does not make a conditional write
atomic under concurrent requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from gallery import report_selectors, selectors, services
from gallery.errors import Forbidden, Invalid, NotFound, RateLimited
from gallery.models import Photo
from gallery.report_models import (
    RESOLUTION_DISMISSED,
    RESOLUTION_HIDDEN,
    STATUS_OPEN,
    STATUS_RESOLVED,
    Report,
    ReportCase,
    report_item_key,
)
from gallery.services import albums, reports
from moderation.records import AuditEvent
from tests.accounts.users import site_user

from .conftest import spam_comment

VISITOR_IP = "198.51.100.23"


@pytest.fixture
def photo(make_photo):
    return make_photo("Harbour at dawn")


@pytest.fixture
def comment(photo, bob):
    return spam_comment(photo, bob)


def report_photo(photo, *, reporter=None, ip=VISITOR_IP, reason="spam", **kwargs):
    return reports.report_create(
        photo_id=photo.photo_id,
        reason=reason,
        reporter=reporter or AnonymousUser(),
        ip=ip,
        **kwargs,
    )


def report_comment(comment, *, reporter=None, ip=VISITOR_IP, reason="spam", **kwargs):
    return reports.report_create(
        photo_id=comment.photo_id,
        comment_key=comment.created_key,
        reason=reason,
        reporter=reporter or AnonymousUser(),
        ip=ip,
        **kwargs,
    )


def all_reports() -> list[Report]:
    return list(Report.scan())  # the test inspecting, not the site


def audit_events() -> list[AuditEvent]:
    return sorted(AuditEvent.scan(), key=lambda event: event.created_key)


# --- reporting ----------------------------------------------------------------------------------


def test_a_signed_out_visitor_reports_a_comment_and_it_joins_the_queue(comment):
    outcome = report_comment(comment, reason="harassment", note="Spam link in every photo")

    assert outcome.created
    report = outcome.report
    assert report.reason == "harassment"
    assert report.note == "Spam link in every photo"
    assert report.reporter_sub is None
    assert report.reporter_network == "198.51.100.x"
    assert VISITOR_IP not in report.reporter_key  # the address is never stored whole
    [case] = report_selectors.report_queue().items
    assert case.item_key == report_item_key(comment.photo_id, comment.created_key)
    assert case.kind == "comment"
    assert case.item_text == comment.body
    assert case.item_author == "Bob"
    assert case.open_count == 1
    assert case.reason_counts() == {"harassment": 1}


def test_a_signed_in_user_reports_a_photo_and_is_named(photo, bob):
    outcome = report_photo(photo, reporter=bob, reason="copyright")

    assert outcome.report.reporter_sub == bob.username
    assert outcome.report.reporter_name == "Bob"
    [case] = report_selectors.report_queue().items
    assert case.kind == "photo"
    assert case.item_text == photo.name
    assert case.grid_key == photo.grid_key


def test_reporting_the_same_item_twice_is_one_report(photo, bob):
    first = report_photo(photo, reporter=bob)
    second = report_photo(photo, reporter=bob, reason="other")

    assert first.created and not second.created
    assert second.report.reason == "spam"  # the first report stands
    assert len(all_reports()) == 1
    assert ReportCase.get(report_item_key(photo.photo_id)).open_count == 1


def test_different_reporters_are_counted_per_item_and_reason(photo, bob, alice):
    carol = site_user("sub-carol", "Carol", ("members",))
    report_photo(photo, reporter=bob, reason="spam")
    report_photo(photo, reporter=carol, reason="violence")
    report_photo(photo, ip="192.0.2.1", reason="spam")

    [case] = report_selectors.report_queue().items
    assert case.open_count == 3
    assert case.reason_counts() == {"spam": 2, "violence": 1}
    assert len(report_selectors.report_list_open(item_key=case.item_key)) == 3


def test_the_queue_lists_items_by_their_latest_report(make_photo, comment):
    older = make_photo("Older")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    report_photo(older, now=start)
    report_comment(comment, now=start + timedelta(minutes=1))
    report_photo(older, ip="192.0.2.8", now=start + timedelta(minutes=2))

    keys = [case.item_key for case in report_selectors.report_queue().items]
    assert keys == [
        report_item_key(older.photo_id),
        report_item_key(comment.photo_id, comment.created_key),
    ]


@pytest.mark.parametrize(
    ("reason", "note", "code"),
    [
        ("", "", "reason"),
        ("bored", "", "reason"),
        ("spam", "x" * (reports.NOTE_MAX_CHARS + 1), "too_long"),
        ("spam", "look\x1b[31m", "control_characters"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(photo, reason, note, code):
    with pytest.raises(Invalid) as refused:
        report_photo(photo, reason=reason, note=note)

    assert refused.value.code == code
    assert all_reports() == []


def test_a_note_at_the_limit_is_kept_whole(photo):
    note = "n" * reports.NOTE_MAX_CHARS
    assert report_photo(photo, note=note).report.note == note


def test_nobody_reports_their_own_photo_or_comment(photo, comment, alice, bob):
    with pytest.raises(Invalid):
        report_photo(photo, reporter=alice)
    with pytest.raises(Invalid):
        report_comment(comment, reporter=bob)
    assert all_reports() == []


def test_hidden_missing_or_unknown_items_cannot_be_reported(photo, comment):
    with pytest.raises(NotFound):
        report_photo(Photo(photo_id="no-such-photo"))
    with pytest.raises(NotFound):
        reports.report_create(
            photo_id=photo.photo_id,
            comment_key="x" * 5000,
            reason="spam",
            reporter=AnonymousUser(),
            ip=VISITOR_IP,
        )
    services.comment_hide(photo_id=comment.photo_id, created_key=comment.created_key)
    with pytest.raises(NotFound):
        report_comment(comment)
    services.photo_hide(photo_id=photo.photo_id)
    with pytest.raises(NotFound):
        report_photo(photo)
    assert all_reports() == []


def test_a_share_link_visitor_reports_the_photo_it_shows_and_no_other(photo, make_photo, alice):
    link = services.share_link_create(photo_id=photo.photo_id, actor=alice, expires_in=600)
    other = make_photo("Another")

    outcome = report_photo(photo, share_token=link.token)
    assert outcome.created and outcome.report.via_link
    with pytest.raises(NotFound):
        report_photo(other, share_token=link.token, ip="192.0.2.44")
    services.share_link_revoke(token=link.token, actor=alice)
    with pytest.raises(NotFound):
        report_photo(photo, share_token=link.token, ip="192.0.2.45")


@pytest.mark.parametrize("shape", ["selection", "album"])
def test_a_visitor_of_a_selection_or_album_link_reports_a_photo_it_shows_and_no_other(
    make_photo, alice, shape
):
    shown, also_shown, not_shared = (make_photo(f"Photo {n}") for n in range(3))
    ids = [shown.photo_id, also_shown.photo_id]
    if shape == "album":
        album = albums.album_create(actor=alice, title="Holiday")
        albums.album_items_add(album_id=album.album_id, photo_ids=ids, actor=alice)
        target = {"album_id": album.album_id}
    else:
        target = {"photo_ids": ids}
    link = services.share_link_create(actor=alice, expires_in=600, **target)

    assert report_photo(also_shown, share_token=link.token).created
    with pytest.raises(NotFound):
        report_photo(not_shared, share_token=link.token, ip="192.0.2.60")


# --- rate limits --------------------------------------------------------------------------------


def test_one_address_is_stopped_after_its_limit(make_photo, settings):
    settings.PHOTOSITE_REPORT_IP_LIMIT = 3
    photos = [make_photo(f"Photo {n}") for n in range(4)]
    for photo in photos[:3]:
        report_photo(photo)

    with pytest.raises(RateLimited) as refused:
        report_photo(photos[3])

    assert refused.value.status == 429
    assert "too many reports" in refused.value.message
    assert len(all_reports()) == 3
    # Another address is not affected.
    assert report_photo(photos[3], ip="192.0.2.99").created


def test_one_user_is_stopped_after_their_limit_from_any_address(make_photo, bob, settings):
    settings.PHOTOSITE_REPORT_USER_LIMIT = 2
    photos = [make_photo(f"Photo {n}") for n in range(3)]
    report_photo(photos[0], reporter=bob, ip="192.0.2.1")
    report_photo(photos[1], reporter=bob, ip="192.0.2.2")

    with pytest.raises(RateLimited):
        report_photo(photos[2], reporter=bob, ip="192.0.2.3")


def test_hiding_a_reported_comment_resolves_every_report_and_is_audited(comment, moderator, alice):
    report_comment(comment, reason="spam")
    report_comment(comment, reporter=alice, reason="harassment")
    key = report_item_key(comment.photo_id, comment.created_key)

    result = reports.report_resolve(item_key=key, action="hide", actor=moderator)

    assert (result.resolved, result.already) == (2, False)
    assert selectors.comment_get_latest(
        photo_id=comment.photo_id, created_key=comment.created_key
    ).hidden
    assert report_selectors.report_queue().items == []
    assert report_selectors.report_list_open(item_key=key) == []
    stored = all_reports()
    assert {r.status for r in stored} == {STATUS_RESOLVED}
    assert {r.resolution for r in stored} == {RESOLUTION_HIDDEN}
    assert all(r.expires_at is not None for r in stored)  # purged later by TTL
    case = ReportCase.get(key)
    assert case.resolution == RESOLUTION_HIDDEN and case.expires_at is not None
    [event] = audit_events()
    assert (event.action, event.object_type) == ("hide", "comment")
    assert event.object_id == f"{comment.photo_id}/{comment.created_key}"
    assert event.actor_sub == moderator.username
    assert event.detail == "Resolved 2 report(s): harassment 1, spam 1"


def test_hiding_a_reported_photo_takes_it_out_of_the_gallery(photo, moderator):
    report_photo(photo, reason="sexual")

    reports.report_resolve(item_key=report_item_key(photo.photo_id), action="hide", actor=moderator)

    assert not Photo.get(photo.photo_id).is_visible
    assert [e.action for e in audit_events()] == ["hide"]


def test_dismissing_leaves_the_item_alone_and_is_audited(photo, moderator):
    report_photo(photo)

    result = reports.report_resolve(
        item_key=report_item_key(photo.photo_id), action="dismiss", actor=moderator
    )

    assert result.resolved == 1
    assert Photo.get(photo.photo_id).is_visible
    assert {r.resolution for r in all_reports()} == {RESOLUTION_DISMISSED}
    [event] = audit_events()
    assert (event.action, event.object_id) == ("dismiss", photo.photo_id)


def test_resolving_twice_changes_nothing_the_second_time(photo, moderator):
    report_photo(photo)
    key = report_item_key(photo.photo_id)
    reports.report_resolve(item_key=key, action="dismiss", actor=moderator)

    again = reports.report_resolve(item_key=key, action="hide", actor=moderator)

    assert again.already and again.resolved == 0
    assert Photo.get(photo.photo_id).is_visible
    assert len(audit_events()) == 1


def test_a_report_after_resolution_reopens_the_item(photo, moderator, bob):
    report_photo(photo, reporter=bob)
    key = report_item_key(photo.photo_id)
    reports.report_resolve(item_key=key, action="dismiss", actor=moderator)

    again = report_photo(photo, reporter=bob, reason="violence")

    assert again.created
    [case] = report_selectors.report_queue().items
    assert case.open_count == 1 and case.reason_counts() == {"violence": 1}
    assert case.expires_at is None  # an open case is never purged
    assert [r.status for r in report_selectors.report_list_open(item_key=key)] == [STATUS_OPEN]


def test_only_a_moderator_of_that_kind_of_item_resolves(photo, bob, settings):
    report_photo(photo)
    key = report_item_key(photo.photo_id)
    settings.COGNITO_GROUP_RIGHTS = {
        **settings.COGNITO_GROUP_RIGHTS,
        "comment-mods": {"is_staff": True, "permissions": ["moderation.moderate_comment"]},
    }
    comment_mod = site_user("sub-cm", "CM", ("comment-mods",))

    for actor in (bob, comment_mod):
        with pytest.raises(Forbidden):
            reports.report_resolve(item_key=key, action="hide", actor=actor)
    assert Photo.get(photo.photo_id).is_visible
    assert audit_events() == []


def test_an_unknown_action_or_item_is_refused(photo, moderator):
    report_photo(photo)
    with pytest.raises(Invalid):
        reports.report_resolve(
            item_key=report_item_key(photo.photo_id), action="delete", actor=moderator
        )
    with pytest.raises(NotFound):
        reports.report_resolve(item_key="photo#nothing", action="hide", actor=moderator)


def test_hiding_an_item_deleted_meanwhile_still_resolves(comment, moderator):
    report_comment(comment)
    services.comment_delete(
        photo_id=comment.photo_id, created_key=comment.created_key, actor=moderator
    )

    result = reports.report_resolve(
        item_key=report_item_key(comment.photo_id, comment.created_key),
        action="hide",
        actor=moderator,
    )

    assert result.resolved == 1
    assert report_selectors.report_queue().items == []


@pytest.mark.parametrize("photo_id", ["", "p" * 2000])
def test_an_impossible_photo_id_is_not_found_not_a_server_error(aws_stack, photo_id):
    with pytest.raises(NotFound):
        reports.report_create(
            photo_id=photo_id, reason="spam", reporter=AnonymousUser(), ip=VISITOR_IP
        )
