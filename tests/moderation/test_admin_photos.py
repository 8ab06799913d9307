"""Admin pages for photos: access rules, list filters, hide / unhide / delete, audit, cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from gallery import selectors, services
from gallery.errors import Conflict
from gallery.models import Photo, SearchTerm
from gallery.services import moderation as gallery_moderation
from moderation import selectors as moderation_selectors
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import count_dynamodb_calls
from tests.moderation.conftest import audit_events, only

LIST = "/admin/moderation/photoentry/"


def detail(photo: Photo) -> str:
    return f"{LIST}{photo.photo_id}/change/"


def pages(photo: Photo) -> list[str]:
    return [
        "/admin/",
        "/admin/moderation/",
        LIST,
        f"{LIST}?status=hidden",
        f"{LIST}?owner=sub-alice&status=",
        f"{LIST}?q=sunset",
        f"{LIST}?date_from=2020-01-01&date_to=2100-01-01",
        detail(photo),
        f"{LIST}delete/?ids={photo.photo_id}",
        "/admin/moderation/commententry/",
        "/admin/moderation/commententry/?hidden=1",
        f"/admin/moderation/commententry/?photo={photo.photo_id}",
        "/admin/moderation/sharelinkentry/",
        f"/admin/moderation/sharelinkentry/?photo={photo.photo_id}",
        "/admin/moderation/sharelinkentry/?owner=sub-alice",
        "/admin/moderation/moderationevent/",
        "/admin/moderation/moderationevent/?action=hide",
        "/admin/moderation/moderationevent/?actor=sub-root",
        f"/admin/moderation/moderationevent/?object_type=photo&object_id={photo.photo_id}",
        "/admin/moderation/moderationevent/?date_from=2020-01-01&date_to=2100-01-01",
    ]


def test_every_page_renders_for_staff_and_reads_no_scan(root_client, make_photo):
    photo = make_photo()
    services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="好看",
        ip="198.51.100.2",
    )
    for url in pages(photo):
        with count_dynamodb_calls() as calls:
            response = root_client.get(url)
        assert response.status_code == 200, url
        assert "Scan" not in calls.operations, url
        # A page's cost is bounded: a handful of key reads, whatever the table holds.
        assert len(calls.operations) <= 12, (url, calls.operations)


def test_pages_refuse_anonymous_and_non_staff(client: Client, alice, make_photo):
    photo = make_photo()
    for url in pages(photo):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    sign_in(client, alice)
    for url in pages(photo):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    # Posting is refused too, and nothing changes.
    response = client.post(
        LIST,
        {
            "action": "hide",
            "reason": "spam",
            "_selected_action": f"{photo.photo_id}@{photo.version}",
        },
    )
    assert response.status_code == 302
    assert Photo.get(photo.photo_id).is_visible


def test_staff_without_the_permission_may_look_but_not_act(client, viewer, make_photo):
    photo = make_photo()
    sign_in(client, viewer)
    assert client.get(LIST).status_code == 200
    assert b"_selected_action" not in client.get(LIST).content
    response = client.post(
        f"{LIST}{photo.photo_id}/action/",
        {"action": "hide", "reason": "spam", "version": photo.version},
    )
    assert response.status_code == 403
    assert client.get(f"{LIST}delete/?ids={photo.photo_id}").status_code == 403
    assert Photo.get(photo.photo_id).is_visible
    assert audit_events() == []


def test_the_admins_group_may_moderate(client, admins_member, make_photo):
    photo = make_photo()
    sign_in(client, admins_member)
    response = client.post(
        f"{LIST}{photo.photo_id}/action/",
        {"action": "hide", "reason": "spam", "version": photo.version},
    )
    assert response.status_code == 302
    assert Photo.get(photo.photo_id).status == "hidden"


def test_list_columns_and_filters(root_client, make_photo):
    old = make_photo(
        "Old harbour 老港口", now=datetime(2026, 1, 5, 8, 0, tzinfo=UTC), uploader_ip="192.0.2.44"
    )
    new = make_photo("Sunset", owner_sub="sub-bob", owner_name="Bob")
    page = root_client.get(LIST).content.decode()
    assert page.index("Sunset") < page.index("Old harbour 老港口")  # newest first
    # Uploaded long before the retention period: only the network is left, for staff too.
    assert "192.0.2.x" in page and "2026-01-05 08:00:00" in page and "visible" in page
    assert "192.0.2.44" not in page
    by_date = root_client.get(f"{LIST}?date_from=2026-01-05&date_to=2026-01-05").content.decode()
    assert "Old harbour" in by_date and "Sunset" not in by_date
    by_owner = root_client.get(f"{LIST}?owner=sub-bob&status=").content.decode()
    assert "Sunset" in by_owner and "Old harbour" not in by_owner
    by_name = root_client.get(f"{LIST}?q=港口").content.decode()
    assert "Old harbour" in by_name and new.name not in by_name.split("result_list")[1]
    assert old.photo_id in root_client.get(detail(old)).content.decode()


def test_cursor_pagination(root_client, make_photo):
    from moderation import selectors as admin_selectors

    base = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(3):
        make_photo(f"p{n}", now=base + timedelta(minutes=n))
    first = admin_selectors.photo_list(limit=2)
    second = admin_selectors.photo_list(limit=2, cursor=first.cursor)
    assert [p.name for p in first.items + second.items] == ["p2", "p1", "p0"]
    response = root_client.get(f"{LIST}?cursor=forged")
    assert response.status_code == 200 and b"invalid" in response.content


def test_hide_takes_the_photo_off_every_public_page_at_once(root_client, client, make_photo, bob):
    photo = make_photo("Sunset 日落")
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"), expires_in=300
    )
    response = root_client.post(
        LIST,
        {
            "action": "hide",
            "reason": "spam",
            "_selected_action": [f"{photo.photo_id}@{photo.version}"],
            "next": LIST,
        },
    )
    assert response.status_code == 302

    stored = Photo.get(photo.photo_id)
    assert stored.status == "hidden" and stored.feed is None and stored.hidden_feed == "all"
    assert not list(SearchTerm.query("w:sunset")) or all(
        t.photo_id != photo.photo_id for t in SearchTerm.query("w:sunset")
    )
    assert selectors.photo_list_feed().items == []
    assert selectors.photo_search(q="sunset").items == []
    assert selectors.photo_search(q="日落").items == []
    public = Client()
    sign_in(public, bob)
    assert public.get(f"/photos/{photo.photo_id}/").status_code == 404
    assert public.get(f"/s/{link.token}").status_code == 410
    event = only(audit_events())
    assert (event.action, event.object_type, event.object_id, event.actor_name) == (
        "hide",
        "photo",
        photo.photo_id,
        "Root 管理员 (sub-root)",
    )

    # Unhide brings it back everywhere, search included.
    stored = Photo.get(photo.photo_id)
    root_client.post(
        f"{LIST}{photo.photo_id}/action/", {"action": "unhide", "version": stored.version}
    )
    assert [p.photo_id for p in selectors.photo_search(q="日落").items] == [photo.photo_id]
    assert [p.photo_id for p in selectors.photo_list_feed().items] == [photo.photo_id]
    assert public.get(f"/photos/{photo.photo_id}/").status_code == 200
    assert [e.action for e in audit_events()].count("unhide") == 1
    history = root_client.get(detail(photo)).content.decode()
    assert "unhide" in history and "hide" in history


def test_a_stale_version_is_refused_with_a_clear_message(root_client, make_photo):
    photo = make_photo()
    services.photo_update(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        name="Renamed",
        caption="",
        expected_version=photo.version,
    )
    response = root_client.post(
        f"{LIST}{photo.photo_id}/action/",
        {"action": "hide", "reason": "spam", "version": photo.version},
        follow=True,
    )
    assert "changed meanwhile" in response.content.decode()
    assert Photo.get(photo.photo_id).is_visible
    assert audit_events() == []
    with pytest.raises(Conflict):
        gallery_moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)


def test_delete_asks_for_confirmation_then_deletes(root_client, make_photo):
    keep, gone = make_photo("keep"), make_photo("gone")
    response = root_client.post(
        LIST, {"action": "delete", "_selected_action": [f"{gone.photo_id}@1"]}
    )
    assert response.status_code == 302
    confirm = root_client.get(response["Location"])
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    assert Photo.get(gone.photo_id)  # nothing deleted yet

    root_client.post(response["Location"].split("?")[0], {"ids": gone.photo_id, "post": "yes"})
    assert moderation_selectors.photo_get(photo_id=gone.photo_id) is None
    assert moderation_selectors.photo_get(photo_id=keep.photo_id) is not None
    event = only(audit_events())
    assert (event.action, event.object_id, event.object_repr) == ("delete", gone.photo_id, "gone")


def test_csrf_is_enforced(superuser, make_photo):
    photo = make_photo()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, superuser)
    response = client.post(
        f"{LIST}{photo.photo_id}/action/",
        {"action": "hide", "reason": "spam", "version": photo.version},
    )
    assert response.status_code == 403
    assert Photo.get(photo.photo_id).is_visible
