"""PynamoDB models of the accounts app: user profiles and web sessions.

Importable without Django settings: the Lambda triggers write profiles.
"""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta


class Profile(Model):
    """A user's public profile, keyed by the Cognito `sub` (never by email)."""

    class Meta(TableMeta):
        table = "profiles"

    sub = UnicodeAttribute(hash_key=True)
    display_name = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()


class Session(Model):
    """A Django session stored in DynamoDB, so every web instance and Lambda shares it."""

    class Meta(TableMeta):
        table = "sessions"

    session_key = UnicodeAttribute(hash_key=True)
    data = UnicodeAttribute()
    expires_at = TTLAttribute()


class RateCounter(Model):
    """A fixed-window counter (sign-in attempts per IP or per account), gone after its window."""

    class Meta(TableMeta):
        table = "rate-counters"

    counter_key = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires_at = TTLAttribute()


TABLES: list[type[Model]] = [Profile, Session, RateCounter]
dynamo.register(*TABLES)
