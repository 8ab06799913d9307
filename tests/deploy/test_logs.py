"""Production logs: one JSON object per line, with the request id, and no secrets in errors."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
from django.test import Client

from core.logs import JsonFormatter


@pytest.fixture
def failing_site(settings, aws_stack):
    """A site whose one view raises. Its session cookie is looked up in DynamoDB first, so the
    emulator must be there (alone on a worker, the test otherwise logged a GetError)."""
    settings.ROOT_URLCONF = "tests.deploy.failing_urls"


class JsonLines(logging.Handler):
    """Format records as they are emitted, as the console handler does in production."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines():
    handler = JsonLines()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-Id"]
    second = client.get("/healthz")["X-Request-Id"]
    assert first and second and first != second


def test_the_load_balancers_trace_id_becomes_the_request_id(client):
    response = client.get(
        "/healthz", HTTP_X_AMZN_TRACE_ID="Root=1-67891233-abcdef012345678912345678;Sampled=1"
    )
    assert response["X-Request-Id"] == "1-67891233-abcdef012345678912345678"


def test_lambdas_request_id_becomes_the_request_id():
    client = Client(**{"lambda.context": SimpleNamespace(aws_request_id="c6af9ac6-7b61-11e6")})
    assert client.get("/healthz")["X-Request-Id"] == "c6af9ac6-7b61-11e6"


def test_a_forged_id_that_could_break_a_log_line_is_replaced(client):
    response = client.get("/healthz", HTTP_X_AMZN_TRACE_ID='Root=x"\n{"level": "INFO"}')
    assert '"' not in response["X-Request-Id"]
    assert "\n" not in response["X-Request-Id"]


def test_a_server_error_is_one_json_line_with_the_request_id_and_no_secrets(
    failing_site, json_lines
):
    client = Client(
        raise_request_exception=False,
        HTTP_COOKIE="sessionid=abc123secret",
        HTTP_AUTHORIZATION="Bearer eyJsecret",
    )
    response = client.get("/explode/")
    assert response.status_code == 500
    (text,) = json_lines
    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "ERROR"
    assert line["request_id"] == response["X-Request-Id"]
    assert line["exception"] == "ValueError"
    assert line["status"] == 500
    assert any("failing_urls.py" in frame for frame in line["frames"])
    for secret in ("hunter2", "eyJsecret", "abc123secret"):
        assert secret not in text


def test_log_lines_keep_chinese_text_readable():
    record = logging.LogRecord("gallery", logging.INFO, __file__, 1, "上传 %s", ("海边日落",), None)
    assert json.loads(JsonFormatter().format(record))["message"] == "上传 海边日落"
    assert "海边日落" in JsonFormatter().format(record)


def test_production_settings_log_json_to_the_console():
    import subprocess
    import sys

    from tests.deploy.production import ROOT, production_env

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); import logging; "
            "logging.getLogger('photosite').warning('照片 %s', 'ready')",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {"level": "WARNING", "logger": "photosite", "message": "照片 ready"}.items() <= (
        lines[-1].items()
    )
