"""The admin in Chinese: every page, message and confirmation a moderator sees in zh-hans is
Chinese, and Django's own admin words keep Django's translation.

A string the admin code or its templates forgot to mark, or one marked but missing from the
catalogue, shows up here as English words on a Chinese page (tests.gallery.test_chinese_pages
reads the page as a person would: text, labels, button values, alt and title attributes).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.utils import translation

from gallery import services
from gallery.report_models import case_id, report_item_key
from gallery.services import reports
from moderation import admin as moderation_admin
from moderation import services as moderation_services
from tests.accounts.conftest import account_create
from tests.gallery.test_chinese_pages import ASCII_AFTER_CHINESE, english_left, visible_text
from tests.moderation.test_admin_users import cognito_username
from tests.photosite.test_locale import django_catalogue

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ADMIN = "/admin/moderation/"
# Data, not interface: Cognito's own status words, group names, attribute names, addresses.
DATA = re.compile(
    r"CONFIRMED|FORCE_CHANGE_PASSWORD|superadmins|admins|members|[\w.+-]+@[\w.-]+"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
    r"|\b(?:Cognito|ID|sub|email|name|username|email_verified|custom:\w+|true|false)\b"
)


# Recorded text shown as stored (field names, ids, an event's detail) is marked translate="no".
STORED = re.compile(r'<(\w+)[^>]*\btranslate="no"[^>]*>.*?</\1>', re.S)


def english_on(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """The English left on a page, data values aside: Cognito's words, addresses, recorded
    text marked translate="no", and `data` (ids and people's names the fixture made)."""
    html = STORED.sub("", html)
    for value in sorted(data, key=len, reverse=True):
        html = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(value)}(?![A-Za-z0-9_-])", "", html)
    return english_left(DATA.sub("", html))


@pytest.fixture
def site(root_client, make_photo, moderator, superuser, aws_stack):
    """Photos (one hidden), comments (one hidden), a share link, a pool user and audit events."""
    photo = make_photo("海边日落")
    hidden = make_photo("被隐藏的照片")
    moderation_services.photo_hide(actor=superuser, photo_id=hidden.photo_id, expected_version=None)
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="鲍勃", body="好看", ip=""
    )
    moderation_services.comment_hide(
        actor=superuser,
        photo_id=photo.photo_id,
        created_key=comment.created_key,
        expected_version=None,
    )
    services.share_link_create(photo_id=photo.photo_id, actor=moderator, expires_in=3600)
    for n, reason in enumerate(("spam", "copyright")):
        reports.report_create(
            photo_id=photo.photo_id, reason=reason, reporter=AnonymousUser(), ip=f"192.0.2.{n}"
        )
    member = account_create(
        aws_stack.user_pool_id,
        email="carol@example.com",
        display_name="卡罗尔",
        groups=("members",),
    )
    return {
        "photo": photo.photo_id,
        "hidden": hidden.photo_id,
        "comment": f"{photo.photo_id}|{comment.created_key}|{comment.version + 1}",
        "owner": photo.owner_sub,
        "user": cognito_username(aws_stack, member.email),
        # Names and ids: the pages show them as they are.
        "data": (
            photo.photo_id,
            hidden.photo_id,
            photo.owner_sub,
            "Root",
            "Mo",
            "sub-mod",
            "sub-root",
            "nope",  # a photo id that does not exist
        ),
    }


def admin_pages(site) -> dict[str, str]:
    photo, event = site["photo"], ""
    return {
        "index": "/admin/",
        "app": ADMIN,
        "photos": f"{ADMIN}photoentry/",
        "hidden photos": f"{ADMIN}photoentry/?status=hidden",
        "an uploader's photos": f"{ADMIN}photoentry/?"
        + urlencode({"owner": site["owner"], "status": ""}),
        "photo search": f"{ADMIN}photoentry/?q=日落",
        "photo": f"{ADMIN}photoentry/{photo}/change/",
        "hidden photo": f"{ADMIN}photoentry/{site['hidden']}/change/",
        "delete photo": f"{ADMIN}photoentry/delete/?ids={photo}",
        "comments": f"{ADMIN}commententry/",
        "hidden comments": f"{ADMIN}commententry/?hidden=1",
        "a photo's comments": f"{ADMIN}commententry/?photo={photo}",
        "share links": f"{ADMIN}sharelinkentry/",
        "a photo's share links": f"{ADMIN}sharelinkentry/?photo={photo}",
        "users": f"{ADMIN}cognitouser/",
        "user": f"{ADMIN}cognitouser/{site['user']}/change/",
        "invite": f"{ADMIN}cognitouser/add/",
        "reports": f"{ADMIN}reportentry/",
        "a report": f"{ADMIN}reportentry/{case_id(report_item_key(photo))}/change/",
        "audit trail": f"{ADMIN}moderationevent/",
        "audit filtered": f"{ADMIN}moderationevent/?action=hide&object_type=photo{event}",
        "bad cursor": f"{ADMIN}photoentry/?cursor=forged",
    }


def test_every_admin_page_is_chinese(root_client, site):
    pages = admin_pages(site)
    event = re.search(
        r'href="(/admin/moderation/moderationevent/[^"]+/change/)"',
        root_client.get(pages["audit trail"], **ZH).content.decode(),
    )
    pages["audit event"] = event.group(1)
    djangos = set(django_catalogue().values())
    found = {}
    for name, path in pages.items():
        response = root_client.get(path, **ZH, follow=True)
        assert response.status_code == 200, name
        html = response.content.decode()
        left = english_on(html, site["data"])
        punctuation = [
            t
            for t in visible_text(html)
            if ASCII_AFTER_CHINESE.search(t) and t not in djangos  # Django's own, not ours
        ]
        if left or punctuation:
            found[name] = left + punctuation
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def messages_after(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_admins_messages_are_chinese(root_client, site):
    photos = f"{ADMIN}photoentry/"
    said = []
    with translation.override("zh-hans"):
        said += messages_after(root_client.post(photos, {"action": "hide"}, **ZH))
        said += messages_after(
            root_client.post(photos, {"action": "", "_selected_action": [site["photo"]]}, **ZH)
        )
        said += messages_after(
            root_client.post(
                photos, {"action": "hide", "_selected_action": [f"{site['photo']}@1"]}, **ZH
            )
        )
        said += messages_after(
            root_client.post(
                photos, {"action": "hide", "_selected_action": [f"{site['photo']}@1"]}, **ZH
            )
        )
        said += messages_after(
            root_client.post(f"{photos}{site['hidden']}/action/", {"action": "unhide"}, **ZH)
        )
        said += messages_after(root_client.get(f"{photos}nope/change/", **ZH))
        said += messages_after(
            root_client.post(
                f"{ADMIN}commententry/",
                {"action": "unhide", "_selected_action": [site["comment"]]},
                **ZH,
            )
        )
        said += messages_after(root_client.post(f"{ADMIN}commententry/", {"action": "hide"}, **ZH))
        said += messages_after(root_client.get(f"{ADMIN}moderationevent/?object_id=x", **ZH))
        said += messages_after(root_client.get(f"{ADMIN}moderationevent/nope/change/", **ZH))
        said += messages_after(
            root_client.post(
                f"{ADMIN}cognitouser/{site['user']}/change/", {"action": "disable"}, **ZH
            )
        )
        said += messages_after(
            root_client.post(f"{ADMIN}cognitouser/{site['user']}/change/", {"action": "x"}, **ZH)
        )
        said += messages_after(
            root_client.post(f"{photos}delete/", {"ids": site["photo"], "post": "yes"}, **ZH)
        )
        invite = root_client.post(f"{ADMIN}cognitouser/add/", {"email": "nope"}, **ZH)
        confirm = root_client.post(
            f"{ADMIN}commententry/",
            {"action": "delete", "_selected_action": [site["comment"]]},
            **ZH,
        )
    assert len(said) >= 12
    assert [m for m in said if english_on(f"<p>{m}</p>", site["data"])] == []
    for page in (invite, confirm):
        assert english_on(page.content.decode(), site["data"]) == []
    assert "确定要删除所选评论吗？" in confirm.content.decode()


def test_the_admin_code_marks_every_message_for_translation():
    """No plain English string literal is handed to messages.* or a page title in admin.py."""
    source = moderation_admin.__file__
    text = Path(source).read_text(encoding="utf-8")
    unmarked = re.findall(r'messages\.\w+\(\s*request,\s*f?"[^"]*"', text)
    assert unmarked == []


def test_django_admin_words_keep_djangos_translation(root_client, site):
    html = root_client.get("/admin/", **ZH).content.decode()

    # Django's own words in its admin: 修改 (Change), 首页 (Home); the site's "Change" (切换, the
    # language switcher) must not leak in.
    assert ">修改<" in html and ">切换<" not in html
    with translation.override("zh-hans"):
        assert translation.gettext("Home") == "首页"
