"""The upload page in a real browser, at desktop and phone widths: a failed file turns red with
its reason and a Retry of its own; retrying sends that file alone once the cause is gone; a
finished batch clears, so pressing Upload again sends nothing twice."""

from __future__ import annotations

from playwright.sync_api import expect

from gallery import selectors
from tests.browser.signing_in import sign_in
from tests.browser.test_journeys import upload_in_browser
from tests.browser.test_owner_pages import member, page  # noqa: F401 - fixtures
from tests.gallery.conftest import NOT_AN_IMAGE, jpeg

ERROR_RED = "rgb(179, 38, 30)"


def owner_photo_names(account) -> list[str]:
    return sorted(p.name for p in selectors.photo_list_owner(owner_sub=account.sub).items)


def test_a_file_refused_for_the_rate_limit_is_retried_alone_once_the_limit_allows(
    page,  # noqa: F811
    member,  # noqa: F811
    settings,
    axe,
):
    # A real refusal of the site, not a mocked one: the upload rate limit lets one through.
    settings.PHOTOSITE_UPLOAD_RATE_LIMIT = 1
    sign_in(page, member)
    upload_in_browser(page, [("Lake.jpg", jpeg()), ("Hill.jpg", jpeg(color=(10, 90, 200)))])

    rows = page.locator("#upload-progress li")
    rows.nth(0).locator("a", has_text="Uploaded — view Lake").wait_for()
    failed = rows.nth(1)
    expect(failed).to_have_class("failed")
    expect(failed.locator(".status")).to_contain_text("too often")
    assert failed.locator("progress").evaluate("bar => getComputedStyle(bar).accentColor") == (
        ERROR_RED
    )
    assert axe(page) == []
    # The batch is over: the form is empty, and Upload sends nothing again.
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_label("Photos")).to_be_focused()
    assert owner_photo_names(member) == ["Lake"]

    settings.PHOTOSITE_UPLOAD_RATE_LIMIT = 10  # the cause is gone
    retry = failed.get_by_role("button", name="Retry Hill")
    retry.click()

    link = failed.locator("a", has_text="Uploaded — view Hill")
    link.wait_for()
    expect(failed).to_have_class("done")
    expect(link).to_be_focused()  # the Retry button is gone; focus went to its result
    expect(failed.get_by_role("button")).to_have_count(0)
    assert owner_photo_names(member) == ["Hill", "Lake"]  # each once: Lake was not sent again


def test_a_file_that_is_no_image_fails_again_on_retry_and_stays_red(
    page,  # noqa: F811
    member,  # noqa: F811
):
    sign_in(page, member)
    upload_in_browser(page, [("notes.jpg", NOT_AN_IMAGE)])

    failed = page.locator("#upload-progress li").nth(0)
    expect(failed).to_have_class("failed")
    expect(failed.locator(".status")).to_contain_text("not an image")

    failed.get_by_role("button", name="Retry notes").click()

    # The same refusal again, with a new Retry focused where the old one was.
    expect(failed.get_by_role("button", name="Retry notes")).to_be_focused()
    expect(failed).to_have_class("failed")
    expect(failed.locator(".status")).to_contain_text("not an image")
    assert owner_photo_names(member) == []
