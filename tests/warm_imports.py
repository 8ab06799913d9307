"""Each pytest-xdist worker imports the test modules starting at a different place.

pytest rewrites the asserts of a test module when it first imports it, and caches the result
next to the module (`__pycache__`). In a fresh clone (CI) the workers all start together and
import in the same order, so every worker rewrote every module, about 3.5 s of CPU each. Worker
k of n starts k/n of the way down the list instead: each module is rewritten by about one worker
and read from the cache by the others. Nothing else changes: collection then finds the modules
already imported, as it finds those one test module imports from another.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def suite_module_names(selected: list[Path], root: Path = ROOT) -> list[str]:
    """Return the dotted names of the test modules at or under the selected paths, in order."""
    paths = sorted(
        path
        for path in (root / "tests").rglob("test_*.py")
        if any(path == chosen or chosen in path.parents for chosen in selected)
    )
    return [".".join(path.relative_to(root).with_suffix("").parts) for path in paths]


def rotated(names: list[str], worker: int, workers: int) -> list[str]:
    """Return the names starting `worker / workers` of the way down, wrapping around."""
    start = len(names) * worker // workers
    return names[start:] + names[:start]


def import_from_this_workers_place(args: list[str]) -> list[str]:
    """In an xdist worker, import the test modules that the command line's paths (or node ids)
    select, from the worker's place; return the names imported."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker.startswith("gw") or workers < 2:
        return []
    imported = []
    selected = [Path(arg.split("::")[0]).resolve() for arg in args]
    for name in rotated(suite_module_names(selected), int(worker[2:]), workers):
        try:
            importlib.import_module(name)
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: S112 (pytest.skip raises a BaseException)
            # Collection imports the module again and reports what happens, as always.
            continue
        imported.append(name)
    return imported
