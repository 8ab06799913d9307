"""A moderator hides a photo for a reason (gallery.hide_reasons) and an optional note, in the
admin and the API; both go on the photo and in the audit event, and its owner reads them."""

from __future__ import annotations

import pytest
from django.test import Client

from gallery.errors import Invalid
from gallery.hide_reasons import HIDE_REASONS, NOTE_MAX_CHARS
from gallery.models import STATUS_HIDDEN, Photo
from gallery.services import moderation as gallery_moderation
from moderation import services
from tests.accounts.users import sign_in, site_user
from tests.moderation.conftest import audit_events, only

LIST = "/admin/moderation/photoentry/"
MODERATOR = site_user("sub-mod", "Mo", ("admins",))


def action_url(photo: Photo) -> str:
    return f"{LIST}{photo.photo_id}/action/"


# --- the service ----------------------------------------------------------------------------


def test_hiding_stores_the_reason_and_note_and_records_them(make_photo):
    photo = make_photo()

    services.photo_hide(
        actor=MODERATOR,
        photo_id=photo.photo_id,
        expected_version=photo.version,
        reason="harassment",
        note="  insults in the caption  ",
    )

    stored = Photo.get(photo.photo_id)
    assert (stored.status, stored.hidden_reason, stored.hidden_note) == (
        STATUS_HIDDEN,
        "harassment",
        "insults in the caption",
    )
    event = only(audit_events())
    assert (event.action, event.detail) == ("hide", "reason harassment: insults in the caption")


@pytest.mark.parametrize(
    ("reason", "note", "code"),
    [
        ("", "", "bad_reason"),
        ("because", "", "bad_reason"),
        ("spam", "x" * (NOTE_MAX_CHARS + 1), "note_too_long"),
        ("spam", "bell\x07", "control_characters"),
    ],
)
def test_a_bad_reason_or_note_is_refused_and_changes_nothing(make_photo, reason, note, code):
    photo = make_photo()

    with pytest.raises(Invalid) as refused:
        services.photo_hide(
            actor=MODERATOR,
            photo_id=photo.photo_id,
            expected_version=None,
            reason=reason,
            note=note,
        )

    assert refused.value.code == code and refused.value.status == 400
    assert Photo.get(photo.photo_id).is_visible
    assert audit_events() == []


def test_hiding_again_changes_only_the_reason_and_unhiding_forgets_it(make_photo):
    photo = make_photo()
    gallery_moderation.photo_hide(photo_id=photo.photo_id, reason="spam", note="ads")

    gallery_moderation.photo_hide(photo_id=photo.photo_id, reason="other")
    assert (Photo.get(photo.photo_id).hidden_reason, Photo.get(photo.photo_id).hidden_note) == (
        "other",
        None,
    )
    gallery_moderation.photo_unhide(photo_id=photo.photo_id)

    stored = Photo.get(photo.photo_id)
    assert stored.is_visible and stored.hidden_reason is None and stored.hidden_note is None


def test_every_reason_has_a_label():
    assert list(HIDE_REASONS) == [
        "spam",
        "sexual",
        "violence",
        "harassment",
        "copyright",
        "privacy",
        "other",
    ]
    assert all(HIDE_REASONS.values())


# --- the admin ------------------------------------------------------------------------------


def test_the_admins_hide_action_asks_for_a_reason_and_a_note(root_client, make_photo):
    photo = make_photo()

    html = root_client.get(f"{LIST}{photo.photo_id}/change/").content.decode()

    assert '<select name="reason" required>' in html
    assert all(f'<option value="{code}">' in html for code in HIDE_REASONS)
    assert '<input type="text" name="note" maxlength="500"' in html


def test_the_admin_hides_with_the_chosen_reason(root_client, make_photo):
    photo = make_photo()

    root_client.post(
        action_url(photo),
        {"action": "hide", "version": photo.version, "reason": "copyright", "note": "stock photo"},
    )

    stored = Photo.get(photo.photo_id)
    assert (stored.hidden_reason, stored.hidden_note) == ("copyright", "stock photo")
    assert only(audit_events()).detail == "reason copyright: stock photo"


def test_the_admin_refuses_to_hide_without_a_reason(root_client, make_photo):
    photo = make_photo()

    response = root_client.post(
        action_url(photo), {"action": "hide", "version": photo.version, "reason": ""}, follow=True
    )

    assert "Choose why the photo is hidden" in response.content.decode()
    assert Photo.get(photo.photo_id).is_visible
    assert audit_events() == []


def test_the_bulk_hide_takes_its_reason_from_the_action_bar(root_client, make_photo):
    photos = [make_photo(f"P{n}") for n in range(2)]

    root_client.post(
        LIST,
        {
            "action": "hide",
            "reason": "spam",
            "_selected_action": [f"{p.photo_id}@{p.version}" for p in photos],
        },
    )

    assert {Photo.get(p.photo_id).hidden_reason for p in photos} == {"spam"}


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def moderator_client(client, aws_stack):
    sign_in(client, MODERATOR)
    return client


def test_a_moderator_hides_through_the_api_with_a_reason(moderator_client, make_photo):
    photo = make_photo()

    response = moderator_client.post(
        f"/api/moderation/photos/{photo.photo_id}/hide",
        {"reason": "violence", "note": "gore", "version": photo.version},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": photo.photo_id,
        "hidden": True,
        "in_trash": False,
        "hidden_reason": "violence",
        "hidden_note": "gore",
        "version": photo.version + 1,
    }
    assert only(audit_events()).detail == "reason violence: gore"
    unhidden = moderator_client.post(
        f"/api/moderation/photos/{photo.photo_id}/unhide", {}, content_type="application/json"
    )
    assert unhidden.json()["hidden"] is False and unhidden.json()["hidden_reason"] is None


def test_the_api_refuses_a_bad_reason_a_stale_version_and_a_non_moderator(
    moderator_client, make_photo, alice
):
    photo = make_photo()
    url = f"/api/moderation/photos/{photo.photo_id}/hide"

    bad = moderator_client.post(url, {"reason": "meh"}, content_type="application/json")
    stale = moderator_client.post(
        url, {"reason": "spam", "version": photo.version + 5}, content_type="application/json"
    )
    owner = Client()
    sign_in(owner, alice)
    refused = owner.post(url, {"reason": "spam"}, content_type="application/json")
    missing = moderator_client.post(
        "/api/moderation/photos/nope/hide", {"reason": "spam"}, content_type="application/json"
    )

    assert (bad.status_code, bad.json()["code"]) == (400, "bad_reason")
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert missing.status_code == 404
    assert Photo.get(photo.photo_id).is_visible


def test_the_owner_reads_the_reason_in_the_api(make_photo, alice):
    photo = make_photo()
    gallery_moderation.photo_hide(photo_id=photo.photo_id, reason="privacy", note="a face")
    owner = Client()
    sign_in(owner, alice)

    body = owner.get(f"/api/photos/{photo.photo_id}").json()

    assert (body["hidden"], body["hidden_reason"], body["hidden_note"]) == (
        True,
        "privacy",
        "a face",
    )


def test_the_schema_lists_the_moderation_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert "/api/moderation/photos/{photo_id}/hide" in paths
    assert "/api/moderation/photos/{photo_id}/unhide" in paths
