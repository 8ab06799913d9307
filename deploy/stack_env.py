"""Turn the CloudFormation stack's outputs into the site's environment variables.

Every output key is an environment variable in CamelCase (AwsStorageBucketName is
AWS_STORAGE_BUCKET_NAME), so nothing needs to be copied by hand:

    python -m deploy.stack_env photosite-prod-Infra > .env.production     # KEY=value lines
    python -m deploy.stack_env photosite-prod-Infra --json                # a JSON object

The infrastructure stack is named `<app>-<stage>-Infra` (infrastructure_stack_name). Zappa
names its own stack `slugify(<project_name>-<stage>)`, which is all lower case, and updates
whatever stack has that name: a name with a capital letter can never be Zappa's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping

# Outputs that describe the stack for operators rather than configure the site.
NOT_SITE_SETTINGS = frozenset(
    {
        "ImageEdgeUrl",
        "WebRoleArn",
        "AsyncDeadLetterQueueArn",
        "WebFunctionName",
        "CodeBucketName",
        "LoadBalancerDnsName",
        "ImageRepositoryUri",
        "AlarmTopicArn",
    }
)
INFRASTRUCTURE_SUFFIX = "Infra"


def infrastructure_stack_name(*, app_name: str, stage: str) -> str:
    """Return the infrastructure stack's name: photosite, prod -> photosite-prod-Infra."""
    return f"{app_name}-{stage}-{INFRASTRUCTURE_SUFFIX}"


def env_name(output_key: str) -> str:
    """Return the variable an output configures: CognitoAppClientId -> COGNITO_APP_CLIENT_ID."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", output_key).upper()


def stack_env(outputs: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Map DescribeStacks outputs to environment variables, leaving out operator-only outputs."""
    return {
        env_name(item["OutputKey"]): item["OutputValue"]
        for item in outputs
        if item["OutputKey"] not in NOT_SITE_SETTINGS
    }


def stack_outputs(stack_name: str) -> list[dict[str, str]]:
    """Return the outputs of a deployed stack."""
    from core import aws

    stack = aws.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    return stack.get("Outputs", [])


def main(argv: list[str] | None = None) -> None:
    """Print a stack's outputs as KEY=value lines or as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack_name")
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    args = parser.parse_args(argv)
    env = stack_env(stack_outputs(args.stack_name))
    if args.json:
        sys.stdout.write(json.dumps(env, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.writelines(f"{key}={value}\n" for key, value in sorted(env.items()))


if __name__ == "__main__":
    main()
