"""tests/scheduling.py: how xdist's workers share the suite."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from tests import scheduling


def test_a_test_is_its_own_unit_of_work_unless_its_module_is_kept_together():
    assert scheduling.scope_of("tests/gallery/test_views.py::test_a") == (
        "tests/gallery/test_views.py::test_a"
    )
    assert scheduling.scope_of("tests/deploy/test_build_lambda.py::test_a") == (
        "tests/deploy/test_build_lambda.py"
    )
    # A folder kept together: every module in it is one unit (one DynamoDB Local per run).
    assert scheduling.scope_of("tests/data/test_ttl.py::test_a") == "tests/data/"
    assert scheduling.scope_of("tests/data/test_capacity.py::test_b[x]") == "tests/data/"


def test_the_longest_work_comes_first_and_the_rest_keeps_its_order():
    names = [
        "tests/accounts/test_views.py::test_a",
        "tests/browser/test_csp.py::test_b",
        "tests/core/test_aws.py::test_c",
        "tests/deploy/test_iam_recorded.py::test_d",
        "tests/accounts/test_views.py::test_e",
    ]
    items = [SimpleNamespace(nodeid=name) for name in names]
    assert [item.nodeid for item in scheduling.ordered(items)] == [
        "tests/deploy/test_iam_recorded.py::test_d",
        "tests/browser/test_csp.py::test_b",
        "tests/accounts/test_views.py::test_a",
        "tests/core/test_aws.py::test_c",
        "tests/accounts/test_views.py::test_e",
    ]


QUEUE = [
    "tests/browser/test_csp.py::test_a",
    "tests/browser/test_csp.py::test_b",
    "tests/data/",
    "tests/gallery/test_views.py::test_c",
]


def test_a_worker_of_the_browser_lane_takes_the_first_browser_test():
    left = Counter(scheduling.is_browser(scope) for scope in QUEUE)
    assert scheduling.next_scope(QUEUE, wants_browser=True, left=left) == QUEUE[0]


def test_the_other_workers_take_the_first_other_work_and_leave_the_browser_tests():
    left = Counter(scheduling.is_browser(scope) for scope in QUEUE)
    assert scheduling.next_scope(QUEUE, wants_browser=False, left=left) == "tests/data/"


def test_a_worker_whose_kind_of_work_ran_out_takes_the_head_of_the_queue():
    rest = QUEUE[2:]
    left = Counter(scheduling.is_browser(scope) for scope in rest)
    assert scheduling.next_scope(rest, wants_browser=True, left=left) == "tests/data/"
    # A count gone stale (a crashed worker's tests requeued) still gives a test, never none.
    stale = Counter({True: 3, False: 0})
    assert scheduling.next_scope(rest, wants_browser=True, left=stale) == "tests/data/"


def test_half_of_the_workers_form_the_browser_lane():
    assert scheduling.browser_lane(["gw0", "gw1", "gw2", "gw3"]) == ["gw0", "gw1"]
    assert scheduling.browser_lane(["gw0", "gw1", "gw2"]) == ["gw0"]
    assert scheduling.browser_lane(["gw0"]) == []  # alone, it takes the browser tests last


def test_every_kept_together_entry_names_a_real_module_or_folder():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for prefix in (*scheduling.TOGETHER, *scheduling.FIRST):
        assert (root / prefix).exists(), prefix


def test_every_module_with_a_module_scoped_fixture_is_kept_together():
    """Split over workers, such a module sets its fixture up on each: the recorded IAM journeys
    (a child pytest of about 17 s of CPU) once ran three times."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    scoped = re.compile(r"""scope=["'](module|class|package)["']""")
    for path in sorted((root / "tests").rglob("test_*.py")):
        if scoped.search(path.read_text()):
            module = path.relative_to(root).as_posix()
            assert scheduling.scope_of(f"{module}::test_a") != f"{module}::test_a", module
