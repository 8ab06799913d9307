"""Structured logs: one JSON object per line, tagged with the id of the request being served.

Log lines are read by CloudWatch Logs Insights, not people, so each is a JSON object. Errors
carry the exception's type and frames but not its message, which can quote user input
(a password typed into the wrong field, a token); nor is the request object Django attaches
to its error records ever serialised (it holds cookies and Authorization headers).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime

_request_id: ContextVar[str | None] = ContextVar("photosite_request_id", default=None)
# What an id read from a header may look like: enough for ALB and API Gateway ids, nothing
# that could forge a second log line or field.
_SAFE_ID = re.compile(r"[A-Za-z0-9=;:._-]{1,128}")


def new_request_id() -> str:
    """Return a fresh random request id."""
    return uuid.uuid4().hex


def safe_request_id(candidate: str | None) -> str | None:
    """Return the candidate if it is a plausible id, else None."""
    if candidate and _SAFE_ID.fullmatch(candidate):
        return candidate
    return None


def bind_request_id(request_id: str) -> Token:
    """Tag every log record of the current request (thread or task) with this id."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token) -> None:
    """Stop tagging records with the id bound by `token`."""
    _request_id.reset(token)


def current_request_id() -> str | None:
    """Return the id of the request being served, if any."""
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            data["request_id"] = request_id
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            data["status"] = status
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            data["exception"] = type(exc).__name__
            data["frames"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(exc.__traceback__)[-10:]
            ]
        return json.dumps(data, ensure_ascii=False)
