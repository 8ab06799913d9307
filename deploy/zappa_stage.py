"""Write a stage's Zappa settings from the infrastructure stack's outputs: no hand-edited ids.

zappa_settings.json holds what is the same in every account (runtime, memory, timeout,
handlers); this adds what the stack made (role, dead-letter queue, code bucket, region, the
site's environment, the secret's ARN) and the domain, and checks that Zappa's function will
have the name the role's policy allows:

    python -m deploy.zappa_stage photosite-prod-Infra --stage prod \\
        --certificate-arn arn:aws:acm:us-east-1:...:certificate/... -o var/zappa_settings.prod.json
    zappa deploy prod -s var/zappa_settings.prod.json --zip s3://<bucket>/<key>.zip
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from deploy.stack_env import stack_env, stack_outputs

ROOT = Path(__file__).resolve().parents[1]
BASE_SETTINGS = ROOT / "zappa_settings.json"
# Lambda sets these itself and refuses a function configuration that names them.
LAMBDA_RESERVED = frozenset(
    {
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_EXECUTION_ENV",
        "_HANDLER",
        "LAMBDA_TASK_ROOT",
    }
)


class StageMismatch(ValueError):
    """Raise when Zappa's function would not be the one the stack's role may run as."""


def stage_base(stage: str, stages: Mapping[str, Any]) -> dict[str, Any]:
    """Return a stage of zappa_settings.json with `extends` applied, as Zappa reads it."""
    if stage not in stages:
        raise StageMismatch(f"zappa_settings.json has no stage {stage!r}")
    config = dict(stages[stage])
    parent = config.pop("extends", None)
    return {**stage_base(parent, stages), **config} if parent else config


def zappa_function_name(*, project_name: str, stage: str) -> str:
    """Return the name Zappa gives the function and its own stack (Zappa's slugify)."""
    from slugify import slugify  # Zappa's dependency, as Zappa calls it

    return slugify(f"{project_name}-{stage}")


def zappa_stage_settings(
    *,
    stage: str,
    stages: Mapping[str, Any],
    outputs: Iterable[Mapping[str, str]],
    certificate_arn: str | None = None,
) -> dict[str, Any]:
    """Return {stage: settings} for Zappa: the committed stage plus what the stack made."""
    outputs = list(outputs)
    by_key = {item["OutputKey"]: item["OutputValue"] for item in outputs}
    config = stage_base(stage, stages)
    function = zappa_function_name(project_name=config["project_name"], stage=stage)
    if function != by_key["WebFunctionName"]:
        raise StageMismatch(
            f"Zappa would name the function {function!r}, but the stack's role may only run "
            f"as {by_key['WebFunctionName']!r}: use the stack's stage name"
        )
    environment = {k: v for k, v in stack_env(outputs).items() if k not in LAMBDA_RESERVED}
    domain = environment["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    config.update(
        {
            "aws_region": by_key["AwsRegion"],
            "s3_bucket": by_key["CodeBucketName"],
            "manage_roles": False,
            "role_arn": by_key["WebRoleArn"],
            "dead_letter_arn": by_key["AsyncDeadLetterQueueArn"],
            # Set on the function's configuration, not written into the zip: the same package
            # serves every stack.
            "aws_environment_variables": environment,
        }
    )
    if certificate_arn:
        config.update({"domain": domain, "certificate_arn": certificate_arn})
    return {stage: config}


def main(argv: list[str] | None = None) -> None:
    """Print or write a stage's Zappa settings generated from a deployed stack."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack_name")
    parser.add_argument("--stage", required=True)
    parser.add_argument("--certificate-arn", help="us-east-1 certificate for the custom domain")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    stages = json.loads(BASE_SETTINGS.read_text())
    try:
        settings = zappa_stage_settings(
            stage=args.stage,
            stages=stages,
            outputs=stack_outputs(args.stack_name),
            certificate_arn=args.certificate_arn,
        )
    except StageMismatch as exc:
        sys.exit(str(exc))
    text = json.dumps(settings, indent=4, sort_keys=True) + "\n"
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
