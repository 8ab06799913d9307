"""core.aws: one configuration, one client per service per process."""

import pytest

from core import aws
from core.aws import AwsConfigError, AwsSettings, is_local_endpoint


def test_settings_come_from_the_environment():
    cfg = AwsSettings.from_env(
        {
            "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
            "AWS_RETRY_MODE": "adaptive",
            "AWS_MAX_ATTEMPTS": "5",
            "AWS_CONNECT_TIMEOUT": "1.5",
            "AWS_READ_TIMEOUT": "3",
            "DYNAMODB_TABLE_PREFIX": "prod-",
        }
    )
    assert cfg == AwsSettings(
        region="eu-west-1",
        endpoint_url="http://127.0.0.1:4566",
        retry_mode="adaptive",
        max_attempts=5,
        connect_timeout=1.5,
        read_timeout=3.0,
        table_prefix="prod-",
    )
    assert cfg.is_local


def test_a_service_endpoint_overrides_the_general_one_for_that_service_only():
    cfg = AwsSettings.from_env(
        {
            "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
            "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8001",
        }
    )
    assert cfg.endpoint_for("dynamodb") == "http://127.0.0.1:8001"
    assert cfg.endpoint_for("s3") == "http://127.0.0.1:4566"
    assert cfg.endpoint_for("cognito-idp") == "http://127.0.0.1:4566"


def test_defaults_talk_to_aws_itself_with_standard_retries():
    cfg = AwsSettings.from_env({})
    assert cfg.endpoint_url is None
    assert not cfg.is_local
    assert cfg.retry_mode == "standard"
    assert cfg.region == "us-east-1"
    config = cfg.botocore_config()
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert (config.connect_timeout, config.read_timeout) == (2.0, 5.0)


@pytest.mark.parametrize(
    "environ",
    [{"AWS_RETRY_MODE": "legacy"}, {"AWS_MAX_ATTEMPTS": "many"}, {"AWS_READ_TIMEOUT": "soon"}],
)
def test_bad_values_are_refused_with_a_clear_error(environ):
    with pytest.raises(AwsConfigError):
        AwsSettings.from_env(environ)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:4566", True),
        ("http://127.0.0.2:9000", True),
        ("http://localhost:4566", True),
        ("http://[::1]:4566", True),
        ("https://dynamodb.eu-west-1.amazonaws.com", False),
        ("http://10.0.0.5:4566", False),
        ("", False),
        (None, False),
    ],
)
def test_local_endpoints_are_recognised(url, local):
    assert is_local_endpoint(url) is local


def test_one_client_per_service_per_process():
    aws.reset()
    s3 = aws.client("s3")
    assert aws.client("s3") is s3
    assert aws.client("dynamodb") is not s3
    assert aws.probe_client("s3") is not s3


def test_every_client_shares_the_service_data_the_process_parsed_once():
    from gallery.models import Photo

    aws.reset()
    loader = aws.botocore_session().get_component("data_loader")
    site_clients = [aws.client("s3"), aws.client("dynamodb"), aws.probe_client("dynamodb")]
    user_client = aws.client_for_credentials(
        "s3", access_key_id="AKIA", secret_access_key="secret", session_token=None
    )
    pynamodb_client = Photo._get_connection().connection.client  # a session per model

    assert all(client._loader is loader for client in [*site_clients, user_client])
    assert pynamodb_client._loader is loader


def test_clients_use_the_configured_retries_and_timeouts():
    aws.reset()
    config = aws.client("dynamodb").meta.config
    assert config.retries["mode"] == "standard"
    assert config.connect_timeout == 2.0
    probe = aws.probe_client("dynamodb").meta.config
    assert probe.retries["total_max_attempts"] == 1


def test_reset_reads_the_environment_again(monkeypatch):
    aws.reset()
    before = aws.client("s3")
    monkeypatch.setenv("AWS_REGION", "ap-southeast-1")
    aws.reset()
    try:
        assert aws.client("s3") is not before
        assert aws.client("s3").meta.region_name == "ap-southeast-1"
    finally:
        monkeypatch.undo()
        aws.reset()
