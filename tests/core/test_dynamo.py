"""PynamoDB models take their tables and endpoint from the environment, without Django."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from accounts.records import Profile
from core import aws
from gallery.models import Photo
from photosite.tables import table_models

ROOT = Path(__file__).resolve().parents[2]


def test_table_names_carry_the_prefix_from_the_environment(monkeypatch):
    assert Photo.Meta.table_name == "test-photos"
    monkeypatch.setenv("DYNAMODB_TABLE_PREFIX", "prod-")
    aws.reset()
    try:
        assert Photo.Meta.table_name == "prod-photos"
        assert Profile.Meta.table_name == "prod-profiles"
    finally:
        monkeypatch.undo()
        aws.reset()


def test_models_connect_to_the_configured_endpoint_with_its_timeouts():
    assert Photo.Meta.host == os.environ["AWS_ENDPOINT_URL"]
    assert Photo.Meta.region == "us-east-1"
    assert Photo.Meta.connect_timeout_seconds == aws.settings().connect_timeout
    assert Photo.Meta.max_retry_attempts == aws.settings().max_attempts - 1


def test_every_table_model_is_listed_once():
    names = [model.Meta.table_name for model in table_models()]
    assert len(names) == len(set(names))
    assert {"test-photos", "test-comments", "test-share-links", "test-search-terms"} <= set(names)


def test_models_import_and_work_with_django_settings_not_configured(local_aws):
    script = textwrap.dedent(
        """
        import sys
        from datetime import datetime, timezone
        from accounts.records import Profile
        from gallery.models import Photo

        Profile.create_table(wait=True)
        Profile("sub-1", display_name="张伟", created_at=datetime.now(timezone.utc)).save()
        assert Profile.get("sub-1").display_name == "张伟"
        assert Photo.Meta.table_name == "nodjango-photos"
        assert "django" not in sys.modules, "importing the models pulled in Django"
        print("ok")
        """
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        AWS_ENDPOINT_URL=local_aws.endpoint_url,
        DYNAMODB_TABLE_PREFIX="nodjango-",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
