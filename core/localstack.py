"""The embedded local AWS stack: moto in server mode on loopback."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from core import moto_speedups
from core.servers import LocalServer

logger = logging.getLogger(__name__)

LOCAL_HOST = "127.0.0.1"
# Query-protocol bodies (IAM, STS) are small; an upload is never read for its Action.
_MAX_FORM_BODY = 1 << 20
_SCOPE_SERVICE = re.compile(r"Credential=[^/,]+/[^/]+/[^/]+/([^/]+)/aws4_request")
_TARGET_SERVICES = {
    "DynamoDB": "dynamodb",
    "AWSCognitoIdentityProviderService": "cognito-idp",
    "AWSCognitoIdentityService": "cognito-identity",
}


@dataclass(frozen=True)
class AwsCall:
    """One request the emulator received, as the AWS wire protocols name it.

    `operation` is the API action for the JSON and query protocols (PutItem, SignUp, GetRole);
    REST services such as S3 name none, so `method`, `path` and `query` describe those.
    """

    service: str
    operation: str
    method: str
    path: str
    query: str


RequestObserver = Callable[[AwsCall], None]


class LocalAws(LocalServer):
    """Run a moto server on 127.0.0.1, or reuse one that already answers on the port."""

    def __init__(self, port: int = 4566, *, observer: RequestObserver | None = None) -> None:
        self.port = port
        # Told of every request before moto handles it (only when this object runs the server).
        self.observer = observer
        self._server = None
        self._thread: threading.Thread | None = None
        self._app: Callable[..., Iterable[bytes]] | None = None

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
        from moto.server import MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        moto_speedups.install()
        app = _one_dynamodb_request_at_a_time(_dispatcher(create_backend_app))
        if self.observer is not None:
            app = _observed(app, self.observer)
        self._app = app
        # What moto's ThreadedMotoServer does, with the application wrapped.
        self._server = make_server(
            LOCAL_HOST, self.port, app, threaded=True, request_handler=MotoRequestHandler
        )
        # Its request threads are daemons: closing must not wait for one whose client hangs.
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"moto-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def reset(self) -> None:
        """Forget every resource the server holds."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (loopback only)
            pass

    def empty(self, services: Collection[str]) -> None:
        """Delete the data the server holds for these services, keeping everything else.

        "dynamodb": every item of every table (tables, indexes, TTL stay); "s3": every object and
        multipart upload of every bucket (buckets and their settings stay); "cognito-idp": every
        user of every user pool, with their group memberships (pools, groups, app clients stay).
        Done on moto's backends directly, which serve this process's server: a few microseconds
        where scanning and deleting through the API costs tens of milliseconds per test.
        """
        if not self.owned:
            raise RuntimeError("only a server this object runs, in this process, can be emptied")
        if "dynamodb" in services:
            for backend in _moto_backends("dynamodb"):
                for table in backend.tables.values():
                    table.items.clear()
        if "s3" in services:
            for backend in _moto_backends("s3"):
                for bucket in backend.buckets.values():
                    # moto keeps object bodies in temporary files: close them, as its reset does.
                    for _name, versions in bucket.keys.iterlists():
                        for version in versions:
                            if hasattr(version, "dispose"):
                                version.dispose()
                    bucket.keys.clear()
                    for upload in bucket.multiparts.values():
                        upload.dispose()
                    bucket.multiparts.clear()
        if "cognito-idp" in services:
            for backend in _moto_backends("cognito-idp"):
                for pool in backend.user_pools.values():
                    # What moto's AdminDeleteUser does, for every user at once.
                    for user in pool.users.values():
                        for group in user.groups:
                            group.users.discard(user)
                    pool.users.clear()
        # moto also keeps every model instance it ever made, for its dashboard's data.json,
        # until a reset: the emptied items, objects (with their bodies) and users too. Left
        # alone, a worker's memory grows test by test and data.json (the probe `is_moto` reads)
        # takes seconds to write. The dashboard then lists only what is made from here on.
        from moto.core.model_instances import reset_model_data

        reset_model_data()

    def serve_in_process(self) -> None:
        """Answer this process's own SDK calls to the server by calling moto directly.

        Each request through the socket costs a new connection (werkzeug closes every one), a
        thread, and HTTP written and parsed on both sides, which is most of what a call costs
        beyond moto's own work. Calls from this process to the server's address are handed to
        the same WSGI application (observer and write lock included) in the caller's thread;
        everything else (browsers, subprocesses, plain HTTP such as the JWKS read, other
        endpoints) still goes through the socket, which stays open.
        """
        if self._app is None:
            raise RuntimeError("only a server this object runs, in this process, can be called")
        _install_in_process_transport()
        _in_process_servers[f"{LOCAL_HOST}:{self.port}"] = self

    def stop(self) -> None:
        """Stop the server if this object started it."""
        _in_process_servers.pop(f"{LOCAL_HOST}:{self.port}", None)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None
            self._thread = None


# Host:port of the servers running in this process that answer its own calls directly.
_in_process_servers: dict[str, LocalAws] = {}
_transport_lock = threading.Lock()


def _install_in_process_transport() -> None:
    """Make botocore hand requests for an in-process server to its application (once)."""
    from botocore.httpsession import URLLib3Session

    with _transport_lock:
        if getattr(URLLib3Session.send, "in_process", False):
            return
        over_http = URLLib3Session.send

        def send(session: URLLib3Session, request: Any) -> Any:
            server = _in_process_servers.get(urlsplit(request.url).netloc)
            if server is None:
                return over_http(session, request)
            target = request.headers.get("X-Amz-Target") or b""
            if isinstance(target, str):
                target = target.encode("latin-1")
            if target.startswith(b"DynamoDB_"):
                return _dynamodb_response(server, request, target.decode("latin-1"))
            return _wsgi_response(server._app, request)

        send.in_process = True  # type: ignore[attr-defined]
        URLLib3Session.send = send


def _wsgi_response(app: Callable[..., Iterable[bytes]], request: Any) -> Any:
    """Call a WSGI application with a botocore request; answer as URLLib3Session.send does."""
    from werkzeug.datastructures import Headers
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    parts = urlsplit(request.url)
    body = request.body
    if body is None:
        data = b""
    elif isinstance(body, bytes | bytearray):
        data = bytes(body)
    elif isinstance(body, str):
        data = body.encode("utf-8")
    else:  # a file-like object: botocore rewinds it itself before a retry
        data = body.read()
    headers = [
        (name, value.decode("latin-1") if isinstance(value, bytes) else value)
        for name, value in request.headers.items()
    ]
    environ = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}",
        query_string=parts.query,
        method=request.method,
        headers=headers,
        data=data,
    ).get_environ()
    try:
        app_iter, status, response_headers = run_wsgi_app(app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
    except Exception:
        # What werkzeug's server answers when the application raises (moto is not thread-safe
        # everywhere: an object deleted while another thread copies it), and what botocore
        # retries, as it would a 500 from AWS.
        logger.exception("moto failed on %s %s", request.method, request.url)
        status, response_headers = "500 INTERNAL SERVER ERROR", Headers()
        content = b"Internal Server Error"
    return _botocore_response(
        request, int(status.split(" ", 1)[0]), list(response_headers.items()), content
    )


def _dynamodb_response(server: LocalAws, request: Any, target: str) -> Any:
    """Hand a DynamoDB call straight to moto's DynamoDB handler, as moto's own in-process mock
    (mock_aws) does: no WSGI environment, no Flask routing, about a third of a call's cost.
    The observer and the write lock apply as they do to the server's requests."""
    from moto.core.exceptions import HTTPException
    from moto.core.request import normalize_request
    from moto.dynamodb.responses import DynamoHandler

    action = target.partition(".")[2]
    parts = urlsplit(request.url)
    try:
        if server.observer is not None:
            call = AwsCall("dynamodb", action, request.method, parts.path or "/", parts.query)
            server.observer(call)
        normalized = normalize_request(request)
        with _atomicity(action):
            status, headers, body = DynamoHandler.dispatch(
                normalized, normalized.raw_url, normalized.headers
            )
    except HTTPException as exc:  # what moto's server turns into an error answer
        status, headers, body = exc.code, exc.get_headers(), exc.get_body()
    except Exception:
        logger.exception("moto failed on %s %s", request.method, request.url)
        status, headers, body = 500, {}, b"Internal Server Error"
    content = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    header_items = list(headers.items()) if hasattr(headers, "items") else list(headers)
    return _botocore_response(request, int(status), header_items, content)


def _botocore_response(
    request: Any, status: int, headers: list[tuple[str, str]], content: bytes
) -> Any:
    """Answer as botocore's URLLib3Session.send does, from a status, headers and a body."""
    import botocore.awsrequest
    import urllib3

    raw = urllib3.HTTPResponse(
        body=io.BytesIO(content),
        headers=headers,
        status=status,
        preload_content=False,
        decode_content=False,
        enforce_content_length=False,
        request_method=request.method,  # a HEAD answer has a length and no body
    )
    response = botocore.awsrequest.AWSResponse(request.url, raw.status, raw.headers, raw)
    if not request.stream_output:
        response.content  # noqa: B018 (read the body now, as botocore's own transport does)
    return response


def aws_call_of(environ: dict[str, Any]) -> AwsCall:
    """Name the AWS operation a WSGI request asks for (reading a query-protocol form body)."""
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "/")
    query = environ.get("QUERY_STRING", "")
    scope = _SCOPE_SERVICE.search(environ.get("HTTP_AUTHORIZATION", "") or "")
    if scope is None:
        # Presigned URLs carry the credential scope in the query string instead.
        credential = parse_qs(query).get("X-Amz-Credential", [""])[0]
        parts = credential.split("/")
        service = parts[3] if len(parts) == 5 else ""
    else:
        service = scope.group(1)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        prefix, _, operation = target.rpartition(".")
        service = service or _TARGET_SERVICES.get(prefix.split("_")[0], prefix)
        return AwsCall(service, operation, method, path, query)
    if path.startswith("/moto-api"):
        return AwsCall("moto-api", "", method, path, query)
    action = parse_qs(query).get("Action", [""])[0]
    content_type = environ.get("CONTENT_TYPE", "")
    if not action and content_type.startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if 0 < length <= _MAX_FORM_BODY:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
    # Unsigned requests without a target are S3's: browser form uploads, JWKS reads aside.
    return AwsCall(service or "s3", action, method, path, query)


def _moto_backends(service: str) -> Iterator[Any]:
    """Every backend moto has made for the service, for every account and region."""
    from moto.backends import get_backend

    for regions in list(get_backend(service).values()):
        yield from list(regions.values())


def _dispatcher_class() -> type:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    class Dispatcher(DomainDispatcherApplication):
        """moto's dispatcher, remembering which backend serves a host.

        moto tries the host against every service's URL patterns (hundreds of regular
        expressions) on each request, about a millisecond of CPU; the answer for a host never
        changes while the server runs.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._backend_of_host: dict[str | None, Any] = {}

        def get_backend_for_host(self, host: str | None) -> Any:
            try:
                return self._backend_of_host[host]
            except KeyError:
                backend = super().get_backend_for_host(host)
                self._backend_of_host[host] = backend
                return backend

    return Dispatcher


def _dispatcher(create_app: Callable) -> Callable:
    return _dispatcher_class()(create_app)


# The DynamoDB actions that change items: each must be atomic, as on DynamoDB.
DYNAMODB_WRITES = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)
# One per process, as moto's state is: the server's threads and in-process callers share it.
_DYNAMODB_WRITE_LOCK = threading.Lock()


def _atomicity(action: str) -> contextlib.AbstractContextManager[Any]:
    """Return what a DynamoDB action holds while moto runs it: the write lock for a write,
    nothing for a read (queued behind writes, a readiness probe's burst of reads timed out)."""
    return _DYNAMODB_WRITE_LOCK if action in DYNAMODB_WRITES else contextlib.nullcontext()


def _one_dynamodb_request_at_a_time(app: Callable[..., Iterable[bytes]]) -> Callable:
    """Wrap moto so that each DynamoDB write is atomic, as DynamoDB's are.

    moto checks a condition and then writes, or reads a number and then adds to it, in Python
    without a lock; the server answers each request in its own thread, so two racing
    conditional writes could both succeed and two racing ADDs lose one. DynamoDB never does
    either. One lock around each DynamoDB request restores that (requests still interleave
    between each other, so the site's own read-then-write races stay as real as on AWS).
    """

    def serialized_app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        # Only writes: reads (a readiness probe's DescribeTable burst, queries) need no
        # atomicity, and queueing them behind writes would slow them into timeouts.
        service, _, action = environ.get("HTTP_X_AMZ_TARGET", "").partition(".")
        if not service.startswith("DynamoDB_"):
            return app(environ, start_response)
        with _atomicity(action):
            # The whole body is produced under the lock: moto builds it before returning.
            return list(app(environ, start_response))

    return serialized_app


def _observed(app: Callable[..., Iterable[bytes]], observer: RequestObserver) -> Callable:
    """Wrap a WSGI application so that the observer hears of each request first."""

    def observed_app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        observer(aws_call_of(environ))
        return app(environ, start_response)

    return observed_app


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
