"""Share links per recipient, in a real browser: share an album to two recipients with
different expiries, one with a password; open both signed out on a phone; see both opens in the
owner's log; revoke one and see the next request refused; remove it from the list. And a
selection posted from My photos, as its bulk selection does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gallery import services
from gallery.services import albums
from tests.accounts.conftest import account_create
from tests.accounts.users import site_user
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.gallery.conftest import jpeg


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def owner(browser, live_server, member):
    """The member, signed in on a desktop browser that may use the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"], locale="en-US", base_url=live_server.url
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, member)
    yield page
    context.close()


@pytest.fixture
def recipient(browser, live_server):
    """Someone without an account, on a 390 px phone."""
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], locale="en-US", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def photos_of(member, names: list[str]) -> list[str]:
    return [
        services.photo_create(
            owner_sub=member.sub,
            owner_name=member.display_name,
            name=name,
            data=jpeg(),
            uploader_ip="203.0.113.9",
        ).photo_id
        for name in names
    ]


def share_selection(page, photo_ids: list[str], *, label: str, lifetime: str, password=""):
    """Post the chosen photos from My photos to the selection form, as its bulk selection does
    (a form of `photo_id` values), then fill in the link's terms; return its address."""
    page.goto("/mine/")
    page.evaluate(
        """(ids) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = "/links/new/";
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const fields = [["csrfmiddlewaretoken", token], ...ids.map((id) => ["photo_id", id])];
            for (const [name, value] of fields) {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                form.append(input);
            }
            document.body.append(form);
            form.submit();
        }""",
        photo_ids,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Share {len(photo_ids)} photos")
    page.get_by_label("Link valid for").select_option(label=lifetime)
    page.get_by_label("For (recipient)").fill(label)
    if password:
        page.get_by_label("Password (optional)").fill(password)
    page.get_by_role("button", name="Make share link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share link made")
    return page.get_by_label("Share link").input_value()


def share_album(page, album_id: str, *, label: str, lifetime: str, password=""):
    """Fill in the share form on the album's page; return the new link's address."""
    page.goto(f"/albums/{album_id}/")
    form = page.locator("section", has=page.get_by_role("heading", name="Share"))
    form.get_by_label("Link valid for").select_option(label=lifetime)
    form.get_by_label("For (recipient)").fill(label)
    if password:
        form.get_by_label("Password (optional)").fill(password)
    form.get_by_role("button", name="Make share link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share link made")
    return page.get_by_label("Share link").input_value()


def test_an_album_shared_to_two_recipients_is_opened_logged_revoked_and_removed(
    owner, recipient, member
):
    photo_ids = photos_of(member, ["海边日落", "Harbour lights"])
    actor = site_user(member.sub, member.display_name, ("members",))
    album = albums.album_create(actor=actor, title="Holiday 假期")
    albums.album_items_add(album_id=album.album_id, photo_ids=photo_ids, actor=actor)

    grandma = share_album(
        owner, album.album_id, label="for Grandma", lifetime="1 day", password="granny-smith-42"
    )
    # The address, a Copy button (revealed by copy.js) that copies it, and a QR code.
    owner.get_by_role("button", name="Copy").click()
    expect(owner.locator("#share-url-status")).to_have_text("Copied")
    assert owner.evaluate("() => navigator.clipboard.readText()") == grandma
    expect(owner.locator("svg.qr-code")).to_be_visible()
    bob = share_album(owner, album.album_id, label="for Bob", lifetime="1 hour")
    assert grandma != bob and "/s/" in bob

    # Grandma's link asks for its password, then shows both photos; Bob's needs none.
    assert recipient.goto(grandma).status == 200
    expect(recipient.get_by_role("heading", level=1)).to_have_text(
        "This link is protected by a password"
    )
    recipient.get_by_label("Password").fill("granny")
    recipient.get_by_role("button", name="Open").click()
    expect(recipient.get_by_role("alert")).to_have_text("That password is not right.")
    recipient.get_by_label("Password").fill("granny-smith-42")
    recipient.get_by_role("button", name="Open").click()
    expect(recipient.locator(".share-grid img")).to_have_count(2)
    recipient.wait_for_function(
        "() => [...document.querySelectorAll('.share-grid img')].every(i => i.naturalWidth > 0)"
    )
    assert_fits_the_width(recipient)
    save_screenshot(recipient, "share-recipient-phone")
    assert recipient.goto(bob).status == 200
    expect(recipient.locator(".share-grid img")).to_have_count(2)

    # Both opens are in the owner's list, and in each link's log with a masked address.
    owner.goto("/links/")
    grandma_row = owner.locator("tr.share-row", has_text="for Grandma")
    bob_row = owner.locator("tr.share-row", has_text="for Bob")
    expect(grandma_row).to_contain_text("1 time")
    expect(bob_row).to_contain_text("1 time")
    expect(grandma_row).to_contain_text("active")
    save_screenshot(owner, "share-my-links-desktop")
    grandma_row.get_by_role("link", name="for Grandma").click()
    expect(owner.locator("tr.open-entry")).to_have_count(1)
    expect(owner.locator("tr.open-entry")).to_contain_text("127.0.0.x")
    expect(owner.locator("tr.open-entry")).to_contain_text("page opened")

    # Revoking Bob's link refuses his very next request.
    owner.goto("/links/")
    bob_row.get_by_role("button", name="Revoke").click()
    expect(owner.locator(".messages")).to_contain_text("The link was revoked.")
    response = recipient.reload()
    assert response.status == 410
    expect(recipient.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert recipient.goto(grandma).status == 200  # the other recipient is unaffected

    # The ended link goes from the list in one click.
    expect(bob_row).to_contain_text("revoked")
    bob_row.get_by_role("button", name="Remove").click()
    expect(owner.locator(".messages")).to_contain_text("The link was removed.")
    expect(owner.locator("tr.share-row")).to_have_count(1)
    expect(owner.locator("tr.share-row")).to_contain_text("for Grandma")


def test_my_links_and_a_links_page_fit_a_390_px_phone_and_pass_axe(
    browser, live_server, member, axe
):
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, member)
        photo_id = photos_of(member, ["一张很长很长的照片名字" * 6])[0]
        link = services.share_link_create(
            photo_id=photo_id,
            actor=site_user(member.sub, member.display_name, ("members",)),
            expires_in=None,
            label="给奶奶" * 10,
            view_limit=5,
        )

        page.goto("/links/")
        assert_fits_the_width(page)
        assert axe(page) == []
        save_screenshot(page, "share-my-links-phone")
        page.goto(f"/links/{link.token}/")
        expect(page.locator("svg.qr-code")).to_be_visible()
        assert_fits_the_width(page)
        assert axe(page) == []
        save_screenshot(page, "share-link-page-phone")
        page.goto(f"/s/{link.token}")
        assert_fits_the_width(page)
        assert axe(page) == []
    finally:
        context.close()


def test_a_selection_posted_from_my_photos_becomes_one_link(owner, recipient, member):
    photo_ids = photos_of(member, ["One", "Two", "Three"])

    url = share_selection(owner, photo_ids[:2], label="for Lin", lifetime="5 minutes")

    assert recipient.goto(url).status == 200
    expect(recipient.locator(".share-grid img")).to_have_count(2)
    expect(recipient.get_by_role("heading", level=1)).to_have_text("Photos from 梅 Mei")


def test_without_javascript_no_copy_button_shows_and_the_address_is_there_to_select(
    browser, live_server, member
):
    (photo_id,) = photos_of(member, ["Harbour lights"])
    link = services.share_link_create(
        photo_id=photo_id, actor=site_user(member.sub, member.display_name), expires_in=3600
    )
    context = browser.new_context(
        java_script_enabled=False, locale="en-US", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, member)

        page.goto(f"/links/{link.token}/")

        # copy.js reveals the button; without it a button would do nothing when pressed.
        expect(page.get_by_role("button", name="Copy")).to_have_count(0)
        expect(page.locator("button[data-copy]")).to_be_hidden()
        expect(page.get_by_label("Share link")).to_have_value(re.compile(f"/s/{link.token}"))
    finally:
        context.close()
