"""The stack template reaches CloudFormation the way AWS accepts a template of its size.

CloudFormation takes at most 51,200 bytes of template in the request itself and 1 MB from S3;
the emulator takes any size, so these tests state the limits.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.deploy.template import TEMPLATE_PATH

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_BODY_LIMIT = 51_200
TEMPLATE_URL_LIMIT = 1_000_000


def _documented_stack_deploys() -> list[str]:
    text = (ROOT / "docs" / "deploy.md").read_text().replace("\\\n", " ")
    return re.findall(r"^aws cloudformation deploy .*$", text, flags=re.MULTILINE)


def test_the_template_fits_the_limit_of_a_template_read_from_s3():
    assert TEMPLATE_PATH.stat().st_size <= TEMPLATE_URL_LIMIT


def test_every_documented_stack_deploy_sends_the_template_through_s3():
    commands = _documented_stack_deploys()

    assert len(commands) >= 3
    if TEMPLATE_PATH.stat().st_size > TEMPLATE_BODY_LIMIT:
        assert [command for command in commands if "--s3-bucket" not in command] == []
