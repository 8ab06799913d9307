"""Two app processes behind an imaginary load balancer, sharing one local AWS stack.

Requests alternate between the instances, as an ALB's round robin would: whatever one
instance wrote, the other must serve, because nothing lives in a process's memory.
Sessions (sign-in on one, next page on the other) belong here once the accounts app keeps
them in DynamoDB: use `instances.get(..., instance=0)` then `instance=1`; the cookie jar is
shared like one browser's.
"""

from __future__ import annotations

import io
import itertools

import pytest
from django.conf import settings
from PIL import Image

from gallery import services
from photosite.bootstrap import bootstrap_aws
from tests.deploy.instances import WebInstances, instance_env

pytestmark = pytest.mark.aws


@pytest.fixture(scope="module")
def instances(local_aws, tmp_path_factory):
    """Two instances for the whole module: starting gunicorn twice per test costs seconds.

    The emulator is reset and bootstrapped once here, as aws_stack does per test; the tests
    only add data, which the others do not mind.
    """
    local_aws.reset()
    stack = bootstrap_aws(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
    )
    tmp_path = tmp_path_factory.mktemp("instances")
    # No release step: there is no database to migrate; the instances share DynamoDB only.
    env = instance_env(stack.as_env())
    with WebInstances(2, env, tmp_path) as running:
        yield running


def _jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_both_instances_are_healthy_and_ready(instances):
    for instance in (0, 1):
        assert instances.get("/healthz", instance=instance).status == 200
        ready = instances.get("/readyz", instance=instance)
        assert ready.status == 200, ready.body


def test_alternating_requests_all_succeed(instances):
    paths = ["/healthz", "/readyz", "/"] * 4
    answers = [
        instances.get(path, instance=instance)
        for path, instance in zip(paths, itertools.cycle((0, 1)), strict=False)
    ]
    assert {(a.instance, a.status) for a in answers} == {(0, 200), (1, 200)}


def test_a_photo_written_once_is_served_by_either_instance(instances):
    photo = services.photo_create(
        owner_sub="user-1",
        owner_name="Lin",
        name="上海的夜景 night",
        data=_jpeg("navy"),
        uploader_ip="203.0.113.9",
    )
    for instance in (1, 0, 1):
        listing = instances.get("/", instance=instance)
        assert listing.status == 200
        assert "上海的夜景 night" in listing.body
        detail = instances.get(f"/photos/{photo.photo_id}/", instance=instance)
        assert detail.status == 200
        assert "上海的夜景 night" in detail.body


def test_instances_refuse_requests_for_other_hosts(instances):
    answer = instances.get("/", instance=0, headers={"Host": "evil.example"})
    assert answer.status == 400
