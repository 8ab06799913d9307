"""The import rules of docs/architecture.md, checked on the source tree.

core/ is the ground floor and imports no app; the apps import core/ but never the composition
root (photosite/) nor the deploy tooling; inside an app, pages and API call services and
selectors and never each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "gallery", "moderation")
FLOOR = "core"
ROOF = ("photosite", "deploy")
# The modules that render pages and the ones that answer the JSON API.
PAGE_MODULES = ("views", "forms", "admin")
API_MODULES = ("api", "api_auth")


def imported_modules(path: Path) -> set[str]:
    """Return every module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from gallery import views` imports the module gallery.views.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def role(module: str) -> str | None:
    """Say whether a module of an app is a page module, an API module, or neither."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] not in APPS:
        return None
    if parts[1] in PAGE_MODULES:
        return "page"
    if parts[1] in API_MODULES:
        return "api"
    return None


def violations(root: Path) -> list[str]:
    """Return one line per import that breaks a layer rule, for the tree at `root`."""
    found: list[str] = []
    for package in (FLOOR, *APPS):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = module_name(root, path)
            for target in sorted(imported_modules(path)):
                top = target.split(".")[0]
                if package == FLOOR and top in (*APPS, *ROOF):
                    found.append(f"{module} (infrastructure) imports {target}")
                elif package in APPS and top in ROOF and target != "photosite.settings":
                    found.append(f"{module} (app) imports the composition root {target}")
                elif {role(module), role(target)} == {"page", "api"}:
                    found.append(f"{module} ({role(module)}) imports {target} ({role(target)})")
    return found


def test_the_source_tree_keeps_every_layer_rule():
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("gallery/api.py", "from gallery.views import visible_ip\n", "gallery.api (api)"),
        ("gallery/api.py", "from gallery import views\n", "gallery.api (api)"),
        ("gallery/views.py", "def f():\n    import accounts.api\n", "gallery.views (page)"),
        ("core/aws.py", "from gallery import models\n", "core.aws (infrastructure)"),
        ("accounts/cognito.py", "from photosite import demo\n", "accounts.cognito (app)"),
    ],
)
def test_the_check_reports_an_import_that_breaks_a_rule(tmp_path, path, source, expected):
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    assert [line for line in violations(tmp_path) if line.startswith(expected)]
