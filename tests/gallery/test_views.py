"""The web pages, as a signed-in user and as a visitor, against the local AWS stack."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import botocore.endpoint
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gallery import selectors, services
from gallery.models import STATUS_PENDING, Photo, RetainedIp, photo_ip_key
from tests.accounts.users import sign_in, site_user, tokens_in_session
from tests.gallery.conftest import race

from .conftest import NOT_AN_IMAGE, SVG, jpeg, png_bomb, stored_counts

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}


def upload_file(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- browsing ----------------------------------------------------------------------------------


def test_visitors_see_the_gallery_with_named_thumbnails(client, make_photo):
    make_photo("海边日落")

    response = client.get(reverse("gallery:photo_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'alt="海边日落"' in html
    assert "X-Amz-Signature=" in html  # thumbnails are presigned, the bucket stays private


def test_head_requests_are_answered_like_gets_without_a_body(client, make_photo):
    # Link checkers and uptime monitors ask with HEAD; a 405 would read as a broken page.
    photo = make_photo("海边日落")

    for url in (
        reverse("gallery:photo_list"),
        reverse("gallery:photo_detail", args=[photo.photo_id]),
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


def test_the_gallery_loads_more_with_an_opaque_cursor(client, make_photo, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(
        selectors.photo_card_list_feed,
        "__kwdefaults__",
        {
            **selectors.photo_card_list_feed.__kwdefaults__,
            "limit": 2,
        },
    )
    for i, name in enumerate(["照片零", "照片一", "照片二"]):
        make_photo(name, now=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i))

    first = client.get(reverse("gallery:photo_list")).content.decode()
    cursor = re.search(r'href="\?cursor=([^"]+)"', first).group(1)
    second = client.get(reverse("gallery:photo_list") + "?cursor=" + cursor).content.decode()

    assert "照片二" in first and "照片一" in first and "照片零" not in first
    assert "照片零" in second and "Load more" not in second


def test_a_forged_cursor_sends_back_to_the_first_page(client, aws_stack):
    response = client.get(reverse("gallery:photo_list") + "?cursor=forged")

    assert response.status_code == 302


def test_the_detail_page_shows_name_uploader_time_and_masked_ip(client, make_photo, settings):
    settings.PHOTOSITE_IP_DISPLAY = "masked"
    photo = make_photo(
        "Sunset", caption="Golden <b>hour</b>", now=datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    )

    html = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert "<h1>Sunset</h1>" in html
    assert "Alice 爱丽丝" in html
    assert 'datetime="2026-11-21T08:30:00+00:00"' in html
    assert "203.0.113.x" in html and "203.0.113.7" not in html
    assert "Golden &lt;b&gt;hour&lt;/b&gt;" in html


def test_times_show_in_the_viewers_time_zone(client, make_photo):
    photo = make_photo(now=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    client.cookies["tz"] = "Asia%2FShanghai"

    html = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert 'datetime="2026-11-21T16:30:00+08:00"' in html
    assert "Asia/Shanghai" in html


@pytest.mark.parametrize(
    ("mode", "viewer", "shown"),
    [
        ("full", None, "203.0.113.7"),
        ("masked", "bob", "203.0.113.x"),
        ("masked", "alice", "203.0.113.7"),
        ("staff", "bob", None),
        ("staff", "moderator", "203.0.113.7"),
    ],
)
def test_uploader_ip_display_follows_the_setting(
    client, make_photo, settings, request, mode, viewer, shown
):
    settings.PHOTOSITE_IP_DISPLAY = mode
    photo = make_photo()
    if viewer:
        sign_in(client, request.getfixturevalue(viewer))

    html = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    ips = re.search(r"Uploader IP</dt><dd>([^<]*)</dd>", html).group(1)
    assert ips == (shown or "—")


def test_a_missing_photo_is_404(client, aws_stack):
    assert client.get(reverse("gallery:photo_detail", args=["nope"])).status_code == 404


def test_my_photos_needs_sign_in_and_lists_only_mine(client, alice, make_photo):
    make_photo("Mine")
    make_photo("Theirs", owner_sub="sub-bob", owner_name="Bob")
    assert client.get(reverse("gallery:photo_mine")).status_code == 302

    sign_in(client, alice)
    html = client.get(reverse("gallery:photo_mine")).content.decode()

    assert "Mine" in html and "Theirs" not in html


# --- upload through the site -------------------------------------------------------------------


def test_uploading_needs_sign_in(client, aws_stack):
    response = client.get(reverse("gallery:upload"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_upload_form_is_labelled_and_protected_by_csrf(alice_client, aws_stack):
    html = alice_client.get(reverse("gallery:upload")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in html
    assert 'for="id_files"' in html and 'for="id_name"' in html and 'for="id_caption"' in html
    assert "multiple" in html
    assert "data-presign-url" not in html  # no Cognito tokens in this session: server path only


def test_an_upload_without_a_csrf_token_is_refused(alice, aws_stack):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)

    response = client.post(reverse("gallery:upload"), {"files": upload_file(jpeg()), "name": "x"})

    assert response.status_code == 403
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_uploading_one_photo_records_it_and_shows_it(alice_client, aws_stack):
    response = alice_client.post(
        reverse("gallery:upload"),
        {"files": upload_file(jpeg()), "name": "山间小路", "caption": "秋天"},
        REMOTE_ADDR="198.51.100.23",
    )

    photo = selectors.photo_list_feed().items[0]
    assert response.status_code == 302
    assert response["Location"] == reverse("gallery:photo_detail", args=[photo.photo_id])
    assert (photo.name, photo.caption, photo.uploader_ip) == ("山间小路", "秋天", "198.51.100.x")
    assert RetainedIp.get(photo_ip_key(photo.photo_id)).ip == "198.51.100.23"  # for a while
    assert (photo.owner_sub, photo.owner_name) == ("sub-alice", "Alice 爱丽丝")


def test_uploading_several_photos_numbers_their_names(alice_client, aws_stack):
    response = alice_client.post(
        reverse("gallery:upload"),
        {"files": [upload_file(jpeg()), upload_file(jpeg())], "name": "Trip"},
    )

    assert response.status_code == 302
    assert sorted(p.name for p in selectors.photo_list_feed().items) == ["Trip (1)", "Trip (2)"]


def test_without_a_name_each_photo_is_named_after_its_file(alice_client, aws_stack):
    alice_client.post(reverse("gallery:upload"), {"files": upload_file(jpeg(), "IMG_2041.jpg")})

    assert [p.name for p in selectors.photo_list_feed().items] == ["IMG_2041"]


@pytest.mark.parametrize(
    ("data", "filename", "status", "message"),
    [
        (NOT_AN_IMAGE, "holiday.jpg", 415, "This file is not an image"),
        (jpeg()[:3000], "cut.jpg", 400, "incomplete"),
        (png_bomb(), "bomb.png", 413, "too many pixels"),
        (b"", "empty.jpg", 400, "The submitted file is empty"),
        (SVG, "drawing.svg", 415, "This file is not an image"),
    ],
    ids=["non-image named .jpg", "truncated JPEG", "decompression bomb", "0 bytes", "SVG"],
)
def test_a_bad_upload_shows_why_and_writes_nothing(
    alice_client, aws_stack, data, filename, status, message
):
    response = alice_client.post(
        reverse("gallery:upload"), {"files": upload_file(data, filename), "name": "Bad"}
    )

    assert response.status_code == status
    assert message in response.content.decode()
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_an_oversize_upload_is_413_without_being_decoded(
    alice_client, aws_stack, settings, monkeypatch
):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 5_000

    def must_not_decode(*args, **kwargs):
        raise AssertionError("an oversize file was decoded")

    monkeypatch.setattr("gallery.images.process_image", must_not_decode)

    response = alice_client.post(
        reverse("gallery:upload"), {"files": upload_file(jpeg()), "name": "Big"}
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_one_bad_file_among_good_ones_is_reported_while_the_others_are_kept(
    alice_client, aws_stack
):
    response = alice_client.post(
        reverse("gallery:upload"),
        {
            "files": [upload_file(jpeg(), "a.jpg"), upload_file(NOT_AN_IMAGE, "b.jpg")],
            "name": "Mixed",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "b.jpg: This file is not an image" in html
    assert [p.name for p in selectors.photo_list_feed().items] == ["Mixed (1)"]


# --- upload straight from the browser to S3 ----------------------------------------------------


@pytest.fixture
def alice_browser(alice_client, aws_stack):
    """Alice's session as the accounts app leaves it after Cognito sign-in."""
    return tokens_in_session(alice_client, "alice")


@pytest.fixture
def aws_requests(monkeypatch):
    """Record every request any botocore client of this process sends to AWS."""
    sent: list[str] = []
    real = botocore.endpoint.Endpoint.make_request

    def make_request(self, operation_model, request_dict):
        sent.append(f"{operation_model.service_model.service_name}:{operation_model.name}")
        return real(self, operation_model, request_dict)

    monkeypatch.setattr(botocore.endpoint.Endpoint, "make_request", make_request)
    return sent


def presign(client, **body):
    payload = {"name": "Direct", "caption": "", "content_type": "image/jpeg", "size": 1000}
    payload.update(body)
    return client.post(
        reverse("gallery:upload_presign"), json.dumps(payload), content_type="application/json"
    )


def test_the_upload_page_offers_direct_upload_with_cognito_tokens(alice_browser):
    html = alice_browser.get(reverse("gallery:upload")).content.decode()

    assert f'data-presign-url="{reverse("gallery:upload_presign")}"' in html
    assert "js/upload.js" in html


def test_the_web_tier_reads_no_photo_bytes_before_completion(alice_browser, aws_requests):
    data = jpeg(1200, 900)

    response = presign(alice_browser, size=len(data))
    during_presign = list(aws_requests)
    ticket = response.json()
    # What the browser does next goes to S3, not to Django.
    s3_answer = requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("p.jpg", data, "image/jpeg")},
        timeout=10,
    )

    assert response.status_code == 201
    assert s3_answer.status_code in (200, 201, 204)
    # Measured: the presign request carried a small JSON body, not the file, and the web tier
    # sent no S3 request at all (signing a POST is local); only Cognito and two DynamoDB writes.
    assert len(response.wsgi_request.body) < 200 < len(data)
    assert not [call for call in during_presign if call.startswith("s3:")]
    assert during_presign == [
        "dynamodb:GetItem",  # the session
        "dynamodb:GetItem",  # the user's standing (accounts.standing)
        "cognito-identity:GetId",
        "cognito-identity:GetCredentialsForIdentity",
        "dynamodb:UpdateItem",  # the upload rate counter (one atomic ADD)
        "dynamodb:GetItem",  # the owner's default visibility: the request named none
        "dynamodb:TransactWriteItems",  # the pending photo with its retained uploader IP
    ]

    done = alice_browser.post(ticket["complete_url"])

    assert done.status_code == 200
    photo = Photo.get(ticket["photo_id"])
    assert photo.is_visible and photo.size_bytes == len(data)
    assert done.json()["url"] == reverse("gallery:photo_detail", args=[photo.photo_id])


def test_direct_upload_falls_back_when_there_are_no_identity_credentials(alice_client, aws_stack):
    response = presign(alice_client)

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert stored_counts(aws_stack.bucket) == EMPTY


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"content_type": "image/svg+xml"}, 415, "unsupported_format"),
        ({"size": 0}, 400, "empty"),
        ({"size": 10**9}, 413, "too_large"),
        ({"name": ""}, 400, "name_required"),
    ],
)
def test_a_direct_upload_declared_wrong_is_refused_as_json(alice_browser, body, status, code):
    response = presign(alice_browser, **body)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_completing_a_bad_direct_upload_reports_it_and_cleans_up(alice_browser, aws_stack):
    ticket = presign(alice_browser, size=len(NOT_AN_IMAGE)).json()
    requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("p.jpg", NOT_AN_IMAGE, "image/jpeg")},
        timeout=10,
    )

    done = alice_browser.post(ticket["complete_url"])

    assert done.status_code == 415
    assert done.json()["code"] == "not_an_image"
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_another_user_cannot_complete_my_direct_upload(alice_browser, bob, aws_stack):
    ticket = presign(alice_browser).json()
    other = Client()
    sign_in(other, bob)

    response = other.post(ticket["complete_url"])

    assert response.status_code == 404
    assert Photo.get(ticket["photo_id"]).status == STATUS_PENDING


# --- edit and delete ---------------------------------------------------------------------------


def edit(client, photo, *, name="Renamed", version=None):
    return client.post(
        reverse("gallery:photo_edit", args=[photo.photo_id]),
        {"name": name, "caption": "c", "version": photo.version if version is None else version},
    )


def test_the_owner_sees_the_edit_form_and_renames(alice_client, make_photo):
    photo = make_photo("Old")
    html = alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content
    assert b'name="version"' in html

    response = edit(alice_client, photo)

    assert response.status_code == 302
    assert Photo.get(photo.photo_id).name == "Renamed"


def test_a_stale_edit_says_it_changed_meanwhile(alice_client, make_photo):
    photo = make_photo("Old")
    edit(alice_client, photo, name="First")

    response = edit(alice_client, photo, name="Second")

    assert response.status_code == 409
    assert "changed meanwhile; reload" in response.content.decode()
    assert Photo.get(photo.photo_id).name == "First"


def test_someone_elses_photo_shows_no_edit_form_and_refuses_edits(client, bob, make_photo):
    photo = make_photo("Alice's")
    sign_in(client, bob)
    html = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content
    assert b'name="version"' not in html

    assert edit(client, photo).status_code == 403
    response = client.post(reverse("gallery:photo_delete", args=[photo.photo_id]))

    assert response.status_code == 403
    assert Photo.get(photo.photo_id).name == "Alice's"


def test_staff_can_delete_any_photo(client, moderator, make_photo):
    photo = make_photo()
    sign_in(client, moderator)

    response = client.post(reverse("gallery:photo_delete", args=[photo.photo_id]))

    assert response.status_code == 302
    assert client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).status_code == 404


def test_deleting_a_photo_asks_first_and_only_the_post_trashes_it(
    alice_client, make_photo, aws_stack
):
    photo = make_photo("海边日落")
    url = reverse("gallery:photo_delete", args=[photo.photo_id])

    detail = alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content
    asked = alice_client.get(url)

    # The photo page only links to the question; no form on it deletes anything.
    assert f'action="{url}"'.encode() not in detail
    assert f'href="{url}"'.encode() in detail
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Delete “海边日落”?" in html
    assert f'<form class="confirm-actions" method="post" action="{url}">' in html
    assert reverse("gallery:photo_detail", args=[photo.photo_id]) in html  # the way back
    assert "restore it for 30 days" in html and "Move to trash" in html
    assert stored_counts(aws_stack.bucket)["photos"] == 1

    response = alice_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("gallery:photo_mine")
    assert "moved to the trash" in response.content.decode()
    assert Photo.get(photo.photo_id).is_trashed
    assert selectors.photo_list_feed().items == []


def test_a_double_click_on_delete_trashes_once_and_ends_on_my_photos(
    alice_client, make_photo, aws_stack
):
    photo = make_photo()
    url = reverse("gallery:photo_delete", args=[photo.photo_id])

    first, second = alice_client.post(url), alice_client.post(url, follow=True)
    version = Photo.get(photo.photo_id).version

    assert first.status_code == 302
    assert second.status_code == 200  # My photos, not a 404 page
    assert "moved to the trash" in second.content.decode()
    assert Photo.get(photo.photo_id).is_trashed and version == photo.version + 1


def test_simultaneous_deletes_of_one_photo_both_end_on_my_photos(alice, make_photo, aws_stack):
    photo = make_photo()
    url = reverse("gallery:photo_delete", args=[photo.photo_id])
    clients = [Client(), Client()]
    for each in clients:
        sign_in(each, alice)
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def delete(each: Client) -> None:
        start.wait()
        statuses.append(each.post(url).status_code)

    threads = [threading.Thread(target=delete, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert Photo.get(photo.photo_id).is_trashed
    trashed = Photo.get(photo.photo_id)
    keys = [trashed.original_key, trashed.grid_key, trashed.display_key, trashed.full_key]
    assert stored_counts(aws_stack.bucket)["objects"] == len([k for k in keys if k])  # moved once


def test_nobody_else_is_asked_to_delete_my_photo(client, bob, make_photo):
    photo = make_photo()
    sign_in(client, bob)

    response = client.get(reverse("gallery:photo_delete", args=[photo.photo_id]))

    assert response.status_code == 403
    assert "Only the photo&#x27;s owner or a moderator" in response.content.decode()


def test_the_delete_question_of_a_missing_photo_is_404(alice_client, aws_stack):
    assert alice_client.get(reverse("gallery:photo_delete", args=["nope"])).status_code == 404


# --- a photo a moderator hid -------------------------------------------------------------------


@pytest.fixture
def hidden_photo(make_photo):
    photo = make_photo("被隐藏的照片")
    services.photo_hide(photo_id=photo.photo_id)
    return photo


def test_my_photos_lists_a_hidden_photo_with_a_badge(alice_client, hidden_photo, make_photo):
    make_photo("Still public")

    html = alice_client.get(reverse("gallery:photo_mine")).content.decode()

    hidden_section = html[html.index('class="panel hidden-photos"') :]
    hidden_section = hidden_section[: hidden_section.index("</section>")]
    assert reverse("gallery:photo_detail", args=[hidden_photo.photo_id]) in hidden_section
    assert "Hidden by a moderator" in hidden_section and "被隐藏的照片" in hidden_section
    assert "Still public" in html and "Still public" not in hidden_section


def test_the_owner_opens_a_hidden_photo_and_deletes_it(alice_client, hidden_photo, aws_stack):
    detail = alice_client.get(reverse("gallery:photo_detail", args=[hidden_photo.photo_id]))
    url = reverse("gallery:photo_delete", args=[hidden_photo.photo_id])

    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Hidden by a moderator" in html
    assert f'href="{url}"' in html
    # Out of the public's reach, so nothing on it invites sharing or comments.
    assert reverse("gallery:share_create", args=[hidden_photo.photo_id]) not in html
    assert reverse("gallery:comment_create", args=[hidden_photo.photo_id]) not in html
    assert alice_client.get(url).status_code == 200

    alice_client.post(url)

    trashed = Photo.get(hidden_photo.photo_id)
    assert trashed.is_trashed and trashed.trashed_status == "hidden"


@pytest.mark.parametrize(("viewer", "status"), [(None, 404), ("bob", 404), ("moderator", 200)])
def test_a_hidden_photo_stays_hidden_from_everyone_else(
    client, request, hidden_photo, viewer, status
):
    if viewer:
        sign_in(client, request.getfixturevalue(viewer))

    response = client.get(reverse("gallery:photo_detail", args=[hidden_photo.photo_id]))

    assert response.status_code == status
    assert "被隐藏的照片" not in client.get(reverse("gallery:photo_list")).content.decode()


# --- search ------------------------------------------------------------------------------------


def test_search_finds_by_name_and_time(client, make_photo):
    make_photo("Sunset at the beach", now=datetime(2026, 2, 1, 12, tzinfo=UTC))
    make_photo("海边日落", now=datetime(2026, 3, 1, 12, tzinfo=UTC))
    url = reverse("gallery:photo_search")

    assert "Sunset at the beach" in client.get(url, {"q": "sun"}).content.decode()
    assert "海边日落" in client.get(url, {"q": "日落"}).content.decode()
    in_march = client.get(url, {"date_from": "2026-03-01T00:00", "date_to": "2026-03-02T00:00"})
    assert "海边日落" in in_march.content.decode()
    assert "Sunset at the beach" not in in_march.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Enter a name, a caption word or a time range."),
        ({"q": "!!!"}, "Type some letters"),
        ({"date_from": "yesterday-ish"}, "Enter a valid date/time."),
        ({"date_from": "2026-03-02T00:00", "date_to": "2026-03-01T00:00"}, "before its start"),
    ],
)
def test_bad_searches_are_form_errors_not_500(client, aws_stack, params, message):
    response = client.get(reverse("gallery:photo_search"), params)

    assert response.status_code == 400
    assert message in response.content.decode()


# --- comments ----------------------------------------------------------------------------------


def test_comments_post_and_render_escaped_with_time(client, bob, make_photo):
    photo = make_photo()
    sign_in(client, bob)

    response = client.post(
        reverse("gallery:comment_create", args=[photo.photo_id]),
        {"body": "<script>alert('x')</script> 好看"},
    )
    html = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert response.status_code == 302
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 好看" in html
    assert "<script>alert" not in html
    assert "1 comment" in html


def test_visitors_cannot_comment(client, make_photo):
    photo = make_photo()

    response = client.post(reverse("gallery:comment_create", args=[photo.photo_id]), {"body": "hi"})

    assert response.status_code == 302
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items == []


def test_a_too_long_comment_and_a_flood_are_explained(client, bob, make_photo, settings):
    settings.PHOTOSITE_COMMENT_MAX_CHARS = 5
    settings.PHOTOSITE_COMMENT_RATE_LIMIT = 1
    photo = make_photo()
    sign_in(client, bob)
    url = reverse("gallery:comment_create", args=[photo.photo_id])

    too_long = client.post(url, {"body": "123456"})
    client.post(url, {"body": "ok"})
    flood = client.post(url, {"body": "again"})

    assert too_long.status_code == 400 and "at most 5" in too_long.content.decode()
    assert flood.status_code == 429 and "too often" in flood.content.decode()


def test_authors_edit_and_delete_their_comments(client, bob, make_photo):
    photo = make_photo()
    made = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="first", ip=""
    )
    sign_in(client, bob)
    change = reverse("gallery:comment_change", args=[photo.photo_id, "edit"])

    client.post(change, {"key": made.created_key, "version": made.version, "body": "edited"})
    stale = client.post(change, {"key": made.created_key, "version": made.version, "body": "stale"})
    client.post(reverse("gallery:comment_delete", args=[photo.photo_id]), {"key": made.created_key})

    assert stale.status_code == 409
    assert "changed meanwhile" in stale.content.decode()
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items == []
    assert Photo.get(photo.photo_id).comment_count == 0


def test_deleting_a_comment_asks_first_and_only_the_post_deletes(client, bob, make_photo):
    photo = make_photo()
    made = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="第一条 <b>", ip=""
    )
    sign_in(client, bob)
    url = reverse("gallery:comment_delete", args=[photo.photo_id])

    detail = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()
    asked = client.get(url, {"key": made.created_key})

    assert f'action="{url}"' not in detail  # the photo page only links to the question
    assert f'href="{url}?key=' in detail
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Delete this comment?" in html and "第一条 &lt;b&gt;" in html
    assert f'value="{made.created_key}"' in html and f'action="{url}"' in html
    assert Photo.get(photo.photo_id).comment_count == 1

    response = client.post(url, {"key": made.created_key})

    assert response.status_code == 302
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items == []


def test_deleting_a_comment_twice_says_it_is_gone(client, bob, make_photo):
    photo = make_photo()
    made = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="once", ip=""
    )
    sign_in(client, bob)
    url = reverse("gallery:comment_delete", args=[photo.photo_id])

    client.post(url, {"key": made.created_key})
    again = client.post(url, {"key": made.created_key}, follow=True)

    assert again.status_code == 200
    assert "That comment is already gone." in again.content.decode()
    assert Photo.get(photo.photo_id).comment_count == 0


def test_the_comment_delete_question_refuses_others_and_unknown_keys(client, alice, make_photo):
    photo = make_photo()
    made = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="mine", ip=""
    )
    sign_in(client, alice)
    url = reverse("gallery:comment_delete", args=[photo.photo_id])

    assert client.get(url, {"key": made.created_key}).status_code == 403
    assert client.get(url, {"key": "no-such-key"}).status_code == 404
    assert client.get(url).status_code == 302  # no key: back to the photo, with a message
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items[0].body == "mine"


def test_nobody_else_edits_my_comment(client, alice, make_photo):
    photo = make_photo()
    made = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="mine", ip=""
    )
    sign_in(client, alice)

    response = client.post(
        reverse("gallery:comment_change", args=[photo.photo_id, "edit"]),
        {"key": made.created_key, "version": 1, "body": "hacked"},
    )

    assert response.status_code == 403
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items[0].body == "mine"


# --- share links -------------------------------------------------------------------------------


def expires_param(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0])


def test_sharing_makes_a_page_link_and_a_file_link_that_hand_out_urls_of_minutes(
    alice_client, make_photo, settings
):
    photo = make_photo()

    response = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 604800}
    )

    assert response.status_code == 201
    html = response.content.decode()
    token = re.search(r"/s/([A-Za-z0-9_-]+)", html).group(1)
    assert "7 days" in html
    # No presigned URL on the page: the file link is the site's, revocable like the share link.
    assert "X-Amz-" not in html
    assert f"/s/{token}/file" in html
    opened = Client().get(reverse("gallery:share_open", args=[token]))
    assert opened.status_code == 200
    assert f'alt="{photo.name}"' in opened.content.decode()
    assert opened["Cache-Control"] == "no-store"
    image_url = re.search(r'<img src="([^"]+)"', opened.content.decode()).group(1)
    assert expires_param(image_url.replace("&amp;", "&")) == settings.PHOTOSITE_URL_EXPIRY
    file = Client().get(reverse("gallery:share_file", args=[token]))
    assert file.status_code == 302
    assert f"/{photo.full_key}?" in file["Location"]  # full size, no EXIF
    assert expires_param(file["Location"]) == settings.PHOTOSITE_URL_EXPIRY
    assert file["Cache-Control"] == "no-store"


def test_the_file_link_of_a_short_link_hands_out_no_more_than_the_time_left(
    client, make_photo, settings
):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        expires_in=60,
        now=datetime.now(UTC) - timedelta(seconds=50),
    )

    file = client.get(reverse("gallery:share_file", args=[link.token]))

    assert file.status_code == 302
    assert 1 <= expires_param(file["Location"]) <= 10 < settings.PHOTOSITE_URL_EXPIRY


def test_sharing_in_chinese_names_the_lifetime_in_chinese(alice_client, make_photo):
    photo = make_photo()
    alice_client.cookies["django_language"] = "zh-hans"

    response = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 3600}
    )

    html = response.content.decode()
    assert "1 小时" in html and "1 hour" not in html
    detail = alice_client.get(reverse("gallery:photo_detail", args=[photo.photo_id]))
    assert "7 天" in detail.content.decode()  # the choices of the share form


def test_only_the_owner_is_offered_sharing_and_others_are_refused_with_a_403(
    alice_client, bob, make_photo
):
    photo = make_photo()
    bobs = sign_in(Client(), bob)
    url = reverse("gallery:share_create", args=[photo.photo_id])

    offered = {
        who: 'action="' + url + '"'
        in c.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()
        for who, c in (("alice", alice_client), ("bob", bobs))
    }
    refused = bobs.post(url, {"expires_in": 60})

    assert offered == {"alice": True, "bob": False}
    assert refused.status_code == 403
    assert "Only the photo&#x27;s owner or a moderator can share it." in refused.content.decode()
    assert selectors.share_link_list_for_owner(owner_sub="sub-alice").items == []


def test_a_moderator_shares_and_the_owner_sees_and_revokes_the_link(
    alice_client, moderator, make_photo
):
    photo = make_photo("Harbour")
    mod = sign_in(Client(), moderator)
    made = mod.post(reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 3600})
    token = re.search(r"/s/([A-Za-z0-9_-]+)", made.content.decode()).group(1)

    listed = alice_client.get(reverse("gallery:share_list")).content.decode()
    revoked = alice_client.post(reverse("gallery:share_revoke", args=[token]))

    assert made.status_code == 201
    assert "Harbour" in listed and "a moderator" in listed
    assert revoked.status_code == 302
    assert Client().get(reverse("gallery:share_open", args=[token])).status_code == 410
    assert Client().get(reverse("gallery:share_file", args=[token])).status_code == 410


@pytest.mark.parametrize("stop", ["hide", "delete"])
def test_hiding_or_deleting_the_photo_stops_the_page_and_the_file_link(
    alice_client, moderator, make_photo, stop
):
    photo = make_photo()
    token = re.search(
        r"/s/([A-Za-z0-9_-]+)",
        alice_client.post(
            reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 86400}
        ).content.decode(),
    ).group(1)
    visitor = Client()
    assert visitor.get(reverse("gallery:share_file", args=[token])).status_code == 302

    if stop == "hide":
        services.photo_hide(photo_id=photo.photo_id)
    else:
        alice_client.post(reverse("gallery:photo_delete", args=[photo.photo_id]))

    page = visitor.get(reverse("gallery:share_open", args=[token]))
    file = visitor.get(reverse("gallery:share_file", args=[token]))
    assert (page.status_code, file.status_code) == (410, 410)
    assert photo.display_key not in page.content.decode() + file.get("Location", "")


def test_my_links_page_on_and_a_bad_cursor_goes_back_to_page_one(alice_client, make_photo):
    photo = make_photo()
    alice = site_user("sub-alice", "Alice")
    for _ in range(selectors.SHARE_LINK_PAGE_SIZE + 1):
        services.share_link_create(photo_id=photo.photo_id, actor=alice, expires_in=60)

    first = alice_client.get(reverse("gallery:share_list")).content.decode()
    more = re.search(r'href="\?cursor=([^"]+)"', first).group(1)
    second = alice_client.get(reverse("gallery:share_list") + "?cursor=" + more).content.decode()
    forged = alice_client.get(reverse("gallery:share_list"), {"cursor": "forged"})

    assert first.count("Revoke</button>") == selectors.SHARE_LINK_PAGE_SIZE
    assert second.count("Revoke</button>") == 1 and 'rel="next"' not in second
    assert (forged.status_code, forged["Location"]) == (302, reverse("gallery:share_list"))


def test_a_double_click_on_share_makes_two_links_and_no_error(alice, make_photo):
    photo = make_photo()
    clients = [sign_in(Client(), alice) for _ in range(2)]
    url = reverse("gallery:share_create", args=[photo.photo_id])

    answers = race(2, lambda n: clients[n].post(url, {"expires_in": 60}))

    assert [answer.status_code for answer in answers] == [201, 201]
    assert len(selectors.share_link_list_for_owner(owner_sub="sub-alice").items) == 2


def test_simultaneous_revocations_on_the_page_all_succeed(alice, make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"), expires_in=3600
    )
    clients = [sign_in(Client(), alice) for _ in range(4)]
    url = reverse("gallery:share_revoke", args=[link.token])

    answers = race(4, lambda n: clients[n].post(url))

    assert [answer.status_code for answer in answers] == [302] * 4
    assert Client().get(reverse("gallery:share_open", args=[link.token])).status_code == 410


def test_an_unknown_expiry_choice_is_refused(alice_client, make_photo):
    photo = make_photo()

    response = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": "999999"}
    )

    assert response.status_code == 400


def test_an_expired_link_is_a_410_page_without_the_photo(client, make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        expires_in=60,
        now=datetime.now(UTC) - timedelta(seconds=61),
    )

    response = client.get(reverse("gallery:share_open", args=[link.token]))

    assert response.status_code == 410
    html = response.content.decode()
    assert "expired" in html
    assert photo.display_key not in html


def test_owners_list_and_revoke_their_links(alice_client, bob, make_photo):
    photo = make_photo("Listed")
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"), expires_in=3600
    )
    html = alice_client.get(reverse("gallery:share_list")).content.decode()
    assert "Listed" in html and "live" in html

    other = Client()
    sign_in(other, bob)
    assert other.post(reverse("gallery:share_revoke", args=[link.token])).status_code == 403
    alice_client.post(reverse("gallery:share_revoke", args=[link.token]))

    assert Client().get(reverse("gallery:share_open", args=[link.token])).status_code == 410
    assert "revoked" in alice_client.get(reverse("gallery:share_list")).content.decode()


@pytest.mark.parametrize("cookie", ["../../etc/passwd", "Not/AZone", "%00", "x" * 100, "/"])
def test_a_bad_time_zone_cookie_falls_back_to_utc(client, make_photo, cookie):
    photo = make_photo(now=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    client.cookies["tz"] = cookie

    response = client.get(reverse("gallery:photo_detail", args=[photo.photo_id]))

    assert response.status_code == 200
    assert 'datetime="2026-11-21T08:30:00+00:00"' in response.content.decode()


def test_the_api_docs_page_is_off_because_it_would_load_a_cdn(client):
    assert client.get("/api/docs").status_code == 404
