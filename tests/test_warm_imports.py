"""tests/warm_imports.py: each xdist worker starts importing the test modules at its own place."""

from __future__ import annotations

from tests import warm_imports
from tests.warm_imports import ROOT, rotated, suite_module_names


def test_each_worker_starts_at_its_share_of_the_list_and_wraps_around():
    names = ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert rotated(names, 0, 4) == names
    assert rotated(names, 1, 4) == ["c", "d", "e", "f", "g", "h", "a", "b"]
    assert rotated(names, 3, 4) == ["g", "h", "a", "b", "c", "d", "e", "f"]
    assert all(sorted(rotated(names, k, 3)) == names for k in range(3))


def test_only_the_modules_the_command_line_selects_are_imported():
    everything = suite_module_names([ROOT / "tests"])
    assert "tests.gallery.test_views" in everything
    assert "tests.test_warm_imports" in everything
    assert everything == sorted(everything, key=lambda name: name.split("."))
    assert suite_module_names([ROOT / "tests" / "core"]) == [
        name for name in everything if name.startswith("tests.core.")
    ]
    assert suite_module_names([ROOT / "tests" / "test_warm_imports.py"]) == [
        "tests.test_warm_imports"
    ]


def test_outside_an_xdist_worker_nothing_is_imported(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert warm_imports.import_from_this_workers_place(["tests"]) == []


def test_a_worker_imports_the_selected_modules_from_its_place(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    imported = warm_imports.import_from_this_workers_place([str(ROOT / "tests" / "core")])
    core = suite_module_names([ROOT / "tests" / "core"])
    assert imported == rotated(core, 1, 2)
