"""Fuzz every HTML page and form of the site (Hypothesis): no query parameter or form field,
however hostile, makes a page answer 5xx.

The JSON API has its own schema-driven fuzzing (tests/test_api_fuzz.py); this covers what a
schema does not describe: query strings and form posts. The routes come from Django's URL
resolver, so a new route fails `test_every_route_is_fuzzed_or_excluded_with_a_reason` until it
is given a target here or an explicit reason to be left out.

Values are raw bytes on the wire: control characters, UTF-8 of lone surrogates, invalid UTF-8,
huge text, numbers that do not fit, moments at the calendar's edges, repeated and missing
fields. Runs are derandomized and bounded (FORMS_FUZZ_EXAMPLES per route) so CI is stable.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gallery import cursors, services
from gallery.services import albums
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import NOT_AN_IMAGE, jpeg, png_bomb

FUZZ_EXAMPLES = int(os.environ.get("FORMS_FUZZ_EXAMPLES", "30"))

# --- the routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """How to fuzz one route: its method, the fields it reads, and whether to sign in."""

    method: str
    fields: tuple[str, ...] = ()
    signed_in: bool = True
    files: bool = False
    json: bool = False  # the fields travel as a JSON object, not a form
    # A 5xx the route gives by design, with why (never a crash).
    designed_5xx: tuple[int, str] | None = None


SEARCH = ("q", "date_from", "date_to", "from", "to", "cursor", "order")
PASSWORD_FIELDS = ("new_password", "new_password_again")

TARGETS: dict[str, Target] = {
    "healthz": Target("GET", ("verbose",), signed_in=False),
    # A dependency slower than the probe's timeout (the emulator on a loaded machine) makes the
    # probe answer 503 `not_ready`, by design: the load balancer then waits.
    "readyz": Target("GET", ("verbose",), signed_in=False, designed_5xx=(503, "not_ready")),
    "i18n/setlang/": Target("POST", ("language", "next"), signed_in=False),
    "accounts/signup/": Target(
        "POST", ("email", "display_name", *PASSWORD_FIELDS), signed_in=False
    ),
    "accounts/confirm/": Target("POST", ("email", "code"), signed_in=False),
    "accounts/confirm/resend/": Target("POST", ("email",), signed_in=False),
    "accounts/login/": Target("POST", ("email", "password", "next"), signed_in=False),
    "accounts/login/new-password/": Target("POST", PASSWORD_FIELDS, signed_in=False),
    "accounts/login/mfa/": Target("POST", ("code",), signed_in=False),
    "accounts/login/mfa-setup/": Target("POST", ("code",), signed_in=False),
    "accounts/logout/": Target("POST", ("next",)),
    "accounts/password/forgot/": Target("POST", ("email",), signed_in=False),
    "accounts/password/reset/": Target(
        "POST", ("email", "code", *PASSWORD_FIELDS), signed_in=False
    ),
    "accounts/password/change/": Target("POST", ("old_password", *PASSWORD_FIELDS)),
    "accounts/security/totp/": Target("POST", ("code",)),
    "accounts/hosted/login/": Target("GET", ("next", "provider"), signed_in=False),
    "accounts/hosted/callback/": Target(
        "GET", ("code", "state", "error", "error_description"), signed_in=False
    ),
    "": Target("GET", ("cursor",), signed_in=False),
    "mine/": Target("GET", ("cursor",)),
    "search/": Target("GET", SEARCH, signed_in=False),
    "upload/": Target("POST", ("name", "caption"), files=True),
    "upload/presign/": Target(
        "POST",
        ("name", "caption", "content_type", "size"),
        json=True,
        # The fuzzing session holds claims but no Cognito ID token, so no Identity Pool
        # credentials: valid input is answered 503 `unavailable` and the page falls back to the
        # form. Malformed input must still be refused (400) before that.
        designed_5xx=(503, "unavailable"),
    ),
    "upload/<str:photo_id>/complete/": Target("POST"),
    "photos/<str:photo_id>/": Target("GET", ("comments",), signed_in=False),
    "photos/<str:photo_id>/edit/": Target("POST", ("name", "caption", "version")),
    "photos/<str:photo_id>/delete/": Target("POST"),
    "photos/<str:photo_id>/comments/": Target("POST", ("body",)),
    # The question (GET) reads the same field as the deletion (POST) and renders the comment.
    "photos/<str:photo_id>/comments/delete/": Target("GET", ("key",)),
    "photos/<str:photo_id>/comments/<str:action>/": Target("POST", ("key", "body", "version")),
    "photos/<str:photo_id>/share/": Target(
        "POST", ("expires_in", "label", "password", "view_limit", "view_only")
    ),
    "links/": Target("GET", ("cursor",)),
    "links/<str:token>/revoke/": Target("POST"),
    "s/<str:token>": Target("GET", ("download",), signed_in=False),
    "s/<str:token>/file": Target("GET", ("photo",), signed_in=False),
    # Share links per recipient: a selection from My photos, one link's page, removal.
    "links/new/": Target(
        "POST", ("photo_id", "make", "expires_in", "label", "password", "view_limit", "view_only")
    ),
    "links/<str:token>/": Target("GET", ("cursor",)),
    "links/<str:token>/remove/": Target("POST"),
    "albums/<str:album_id>/share/": Target(
        "POST", ("expires_in", "label", "password", "view_limit", "view_only")
    ),
    # The owner's original file: a redirect to a short presigned download.
    "photos/<str:photo_id>/original/": Target("GET"),
    # Albums: the owner's pages (gallery/album_views.py).
    "albums/": Target("POST", ("title", "description", "request_token", "photo_id", "next")),
    "albums/choose/": Target("GET", ("photo_id",)),
    "albums/<str:album_id>/": Target("GET", ("cursor",)),
    "albums/<str:album_id>/edit/": Target("POST", ("title", "description", "version")),
    "albums/<str:album_id>/delete/": Target("POST"),
    "albums/<str:album_id>/add/": Target("POST", ("photo_id", "next")),
    "albums/<str:album_id>/remove/": Target("POST", ("photo_id", "next")),
    "albums/<str:album_id>/move/": Target("POST", ("photo_id", "before", "after", "next")),
    "albums/<str:album_id>/cover/": Target("POST", ("photo_id", "next")),
    "photos/<str:photo_id>/report/": Target(
        "POST", ("reason", "note", "comment", "via"), signed_in=False
    ),
    # Visibility: the photo page's form and Settings; the bulk actions of My photos.
    "photos/<str:photo_id>/visibility/": Target("POST", ("visibility",)),
    "settings/": Target("POST", ("visibility",)),
    "mine/bulk/": Target("POST", ("photo_id", "action", "visibility", "confirmed", "next")),
    # The trash (gallery.trash_views).
    "trash/": Target("GET", ("cursor",)),
    "trash/empty/": Target("POST"),
    "trash/restore/": Target("POST", ("photo_id",)),
    "trash/<str:photo_id>/restore/": Target("POST"),
    "trash/<str:photo_id>/delete/": Target("POST"),
}

EXCLUDED: dict[str, str] = {
    "admin/": "Django's own admin, staff only; its pages are covered by tests/moderation",
    "admin/login/": "a redirect to accounts/login/, which is fuzzed",
    "admin/logout/": "the same view as accounts/logout/, which is fuzzed",
    "api/": "the JSON API, fuzzed from its OpenAPI schema in tests/test_api_fuzz.py",
}


def site_routes() -> list[str]:
    """Every route of the site as its full pattern ("photos/<str:photo_id>/edit/").

    The admin's and the API's own sub-routes are reported as their mount point only: those
    trees are fuzzed (or left out) as a whole.
    """
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace in {"admin", "api"}:
                    routes.append(route)
                else:
                    walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return routes


def test_every_route_is_fuzzed_or_excluded_with_a_reason():
    routes = set(site_routes())

    assert routes - set(TARGETS) - set(EXCLUDED) == set(), "new route: add a Target or a reason"
    assert set(TARGETS) - routes == set(), "stale fuzz target"
    assert set(EXCLUDED) - routes == set(), "stale exclusion"
    assert all(EXCLUDED.values())


# --- hostile values -----------------------------------------------------------------------------

EDGE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1e400",
    "-1e400",
    "Infinity",
    "NaN",
    "9" * 400,
    "0x10",
    "1.5",
    "0001-01-01T00:00+05:00",
    "9999-12-31T23:59-05:00",
    "0001-01-01",
    "9999-12-31T23:59:59.999999",
    "10000-01-01",
    "2024-02-30T25:61",
    "true",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "//evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "'; DROP TABLE photos; --",
    "\u202egnp.exe",
    "\x00",
    "\x1b[2J",
    "a" * 10_000,
    "爱丽丝" * 300,
]
# Bytes no browser should send but anyone can: lone surrogates in UTF-8, invalid UTF-8, NUL.
EDGE_BYTES = [b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"\x00\x00", b"%", b"\x80" * 50]

text = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.text(max_size=60),  # every code point, controls included
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.datetimes().map(lambda moment: moment.isoformat()),
)
raw = st.one_of(
    text.map(lambda value: value.encode("utf-8", "surrogatepass")),
    st.sampled_from(EDGE_BYTES),
    st.binary(max_size=40),
)
EDGE_MOMENTS = [
    "0001-01-01T00:00+05:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59-05:00",
    "9999-12-31T23:59:59.999999-12:00",
    "0001-01-01",
    "9999-12-31",
]
moments = st.one_of(
    st.sampled_from(EDGE_MOMENTS),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
)
cursor_leaf = st.one_of(st.text(max_size=20), st.integers(), st.none())
cursor_keys = st.one_of(
    cursor_leaf,
    st.dictionaries(
        st.sampled_from(["photo_id", "feed", "sort_key", "owner_feed", "before", "x"]),
        st.one_of(
            cursor_leaf,
            st.dictionaries(st.sampled_from(["S", "N", "B", "BOOL"]), cursor_leaf, max_size=2),
        ),
        max_size=4,
    ),
)
# Cursors as only the site can sign them, whose content may be anything.
signed_cursors = st.builds(
    lambda key, scope: signing.dumps({"k": key, "s": scope}, salt=cursors.SALT, compress=True),
    cursor_keys,
    st.sampled_from(["feed", "owner:sub-fuzz"]),
)
numbers = st.one_of(
    st.sampled_from(["1e400", "-1e400", "Infinity", "NaN", "9" * 400, "-1", "0", "60", "1.5"]),
    st.integers().map(str),
)
# Fields whose name says what the view parses get values aimed at that parser half the time.
HINTS = {
    "date_from": moments,
    "date_to": moments,
    "from": moments,
    "to": moments,
    "cursor": signed_cursors,
    "comments": signed_cursors,
    "version": numbers,
    "expires_in": numbers,
    "size": numbers,
}


def field_values(name: str):
    """A field is missing, sent once, or repeated (a list)."""
    hinted = HINTS.get(name)
    value = raw if hinted is None else st.one_of(hinted.map(str.encode), raw)
    return st.lists(value, min_size=0, max_size=3)


def form_body(fields: dict[str, list[bytes]]) -> str:
    """Percent-encode a form body or query string byte for byte (no re-encoding)."""
    return "&".join(
        f"{quote(name)}={quote_from_bytes(value, safe='')}"
        for name, values in fields.items()
        for value in values
    )


@st.composite
def inputs(draw, target: Target):
    fields = {name: draw(field_values(name)) for name in target.fields}
    # A field the view does not expect, too.
    if draw(st.booleans()):
        fields[draw(st.text(min_size=1, max_size=12))] = draw(field_values(""))
    return fields


json_scalar = st.one_of(
    text,
    st.integers(min_value=-(10**80), max_value=10**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
)
# Bodies json.dumps cannot write: too deep for the parser, numbers that do not fit, not JSON.
RAW_JSON = [
    "[" * 100_000 + "]" * 100_000,
    '{"size": ' + "[" * 50_000,
    '{"size": 1e400}',
    '{"size": -Infinity}',
    '{"size": ' + "9" * 5000 + "}",
    "[]",
    '"text"',
    "\ud800",
    "",
]


@st.composite
def json_body(draw, target: Target) -> bytes:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(RAW_JSON)).encode()
    fields = {}
    for name in target.fields:
        if draw(st.booleans()):
            fields[name] = draw(json_value)
    return json.dumps(fields).encode("utf-8", "surrogatepass")


UPLOADS = {
    "jpeg": lambda: jpeg(32, 24),
    "not an image": lambda: NOT_AN_IMAGE,
    "bomb": png_bomb,
    "empty": lambda: b"",
}


# --- the fuzzing --------------------------------------------------------------------------------


@pytest.fixture
def world(aws_stack):
    """A member with a photo, a comment, an album holding the photo and a share link, so path
    parameters hit something."""
    photo = services.photo_create(
        owner_sub="sub-fuzz", owner_name="Fuzz", name="target", data=jpeg(64, 48), uploader_ip="::1"
    )
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-fuzz", author_name="Fuzz", body="hi", ip="::1"
    )
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-fuzz", "Fuzz"), expires_in=60
    )
    album = albums.album_create(actor=site_user("sub-fuzz", "Fuzz"), title="fuzz")
    albums.album_item_add(
        album_id=album.album_id, photo_id=photo.photo_id, actor=site_user("sub-fuzz", "Fuzz")
    )
    return {
        "photo_id": photo.photo_id,
        "album_id": album.album_id,
        "token": link.token,
        "comment_key": comment.created_key,
        "user": site_user("sub-fuzz", "Fuzz", ("members",)),
    }


path_ids = st.one_of(
    st.just("<real>"),
    st.text(alphabet=st.characters(blacklist_characters="/", codec="utf-8"), max_size=300),
)


def concrete(route: str, world: dict, draw_id: str, action: str) -> str:
    """Fill a route's parameters: the real photo or token, or a hostile id."""

    def pick(real: str) -> str:
        return quote(real if draw_id == "<real>" else draw_id, safe="") or real

    return "/" + route.replace("<str:photo_id>", pick(world["photo_id"])).replace(
        "<str:token>", pick(world["token"])
    ).replace("<str:album_id>", pick(world["album_id"])).replace("<str:action>", action)


@pytest.mark.parametrize("route", sorted(TARGETS))
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_no_hostile_input_gets_a_server_error(route, world, data):
    target = TARGETS[route]
    fields = data.draw(inputs(target), label="fields")
    draw_id = data.draw(path_ids, label="id")
    action = data.draw(st.sampled_from(["edit", "delete", "x"]), label="action")
    if "key" in fields and data.draw(st.booleans(), label="real comment key"):
        fields["key"] = [world["comment_key"].encode()]
    client = Client(raise_request_exception=False)
    if target.signed_in:
        sign_in(client, world["user"])
    url = concrete(route, world, draw_id, action)

    if target.method == "GET":
        response = client.get(url + "?" + form_body(fields))
    elif target.json:
        body = data.draw(json_body(target), label="json")
        response = client.post(url, body, content_type="application/json")
        fields = {"json": [body[:200]]}
    elif target.files:
        upload = data.draw(st.sampled_from(sorted(UPLOADS)), label="file")
        multipart = {
            name: [value.decode("utf-8", "replace") for value in values]
            for name, values in fields.items()
        }
        multipart["files"] = SimpleUploadedFile("f.jpg", UPLOADS[upload](), "image/jpeg")
        response = client.post(url, multipart)
    else:
        response = client.post(
            url, form_body(fields), content_type="application/x-www-form-urlencoded"
        )

    if target.designed_5xx and response.status_code == target.designed_5xx[0]:
        assert response.json()["code"] == target.designed_5xx[1]
        return
    assert response.status_code < 500, (url, fields, response.status_code)
