"""A Django session engine backed by DynamoDB (`accounts.records.Session`).

Every web instance and every Lambda invocation reads the same table, so no sticky sessions and
no shared SQL database are needed. DynamoDB's TTL deletes expired items lazily (often days
later), so every read checks `expires_at` itself. The data is Django's signed session encoding.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.backends.base import (
    VALID_KEY_CHARS,
    CreateError,
    SessionBase,
    UpdateError,
)
from django.utils.crypto import get_random_string
from pynamodb.exceptions import PutError

from accounts.records import Session

logger = logging.getLogger(__name__)


def _condition_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


class SessionStore(SessionBase):
    """Store sessions as items keyed by session key, expiring with a TTL attribute."""

    model = Session

    def load(self) -> dict[str, Any]:
        """Return the session's data, or an empty session if it is missing or expired."""
        item = self._get_item(self.session_key)
        if item is None:
            self._session_key = None
            return {}
        return self.decode(item.data)

    def _get_item(self, session_key: str | None) -> Session | None:
        """Read one live session item; None when absent, expired or unreadable."""
        if not session_key:
            return None
        try:
            # Strongly consistent: the request after sign-in may reach another instance.
            item = self.model.get(session_key, consistent_read=True)
        except self.model.DoesNotExist:
            return None
        # A GetError (table unreachable, throttled) propagates and becomes a 503 page
        # (core.outage): reading it as "signed out" made SessionMiddleware delete the
        # cookie, so a blip of the table signed everyone out for good.
        if item.expires_at is None or item.expires_at <= datetime.now(UTC):
            return None
        return item

    def exists(self, session_key: str | None) -> bool:
        """Tell whether a live session with this key exists."""
        return self._get_item(session_key) is not None

    def _get_new_session_key(self) -> str:
        """Return a fresh random key without reading the table.

        Django's base class reads the key first to see that no session holds it. Here the
        conditional put of `create` refuses a taken key, and `create` then draws another: the
        read only cost every sign-in a strongly consistent read.
        """
        return get_random_string(32, VALID_KEY_CHARS)

    def create(self) -> None:
        """Save a new, empty session under a fresh key."""
        while True:
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue  # key collision: astronomically rare, try another
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        """Write the session; must_create refuses to overwrite, otherwise it must exist."""
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        item = self.model(
            session_key=self._get_or_create_session_key(),
            data=self.encode(data),
            expires_at=self.get_expiry_date(),
        )
        # A plain save must not resurrect a session that was deleted meanwhile (signed out in
        # another tab): Django then answers SessionInterrupted, as its database engine does.
        condition = (
            self.model.session_key.does_not_exist()
            if must_create
            else self.model.session_key.exists()
        )
        try:
            item.save(condition=condition)
        except PutError as exc:
            if _condition_failed(exc):
                raise (CreateError if must_create else UpdateError) from exc
            raise
        return None

    def delete(self, session_key: str | None = None) -> None:
        """Delete the session (this one unless a key is given)."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # A failure propagates: a sign-out that silently left the session alive would lie.
        self.model(session_key=session_key).delete()

    @classmethod
    def clear_expired(cls) -> None:
        """Do nothing: DynamoDB's TTL removes expired sessions, and reads ignore them."""
