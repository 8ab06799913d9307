"""The gallery's rules: who may change what, which IP a viewer sees, the upload size limit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.request_user import Rights
from gallery import policy
from gallery.errors import Forbidden
from gallery.images import ImageRejected
from gallery.models import (
    STATUS_HIDDEN,
    STATUS_PENDING,
    STATUS_VISIBLE,
    Comment,
    Photo,
    ShareLink,
)
from tests.accounts.users import site_user

OWNER = "sub-owner"


def photo() -> Photo:
    return Photo("p1", owner_sub=OWNER, uploader_ip="203.0.113.77")


ITEMS = [
    Photo("p1", owner_sub=OWNER),
    Comment("p1", "k1", author_sub=OWNER),
    ShareLink("t1", owner_sub=OWNER),
]
THE_OWNER = site_user(OWNER, "Owner", ("members",))
MODERATOR = site_user("sub-mod", "Mo", ("admins",))
STAFF_WITHOUT_MODERATION = site_user("sub-staff", "Staff", rights=Rights(is_staff=True))
STRANGER = site_user("sub-other", "Other", ("members",))


def test_the_moderation_permissions_are_those_the_admins_group_grants(settings):
    granted = set(settings.COGNITO_GROUP_RIGHTS["admins"]["permissions"])

    assert set(policy.MODERATION_PERMISSIONS.values()) <= granted


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: type(item).__name__)
def test_the_owner_and_a_moderator_may_change_an_item_and_nobody_else(item):
    assert policy.may_change(actor=THE_OWNER, item=item)
    assert policy.may_change(actor=MODERATOR, item=item)
    assert not policy.may_change(actor=STAFF_WITHOUT_MODERATION, item=item)
    assert not policy.may_change(actor=STRANGER, item=item)
    assert not policy.may_change(actor=AnonymousUser(), item=item)


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: type(item).__name__)
def test_one_permission_per_kind_of_item(item):
    needed = policy.MODERATION_PERMISSIONS[type(item)]
    every = frozenset(policy.MODERATION_PERMISSIONS.values())
    only_this = Rights(is_staff=True, permissions=frozenset({needed}))
    others = Rights(is_staff=True, permissions=every - {needed})

    assert policy.may_change(actor=site_user("sub-m1", "M1", rights=only_this), item=item)
    assert not policy.may_change(actor=site_user("sub-m2", "M2", rights=others), item=item)


@pytest.mark.parametrize(
    ("item", "refusal"),
    [
        (ITEMS[0], "Only the photo's owner or a moderator can change it."),
        (ITEMS[1], "Only the comment's author or a moderator can change it."),
        (ITEMS[2], "Only the link's owner or a moderator can revoke it."),
    ],
)
def test_a_change_by_a_stranger_is_refused_in_words_naming_the_item(item, refusal):
    assert policy.change_check(item=item, actor=THE_OWNER) is False  # not moderation
    assert policy.change_check(item=item, actor=MODERATOR) is True  # moderation: to be audited
    with pytest.raises(Forbidden) as caught:
        policy.change_check(item=item, actor=STAFF_WITHOUT_MODERATION)

    assert caught.value.message == refusal


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
    viewers = [THE_OWNER, MODERATOR, STRANGER, AnonymousUser()]

    seen = [policy.ip_visible(viewer=viewer, item=photo()) for viewer in viewers]

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


@pytest.mark.parametrize(
    ("status", "viewer", "sees"),
    [
        (STATUS_VISIBLE, AnonymousUser(), True),
        (STATUS_VISIBLE, STRANGER, True),
        (STATUS_HIDDEN, AnonymousUser(), False),
        (STATUS_HIDDEN, STRANGER, False),
        (STATUS_HIDDEN, STAFF_WITHOUT_MODERATION, False),
        (STATUS_HIDDEN, THE_OWNER, True),
        (STATUS_HIDDEN, MODERATOR, True),
        (STATUS_PENDING, THE_OWNER, False),
        (STATUS_PENDING, MODERATOR, False),
    ],
)
def test_a_hidden_photo_is_seen_by_its_owner_and_moderators_only(status, viewer, sees):
    item = Photo("p1", owner_sub=OWNER, status=status)

    assert policy.may_view(viewer=viewer, photo=item) is sees
