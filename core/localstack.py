"""The embedded local AWS stack: moto in server mode on loopback."""

from __future__ import annotations

import contextlib
import socket
import urllib.error
import urllib.request
from types import TracebackType

LOCAL_HOST = "127.0.0.1"


class LocalAws:
    """Run a moto server on 127.0.0.1, or reuse one that already answers on the port."""

    def __init__(self, port: int = 4566) -> None:
        self.port = port
        self._server = None

    @property
    def endpoint_url(self) -> str:
        """Return the endpoint URL clients should use."""
        return f"http://{LOCAL_HOST}:{self.port}"

    @property
    def owned(self) -> bool:
        """Tell whether this object started the server (and so must stop it)."""
        return self._server is not None

    def start(self) -> LocalAws:
        """Start the server unless a moto server already listens on the port."""
        if is_moto(self.endpoint_url):
            return self
        if _port_in_use(self.port):
            raise RuntimeError(
                f"port {self.port} on {LOCAL_HOST} is taken by something that is not moto; "
                "choose another with AWS_PORT"
            )
        # Imported here: moto is a development dependency and takes a second to import.
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address=LOCAL_HOST, port=self.port, verbose=False)
        self._server.start()
        return self

    def reset(self) -> None:
        """Forget every resource the server holds."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (loopback only)
            pass

    def stop(self) -> None:
        """Stop the server if this object started it."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalAws:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def is_moto(endpoint_url: str) -> bool:
    """Tell whether a moto server answers at this endpoint."""
    try:
        with urllib.request.urlopen(f"{endpoint_url}/moto-api/data.json", timeout=2):  # noqa: S310
            return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _port_in_use(port: int) -> bool:
    """Tell whether something accepts connections on the loopback port."""
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOCAL_HOST, port)) == 0
