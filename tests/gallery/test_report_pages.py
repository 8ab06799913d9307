"""The report page (gallery.report_views): reachable from the photo page, each comment and the
share page; works without JavaScript; answers with a confirmation, a 4xx with a clear message
for bad input or a flood, never a 500."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse

from gallery import report_selectors, services
from gallery.report_models import Report
from tests.accounts.users import sign_in

from .conftest import spam_comment

VISITOR = {"REMOTE_ADDR": "198.51.100.23"}


@pytest.fixture
def photo(make_photo):
    return make_photo("Harbour at dawn")


@pytest.fixture
def comment(photo, bob):
    return spam_comment(photo, bob)


def report_url(photo, of_comment=None, **query) -> str:
    url = reverse("gallery:report_create", args=[photo.photo_id])
    if of_comment is not None:
        query["comment"] = of_comment.created_key
    return f"{url}?{urlencode(query)}" if query else url


def test_the_photo_page_links_to_reporting_the_photo_and_each_comment(client, photo, comment):
    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()

    assert f'href="{report_url(photo)}"' in page
    assert f'href="{report_url(photo)}?comment={quote(comment.created_key, safe="")}"' in page
    assert "Report this photo" in page


def test_owners_see_no_report_link_on_their_own_things(client, alice, photo):
    sign_in(client, alice)
    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()
    assert "Report this photo" not in page


def test_a_visitor_reports_a_comment_without_javascript(client, photo, comment):
    form = client.get(report_url(photo, comment), **VISITOR)
    assert form.status_code == 200
    page = form.content.decode()
    # A plain form: the reasons are radio buttons, the note a textarea, no script needed.
    assert "Buy cheap watches" in page
    assert page.count('type="radio" name="reason"') == 6 and "<textarea" in page

    done = client.post(
        report_url(photo),
        {"reason": "spam", "note": "bot", "comment": comment.created_key},
        **VISITOR,
    )

    assert done.status_code == 200
    assert "Your report was sent" in done.content.decode()
    [case] = report_selectors.report_queue().items
    assert case.kind == "comment" and case.open_count == 1


def test_reporting_again_says_it_counts_once(client, photo):
    client.post(report_url(photo), {"reason": "spam"}, **VISITOR)
    again = client.post(report_url(photo), {"reason": "other"}, **VISITOR)

    assert again.status_code == 200
    assert "You reported this before" in again.content.decode()
    assert len(list(Report.scan())) == 1


def test_a_missing_reason_or_long_note_is_a_400_form(client, photo):
    missing = client.post(report_url(photo), {"reason": ""}, **VISITOR)
    assert missing.status_code == 400
    assert "Choose a reason for the report." in missing.content.decode()
    long = client.post(report_url(photo), {"reason": "spam", "note": "x" * 1001}, **VISITOR)
    assert long.status_code == 400
    assert list(Report.scan()) == []


def test_a_flood_gets_a_429_page_with_the_reason(client, make_photo, settings):
    settings.PHOTOSITE_REPORT_IP_LIMIT = 1
    one, two = make_photo("One"), make_photo("Two")
    client.post(report_url(one), {"reason": "spam"}, **VISITOR)

    refused = client.post(report_url(two), {"reason": "spam"}, **VISITOR)

    assert refused.status_code == 429
    assert "too many reports" in refused.content.decode()


@pytest.mark.parametrize(
    "query", [{"comment": "no-such-comment"}, {"comment": "x" * 400}, {"via": "no-such-link"}]
)
def test_unknown_things_are_404_not_500(client, photo, query):
    assert client.get(report_url(photo, **query)).status_code == 404
    assert client.post(report_url(photo), {"reason": "spam", **query}).status_code == 404


def test_an_unknown_photo_is_404(client):
    assert client.get("/photos/nothing-here/report/").status_code == 404


def test_reporting_ones_own_photo_is_refused_with_a_reason(client, alice, photo):
    sign_in(client, alice)
    refused = client.get(report_url(photo))
    assert refused.status_code == 400
    assert "You cannot report your own photo or comment." in refused.content.decode()


def test_a_share_link_visitor_reports_the_shared_photo(client, alice, photo):
    link = services.share_link_create(photo_id=photo.photo_id, actor=alice, expires_in=600)
    shared = client.get(reverse("gallery:share_open", args=[link.token])).content.decode()
    assert f"?via={link.token}" in shared

    form = client.get(report_url(photo, via=link.token), **VISITOR)
    assert form["Cache-Control"] == "no-store" and form["Referrer-Policy"] == "no-referrer"
    done = client.post(report_url(photo), {"reason": "copyright", "via": link.token}, **VISITOR)

    assert done.status_code == 200
    [report] = Report.scan()
    assert report.via_link


def test_the_report_page_speaks_chinese(client, photo):
    page = client.get(report_url(photo), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "举报" in page
