"""Create the AWS resources the site needs, idempotently, in the local emulator.

Production resources come from the CloudFormation template in deploy/; this module brings an
emulator to the same shape so `make run` and the tests have something real to talk to.
Every step first reads what exists and writes only what differs, so a second run changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from botocore.exceptions import ClientError
from django.conf import settings

from core import aws
from gallery import trash_paths
from photosite.tables import table_models

USER_POOL_GROUPS = {
    "superadmins": "Administrators: superusers in the Django admin",
    "admins": "Moderators: staff access to the Django admin",
    "members": "Every confirmed user",
}
PASSWORD_POLICY = {
    "MinimumLength": 10,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
    "TemporaryPasswordValidityDays": 7,
}
AUTH_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


@dataclass(frozen=True)
class BootstrapResult:
    """The identifiers the site's settings need."""

    bucket: str
    tables: tuple[str, ...]
    user_pool_id: str
    app_client_id: str
    identity_pool_id: str
    jwks_url: str

    def as_env(self) -> dict[str, str]:
        """Return the result as the environment variables the settings read."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "COGNITO_USER_POOL_ID": self.user_pool_id,
            "COGNITO_APP_CLIENT_ID": self.app_client_id,
            "COGNITO_IDENTITY_POOL_ID": self.identity_pool_id,
            "COGNITO_JWKS_URL": self.jwks_url,
        }

    def as_json(self) -> str:
        """Return the result as JSON."""
        return json.dumps(asdict(self), indent=2)


class BootstrapRefused(RuntimeError):
    """Raise when bootstrap would touch real AWS."""


def bootstrap_aws(
    *,
    bucket: str,
    site_origin: str,
    name: str = "photosite",
    log: Callable[[str], None] = lambda _msg: None,
) -> BootstrapResult:
    """Create or update the bucket, tables, user pool, app client and identity pool."""
    cfg = aws.settings()
    if not cfg.is_local:
        raise BootstrapRefused(
            "bootstrap_aws only targets the local emulator (set AWS_ENDPOINT_URL to it); "
            "real AWS resources come from deploy/cloudformation.yaml."
        )
    ensure_bucket(bucket, site_origin=site_origin, log=log)
    tables = ensure_tables(log=log)
    pool_id = ensure_user_pool(name, log=log)
    client_id = ensure_app_client(pool_id, f"{name}-web", site_origin=site_origin, log=log)
    identity_pool_id = ensure_identity_pool(name, pool_id, client_id, bucket=bucket, log=log)
    return BootstrapResult(
        bucket=bucket,
        tables=tables,
        user_pool_id=pool_id,
        app_client_id=client_id,
        identity_pool_id=identity_pool_id,
        jwks_url=f"{cfg.endpoint_url}/{pool_id}/.well-known/jwks.json",
    )


def ensure_bucket(bucket: str, *, site_origin: str, log: Callable[[str], None]) -> None:
    """Create the private photo bucket with encryption and CORS for the site origin."""
    s3 = aws.client("s3")
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in {"404", "NoSuchBucket", "NotFound"}:
            raise
        kwargs = {}
        if aws.settings().region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": aws.settings().region}
        s3.create_bucket(Bucket=bucket, **kwargs)
        log(f"created bucket {bucket}")

    block = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    if _get_or_none(s3.get_public_access_block, "PublicAccessBlockConfiguration", bucket) != block:
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=block)
        log("blocked public access")

    encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    current = _get_or_none(s3.get_bucket_encryption, "ServerSideEncryptionConfiguration", bucket)
    if (
        not current
        or current["Rules"][0].get("ApplyServerSideEncryptionByDefault")
        != (encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"])
    ):
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=encryption)
        log("enabled default encryption")

    # Browser uploads land under private/ and are moved to photos/ on completion, so whatever
    # is still there after a day was abandoned (its pending record has a TTL of its own).
    lifecycle = [
        {
            "ID": "expire-abandoned-uploads",
            "Filter": {"Prefix": "private/"},
            "Status": "Enabled",
            "Expiration": {"Days": 1},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
        trash_lifecycle_rule(),
    ]
    if _get_or_none(s3.get_bucket_lifecycle_configuration, "Rules", bucket) != lifecycle:
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": lifecycle}
        )
        log(
            "set lifecycle: abandoned uploads under private/ expire after a day, "
            f"trashed photos under {trash_paths.TRASH_PREFIX} after the trash period and a day"
        )

    cors = [
        {
            "AllowedOrigins": [site_origin],
            "AllowedMethods": ["GET", "HEAD", "POST", "PUT"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]
    if _get_or_none(s3.get_bucket_cors, "CORSRules", bucket) != cors:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors})
        log(f"set CORS for {site_origin}")


def trash_lifecycle_rule() -> dict:
    """Return the bucket rule that purges trashed photos' objects (gallery.trash_paths): the
    copies under trash/ expire a day after DynamoDB's TTL purges their photo."""
    return {
        "ID": trash_paths.LIFECYCLE_RULE_ID,
        "Filter": {"Prefix": trash_paths.TRASH_PREFIX},
        "Status": "Enabled",
        "Expiration": {"Days": trash_paths.lifecycle_days(settings.PHOTOSITE_TRASH_DAYS)},
    }


def _get_or_none(call: Callable[..., dict], key: str, bucket: str) -> object:
    """Return one part of a bucket's configuration, or None when it has none yet."""
    try:
        return call(Bucket=bucket)[key]
    except ClientError as exc:
        if exc.response["Error"]["Code"] in {"404", "NoSuchBucket"}:
            raise
        return None


def ensure_tables(*, log: Callable[[str], None]) -> tuple[str, ...]:
    """Create every DynamoDB table from the PynamoDB models, with TTL where a model has one."""
    ddb = aws.client("dynamodb")
    names = []
    for model in table_models():
        table = model.Meta.table_name
        names.append(table)
        if not model.exists():
            model.create_table(wait=True)
            log(f"created table {table}")
        ttl_attr = model._ttl_attribute()
        if ttl_attr is None:
            continue
        status = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        if status.get("TimeToLiveStatus") not in {"ENABLED", "ENABLING"}:
            ddb.update_time_to_live(
                TableName=table,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attr.attr_name},
            )
            log(f"enabled TTL on {table}.{ttl_attr.attr_name}")
    return tuple(names)


def ensure_user_pool(name: str, *, log: Callable[[str], None]) -> str:
    """Create the user pool (email sign-in, password policy, groups); return its id."""
    idp = aws.client("cognito-idp")
    pool_id = _find(
        idp.get_paginator("list_user_pools"), "UserPools", "Name", name, "Id", MaxResults=60
    )
    if pool_id is None:
        pool_id = idp.create_user_pool(
            PoolName=name,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            UsernameConfiguration={"CaseSensitive": False},
            Policies={"PasswordPolicy": PASSWORD_POLICY},
            Schema=[
                {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
                {"Name": "name", "AttributeDataType": "String", "Required": False, "Mutable": True},
            ],
            AccountRecoverySetting={
                "RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]
            },
            AdminCreateUserConfig={"AllowAdminCreateUserOnly": False},
            MfaConfiguration="OFF",
        )["UserPool"]["Id"]
        log(f"created user pool {name} ({pool_id})")
    existing = {g["GroupName"] for g in idp.list_groups(UserPoolId=pool_id)["Groups"]}
    for group, description in USER_POOL_GROUPS.items():
        if group not in existing:
            idp.create_group(UserPoolId=pool_id, GroupName=group, Description=description)
            log(f"created group {group}")
    return pool_id


def ensure_app_client(
    pool_id: str, name: str, *, site_origin: str, log: Callable[[str], None]
) -> str:
    """Create the web app client (no secret, user-password and refresh flows); return its id."""
    idp = aws.client("cognito-idp")
    client_id = _find(
        idp.get_paginator("list_user_pool_clients"),
        "UserPoolClients",
        "ClientName",
        name,
        "ClientId",
        UserPoolId=pool_id,
        MaxResults=60,
    )
    if client_id is None:
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=name,
            GenerateSecret=False,
            ExplicitAuthFlows=AUTH_FLOWS,
            PreventUserExistenceErrors="ENABLED",
            # Explicit, so the ID token carries the display name (`name`) the site shows.
            ReadAttributes=["email", "email_verified", "name"],
            WriteAttributes=["email", "name"],
            EnableTokenRevocation=True,
            AccessTokenValidity=60,
            IdTokenValidity=60,
            RefreshTokenValidity=30,
            TokenValidityUnits={
                "AccessToken": "minutes",
                "IdToken": "minutes",
                "RefreshToken": "days",
            },
            CallbackURLs=[f"{site_origin}/accounts/hosted/callback/"],
            LogoutURLs=[f"{site_origin}/"],
        )["UserPoolClient"]["ClientId"]
        log(f"created app client {name} ({client_id})")
    return client_id


def ensure_identity_pool(
    name: str, pool_id: str, client_id: str, *, bucket: str, log: Callable[[str], None]
) -> str:
    """Create the identity pool and its role: each user may write only their own S3 prefix."""
    identity = aws.client("cognito-identity")
    region = aws.settings().region
    provider = f"cognito-idp.{region}.amazonaws.com/{pool_id}"
    pool = None
    for page in identity.get_paginator("list_identity_pools").paginate(MaxResults=60):
        for candidate in page["IdentityPools"]:
            if candidate["IdentityPoolName"] == name:
                pool = identity.describe_identity_pool(IdentityPoolId=candidate["IdentityPoolId"])
    providers = [{"ProviderName": provider, "ClientId": client_id, "ServerSideTokenCheck": True}]
    if pool is None:
        identity_pool_id = identity.create_identity_pool(
            IdentityPoolName=name,
            AllowUnauthenticatedIdentities=False,
            CognitoIdentityProviders=providers,
        )["IdentityPoolId"]
        log(f"created identity pool {name} ({identity_pool_id})")
    else:
        identity_pool_id = pool["IdentityPoolId"]
        if pool.get("CognitoIdentityProviders") != providers:
            # The user pool was recreated (a fresh emulator): point the pool at the new one.
            identity.update_identity_pool(
                IdentityPoolId=identity_pool_id,
                IdentityPoolName=name,
                AllowUnauthenticatedIdentities=False,
                CognitoIdentityProviders=providers,
            )
            log("updated identity pool providers")
    # The role browsers assume. moto's identity pools cannot hold roles (no
    # SetIdentityPoolRoles), so locally it only exists in IAM; deploy/ attaches it in AWS.
    ensure_authenticated_role(f"{name}-authenticated", identity_pool_id, bucket)
    return identity_pool_id


def authenticated_role_policies(identity_pool_id: str, bucket: str) -> tuple[dict, dict]:
    """Return the trust policy and the S3 policy of the identity pool's authenticated role."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool_id},
                    "ForAnyValue:StringLike": {
                        "cognito-identity.amazonaws.com:amr": "authenticated"
                    },
                },
            }
        ],
    }
    # ${cognito-identity.amazonaws.com:sub} is the identity id (region:guid), not the user's sub.
    prefix = "private/${cognito-identity.amazonaws.com:sub}/*"
    s3_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}",
            }
        ],
    }
    return trust, s3_policy


def ensure_authenticated_role(role_name: str, identity_pool_id: str, bucket: str) -> str:
    """Create or update the IAM role browsers assume through the identity pool."""
    iam = aws.client("iam")
    trust, s3_policy = authenticated_role_policies(identity_pool_id, bucket)
    try:
        role = iam.get_role(RoleName=role_name)["Role"]
        if role.get("AssumeRolePolicyDocument") != trust:
            iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=json.dumps(trust))
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "NoSuchEntity":
            raise
        role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))[
            "Role"
        ]
    iam.put_role_policy(
        RoleName=role_name, PolicyName="own-prefix-only", PolicyDocument=json.dumps(s3_policy)
    )
    return role["Arn"]


# --- emptying: back to what a fresh bootstrap gives, keeping every resource and its settings ---


def tables_empty() -> int:
    """Delete every item of every site table, keeping the tables, their indexes and TTL.

    Only for the local emulator (the test suite starts each test from empty tables); return how
    many items were deleted.
    """
    _refuse_real_aws("tables_empty")
    ddb = aws.client("dynamodb")
    deleted = 0
    for model in table_models():
        table = model.Meta.table_name
        key_names = [
            attr.attr_name
            for attr in model.get_attributes().values()
            if attr.is_hash_key or attr.is_range_key
        ]
        projection = {
            "ProjectionExpression": ", ".join(f"#k{i}" for i in range(len(key_names))),
            "ExpressionAttributeNames": {f"#k{i}": name for i, name in enumerate(key_names)},
        }
        for page in ddb.get_paginator("scan").paginate(TableName=table, **projection):
            keys = [{"DeleteRequest": {"Key": item}} for item in page["Items"]]
            for start in range(0, len(keys), 25):  # BatchWriteItem's limit
                pending = {table: keys[start : start + 25]}
                while pending:
                    pending = ddb.batch_write_item(RequestItems=pending)["UnprocessedItems"]
            deleted += len(keys)
    return deleted


def bucket_empty(*, bucket: str) -> int:
    """Delete every object (and abort every multipart upload) in the bucket, keeping its settings.

    Only for the local emulator; return how many objects were deleted.
    """
    _refuse_real_aws("bucket_empty")
    s3 = aws.client("s3")
    deleted = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        objects = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if objects:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
            deleted += len(objects)
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for upload in page.get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
    return deleted


def user_pool_empty(*, user_pool_id: str) -> int:
    """Delete every user of the pool (and so their group memberships), keeping pool and groups.

    Only for the local emulator; return how many users were deleted.
    """
    _refuse_real_aws("user_pool_empty")
    idp = aws.client("cognito-idp")
    usernames = [
        user["Username"]
        for page in idp.get_paginator("list_users").paginate(UserPoolId=user_pool_id)
        for user in page["Users"]
    ]
    for username in usernames:
        idp.admin_delete_user(UserPoolId=user_pool_id, Username=username)
    return len(usernames)


def _refuse_real_aws(what: str) -> None:
    if not aws.settings().is_local:
        raise BootstrapRefused(f"{what} only targets the local emulator, never real AWS.")


def _find(paginator, list_key: str, name_key: str, name: str, id_key: str, **kwargs) -> str | None:
    """Return the id of the first listed resource with that name, or None."""
    for page in paginator.paginate(**kwargs):
        for item in page[list_key]:
            if item[name_key] == name:
                return item[id_key]
    return None
