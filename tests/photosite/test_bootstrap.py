"""bootstrap_aws creates everything the site needs, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from core import aws
from photosite.bootstrap import BootstrapRefused, bootstrap_aws
from photosite.tables import table_models


def snapshot(result):
    """Describe every resource bootstrap manages, minus volatile fields."""
    s3 = aws.client("s3")
    ddb = aws.client("dynamodb")
    idp = aws.client("cognito-idp")
    identity = aws.client("cognito-identity")
    bucket = result.bucket
    pool = idp.describe_user_pool(UserPoolId=result.user_pool_id)["UserPool"]
    app_client = idp.describe_user_pool_client(
        UserPoolId=result.user_pool_id, ClientId=result.app_client_id
    )["UserPoolClient"]
    tables = {}
    for name in sorted(ddb.list_tables()["TableNames"]):
        table = ddb.describe_table(TableName=name)["Table"]
        tables[name] = {
            "keys": table["KeySchema"],
            "gsis": sorted(g["IndexName"] for g in table.get("GlobalSecondaryIndexes", [])),
            "ttl": ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
            "created": table["CreationDateTime"],
        }
    return {
        "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
        "public_access": s3.get_public_access_block(Bucket=bucket)[
            "PublicAccessBlockConfiguration"
        ],
        "encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
        "cors": s3.get_bucket_cors(Bucket=bucket)["CORSRules"],
        "tables": tables,
        "user_pools": idp.list_user_pools(MaxResults=60)["UserPools"],
        "pool": pool,
        "groups": sorted(
            g["GroupName"] for g in idp.list_groups(UserPoolId=result.user_pool_id)["Groups"]
        ),
        "app_client": app_client,
        "identity_pools": identity.list_identity_pools(MaxResults=60)["IdentityPools"],
    }


def test_bootstrap_creates_the_bucket_tables_pools_and_client(aws_stack):
    state = snapshot(aws_stack)
    assert state["buckets"] == [aws_stack.bucket]
    assert all(state["public_access"].values())
    rule = state["encryption"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert rule["SSEAlgorithm"] == "AES256"
    assert state["cors"][0]["AllowedOrigins"] == ["http://127.0.0.1:8000"]
    assert set(state["tables"]) == {m.Meta.table_name for m in table_models()}
    assert state["tables"]["test-share-links"]["ttl"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }
    assert state["tables"]["test-photos"]["gsis"] == [
        "by_owner",
        "by_owner_sha256",
        "by_owner_taken",
        "feed",
        "feed_taken",
        "hidden",
        "trash",
    ]
    assert state["pool"]["UsernameAttributes"] == ["email"]
    assert state["pool"]["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert state["groups"] == ["admins", "members", "superadmins"]
    assert state["app_client"]["PreventUserExistenceErrors"] == "ENABLED"
    assert "ALLOW_USER_PASSWORD_AUTH" in state["app_client"]["ExplicitAuthFlows"]
    assert "ClientSecret" not in state["app_client"]
    assert len(state["identity_pools"]) == 1
    assert aws_stack.jwks_url.endswith(f"/{aws_stack.user_pool_id}/.well-known/jwks.json")


def test_bootstrap_twice_changes_nothing(aws_stack, settings):
    before = snapshot(aws_stack)
    log = []
    again = bootstrap_aws(
        bucket=settings.AWS_STORAGE_BUCKET_NAME,
        site_origin=settings.PHOTOSITE_SITE_ORIGIN,
        log=log.append,
    )
    assert again == aws_stack
    assert snapshot(again) == before
    assert log == []


def test_bootstrap_refuses_real_aws(monkeypatch, settings):
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    aws.reset()
    try:
        with pytest.raises(BootstrapRefused, match="only targets the local emulator"):
            bootstrap_aws(bucket="b", site_origin="https://photos.example.com")
    finally:
        monkeypatch.undo()
        aws.reset()


def test_the_management_command_prints_the_ids_and_writes_an_env_file(aws_stack, tmp_path, capsys):
    env_file = tmp_path / "aws.env"
    call_command("bootstrap_aws", "--env-file", str(env_file))
    printed = capsys.readouterr().out
    assert f"COGNITO_USER_POOL_ID={aws_stack.user_pool_id}" in printed
    assert env_file.read_text().splitlines() == printed.strip().splitlines()


def test_the_pages_state_the_password_policy_the_pool_gets(settings):
    from photosite import bootstrap

    stated = settings.COGNITO_PASSWORD_POLICY
    assert {key: bootstrap.PASSWORD_POLICY[key] for key in stated} == stated
