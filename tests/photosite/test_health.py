"""/healthz says the process is alive; /readyz that every dependency of a request answers."""

import socket
from collections import Counter

import pytest

from accounts.verifier import get_verifier
from core import aws
from photosite import health
from photosite.tables import table_models

TABLE_CHECKS = {f"dynamodb:{model.Meta.table}" for model in table_models()}


@pytest.fixture
def aws_calls():
    """Count the operations the readiness probe clients send, by name."""
    counted: Counter[str] = Counter()

    def count(event_name, **kwargs):
        counted[event_name.rsplit(".", 1)[-1]] += 1

    clients = [aws.probe_client("dynamodb"), aws.probe_client("s3")]
    for client in clients:
        client.meta.events.register("before-call", count)
    yield counted
    for client in clients:
        client.meta.events.unregister("before-call", count)


def test_healthz_answers_without_touching_aws(client, aws_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_every_table_the_bucket_and_the_user_pool(client, aws_stack):
    assert set(health.readiness_checks()) == TABLE_CHECKS | {"s3", "cognito"}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_makes_one_call_per_dependency_and_no_retries(client, aws_stack, aws_calls):
    assert client.get("/readyz").status_code == 200
    assert aws_calls == Counter({"DescribeTable": len(TABLE_CHECKS), "HeadBucket": 1})
    assert aws.probe_client("dynamodb").meta.config.retries["total_max_attempts"] == 1


def test_readyz_is_503_with_reasons_when_the_aws_endpoint_is_down(client, aws_down, settings):
    settings.COGNITO_JWKS_URL = aws.settings().endpoint_url + "/pool/.well-known/jwks.json"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["problems"]) == TABLE_CHECKS | {"s3", "cognito"}
    assert body["problems"]["dynamodb:photos"] == "EndpointConnectionError"


def test_readyz_is_503_when_the_bucket_is_missing(client, aws_stack, settings):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"s3": "404"}


def test_readyz_names_the_one_table_that_is_missing(client, aws_stack):
    model = table_models()[-1]
    aws.client("dynamodb").delete_table(TableName=model.Meta.table_name)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {
        f"dynamodb:{model.Meta.table}": "ResourceNotFoundException"
    }


def test_readyz_is_503_when_the_user_pools_keys_cannot_be_fetched(client, aws_stack, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.COGNITO_JWKS_URL = f"http://127.0.0.1:{closed_port}/pool/.well-known/jwks.json"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"cognito": "URLError"}


def test_readyz_stays_ready_on_cached_keys_when_the_jwks_endpoint_goes_down(
    client, aws_stack, monkeypatch
):
    get_verifier().preload()  # the keys every sign-in so far has used
    fetched = []
    monkeypatch.setattr(
        "photosite.health.fetch_jwks_url", lambda url: fetched.append(url) or {"keys": []}
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    assert fetched == []  # a load balancer's probes cost no fetch while keys are cached


def test_readyz_is_503_when_cognito_is_not_configured(client, aws_stack, settings):
    settings.COGNITO_USER_POOL_ID = ""
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"cognito": "NotConfigured"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_refuse_post(client, path):
    assert client.post(path).status_code == 405


def test_healthz_answers_head_as_load_balancers_may_ask(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
