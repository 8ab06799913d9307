"""What the camera knew, HEIC, originals and full size, in a real browser at desktop and phone
widths: a HEIC goes straight to S3 and shows what the iPhone knew, the gallery orders by date
taken, the owner downloads the original, and the lightbox zooms the full-size copy (click,
wheel and keys on a desktop; pinch on a phone)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from gallery import services
from gallery.models import Photo
from tests.accounts.conftest import account_create
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.grid import expect_grid
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.gallery.test_exif import exif_jpeg
from tests.gallery.test_heif import heic, iphone_exif
from tests.gallery.test_originals import gps_jpeg

TAG = ExifTags.Base


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="lin@example.com", display_name="林 Lin", groups=("members",)
    )


@pytest.fixture(params=list(VIEWPORTS))
def context(request, browser, live_server):
    """A fresh context at each width: desktop, then a 390 px phone (with touch)."""
    phone = request.param == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        locale="en-US",
        base_url=live_server.url,
        has_touch=phone,
        is_mobile=phone,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    context.width = request.param
    yield context
    context.close()


def publish(account, name: str, data: bytes, *, filename: str = "") -> str:
    return services.photo_create(
        owner_sub=account.sub,
        owner_name=account.display_name,
        name=name,
        data=data,
        uploader_ip="203.0.113.9",
        filename=filename,
    ).photo_id


def test_a_heic_from_a_phone_goes_straight_to_s3_and_shows_what_the_iphone_knew(
    context, member, axe
):
    page = context.new_page()
    sign_in(page, member)
    page.goto("/upload/")
    # Chromium outside Apple's systems gives a .heic file no type; the page names it.
    page.get_by_label("Photos").set_input_files(
        [{"name": "IMG_0001.HEIC", "mimeType": "", "buffer": heic(exif=iphone_exif())}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    page.wait_for_url(re.compile(r"/photos/[^/]+/$"))  # one photo: the page opens it
    expect(page.get_by_role("heading", level=1)).to_have_text("IMG_0001")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("image/heic")
    expect(facts).to_contain_text("Aug. 15, 2025, 6:42 PM (UTC+08:00)")
    expect(facts).to_contain_text("Apple iPhone 15 Pro")
    # What the page shows is a JPEG derivative.
    shown = page.locator("figure img").get_attribute("src")
    assert page.request.get(shown).headers["content-type"] == "image/jpeg"
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"heic-photo-{page.viewport_size['width']}")


def test_the_gallery_and_my_photos_order_by_date_taken(context, member, axe):
    def taken(stamp: str) -> bytes:
        return exif_jpeg(sub={TAG.DateTimeOriginal: stamp})

    publish(member, "Summer 2019", taken("2019:07:01 10:00:00"))
    publish(member, "Winter 2023", taken("2023:01:15 10:00:00"))
    publish(member, "Spring 2021", taken("2021:04:01 10:00:00"))
    page = context.new_page()
    sign_in(page, member)

    page.goto("/")
    expect_grid(page, ["Spring 2021", "Winter 2023", "Summer 2019"])  # by upload
    page.get_by_role("link", name="Date taken").click()
    expect(page.get_by_role("link", name="Date taken")).to_have_attribute("aria-current", "true")
    expect_grid(page, ["Winter 2023", "Spring 2021", "Summer 2019"])
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"gallery-by-date-taken-{page.viewport_size['width']}")

    page.goto("/mine/")
    page.get_by_role("link", name="Date taken").click()
    expect_grid(page, ["Winter 2023", "Spring 2021", "Summer 2019"])
    page.get_by_role("link", name="Upload time").click()
    expect_grid(page, ["Spring 2021", "Winter 2023", "Summer 2019"])

    page.goto("/search/?taken_from=2021-01-01&taken_to=2021-12-31")
    expect_grid(page, ["Spring 2021"])


def test_the_owner_downloads_the_original_under_its_own_name(context, member):
    data = gps_jpeg(900, 600)
    photo_id = publish(member, "Eiffel", data, filename="IMG_0001.JPG")
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download original").click()

    download = caught.value
    assert download.suggested_filename == "IMG_0001.JPG"
    with open(download.path(), "rb") as saved:
        assert saved.read() == data


def test_the_lightbox_shows_the_full_size_copy_and_zooms(context, member, axe):
    photo_id = publish(member, "Harbour", gps_jpeg(3000, 2000))
    full_key = Photo.get(photo_id).full_key
    page = context.new_page()
    page.goto(f"/photos/{photo_id}/")

    page.locator("a[data-lightbox]").click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    image = dialog.locator("img")
    expect(image).to_have_attribute("src", re.compile(re.escape(full_key)))
    page.wait_for_function("() => document.querySelector('dialog.lightbox img').naturalWidth > 0")
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [3000, 2000]
    expect(dialog).to_have_attribute("data-zoom", "1.00")
    assert axe(page) == []

    stage = dialog.locator(".lightbox-stage")
    box = stage.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if context.width == "desktop":
        image.click()  # to the picture's own pixels
        assert float(dialog.get_attribute("data-zoom")) > 1.5
        page.keyboard.press("0")
        expect(dialog).to_have_attribute("data-zoom", "1.00")
        page.mouse.move(cx, cy)
        page.mouse.wheel(0, -400)
        page.wait_for_function(
            "() => parseFloat(document.querySelector('dialog.lightbox').dataset.zoom) > 1.2"
        )
        page.keyboard.press("+")
        zoomed = float(dialog.get_attribute("data-zoom"))
        page.keyboard.press("-")
        assert float(dialog.get_attribute("data-zoom")) < zoomed
    else:
        # Two fingers spreading apart, as the phone's touch screen reports them.
        cdp = context.new_cdp_session(page)

        def touch(kind: str, spread: float) -> None:
            points = (
                []
                if kind == "touchEnd"
                else [
                    {"x": cx - spread, "y": cy, "id": 0},
                    {"x": cx + spread, "y": cy, "id": 1},
                ]
            )
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", 20)
        for spread in (40, 60, 80, 100):
            touch("touchMove", spread)
        touch("touchEnd", 0)
        assert float(dialog.get_attribute("data-zoom")) > 3
        assert stage.evaluate("el => getComputedStyle(el).touchAction") == "none"
    save_screenshot(page, f"lightbox-zoomed-{page.viewport_size['width']}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_photo_page_of_a_camera_photo_fits_a_phone(context, member):
    data = exif_jpeg(
        {TAG.Make: "FUJIFILM", TAG.Model: "X-T5"},
        {TAG.DateTimeOriginal: "2024:05:01 09:30:15", TAG.LensModel: "XF16-80mmF4 R OIS WR"},
    )
    photo_id = publish(member, "Market", data)
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")

    expect(page.locator("dl.facts")).to_contain_text("(time zone unknown)")
    expect(page.get_by_role("link", name="Download original")).to_be_visible()
    assert_fits_the_width(page)
    save_screenshot(page, f"photo-camera-facts-{page.viewport_size['width']}")
    assert Image.open(io.BytesIO(data)).size == (32, 24)


def test_the_camera_facts_and_the_order_switch_are_chinese_in_chinese(
    browser, live_server, member, context
):
    data = exif_jpeg(
        {TAG.Make: "FUJIFILM", TAG.Model: "X-T5"},
        {TAG.DateTimeOriginal: "2024:05:01 09:30:15", TAG.OffsetTimeOriginal: "+08:00"},
    )
    photo_id = publish(member, "西湖", data, filename="西湖.jpg")
    zh = browser.new_context(
        viewport=VIEWPORTS[context.width],
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
        base_url=live_server.url,
    )
    try:
        page = zh.new_page()
        page.goto(f"/photos/{photo_id}/")
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("拍摄时间")
        expect(facts).to_contain_text("2024年5月1日 09:30 (UTC+08:00)")
        page.goto("/?order=taken")
        expect(page.get_by_role("link", name="拍摄日期")).to_have_attribute("aria-current", "true")
        assert_fits_the_width(page)
        save_screenshot(page, f"gallery-by-date-taken-zh-{page.viewport_size['width']}")
    finally:
        zh.close()
