"""tests/aws_state: every test starts from what bootstrap_aws gives, whatever the last one did."""

from __future__ import annotations

import pytest

from core import aws
from core.localstack import AwsCall
from gallery.models import Photo
from photosite.tables import table_models
from tests.accounts.conftest import account_create
from tests.aws_state import effect_of


def _counts(result) -> dict[str, int]:
    ddb = aws.client("dynamodb")
    items = sum(
        ddb.scan(TableName=model.Meta.table_name, Select="COUNT")["Count"]
        for model in table_models()
    )
    objects = aws.client("s3").list_objects_v2(Bucket=result.bucket).get("KeyCount", 0)
    users = aws.client("cognito-idp").list_users(UserPoolId=result.user_pool_id)["Users"]
    return {"items": items, "objects": objects, "users": len(users)}


def _fresh(bootstrap_state, settings):
    return bootstrap_state.fresh(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
    )


def test_data_a_test_wrote_is_emptied_without_a_new_bootstrap(aws_stack, bootstrap_state, settings):
    account_create(aws_stack.user_pool_id, email="ledger@example.com", groups=("members",))
    aws.client("s3").put_object(Bucket=aws_stack.bucket, Key="photos/x.jpg", Body=b"x")
    aws.client("dynamodb").put_item(TableName=Photo.Meta.table_name, Item={"photo_id": {"S": "p1"}})
    resets = bootstrap_state.full_resets

    again = _fresh(bootstrap_state, settings)

    assert again == aws_stack
    assert bootstrap_state.full_resets == resets
    assert _counts(again) == {"items": 0, "objects": 0, "users": 0}
    members = aws.client("cognito-idp").list_users_in_group(
        UserPoolId=again.user_pool_id, GroupName="members"
    )
    assert members["Users"] == []


def test_emptied_data_leaves_nothing_behind_that_the_next_test_could_trip_on(
    aws_stack, bootstrap_state, settings
):
    """The emulator is emptied in place: no unfinished upload, no user's email or group, no
    item is left for the next test to find or to collide with."""
    s3 = aws.client("s3")
    s3.create_multipart_upload(Bucket=aws_stack.bucket, Key="uploads/big.jpg")
    account_create(aws_stack.user_pool_id, email="again@example.com", groups=("members",))
    aws.client("dynamodb").put_item(TableName=Photo.Meta.table_name, Item={"photo_id": {"S": "p1"}})

    again = _fresh(bootstrap_state, settings)

    assert s3.list_multipart_uploads(Bucket=again.bucket).get("Uploads", []) == []
    assert _counts(again) == {"items": 0, "objects": 0, "users": 0}
    # The same email signs up again, and the same key is a new item, not a conflict.
    account = account_create(again.user_pool_id, email="again@example.com", groups=("members",))
    members = aws.client("cognito-idp").list_users_in_group(
        UserPoolId=again.user_pool_id, GroupName="members"
    )
    assert [u["Username"] for u in members["Users"]] == [account.sub]
    aws.client("dynamodb").put_item(
        TableName=Photo.Meta.table_name,
        Item={"photo_id": {"S": "p1"}},
        ConditionExpression="attribute_not_exists(photo_id)",
    )


def test_emptying_lets_go_of_everything_that_was_emptied(aws_stack, bootstrap_state, settings):
    """moto keeps every model instance it makes for its dashboard until a reset: emptying
    must let go of them too, or a worker's memory and moto's data.json grow test by test."""
    from moto.core.model_instances import model_data

    aws.client("s3").put_object(Bucket=aws_stack.bucket, Key="big.jpg", Body=bytes(100_000))
    account_create(aws_stack.user_pool_id, email="held@example.com", groups=("members",))

    _fresh(bootstrap_state, settings)

    held = [
        name
        for models in model_data.values()
        for name, model in models.items()
        if model.instances_tracked
    ]
    assert held == []


def test_a_configuration_change_gets_a_reset_and_a_new_bootstrap(
    aws_stack, bootstrap_state, settings
):
    idp = aws.client("cognito-idp")
    idp.set_user_pool_mfa_config(
        UserPoolId=aws_stack.user_pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    resets = bootstrap_state.full_resets

    again = _fresh(bootstrap_state, settings)

    assert bootstrap_state.full_resets == resets + 1
    assert again.user_pool_id != aws_stack.user_pool_id
    mfa = idp.get_user_pool_mfa_config(UserPoolId=again.user_pool_id)
    assert mfa["MfaConfiguration"] == "OFF"
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=60)["UserPools"]] == [
        again.user_pool_id
    ]


def _call(service, operation="", method="POST", path="/", query=""):
    return AwsCall(service, operation, method, path, query)


@pytest.mark.parametrize(
    ("call", "effect"),
    [
        (_call("dynamodb", "Query"), "read"),
        (_call("dynamodb", "DescribeTable"), "read"),
        (_call("dynamodb", "TransactWriteItems"), "data"),
        (_call("dynamodb", "ExecuteStatement"), "data"),
        (_call("dynamodb", "CreateTable"), "config"),
        (_call("dynamodb", "UpdateTimeToLive"), "config"),
        (_call("cognito-idp", "AdminGetUser"), "read"),
        (_call("cognito-idp", "SignUp"), "data"),
        (_call("cognito-idp", "AdminAddUserToGroup"), "data"),
        (_call("cognito-idp", "CreateGroup"), "config"),
        (_call("cognito-idp", "SetUserPoolMfaConfig"), "config"),
        (_call("cognito-idp", "CreateUserPoolClient"), "config"),
        (_call("cognito-identity", "GetId"), "read"),
        (_call("cognito-identity", "CreateIdentityPool"), "config"),
        (_call("iam", "GetRole"), "read"),
        (_call("iam", "PutRolePolicy"), "config"),
        (_call("sts", "AssumeRoleWithWebIdentity"), "read"),
        (_call("s3", method="GET", path="/bucket", query="cors"), "read"),
        (_call("s3", method="PUT", path="/bucket/photos/a.jpg"), "data"),
        (_call("s3", method="DELETE", path="/bucket/photos/a.jpg"), "data"),
        (_call("s3", method="POST", path="/bucket"), "data"),  # a browser's form upload
        (_call("s3", method="POST", path="/bucket", query="delete"), "data"),
        (_call("s3", method="PUT", path="/bucket", query="cors"), "config"),
        (_call("s3", method="PUT", path="/other-bucket"), "config"),
        (_call("s3", method="DELETE", path="/bucket"), "config"),
        (_call("moto-api", method="POST", path="/moto-api/reset"), "config"),
        (_call("cloudformation", "CreateStack"), "config"),
        (_call("lambda", "Invoke"), "config"),  # unknown to the ledger: the safe side
    ],
    ids=lambda value: value if isinstance(value, str) else f"{value.service}-{value.operation}",
)
def test_each_request_is_sorted_into_read_data_or_configuration(call, effect):
    assert effect_of(call) == effect
