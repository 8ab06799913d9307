"""Hooks that zappa_settings.json names."""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

logger = logging.getLogger("photosite.lambda")


def exception_handler(exception: BaseException, event: dict[str, Any], context: Any) -> bool:
    """Log an exception that escaped Django or a task as one JSON line; let Zappa carry on.

    The event is never logged: it holds cookies, Authorization headers and form bodies
    (passwords, tokens). Nor is the exception's message, which can quote user input: its
    type, the request id and the frames are enough to find it with `zappa tail`.
    Returning False keeps Zappa's own behaviour: a 500 for a web request, and a re-raise for
    an asynchronous task so that Lambda retries it and then sends it to the dead-letter queue.
    """
    frames = traceback.extract_tb(exception.__traceback__)
    record = {
        "level": "ERROR",
        "message": "unhandled exception",
        "exception": type(exception).__name__,
        "request_id": getattr(context, "aws_request_id", None),
        "kind": _kind(event),
        "method": event.get("httpMethod") if isinstance(event, dict) else None,
        "path": event.get("path") if isinstance(event, dict) else None,
        "frames": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-8:]],
    }
    logger.error(json.dumps(record))
    return False


def _kind(event: Any) -> str:
    if not isinstance(event, dict):
        return "unknown"
    if "httpMethod" in event or "requestContext" in event:
        return "http"
    if event.get("command") == "zappa.asynchronous.route_lambda_task":
        return "task"
    if "detail-type" in event:
        return "scheduled"
    return "other"
