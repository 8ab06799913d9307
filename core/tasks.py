"""Run slow work in the background on Lambda, inline everywhere else.

Nothing in the site uses it yet (uploads make their derivatives inline); it is here, tested, for
work that outgrows a request. For example:

    from core.tasks import task

    @task
    def photo_derivatives_make(*, photo_id: str) -> None:
        ...

    photo_derivatives_make(photo_id=photo.photo_id)   # returns at once on Lambda

On Lambda (Zappa) a call becomes an asynchronous invocation of the same function, which
Zappa's handler routes back to the undecorated function; Lambda retries a failed one twice and
then hands it to the stage's dead-letter queue. Anywhere else (runserver, gunicorn, tests) the
call simply runs. Arguments must be JSON-serialisable (pass ids, never model instances), the
function must live at module level, and it must be idempotent, because of the retries.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def on_lambda() -> bool:
    """Tell whether this process is a Lambda invocation environment."""
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def task(func: F) -> F:
    """Make calls to func asynchronous on Lambda and synchronous elsewhere."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        # Fail in the caller, locally too, on what could not cross to another invocation.
        json.dumps([args, kwargs])
        if not on_lambda():
            return func(*args, **kwargs)
        # Only the Lambda package holds Zappa; it also builds boto3 clients on import.
        from zappa.asynchronous import run as zappa_run

        return zappa_run(func, args=list(args), kwargs=kwargs)

    # Zappa's router calls .sync on the receiving side, so the work is not dispatched again.
    run.sync = func  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
