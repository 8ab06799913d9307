"""The gallery's rules: who may change what, which IP a viewer sees, the upload size limit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from gallery import policy
from gallery.errors import Forbidden
from gallery.images import ImageRejected
from gallery.models import Comment, Photo, ShareLink

OWNER = "sub-owner"


def photo() -> Photo:
    return Photo("p1", owner_sub=OWNER, uploader_ip="203.0.113.77")


def test_the_owner_and_staff_may_change_an_item_and_nobody_else():
    assert policy.may_change(owner_sub=OWNER, actor_sub=OWNER, actor_is_staff=False)
    assert policy.may_change(owner_sub=OWNER, actor_sub="sub-mod", actor_is_staff=True)
    assert not policy.may_change(owner_sub=OWNER, actor_sub="sub-other", actor_is_staff=False)


@pytest.mark.parametrize(
    ("item", "refusal"),
    [
        (Photo("p1", owner_sub=OWNER), "Only the photo's owner can change it."),
        (Comment("p1", "k1", author_sub=OWNER), "Only the comment's author can change it."),
        (ShareLink("t1", owner_sub=OWNER), "Only the link's owner can revoke it."),
    ],
)
def test_a_change_by_a_stranger_is_refused_in_words_naming_the_item(item, refusal):
    policy.change_check(item=item, actor_sub=OWNER, actor_is_staff=False)
    policy.change_check(item=item, actor_sub="sub-mod", actor_is_staff=True)
    with pytest.raises(Forbidden) as caught:
        policy.change_check(item=item, actor_sub="sub-other", actor_is_staff=False)

    assert caught.value.message == refusal


def test_a_visitor_may_change_nothing_and_a_signed_in_owner_may():
    assert not policy.user_may_change(user=AnonymousUser(), item=photo())
    assert policy.user_may_change(user=User(username=OWNER), item=photo())


@pytest.mark.parametrize(
    ("mode", "owner_sees", "staff_sees", "stranger_sees", "visitor_sees"),
    [
        ("full", "203.0.113.77", "203.0.113.77", "203.0.113.77", "203.0.113.77"),
        ("masked", "203.0.113.77", "203.0.113.77", "203.0.113.x", "203.0.113.x"),
        ("hidden", "203.0.113.77", "203.0.113.77", "", ""),
    ],
)
def test_the_owner_and_staff_see_the_whole_ip_others_what_the_setting_allows(
    settings, mode, owner_sees, staff_sees, stranger_sees, visitor_sees
):
    settings.PHOTOSITE_IP_DISPLAY = mode
    viewers = [
        User(username=OWNER),
        User(username="sub-mod", is_staff=True),
        User(username="sub-other"),
        AnonymousUser(),
    ]

    seen = [policy.uploader_ip_visible(viewer=viewer, photo=photo()) for viewer in viewers]

    assert seen == [owner_sees, staff_sees, stranger_sees, visitor_sees]


@pytest.mark.parametrize(
    ("limit", "words"),
    [(1536 * 1024, "1.5 MB"), (25 * 1024 * 1024, "25 MB"), (5_000, "5 KB")],
)
def test_an_upload_over_the_limit_is_refused_naming_the_limit_as_it_is(settings, limit, words):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = limit

    with pytest.raises(ImageRejected) as caught:
        policy.upload_size_check(size=limit + 1)

    assert caught.value.code == "too_large"
    assert caught.value.message == f"The file is too large; the limit is {words}."


def test_an_upload_at_the_limit_passes_and_an_empty_one_is_refused(settings):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 5_000

    policy.upload_size_check(size=5_000)
    with pytest.raises(ImageRejected) as caught:
        policy.upload_size_check(size=0)

    assert caught.value.code == "empty"
