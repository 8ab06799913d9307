"""A member's whole visit, in a real browser: upload, browse, search, comment, share, edit."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.identity import IdentityUnavailable
from gallery import services, views
from gallery.services import common
from photosite.bootstrap import ensure_bucket
from tests.accounts.conftest import account_create
from tests.browser.conftest import VIEWPORTS
from tests.browser.grid import expect_grid
from tests.browser.signing_in import sign_in
from tests.gallery.conftest import NOT_AN_IMAGE, jpeg

VIEWER_TZ = "Asia/Shanghai"


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def context(browser, live_server):
    """A fresh context in the viewer's time zone (Shanghai), the site as its base URL."""
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"],
        locale="en-US",
        timezone_id=VIEWER_TZ,
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def upload_in_browser(page, files: list[tuple[str, bytes]]) -> None:
    """Choose files on the upload page and submit; upload.js sends each one straight to S3."""
    page.goto("/upload/")
    page.get_by_label("Photos").set_input_files(
        [{"name": name, "mimeType": "image/jpeg", "buffer": data} for name, data in files]
    )
    page.get_by_role("button", name="Upload", exact=True).click()


def photo_upload(account, name: str) -> str:
    """Upload a photo through the service (for tests about what comes after an upload)."""
    photo = services.photo_create(
        owner_sub=account.sub,
        owner_name=account.display_name,
        name=name,
        caption="",
        data=jpeg(),
        uploader_ip="203.0.113.9",
    )
    return photo.photo_id


@pytest.fixture
def s3_requests(context, live_server):
    """Record the browser's requests that go to S3 (the emulator), not to the site."""
    seen: list[str] = []
    context.on(
        "request",
        lambda request: (
            seen.append(f"{request.method} {request.url}")
            if not request.url.startswith(live_server.url)
            else None
        ),
    )
    return seen


def test_two_photos_go_straight_to_s3_with_progress_then_show_newest_first(
    context, member, s3_requests
):
    page = context.new_page()
    sign_in(page, member)
    upload_in_browser(page, [("海边日落.jpg", jpeg(color=(1, 2, 3))), ("Harbour.jpg", jpeg())])

    rows = page.locator("#upload-progress li")
    rows.nth(1).locator("a", has_text="Uploaded — view Harbour").wait_for()
    assert rows.count() == 2
    for i in range(2):
        assert rows.nth(i).get_attribute("class") == "done"
        assert rows.nth(i).locator("progress").evaluate("bar => bar.value") == 100
    # The bytes went from the browser to the storage endpoint, not through the site.
    assert [r for r in s3_requests if r.startswith("POST ")], s3_requests

    page.get_by_role("link", name="Gallery").click()
    expect_grid(page, ["Harbour", "海边日落"])

    page.get_by_role("link", name="海边日落").click()
    assert page.get_by_role("heading", level=1).inner_text() == "海边日落"
    facts = page.locator("dl.facts").inner_text()
    assert "梅 Mei" in facts
    assert "127.0.0.1" in facts  # the owner sees the full uploader IP
    assert VIEWER_TZ in facts  # the upload time is shown in the viewer's zone
    uploaded = datetime.fromisoformat(page.locator("dl.facts time").get_attribute("datetime"))
    assert abs(uploaded - datetime.now(UTC)) < timedelta(minutes=5)
    assert uploaded.utcoffset() == timedelta(hours=8)


def test_each_file_gets_its_own_progress_and_its_own_error(context, member):
    page = context.new_page()
    sign_in(page, member)
    upload_in_browser(page, [("notes.jpg", NOT_AN_IMAGE), ("Lake.jpg", jpeg())])

    rows = page.locator("#upload-progress li")
    rows.nth(1).locator("a", has_text="Uploaded — view Lake").wait_for()
    assert rows.nth(0).get_attribute("class") == "failed"
    assert "notes.jpg" in rows.nth(0).inner_text()
    assert rows.nth(0).locator(".status").inner_text() != ""
    page.goto("/mine/")
    expect_grid(page, ["Lake"])


def test_without_javascript_the_form_uploads_through_the_site(browser, live_server, member):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, member)
        page.goto("/upload/")
        page.get_by_label("Photos").set_input_files(
            [{"name": "雪山.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
        )
        page.get_by_role("button", name="Upload", exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == "雪山"
        assert page.get_by_role("status").inner_text() == "Your photo was uploaded."
    finally:
        context.close()


def test_search_by_chinese_name_by_word_and_by_date(context, member):
    photo_upload(member, "海边日落")
    photo_upload(member, "Old harbour at dawn")
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Search").click()

    page.get_by_label("Name or caption").fill("日落")
    page.get_by_role("button", name="Search", exact=True).click()
    expect_grid(page, ["海边日落"])

    page.get_by_label("Name or caption").fill("harbour")
    page.get_by_role("button", name="Search", exact=True).click()
    expect_grid(page, ["Old harbour at dawn"])

    def local(**offset) -> str:  # what a datetime-local input holds, in the viewer's zone
        return (datetime.now(ZoneInfo(VIEWER_TZ)) + timedelta(**offset)).strftime("%Y-%m-%dT%H:%M")

    page.get_by_label("Name or caption").fill("")
    page.get_by_label("Uploaded from").fill(local(hours=-1))
    page.get_by_label("Uploaded until").fill(local(hours=1))
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.locator("ul.grid img").count() == 2

    page.get_by_label("Uploaded from").fill(local(days=-9))
    page.get_by_label("Uploaded until").fill(local(days=-8))
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.locator("ul.grid img").count() == 0
    assert page.get_by_text("No photos match.").is_visible()


def test_a_comment_appears_in_the_timeline(context, member):
    photo_id = photo_upload(member, "海边日落")
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")
    assert page.get_by_text("No comments yet.").is_visible()
    page.get_by_role("textbox", name="Comment").fill("真美！<b>not bold</b>")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator("ol.timeline li.comment")
    assert comment.count() == 1
    assert comment.locator(".comment-body").inner_text() == "真美！<b>not bold</b>"
    assert "梅 Mei" in comment.locator(".comment-meta").inner_text()
    assert page.get_by_role("heading", name="1 comment").is_visible()


def test_a_share_link_opens_without_a_session_and_fails_once_expired(
    context, browser, live_server, member, monkeypatch
):
    photo_id = photo_upload(member, "海边日落")
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")
    page.get_by_label("Link valid for").select_option(label="1 minute")
    page.get_by_role("button", name="Make share link").click()
    share_url = page.get_by_label("Share link").input_value()
    assert "/s/" in share_url

    stranger = browser.new_context(base_url=live_server.url)
    try:
        shared = stranger.new_page()
        response = shared.goto(share_url)
        assert response.status == 200
        assert shared.get_by_role("heading", level=1).inner_text() == "海边日落"
        shared.wait_for_function("() => document.querySelector('article img').naturalWidth > 0")

        # Instead of waiting a minute, the site's clock moves 61 seconds on.
        later = datetime.now(UTC) + timedelta(seconds=61)
        monkeypatch.setattr(common, "utc_now", lambda now=None: now or later)
        response = shared.reload()
        assert response.status == 410
        assert shared.get_by_role("heading", level=1).inner_text() == "This link no longer works"
        assert shared.locator("article img").count() == 0
    finally:
        stranger.close()


def test_editing_the_caption_in_two_tabs_shows_a_conflict(context, member):
    photo_id = photo_upload(member, "海边日落")
    first = context.new_page()
    sign_in(first, member)
    first.goto(f"/photos/{photo_id}/")
    second = context.new_page()
    second.goto(f"/photos/{photo_id}/")

    first.get_by_label("Caption").fill("第一个标签页")
    first.get_by_role("button", name="Save", exact=True).click()
    assert first.get_by_role("status").inner_text() == "Saved."
    assert first.locator("figcaption").inner_text() == "第一个标签页"

    second.get_by_label("Caption").fill("second tab")
    second.get_by_role("button", name="Save", exact=True).click()
    assert "changed meanwhile" in second.get_by_role("alert").first.inner_text()
    second.reload()
    assert second.locator("figcaption").inner_text() == "第一个标签页"


def test_signing_out_ends_the_session(context, member):
    page = context.new_page()
    sign_in(page, member)
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in", exact=True).is_visible()
    response = page.goto("/upload/")
    assert "/accounts/login/" in response.url


def test_photos_dropped_on_the_form_upload_with_progress(context, member):
    page = context.new_page()
    sign_in(page, member)
    page.goto("/upload/")
    page.evaluate(
        """async (photos) => {
            const transfer = new DataTransfer();
            for (const [name, b64] of photos) {
                const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, {type: "image/jpeg"}));
            }
            const form = document.getElementById("upload-form");
            form.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true}));
            form.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        [["桂林山水.jpg", b64(jpeg())], ["Fjord.jpg", b64(jpeg())]],
    )
    rows = page.locator("#upload-progress li")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith("桂林山水.jpg")
    assert "Ready to upload" in rows.nth(1).inner_text()

    page.get_by_role("button", name="Upload", exact=True).click()
    rows.nth(1).locator("a", has_text="Uploaded — view Fjord").wait_for()
    assert rows.nth(0).locator("a").inner_text() == "Uploaded — view 桂林山水"


def test_when_the_browser_cannot_reach_s3_the_files_go_through_the_site(context, member, settings):
    # The bucket's CORS rules name another origin, so Chromium blocks the direct upload.
    ensure_bucket(
        settings.AWS_STORAGE_BUCKET_NAME, site_origin="https://elsewhere.example", log=print
    )
    page = context.new_page()
    sign_in(page, member)
    upload_in_browser(page, [("Dune.jpg", jpeg()), ("草原.jpg", jpeg())])

    page.wait_for_url("**/mine/")
    assert page.get_by_role("status").inner_text() == "2 photos were uploaded."
    names = page.locator("ul.grid img").evaluate_all("imgs => imgs.map(img => img.alt)")
    assert sorted(names) == ["Dune", "草原"]


def test_when_the_site_cannot_presign_the_files_go_through_the_site(context, member, monkeypatch):
    def unavailable(**_):
        raise IdentityUnavailable("identity pool down")

    monkeypatch.setattr(views, "identity_credentials", unavailable)
    page = context.new_page()
    sign_in(page, member)
    upload_in_browser(page, [("Oasis.jpg", jpeg())])

    expect(page.get_by_role("heading", level=1)).to_have_text("Oasis")
    assert page.get_by_role("status").inner_text() == "Your photo was uploaded."


def test_when_the_site_must_take_the_files_but_they_exceed_its_limit_the_page_says_so(
    context, member, monkeypatch, settings
):
    def unavailable(**_):
        raise IdentityUnavailable("identity pool down")

    monkeypatch.setattr(views, "identity_credentials", unavailable)
    settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = 60 * 1024
    page = context.new_page()
    sign_in(page, member)
    sent_to_site: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent_to_site.append(request.url)
            if request.method == "POST" and request.url.endswith("/upload/")
            else None
        ),
    )
    upload_in_browser(page, [("Steppe.jpg", jpeg(700, 500)), ("Tundra.jpg", jpeg(700, 500))])

    rows = page.locator("#upload-progress li.failed")
    expect(rows).to_have_count(2)
    assert "This upload is too large to send through the site." in rows.nth(0).inner_text()
    assert "60 KB" in rows.nth(0).inner_text()
    assert sent_to_site == []  # the script did not post a form the site would refuse
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_enabled()
