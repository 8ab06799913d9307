"""IP retention: a photo or comment stores only its address's network (IPv4 /24, IPv6 /48);
the full address lives in a RetainedIp item of its own that expires after
PHOTOSITE_IP_RETENTION_DAYS (DynamoDB's TTL deletes it, lazily, so readers treat an expired
item as gone). Those who may see an IP whole (gallery.policy.ip_visible) see the full address
during the period and the network after it: in the API, on the pages and in the admin alike.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from pynamodb.exceptions import TransactWriteError

from gallery import policy, selectors, services
from gallery.errors import NotFound
from gallery.models import Comment, RetainedIp, comment_ip_key, photo_ip_key
from tests.accounts.users import sign_in, site_user

from .conftest import count_dynamodb_calls, jpeg

PHOTO_IP, PHOTO_NET = "203.0.113.7", "203.0.113.x"
COMMENT_IP, COMMENT_NET = "2001:db8:1:2::23", "2001:db8:1:x"
LONG_AGO = datetime.now(UTC) - timedelta(days=45)

VIEWERS = {  # who may see both IPs whole: the photo's owner (and comment author) and a moderator
    "owner": ("sub-alice", ("members",)),
    "moderator": ("sub-mod", ("admins",)),
}


def client_as(viewer: str) -> Client:
    sub, groups = VIEWERS[viewer]
    return sign_in(Client(), site_user(sub, sub[4:].title(), groups))


def photo_with_comment(*, now: datetime | None = None):
    photo = services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Harbour",
        data=jpeg(),
        uploader_ip=PHOTO_IP,
        now=now,
    )
    comment = services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-alice",
        author_name="Alice",
        body="Mine",
        ip=COMMENT_IP,
        now=now,
    )
    return photo, comment


def seen_in_api(client: Client, photo_id: str) -> tuple[str, str]:
    photo = client.get(f"/api/photos/{photo_id}").json()
    comments = client.get(f"/api/photos/{photo_id}/comments").json()["items"]
    return photo["uploader_ip"], comments[0]["ip"]


def seen_on_page(client: Client, photo_id: str) -> tuple[str, str]:
    html = client.get(f"/photos/{photo_id}/").content.decode()
    uploader = html.split("Uploader IP", 1)[1].split("</dd>", 1)[0].rsplit(">", 1)[1]
    meta = html.split('class="comment-meta"', 1)[1].split("</p>", 1)[0]
    return uploader, meta.split("IP ", 1)[1].split("</span>", 1)[0]


def seen_in_admin(photo_id: str) -> str:
    html = client_as("moderator").get(f"/admin/moderation/photoentry/{photo_id}/change/")
    return html.content.decode()


# --- what is stored ----------------------------------------------------------------------------


def test_items_keep_the_network_and_the_full_address_expires_after_the_period(aws_stack, settings):
    settings.PHOTOSITE_IP_RETENTION_DAYS = 30
    when = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    photo, comment = photo_with_comment(now=when)

    assert (photo.uploader_ip, comment.ip) == (PHOTO_NET, COMMENT_NET)
    kept_photo = RetainedIp.get(photo_ip_key(photo.photo_id))
    kept_comment = RetainedIp.get(comment_ip_key(photo.photo_id, comment.created_key))
    assert (kept_photo.ip, kept_comment.ip) == (PHOTO_IP, COMMENT_IP)
    assert kept_photo.expires_at == kept_comment.expires_at == when + timedelta(days=30)


def test_an_unknown_address_keeps_no_item(make_photo):
    photo = make_photo(uploader_ip="")

    assert photo.uploader_ip == ""
    assert RetainedIp.count(photo_ip_key(photo.photo_id)) == 0


# --- what those who may see it whole see ------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_within_the_period_the_api_and_the_page_show_the_full_address(aws_stack, viewer):
    photo, _ = photo_with_comment()
    client = client_as(viewer)

    assert seen_in_api(client, photo.photo_id) == (PHOTO_IP, COMMENT_IP)
    assert seen_on_page(client, photo.photo_id) == (PHOTO_IP, COMMENT_IP)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_after_the_period_the_api_and_the_page_show_the_network_only(aws_stack, viewer):
    # moto never deletes expired items (DynamoDB deletes them lazily): the reader must skip them.
    photo, _ = photo_with_comment(now=LONG_AGO)
    assert RetainedIp.count(photo_ip_key(photo.photo_id)) == 1
    client = client_as(viewer)

    assert seen_in_api(client, photo.photo_id) == (PHOTO_NET, COMMENT_NET)
    html = client.get(f"/photos/{photo.photo_id}/").content.decode()
    assert seen_on_page(client, photo.photo_id) == (PHOTO_NET, COMMENT_NET)
    assert PHOTO_IP not in html and COMMENT_IP not in html


def test_the_period_is_a_setting(aws_stack, settings):
    settings.PHOTOSITE_IP_RETENTION_DAYS = 60
    photo, _ = photo_with_comment(now=LONG_AGO)

    assert seen_in_api(client_as("owner"), photo.photo_id) == (PHOTO_IP, COMMENT_IP)


def test_the_admin_shows_what_the_pages_show(aws_stack):
    recent, _ = photo_with_comment()
    old, _ = photo_with_comment(now=LONG_AGO)

    recent_html, old_html = seen_in_admin(recent.photo_id), seen_in_admin(old.photo_id)
    comments_html = client_as("moderator").get("/admin/moderation/commententry/").content.decode()
    photos_html = client_as("moderator").get("/admin/moderation/photoentry/").content.decode()

    assert PHOTO_IP in recent_html and COMMENT_IP in recent_html
    assert PHOTO_IP not in old_html and COMMENT_IP not in old_html
    assert PHOTO_NET in old_html and COMMENT_NET in old_html
    # The lists: the recent items whole, the old ones as networks.
    assert comments_html.count(COMMENT_IP) == 1 and COMMENT_NET in comments_html
    assert photos_html.count(PHOTO_IP) == 1 and PHOTO_NET in photos_html


def test_others_see_the_network_whatever_the_period(aws_stack, settings):
    settings.PHOTOSITE_IP_DISPLAY = "masked"
    photo, _ = photo_with_comment()
    stranger = sign_in(Client(), site_user("sub-carol", "Carol", ("members",)))

    assert seen_in_api(stranger, photo.photo_id) == (PHOTO_NET, COMMENT_NET)


# --- deletion and failed writes ---------------------------------------------------------------


def test_deleting_a_comment_deletes_its_full_address(aws_stack):
    photo, comment = photo_with_comment()
    alice = site_user("sub-alice", "Alice", ("members",))

    services.comment_delete(photo_id=photo.photo_id, created_key=comment.created_key, actor=alice)

    assert RetainedIp.count(comment_ip_key(photo.photo_id, comment.created_key)) == 0
    assert RetainedIp.count(photo_ip_key(photo.photo_id)) == 1


def test_deleting_a_photo_for_good_deletes_its_full_address_and_its_comments(aws_stack):
    photo, comment = photo_with_comment()
    alice = site_user("sub-alice", "Alice", ("members",))

    services.photo_purge(photo_id=photo.photo_id, actor=alice)

    assert RetainedIp.count(photo_ip_key(photo.photo_id)) == 0
    assert RetainedIp.count(comment_ip_key(photo.photo_id, comment.created_key)) == 0


def test_a_comment_refused_by_its_transaction_leaves_no_address(aws_stack):
    with pytest.raises(NotFound):
        services.comment_create(
            photo_id="no-such-photo", author_sub="sub-bob", body="hi", author_name="", ip=PHOTO_IP
        )

    assert list(RetainedIp.scan()) == []


def test_a_photo_whose_save_fails_leaves_no_address(make_photo, monkeypatch):
    def cancelled(self, *args, **kwargs):
        raise TransactWriteError("cancelled")

    monkeypatch.setattr("core.transactions.Transaction._commit", cancelled)

    with pytest.raises(TransactWriteError):
        make_photo(uploader_ip=PHOTO_IP)

    assert list(RetainedIp.scan()) == []


def test_concurrent_comments_each_keep_their_own_address(make_photo):
    photo = make_photo()
    made = []

    def write(i: int) -> None:
        made.append(
            services.comment_create(
                photo_id=photo.photo_id,
                author_sub=f"sub-{i}",
                author_name="",
                body="hi",
                ip=f"198.51.100.{i}",
            )
        )

    threads = [threading.Thread(target=write, args=(i,)) for i in range(1, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for comment in made:
        kept = RetainedIp.get(comment_ip_key(photo.photo_id, comment.created_key))
        assert kept.ip == f"198.51.100.{comment.author_sub[4:]}"


# --- cost --------------------------------------------------------------------------------------


def test_a_comment_page_reads_the_full_addresses_in_one_batch_and_only_when_allowed(aws_stack):
    photo, _ = photo_with_comment()
    for i in range(4):
        services.comment_create(
            photo_id=photo.photo_id, author_sub=f"sub-{i}", author_name="", body="hi", ip=PHOTO_IP
        )
    moderator, anonymous = client_as("moderator"), Client()

    with count_dynamodb_calls() as allowed:
        moderator.get(f"/api/photos/{photo.photo_id}/comments")
    with count_dynamodb_calls() as refused:
        anonymous.get(f"/api/photos/{photo.photo_id}/comments")

    ip_reads = [
        op
        for op, table in zip(allowed.operations, allowed.tables, strict=True)
        if table.endswith(RetainedIp.Meta.table)
    ]
    batches = [
        body
        for op, body in zip(allowed.operations, allowed.requests, strict=True)
        if op == "BatchGetItem"
    ]
    assert ip_reads == [] and len(batches) == 1  # BatchGetItem names its tables in its body
    assert len(batches[0]["RequestItems"][RetainedIp.Meta.table_name]["Keys"]) == 5
    assert "BatchGetItem" not in refused.operations
    assert "Scan" not in allowed.operations + refused.operations


def test_the_selector_treats_an_expired_item_as_gone(aws_stack):
    photo, comment = photo_with_comment()
    owner = site_user("sub-alice", "Alice", ("members",))
    later = datetime.now(UTC) + timedelta(days=31)

    assert selectors.ip_retained_for(viewer=owner, items=[photo, comment]) == {
        photo_ip_key(photo.photo_id): PHOTO_IP,
        comment_ip_key(photo.photo_id, comment.created_key): COMMENT_IP,
    }
    assert selectors.ip_retained_for(viewer=owner, items=[photo, comment], now=later) == {}


def test_an_item_written_before_retention_keeps_its_full_address_and_costs_no_read(aws_stack):
    photo, comment = photo_with_comment()
    # As written before retention began: the full address in the comment itself, none apart.
    comment.update(actions=[Comment.ip.set(COMMENT_IP)])
    RetainedIp(comment_ip_key(photo.photo_id, comment.created_key)).delete()
    owner = site_user("sub-alice", "Alice", ("members",))

    with count_dynamodb_calls() as log:
        retained = selectors.ip_retained_for(viewer=owner, items=[comment])

    assert log.operations == []
    assert policy.ip_visible(viewer=owner, item=comment, retained=retained) == COMMENT_IP
    stranger = site_user("sub-carol", "Carol", ("members",))
    assert policy.ip_visible(viewer=stranger, item=comment) == COMMENT_NET
