"""Make the first administrator of a new deployment: invite them and put them in the groups.

Nobody can use the site's own user administration before someone is a superadmin, so this
runs with the operator's AWS credentials against the stack's user pool:

    python -m deploy.first_admin photosite-prod-Infra you@example.com

Cognito emails a temporary password (the custom message trigger writes the text); the first
sign-in asks for a new one. Running it again for an existing user only adds the groups.
"""

from __future__ import annotations

import argparse
from typing import Any

from botocore.exceptions import ClientError

from core import aws
from deploy.stack_env import stack_env, stack_outputs

# photosite.settings: COGNITO_SUPERUSER_GROUPS, and the group every confirmed user is in.
ADMIN_GROUPS = ("members", "superadmins")


def admin_invite(*, user_pool_id: str, email: str, groups: tuple[str, ...] = ADMIN_GROUPS) -> str:
    """Create the user unless they exist, add them to `groups`; return their username."""
    idp: Any = aws.client("cognito-idp")
    email = email.strip().lower()
    try:
        user = idp.admin_create_user(
            UserPoolId=user_pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )["User"]
        username = user["Username"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "UsernameExistsException":
            raise
        username = idp.admin_get_user(UserPoolId=user_pool_id, Username=email)["Username"]
    for group in groups:
        idp.admin_add_user_to_group(UserPoolId=user_pool_id, Username=username, GroupName=group)
    return username


def main(argv: list[str] | None = None) -> None:
    """Invite the first administrator into the user pool of a deployed stack."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack_name")
    parser.add_argument("email")
    args = parser.parse_args(argv)
    pool = stack_env(stack_outputs(args.stack_name))["COGNITO_USER_POOL_ID"]
    username = admin_invite(user_pool_id=pool, email=args.email)
    print(f"{args.email} ({username}) is in {', '.join(ADMIN_GROUPS)}; Cognito emailed a password")


if __name__ == "__main__":
    main()
