"""The whole site runs without a SQL database: a full journey touches none and leaves no file.

Users are Cognito's, sessions and the audit trail DynamoDB's, photos S3's. Settings configure
no database (Django's dummy backend refuses any query); this journey also makes every attempt
to open a database connection, or to run a statement, fail loudly and be recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.dummy import base as dummy
from django.test import Client

from gallery.models import Comment, Photo, ShareLink
from moderation.records import AuditEvent
from tests.accounts.conftest import account_create
from tests.gallery.conftest import jpeg

ROOT = Path(__file__).resolve().parents[2]
# Where a database file could appear; the virtualenv and tool downloads are not the site's.
SKIPPED = {".venv", ".git", "node_modules", "tools", "__pycache__"}
DATABASE_SUFFIXES = {".sqlite", ".sqlite3", ".db", ".db-journal", ".sqlite3-journal"}


def database_files() -> list[Path]:
    """Return every file in the checkout that is, or is named like, a SQL database."""
    found = []
    for path in ROOT.rglob("*"):
        if SKIPPED.intersection(path.relative_to(ROOT).parts) or not path.is_file():
            continue
        if path.suffix in DATABASE_SUFFIXES:
            found.append(path)
            continue
        with path.open("rb") as handle:
            if handle.read(16) == b"SQLite format 3\x00":
                found.append(path)
    return found


@pytest.fixture
def no_sql(monkeypatch):
    """Record and refuse every use of a database, on every alias.

    With no database configured Django's dummy backend raises on any use; each of its refusing
    methods is wrapped to record the attempt first, so that an exception swallowed somewhere
    cannot hide it. A real backend (if settings ever configure one) is refused at connection
    and at every statement.
    """
    attempts: list[str] = []

    def recording(name: str):
        def refuse(*args, **kwargs):
            attempts.append(name)
            raise AssertionError(f"the site used the database: {name}")

        return refuse

    for owner in vars(dummy).values():
        if isinstance(owner, type):
            for name, value in list(vars(owner).items()):
                if value is dummy.complain:
                    monkeypatch.setattr(owner, name, recording(f"{owner.__name__}.{name}"))
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", recording("connect"))

    def refuse_statement(execute, sql, params, many, context):
        attempts.append(sql)
        raise AssertionError(f"the site ran SQL: {sql}")

    wrappers = [connection.execute_wrapper(refuse_statement) for connection in connections.all()]
    for wrapper in wrappers:
        wrapper.__enter__()
    yield attempts
    for wrapper in reversed(wrappers):
        wrapper.__exit__(None, None, None)


def test_the_guard_sees_a_query_even_if_its_error_is_swallowed(no_sql):
    from django.contrib.auth.models import User

    with pytest.raises(AssertionError):
        User.objects.count()
    assert no_sql != []


def test_settings_configure_no_database(settings):
    assert settings.DATABASES == {} or all(
        db["ENGINE"] == "django.db.backends.dummy" for db in settings.DATABASES.values()
    )
    assert [c.settings_dict["ENGINE"] for c in connections.all()] == ["django.db.backends.dummy"]
    assert "django.contrib.sessions" not in settings.INSTALLED_APPS
    assert not (ROOT / "moderation" / "migrations").exists()


def test_a_full_journey_runs_no_sql_and_leaves_no_database_file(no_sql, aws_stack):
    before = database_files()
    assert before == [], f"a database file exists in the checkout: {before}"

    # Sign up, confirm, sign in.
    member = Client()
    signed_up = member.post(
        "/accounts/signup/",
        {
            "email": "journey@example.com",
            "display_name": "旅行者",
            "new_password": "Journey-2026-ok",
            "new_password_again": "Journey-2026-ok",
        },
    )
    assert signed_up.status_code == 302, signed_up.content
    member.post("/accounts/confirm/", {"email": "journey@example.com", "code": "123456"})
    signed_in = member.post(
        "/accounts/login/", {"email": "journey@example.com", "password": "Journey-2026-ok"}
    )
    assert signed_in.status_code == 302, signed_in.content

    # Upload (the form path), comment, share.
    upload = member.post(
        "/upload/",
        {"files": [_file("harbour.jpg")], "name": "Harbour 港口", "caption": "evening"},
    )
    assert upload.status_code == 302, upload.content
    photo_id = upload["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert member.post(f"/photos/{photo_id}/comments/", {"body": "好看!"}).status_code == 302
    assert member.post(f"/photos/{photo_id}/share/", {"expires_in": 60}).status_code == 201
    assert member.get("/mine/").status_code == 200

    # A superadmin moderates in the admin: hides the photo, deletes the comment, reads the trail.
    account_create(
        aws_stack.user_pool_id,
        email="root@example.com",
        display_name="Root",
        groups=("superadmins",),
    )
    root = Client()
    root.post("/accounts/login/", {"email": "root@example.com", "password": "Correct-horse-42"})
    assert root.get("/admin/").status_code == 200
    photo = Photo.get(photo_id)
    hide = root.post(
        f"/admin/moderation/photoentry/{photo_id}/action/",
        {"action": "hide", "reason": "spam", "version": photo.version},
    )
    assert hide.status_code == 302
    comment = next(iter(Comment.query(photo_id)))
    selected = f"{photo_id}|{comment.created_key}|{comment.version}"
    root.post(
        "/admin/moderation/commententry/",
        {"action": "delete", "_selected_action": [selected], "post": "yes"},
    )
    trail = root.get("/admin/moderation/moderationevent/").content.decode()
    assert "Harbour 港口" in trail
    assert root.get(f"/admin/moderation/photoentry/{photo_id}/change/").status_code == 200
    for page in ("/admin/moderation/cognitouser/", "/admin/moderation/sharelinkentry/"):
        assert root.get(page).status_code == 200, page
    member.post("/accounts/logout/")
    root.post("/accounts/logout/")

    # Everything happened, in DynamoDB ...
    assert Photo.get(photo_id).status == "hidden"
    assert Comment.count(photo_id) == 0
    assert sum(1 for _ in ShareLink.scan()) == 1  # the test inspecting: a Scan is fine here
    assert sorted(e.action for e in AuditEvent.scan()) == ["delete", "hide"]
    # ... and nothing in SQL.
    assert no_sql == []
    assert database_files() == []


def _file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")
