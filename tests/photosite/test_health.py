"""/healthz says the process is alive; /readyz says DynamoDB and S3 answer."""

import pytest


def test_healthz_answers_without_touching_aws(client, aws_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_dynamodb_and_s3_answer(client, aws_stack):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_is_503_with_reasons_when_the_aws_endpoint_is_down(client, aws_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["problems"]) == {"dynamodb", "s3"}
    assert body["problems"]["dynamodb"] == "EndpointConnectionError"


def test_readyz_is_503_when_the_bucket_is_missing(client, aws_stack, settings):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["problems"]) == {"s3"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_refuse_post(client, path):
    assert client.post(path).status_code == 405
