"""The bucket's trash rule (deploy/cloudformation.yaml and local bootstrap) matches what the
trash writes (gallery.trash_paths): the prefix its copies go under, and one day more than the
DynamoDB TTL of their photo, for every trash period the stack offers."""

from __future__ import annotations

import pytest
from django.conf import settings

from core import aws
from deploy.stack_env import env_name
from gallery import trash_paths
from tests.deploy.template import properties, resolved, template


def _rule() -> dict:
    rules = properties("PhotoBucket")["LifecycleConfiguration"]["Rules"]
    (rule,) = [rule for rule in rules if rule["Id"] == trash_paths.LIFECYCLE_RULE_ID]
    return rule


def test_the_template_expires_exactly_the_prefix_the_trash_writes_under():
    rule = _rule()
    assert rule["Status"] == "Enabled"
    assert rule["Prefix"] == trash_paths.TRASH_PREFIX
    assert trash_paths.trash_key("photos/p/original.jpg", photo_id="p", version=3).startswith(
        rule["Prefix"]
    )
    # Nothing else in the bucket lies under it: uploads and restored photos live elsewhere.
    assert not trash_paths.restored_key("x/y.jpg", photo_id="p", version=3).startswith(
        rule["Prefix"]
    )


def test_the_template_keeps_trashed_objects_a_day_longer_than_any_trash_period():
    parameter = template()["Parameters"]["TrashDays"]
    assert parameter["Default"] == str(settings.PHOTOSITE_TRASH_DAYS) == "30"
    for days in parameter["AllowedValues"]:
        expiry = resolved(_rule()["ExpirationInDays"], {"TrashDays": days})
        assert expiry == trash_paths.lifecycle_days(int(days)) == int(days) + 1


def test_the_site_reads_the_trash_period_the_stack_gives_the_bucket():
    outputs = template()["Outputs"]
    assert outputs["PhotositeTrashDays"]["Value"] == {"Ref": "TrashDays"}
    assert env_name("PhotositeTrashDays") == "PHOTOSITE_TRASH_DAYS"
    (container,) = properties("TaskDefinition")["ContainerDefinitions"]
    assert {"Name": "PHOTOSITE_TRASH_DAYS", "Value": {"Ref": "TrashDays"}} in container[
        "Environment"
    ]


def test_a_wrong_prefix_or_period_in_the_template_would_fail(monkeypatch):
    monkeypatch.setattr(trash_paths, "TRASH_PREFIX", "bin/")
    with pytest.raises(AssertionError):
        test_the_template_expires_exactly_the_prefix_the_trash_writes_under()
    monkeypatch.undo()
    monkeypatch.setattr(trash_paths, "lifecycle_days", lambda days: days)
    with pytest.raises(AssertionError):
        test_the_template_keeps_trashed_objects_a_day_longer_than_any_trash_period()


@pytest.mark.aws
def test_local_bootstrap_sets_the_same_rule_on_the_bucket(aws_stack):
    rules = aws.client("s3").get_bucket_lifecycle_configuration(Bucket=aws_stack.bucket)["Rules"]
    (local,) = [rule for rule in rules if rule["ID"] == trash_paths.LIFECYCLE_RULE_ID]
    assert local["Filter"] == {"Prefix": trash_paths.TRASH_PREFIX}
    assert local["Expiration"] == {
        "Days": resolved(_rule()["ExpirationInDays"], {"TrashDays": "30"})
    }
