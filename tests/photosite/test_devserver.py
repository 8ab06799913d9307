"""photosite.devserver: `make run` answers keep-alive requests without waiting on Nagle."""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading

from django.core.servers.basehttp import WSGIRequestHandler

from photosite.devserver import NoDelayWSGIServer, runserver_command


def test_each_accepted_connection_has_tcp_nodelay():
    server = NoDelayWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    try:
        with socket.create_connection(server.server_address[:2], timeout=5):
            connection, _address = server.get_request()
            with connection:
                nodelay = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        server.server_close()

    assert nodelay != 0


def test_two_requests_on_one_keep_alive_connection_are_both_served():
    served = []

    def app(environ, start_response):
        served.append(environ["PATH_INFO"])
        body = b"ok"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [body]

    # The threaded server runserver builds (django.core.servers.basehttp.run): only a threaded
    # one keeps connections alive.
    threaded = type("WSGIServer", (socketserver.ThreadingMixIn, NoDelayWSGIServer), {})
    server = threaded(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(app)
    accepted = []
    get_request = server.get_request

    def counting_get_request():
        connection, address = get_request()
        accepted.append(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        return connection, address

    server.get_request = counting_get_request
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
        answers = []
        for path in ("/one", "/two"):
            client.request("GET", path)
            response = client.getresponse()
            answers.append((response.status, response.read()))
        client.close()
    finally:
        server.shutdown()
        server.server_close()

    assert answers == [(200, b"ok"), (200, b"ok")]
    assert served == ["/one", "/two"]
    assert len(accepted) == 1  # one connection carried both requests
    assert accepted[0] != 0  # with TCP_NODELAY


def test_runlocal_serves_with_the_installed_runserver_on_that_server():
    command = runserver_command()

    assert command.server_cls is NoDelayWSGIServer
    # whitenoise's runserver (serving static files as production does) is still the one used.
    assert type(command).__module__ == "whitenoise.runserver_nostatic.management.commands.runserver"
