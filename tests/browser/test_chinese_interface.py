"""The Chinese interface in a real browser (zh-CN, Asia/Shanghai), at desktop and phone widths:
the gallery, the upload page with a failed file to retry, a photo page, and the admin's
dashboard and photo list; the Chinese screenshots in docs/screenshots are taken here
(test_interface takes the English ones and the Chinese photo page)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from gallery import selectors
from gallery.models import Photo
from moderation import services as moderation_services
from tests.accounts.conftest import account_create
from tests.accounts.users import site_user
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.signing_in import sign_in
from tests.browser.test_interface import gallery  # noqa: F401 - fixture
from tests.gallery.conftest import NOT_AN_IMAGE, jpeg


@pytest.fixture(params=list(VIEWPORTS))
def zh_page(request, browser, live_server):
    """A Chinese browser in Shanghai, at each width; `zh_page.viewport` names the width."""
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport = request.param
    yield page
    context.close()


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def moderator_account(aws_stack):
    return account_create(
        aws_stack.user_pool_id,
        email="lin@example.com",
        display_name="林 管理员",
        groups=("admins",),
    )


def sign_in_zh(page, account) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("邮箱：", exact=True).fill(account.email)
    page.get_by_label("密码：", exact=True).fill(account.password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".nav-user")).to_contain_text(account.display_name)


def test_the_gallery_and_a_photo_in_chinese(zh_page, gallery, axe):  # noqa: F811
    page = zh_page
    page.goto("/")
    page.reload()  # the first page told the site the browser's zone (tz.js); now it uses it
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.locator("footer")).to_contain_text("Asia/Shanghai")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("相册")
    assert axe(page) == []
    save_screenshot(page, f"gallery-zh-{page.viewport}")

    page.goto(f"/photos/{gallery}/")
    expect(page.locator("dl.facts")).to_contain_text("上传时间")
    assert axe(page) == []


def test_the_upload_page_in_chinese_with_a_failed_file_to_retry(zh_page, member, axe):
    page = zh_page
    sign_in_zh(page, member)
    page.goto("/upload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("上传照片")
    page.locator("#upload-form input[type=file]").set_input_files(
        [
            {"name": "湖边.jpg", "mimeType": "image/jpeg", "buffer": jpeg()},
            {"name": "笔记.jpg", "mimeType": "image/jpeg", "buffer": NOT_AN_IMAGE},
        ]
    )
    page.get_by_role("button", name="上传", exact=True).click()

    rows = page.locator("#upload-progress li")
    expect(rows.nth(0).locator("a")).to_have_text("已上传 — 查看 湖边")
    failed = rows.nth(1)
    expect(failed).to_have_class("failed")
    expect(failed.locator(".status")).to_contain_text("此文件不是图片")
    expect(failed.get_by_role("button", name="重试 笔记")).to_be_visible()
    assert axe(page) == []
    save_screenshot(page, f"upload-zh-{page.viewport}")
    assert [p.name for p in selectors.photo_list_owner(owner_sub=member.sub).items] == ["湖边"]


def test_the_admin_dashboard_in_chinese(zh_page, moderator_account, gallery):  # noqa: F811
    page = zh_page
    # Something on the hidden counter and in the recent moderation.
    moderator = site_user(moderator_account.sub, moderator_account.display_name, ("admins",))
    moderation_services.photo_hide(actor=moderator, photo_id=gallery, expected_version=None)
    sign_in(page, moderator_account)
    page.goto("/")  # a page of the site's own, whose tz.js tells the site the browser's zone
    page.goto("/admin/")

    expect(page.locator("#site-name")).to_have_text("photosite 管理后台")
    panel = page.locator("#moderation-dashboard")
    expect(panel).to_contain_text("最近 30 天的活动（UTC）")
    expect(panel.locator("a[href$='status=hidden']")).to_have_text("1")
    expect(panel).to_contain_text("隐藏的照片：")
    recent = page.locator("#recent-actions-module")
    expect(recent.locator("h2")).to_have_text("最近的管理操作")
    expect(recent).to_contain_text("隐藏 照片")
    save_screenshot(page, f"admin-dashboard-zh-{page.viewport}")

    page.goto("/admin/moderation/photoentry/?status=hidden")
    expect(page.locator("#result_list")).to_contain_text("已隐藏")
    expect(page.locator("#result_list thead")).to_contain_text("上传时间（UTC）")
    # The browser told the site it is in Shanghai; the column labelled UTC still shows UTC.
    zone = {c["name"]: c["value"] for c in page.context.cookies()}["tz"]
    assert zone == "Asia%2FShanghai"
    uploaded = Photo.get(gallery).uploaded_at
    shanghai = uploaded.astimezone(ZoneInfo("Asia/Shanghai"))
    row = page.locator("#result_list tbody")
    expect(row).to_contain_text(f"{uploaded.astimezone(UTC):%Y-%m-%d %H:%M:%S}")
    expect(row).not_to_contain_text(f"{shanghai:%Y-%m-%d %H:%M:%S}")
    save_screenshot(page, f"admin-photos-zh-{page.viewport}")
