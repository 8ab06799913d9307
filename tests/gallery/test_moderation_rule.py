"""One rule for changing someone else's content, on the pages and in the API alike.

The owner may edit and delete their own photos and comments; anyone else needs the moderation
permission of that kind of item (granted by Cognito group in COGNITO_GROUP_RIGHTS), being staff
is not enough; and every change a moderator makes to someone else's item writes exactly one
audit event. The admin follows the same rule (tests/moderation).
"""

from __future__ import annotations

import pytest
from django.test import Client

from gallery import selectors, services
from gallery.models import Comment, Photo
from moderation.records import AuditEvent
from tests.accounts.users import sign_in, site_user

from .conftest import jpeg


@pytest.fixture
def rights(settings):
    """Add a `helpers` group: staff (the admin's door opens) without any moderation right."""
    settings.COGNITO_GROUP_RIGHTS = {
        **settings.COGNITO_GROUP_RIGHTS,
        "helpers": {"is_staff": True, "permissions": ["moderation.view_photoentry"]},
    }


@pytest.fixture
def alices(aws_stack):
    """Alice's photo with a comment of hers."""
    photo = services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Harbour",
        data=jpeg(),
        uploader_ip="203.0.113.7",
    )
    comment = services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-alice",
        author_name="Alice",
        body="My harbour",
        ip="203.0.113.8",
    )
    return photo, comment


def client_for(sub: str, groups: tuple[str, ...]) -> Client:
    return sign_in(Client(), site_user(sub, sub[4:].title(), groups))


def audit_events() -> list[AuditEvent]:
    """Every event in the trail (a Scan: the test inspecting, not the site)."""
    return list(AuditEvent.scan())


def photo_exists(photo_id: str) -> bool:
    try:
        Photo.get(photo_id)
    except Photo.DoesNotExist:
        return False
    return True


def photo_gone(photo_id: str) -> bool:
    """Deleted for good (a moderator's deletion), or in its owner's trash (the owner's)."""
    return not photo_exists(photo_id) or Photo.get(photo_id).is_trashed


def comment_body(photo: Photo, comment: Comment) -> str | None:
    items = selectors.comment_list_timeline(photo_id=photo.photo_id).items
    return next((c.body for c in items if c.created_key == comment.created_key), None)


# Each change: how a client makes it, and how to tell whether it happened.
CHANGES = {
    "page: delete photo": (
        lambda c, p, k: c.post(f"/photos/{p.photo_id}/delete/"),
        lambda p, k: photo_gone(p.photo_id),
        ("delete", "photo"),
    ),
    "page: edit photo": (
        lambda c, p, k: c.post(
            f"/photos/{p.photo_id}/edit/",
            {"name": "Renamed", "caption": "", "version": p.version},
        ),
        lambda p, k: Photo.get(p.photo_id).name == "Renamed",
        ("edit", "photo"),
    ),
    "api: delete photo": (
        lambda c, p, k: c.delete(f"/api/photos/{p.photo_id}"),
        lambda p, k: photo_gone(p.photo_id),
        ("delete", "photo"),
    ),
    "api: edit photo": (
        lambda c, p, k: c.patch(
            f"/api/photos/{p.photo_id}",
            {"name": "Renamed", "version": p.version},
            content_type="application/json",
        ),
        lambda p, k: Photo.get(p.photo_id).name == "Renamed",
        ("edit", "photo"),
    ),
    "page: delete comment": (
        lambda c, p, k: c.post(f"/photos/{p.photo_id}/comments/delete/", {"key": k.created_key}),
        lambda p, k: comment_body(p, k) is None,
        ("delete", "comment"),
    ),
    "page: edit comment": (
        lambda c, p, k: c.post(
            f"/photos/{p.photo_id}/comments/edit/",
            {"key": k.created_key, "version": k.version, "body": "Moderated"},
        ),
        lambda p, k: comment_body(p, k) == "Moderated",
        ("edit", "comment"),
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_staff_without_the_moderation_permission_cannot_change_someone_elses(
    rights, alices, change
):
    make, happened, _ = CHANGES[change]
    photo, comment = alices

    answer = make(client_for("sub-helper", ("helpers",)), photo, comment)

    assert answer.status_code in (403, 404), answer.status_code
    assert not happened(photo, comment)
    assert audit_events() == []


@pytest.mark.parametrize("change", CHANGES)
def test_a_moderator_may_and_exactly_one_audit_event_is_written(rights, alices, change):
    make, happened, (action, object_type) = CHANGES[change]
    photo, comment = alices

    answer = make(client_for("sub-mod", ("admins",)), photo, comment)

    assert answer.status_code in (200, 204, 302), answer.status_code
    assert happened(photo, comment)
    events = audit_events()
    assert [(e.actor_sub, e.action, e.object_type) for e in events] == [
        ("sub-mod", action, object_type)
    ]
    assert "sub-alice" in events[0].detail  # whose item it was


@pytest.mark.parametrize("change", CHANGES)
def test_the_owner_changing_their_own_needs_no_permission_and_writes_no_event(
    rights, alices, change
):
    make, happened, _ = CHANGES[change]
    photo, comment = alices

    answer = make(client_for("sub-alice", ("members",)), photo, comment)

    assert answer.status_code in (200, 204, 302), answer.status_code
    assert happened(photo, comment)
    assert audit_events() == []
