"""What the local emulators share: a server object that is also a context manager."""

from __future__ import annotations

from typing import Self


class LocalServer:
    """A server this process starts and stops; `with Server() as server:` runs it for a block."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
