"""Every link and file that the README, the docs and the code's docstrings cite exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
# A path in backticks: `gallery/models.py`, `docs/screenshots/`, `deploy/cloudformation.yaml`.
REPO_PATH = re.compile(r"^[\w.-]+(/[\w.-]+)*/?$")
DOC_CITATION = re.compile(r"\bdocs/[\w./-]+\.md\b")
SOURCE_DIRS = ("accounts", "core", "deploy", "gallery", "moderation", "photosite", "bench", "tests")


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """Return the numbered lines of a Markdown file outside fenced code blocks."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def anchors(path: Path) -> set[str]:
    """Return GitHub's anchors for the headings of a Markdown file."""
    slugs = set()
    for _, line in prose_lines(path):
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slugs.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return slugs


def cited_paths(path: Path, root: Path = ROOT) -> list[tuple[int, str, Path]]:
    """Return (line, target, base) for each link of a Markdown file and each path in its code.

    Markdown links resolve against the linking file's folder, paths in inline code against the
    repository root.
    """
    # Folders the site makes at run time (var/, .venv/) are not the repository's to cite.
    ignored = {"var", ".venv", "node_modules"}
    top_level = {entry.name for entry in root.iterdir()} - ignored
    cited = []
    for number, line in prose_lines(path):
        cited += [(number, target, path.parent) for target in LINK.findall(line)]
        for code in INLINE_CODE.findall(line):
            if "/" in code and REPO_PATH.match(code) and code.split("/")[0] in top_level:
                cited.append((number, code, root))
    return cited


def broken(path: Path, root: Path = ROOT) -> list[str]:
    """Return one line per citation of a Markdown file that does not resolve."""
    problems = []
    for number, target, base in cited_paths(path, root):
        if re.match(r"^[a-z]+:", target):
            continue  # http:, https:, mailto: are outside the repository
        file_part, _, anchor = target.partition("#")
        resolved = (base / file_part).resolve() if file_part else path
        if not resolved.exists():
            problems.append(f"{path.name}:{number}: {target} does not exist")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{path.name}:{number}: no heading #{anchor} in {resolved.name}")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc.name)
def test_every_link_and_cited_file_of_a_doc_exists(doc):
    assert broken(doc) == []


def test_every_doc_that_the_code_cites_exists():
    missing = []
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for citation in DOC_CITATION.findall(path.read_text(encoding="utf-8")):
                if not (ROOT / citation).exists():
                    missing.append(f"{path.relative_to(ROOT)} cites {citation}")
    assert missing == []


def test_the_check_catches_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "fake.md"
    doc.write_text(
        "# Title\n\nSee [x](nowhere.md), [y](fake.md#absent), [z](#title), `core/nowhere.py`.\n"
        "```\n`core/in-a-code-block.py` is an example\n```\n",
        encoding="utf-8",
    )
    problems = broken(doc, tmp_path)
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "nowhere.md does not exist",
        "no heading #absent in fake.md",
        "core/nowhere.py does not exist",
    ]


def test_every_screenshot_is_shown_by_a_doc():
    """A screenshot the browser tests save (UPDATE_SCREENSHOTS=1) is one a reader can find:
    the README or a page of docs/ links it (docs/screenshots.md lists them all)."""
    cited = {
        (base / target).resolve()
        for doc in DOCS
        for _number, target, base in cited_paths(doc)
        if target.endswith(".png")
    }
    shots = sorted((ROOT / "docs" / "screenshots").glob("*.png"))
    assert shots
    assert [shot.name for shot in shots if shot.resolve() not in cited] == []
