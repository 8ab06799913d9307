"""tests/scheduling.py: how xdist's workers share the suite."""

from __future__ import annotations

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
