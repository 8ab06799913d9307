"""The development server of `make run`: Django's runserver, with TCP_NODELAY on each connection.

Django's development server writes a response's status line and headers, then its body, in
separate sends. With Nagle's algorithm on, the second send waits for the client to acknowledge
the first, and on a reused keep-alive connection the client delays that ACK (about 40 ms on
Linux): every request after the first on a connection took 40 ms longer than it should.
"""

from __future__ import annotations

import socket

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import WSGIServer


class NoDelayWSGIServer(WSGIServer):
    """Django's development WSGI server, sending each write at once (no Nagle)."""

    def get_request(self) -> tuple[socket.socket, object]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


def runserver_command() -> BaseCommand:
    """Return the installed runserver command (whitenoise's, staticfiles'...) on that server.

    It keeps everything runserver does, auto-reload included: only the server class changes.
    """
    command = load_command_class(get_commands()["runserver"], "runserver")
    command.server_cls = NoDelayWSGIServer
    return command
