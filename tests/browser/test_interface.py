"""The interface itself: accessibility, keyboard, layout from phone to wide screen, languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from gallery import services
from photosite.demo import DEMO_PHOTOS, DemoUser, demo_photos_ensure
from tests.accounts.conftest import account_create
from tests.accounts.users import site_user
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.grid import expect_grid
from tests.browser.layout import assert_fits_the_width
from tests.browser.network import settle, track
from tests.browser.signing_in import sign_in
from tests.gallery.conftest import jpeg

WIDE = {"width": 1920, "height": 1080}


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def gallery(aws_stack):
    """The demo photos; returns the newest one's id."""
    owner = DemoUser("demo@example.com", "unused", "Demo 用户", ("members",), sub="sub-demo")
    demo_photos_ensure(owner)
    from gallery import selectors

    return selectors.photo_list_feed(limit=1).items[0].photo_id


@pytest.fixture
def share_token(gallery, member):
    """A link to a photo of the member's own (only a photo's owner may share it)."""
    photo = services.photo_create(
        owner_sub=member.sub,
        owner_name=member.display_name,
        name="窗台上的猫",
        data=jpeg(),
        uploader_ip="203.0.113.9",
        now=datetime(2020, 1, 1, tzinfo=UTC),  # after the demo photos in the gallery
    )
    owner = site_user(member.sub, member.display_name, ("members",))
    return services.share_link_create(photo_id=photo.photo_id, actor=owner, expires_in=3600).token


def new_page(browser, live_server, *, viewport="desktop", **options):
    context = track(
        browser.new_context(
            viewport=VIEWPORTS.get(viewport, WIDE),
            base_url=live_server.url,
            **({"locale": "en-US"} | options),
        )
    )
    context.set_default_timeout(15_000)
    return context.new_page()


MAIN_PAGES = {  # screenshot name: path ({photo} and {token} filled in)
    "gallery": "/",
    "photo": "/photos/{photo}/",
    "upload": "/upload/",
    "search": "/search/?q=%E6%97%A5%E8%90%BD",  # 日落
    "my-photos": "/mine/",
    "my-links": "/links/",
    "share": "/s/{token}",
}

SCREENSHOTS = {"gallery", "photo", "upload", "search", "share", "my-links", "sign-in"}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_main_page_passes_axe_and_fits_the_screen(
    browser, live_server, member, gallery, share_token, axe, viewport
):
    page = new_page(browser, live_server, viewport=viewport)
    try:
        for name, path in {"sign-in": "/accounts/login/", "sign-up": "/accounts/signup/"}.items():
            page.goto(path)
            assert axe(page) == [], name
            if name in SCREENSHOTS:
                save_screenshot(page, f"{name}-{viewport}")
        sign_in(page, member)
        for name, path in MAIN_PAGES.items():
            page.goto(path.format(photo=gallery, token=share_token))
            settle(page)
            assert axe(page) == [], name
            assert_fits_the_width(page, name)
            for image in page.locator("main img").all():
                assert image.get_attribute("alt"), f"{name}: an image without alt text"
            if name in SCREENSHOTS:
                save_screenshot(page, f"{name}-{viewport}")
    finally:
        page.context.close()


def test_the_grid_has_more_columns_on_wider_screens_and_lazy_images(browser, live_server, gallery):
    columns = {}
    for viewport in ("phone", "desktop", "wide"):
        page = new_page(browser, live_server, viewport=viewport)
        page.goto("/")
        columns[viewport] = page.locator("ul.grid").evaluate(
            "grid => getComputedStyle(grid).gridTemplateColumns.split(' ').length"
        )
        lazy = page.locator("ul.grid img").evaluate_all("imgs => imgs.map(img => img.loading)")
        assert lazy == ["lazy"] * len(DEMO_PHOTOS)
        page.context.close()
    assert 2 <= columns["phone"] < columns["desktop"] < columns["wide"], columns


def test_a_keyboard_user_can_skip_to_content_open_the_lightbox_and_post_a_comment(
    browser, live_server, member, gallery
):
    page = new_page(browser, live_server)
    sign_in(page, member)
    page.goto(f"/photos/{gallery}/")

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    def tab_to(selector: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("a.photo-open")
    page.keyboard.press("Enter")
    lightbox = page.locator("dialog.lightbox")
    expect(lightbox).to_have_attribute("open", "")
    page.wait_for_function("() => document.querySelector('dialog.lightbox img').naturalWidth > 0")
    page.keyboard.press("Escape")
    expect(lightbox).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.matches('a.photo-open')")

    tab_to("textarea[name=body]")
    page.keyboard.type("用键盘写的评论")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Post comment")
    page.keyboard.press("Enter")
    expect(page.locator("ol.timeline .comment-body")).to_have_text("用键盘写的评论")


def test_empty_pages_say_what_to_do_next(browser, live_server, member):
    page = new_page(browser, live_server)
    page.goto("/")
    expect(page.get_by_text("No photos yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to upload photos.")).to_be_visible()
    sign_in(page, member)
    page.goto("/mine/")
    page.locator(".empty-state").get_by_role("link", name="Upload photos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload photos")
    page.goto("/links/")
    expect(page.get_by_text("You have not shared any photo yet.")).to_be_visible()


def test_a_chinese_browser_gets_the_chinese_interface_with_local_dates(
    browser, live_server, gallery
):
    page = new_page(browser, live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="相册")).to_be_visible()
    expect(nav.get_by_role("link", name="搜索")).to_be_visible()
    expect(page.get_by_role("link", name="登录")).to_be_visible()

    page.get_by_role("link", name="海边日落").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("上传时间")
    expect(facts).to_contain_text("年")  # 2026年11月21日 14:05
    expect(facts).to_contain_text("Asia/Shanghai")
    save_screenshot(page, "photo-zh-desktop")
    page.get_by_role("link", name="搜索").click()
    page.get_by_label("名称或说明").fill("红叶")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect_grid(page, ["秋天的红叶"])


def test_the_language_switcher_changes_the_interface_and_remembers_it(
    browser, live_server, gallery
):
    page = new_page(browser, live_server)
    page.goto("/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search photos")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索照片")
    assert page.url.endswith("/search/")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("相册")

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gallery")


def test_arrow_keys_move_through_the_photos_in_grid_order(browser, live_server, gallery):
    newest_first = [name for name, _, _ in reversed(DEMO_PHOTOS)]
    page = new_page(browser, live_server)
    page.goto("/")
    page.get_by_role("link", name=newest_first[1]).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(newest_first[1])
    nav = page.get_by_role("navigation", name="Photos in this list")
    expect(nav.get_by_role("link")).to_have_text(
        [f"← Previous photo: {newest_first[0]}", f"Next photo: {newest_first[2]} →"]
    )

    page.keyboard.press("ArrowRight")
    expect(heading).to_have_text(newest_first[2])
    page.keyboard.press("ArrowLeft")
    expect(heading).to_have_text(newest_first[1])

    page.get_by_role("link", name=f"← Previous photo: {newest_first[0]}").click()
    expect(heading).to_have_text(newest_first[0])
    expect(nav.get_by_role("link")).to_have_count(1)  # the newest has no previous photo


def test_my_links_fit_a_phone_with_long_names_and_a_moderators_link(browser, live_server, member):
    # 390 px is an iPhone's width; every column must fit without the page or the table scrolling
    # sideways, however long the photo's name (200 characters, the most a name may have).
    owner = site_user(member.sub, member.display_name, ("members",))
    moderator = site_user("sub-mod", "Mo", ("admins",))
    for name in ("日落" * 100, "Sunset" * 33 + "!!"):
        photo = services.photo_create(
            owner_sub=member.sub,
            owner_name=member.display_name,
            name=name,
            data=jpeg(64, 48),
            uploader_ip="203.0.113.9",
        )
        services.share_link_create(photo_id=photo.photo_id, actor=owner, expires_in=604800)
        services.share_link_create(photo_id=photo.photo_id, actor=moderator, expires_in=3600)
    page = new_page(browser, live_server, viewport="phone")
    try:
        sign_in(page, member)
        page.goto("/links/")

        assert page.evaluate("() => window.innerWidth") == 390
        assert_fits_the_width(page)
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the table scrolls sideways"
        buttons = page.get_by_role("button", name="Revoke")
        expect(buttons).to_have_count(4)
        for box in (buttons.nth(i).bounding_box() for i in range(4)):
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        expect(page.locator("table")).to_contain_text("a moderator")
        save_screenshot(page, "my-links-long-names-phone")
        buttons.first.click()
        expect(page.get_by_text("The link was revoked.")).to_be_visible()
        expect(page.get_by_role("button", name="Revoke")).to_have_count(3)
    finally:
        page.context.close()
