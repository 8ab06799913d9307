"""deploy/index_rollout.py: a release that adds several indexes to one table is deployed in
steps AWS accepts, one index creation or deletion per table in each."""

from __future__ import annotations

import copy
import json
from itertools import pairwise

from deploy import index_rollout
from deploy.index_rollout import index_changes, rollout, update_refusals
from tests.deploy.template import TEMPLATE_PATH, template

TAKEN_ORDERS = ["feed_taken", "by_owner_taken"]


def _without_indexes(source: dict, table: str, names: list[str]) -> dict:
    """The template as deployed before `names` were added to `table` (their attributes too)."""
    old = copy.deepcopy(source)
    props = old["Resources"][table]["Properties"]
    props["GlobalSecondaryIndexes"] = [
        index for index in props["GlobalSecondaryIndexes"] if index["IndexName"] not in names
    ]
    used = index_rollout.key_attributes(props)
    props["AttributeDefinitions"] = [
        item for item in props["AttributeDefinitions"] if item["AttributeName"] in used
    ]
    return old


def _key_attributes_match_definitions(step: dict) -> None:
    for name, props in index_rollout.table_properties(step).items():
        defined = [item["AttributeName"] for item in props["AttributeDefinitions"]]
        assert sorted(defined) == sorted(index_rollout.key_attributes(props)), name


def test_two_new_indexes_on_one_table_in_one_update_are_refused_as_aws_refuses_them():
    new = template()
    old = _without_indexes(new, "PhotosTable", TAKEN_ORDERS)

    refusals = update_refusals(old, new)

    assert len(refusals) == 1
    assert refusals[0].startswith("PhotosTable: creates ['feed_taken', 'by_owner_taken']")


def test_one_new_index_per_table_is_one_update():
    new = template()
    old = _without_indexes(new, "PhotosTable", TAKEN_ORDERS[1:])

    assert update_refusals(old, new) == []
    assert rollout(old, new) == [new]


def test_the_steps_reach_the_template_one_index_at_a_time():
    new = template()
    old = _without_indexes(
        _without_indexes(new, "PhotosTable", TAKEN_ORDERS), "CommentsTable", ["hidden"]
    )

    steps = rollout(old, new)

    assert len(steps) == 2 and steps[-1] == new
    for before, after in pairwise([old, *steps]):
        assert update_refusals(before, after) == []
    assert index_changes(old, steps[0]) == {
        "PhotosTable": (["feed_taken"], []),
        "CommentsTable": (["hidden"], []),
    }
    for step in steps:
        _key_attributes_match_definitions(step)


def test_a_step_changes_the_deployed_template_only_in_the_stepped_tables():
    """The running code and every other resource stay as deployed until the release itself, so
    the site never queries an index that does not exist yet."""
    new = template()
    new["Parameters"]["Stage"]["Default"] = "a release changes this"
    old = _without_indexes(template(), "PhotosTable", TAKEN_ORDERS)

    first = rollout(old, new)[0]

    assert first["Parameters"] == old["Parameters"]
    changed = [
        name for name in old["Resources"] if old["Resources"][name] != first["Resources"][name]
    ]
    assert changed == ["PhotosTable"]


def test_an_index_whose_keys_change_is_deleted_then_made_again():
    new = template()
    old = copy.deepcopy(new)
    index = old["Resources"]["PhotosTable"]["Properties"]["GlobalSecondaryIndexes"][0]
    index["Projection"] = {"ProjectionType": "KEYS_ONLY"}

    steps = rollout(old, new)

    assert len(steps) == 2
    assert index["IndexName"] not in index_rollout.indexes_by_name(
        steps[0]["Resources"]["PhotosTable"]["Properties"]
    )
    assert update_refusals(old, steps[0]) == update_refusals(steps[0], new) == []


def test_new_tables_are_made_whole_in_the_release_itself():
    new = template()
    old = copy.deepcopy(new)
    del old["Resources"]["AlbumItemsTable"]

    assert rollout(old, new) == [new]


def test_the_command_writes_the_steps_from_the_deployed_template(tmp_path, capsys):
    deployed = tmp_path / "deployed.json"
    old = _without_indexes(template(), "PhotosTable", TAKEN_ORDERS)
    deployed.write_text(json.dumps(old))

    assert index_rollout.main(["--deployed", str(deployed), "-o", str(tmp_path / "out")]) == 0

    written = sorted((tmp_path / "out").glob("step-*.json"))
    assert [path.name for path in written] == ["step-1.json"]
    assert json.loads(written[0].read_text()) == rollout(old, template())[0]
    assert "--s3-bucket" in capsys.readouterr().out


def test_the_repository_template_parses_as_the_command_reads_it():
    assert index_rollout.load_template(TEMPLATE_PATH.read_text()) == template()
