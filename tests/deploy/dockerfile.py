"""Read a Dockerfile into instructions: enough to check it here, where no Docker engine runs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction with its arguments as written (continuations joined)."""

    keyword: str
    arguments: str
    line: int

    def exec_form(self) -> list[str] | None:
        """Return the JSON array of an exec-form CMD/ENTRYPOINT/RUN, or None for shell form."""
        text = self.arguments.strip()
        if not text.startswith("["):
            return None
        return json.loads(text)


def parse(path: Path) -> list[Instruction]:
    """Return the instructions of a Dockerfile, comments dropped and continuations joined."""
    instructions: list[Instruction] = []
    pending = ""
    start = 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comments inside a continued instruction are allowed and ignored
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        pending = ""
        keyword, _, arguments = text.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), start))
    if pending:
        raise ValueError(f"{path}: the last instruction ends with a line continuation")
    return instructions
