"""The Chinese interface: every page a member sees in zh-hans is Chinese, refusals included.

A string the code forgot to mark for translation, or one marked but missing from the catalogue,
shows up here as English words on a Chinese page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from gallery import services
from tests.accounts.users import sign_in

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
# Words that are no translation's business: names, formats, units, the language menu.
NOT_ENGLISH_PROSE = {
    "photosite", "Alice", "Bob", "IP", "UTC", "JPEG", "PNG", "WebP", "HEIC", "English", "KB", "MB",
    "image", "jpeg", "S3", "Amazon", "JavaScript", "POST",
}  # fmt: skip
# Attributes whose values people read or hear (screen readers).
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
ASCII_AFTER_CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]\s*[:;,.!?]")


class VisibleText(HTMLParser):
    """Collect what a reader sees or hears: text outside scripts and styles, read attributes,
    and the data-*-label attributes scripts turn into text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        for name, value in attrs:
            button = tag == "input" and ("type", "submit") in attrs and name == "value"
            readable = name in READ_ATTRIBUTES or (name.startswith("data-") and "label" in name)
            if value and (readable or button):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def english_left(html: str) -> list[str]:
    """Return the visible texts with English words in them (beyond names and formats)."""
    return [
        text
        for text in visible_text(html)
        # {name}: a placeholder the page's script fills in; /api/...: an address
        if set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}|/\S+", "", text))) - NOT_ENGLISH_PROSE
    ]


@pytest.fixture
def site(client, alice, bob, make_photo):
    """Alice's photos (one hidden by a moderator) with Bob's comment; Alice signed in."""
    photo = make_photo("海边日落", caption="秋天")
    hidden = make_photo("被隐藏的照片")
    services.photo_hide(photo_id=hidden.photo_id)
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-alice", author_name="爱丽丝", body="好看", ip=""
    )
    sign_in(client, alice)
    return {"photo": photo.photo_id, "hidden": hidden.photo_id, "key": comment.created_key}


def pages(site) -> dict[str, str]:
    photo = site["photo"]
    return {
        "gallery": reverse("gallery:photo_list"),
        "search": reverse("gallery:photo_search"),
        "search results": reverse("gallery:photo_search") + "?q=日落",
        "no results": reverse("gallery:photo_search") + "?q=没有",
        "photo": reverse("gallery:photo_detail", args=[photo]),
        "hidden photo": reverse("gallery:photo_detail", args=[site["hidden"]]),
        "delete photo": reverse("gallery:photo_delete", args=[photo]),
        "delete comment": reverse("gallery:comment_delete", args=[photo])
        + "?"
        + urlencode({"key": site["key"]}),
        "my photos": reverse("gallery:photo_mine"),
        "upload": reverse("gallery:upload"),
        "change password": reverse("accounts:change_password"),
    }


def test_every_page_a_member_sees_in_chinese_is_chinese(client, site):
    for name, path in pages(site).items():
        response = client.get(path, **ZH)

        assert response.status_code == 200, name
        html = response.content.decode()
        assert english_left(html) == [], name
        assert [t for t in visible_text(html) if ASCII_AFTER_CHINESE.search(t)] == [], name


@pytest.mark.parametrize("path", ["accounts:login", "accounts:signup", "accounts:forgot_password"])
def test_the_account_pages_are_chinese_before_sign_in(client, aws_stack, path):
    html = client.get(reverse(path), **ZH).content.decode()

    assert english_left(html) == []
    assert [t for t in visible_text(html) if ASCII_AFTER_CHINESE.search(t)] == []


def test_a_refusal_of_the_services_is_told_in_chinese(client, bob, make_photo, settings):
    settings.PHOTOSITE_COMMENT_MAX_CHARS = 5
    photo = make_photo()
    sign_in(client, bob)

    too_long = client.post(
        reverse("gallery:comment_create", args=[photo.photo_id]), {"body": "123456"}, **ZH
    )
    not_yours = client.get(reverse("gallery:photo_delete", args=[photo.photo_id]), **ZH)

    assert too_long.status_code == 400
    assert "评论太长（最多 5 个字符）。" in too_long.content.decode()
    assert not_yours.status_code == 403
    assert "只有照片的主人或管理员可以修改它。" in not_yours.content.decode()
    assert english_left(not_yours.content.decode()) == []


def test_a_rejected_upload_is_explained_in_chinese(alice_client, aws_stack):
    from tests.gallery.conftest import NOT_AN_IMAGE
    from tests.gallery.test_views import upload_file

    response = alice_client.post(
        reverse("gallery:upload"), {"files": upload_file(NOT_AN_IMAGE, "notes.jpg")}, **ZH
    )

    expected = "此文件不是图片，请上传 JPEG、PNG、WebP 或 HEIC 格式的照片。"
    assert expected in response.content.decode()


def test_the_api_explains_refusals_in_the_clients_language(alice_client, aws_stack):
    client = alice_client
    english = client.get("/api/photos?cursor=forged").json()
    chinese = client.get("/api/photos?cursor=forged", **ZH).json()

    assert english["code"] == chinese["code"] == "bad_cursor"
    assert english["message"] == "This page link is invalid; start from the first page."
    assert chinese["message"] == "此翻页链接无效，请从第一页开始。"
