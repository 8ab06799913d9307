"""PynamoDB models of the accounts app: user profiles (and standing) and web sessions.

Importable without Django settings: the Lambda triggers write profiles.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta


class Profile(Model):
    """A user's profile and standing, keyed by the Cognito `sub` (never by email).

    The standing fields are written only by the site's admin (accounts.standing) and read on
    every authenticated request, in the same GetItem as the display name:

    - `disabled`: refuse the user outright;
    - `signed_out_at`: refuse tokens and sessions issued before it (disabling signs out);
    - `groups_changed_at` and `groups`: tokens issued before the change get these groups
      instead of the ones they carry, so a role change applies on the user's next request.
    """

    class Meta(TableMeta):
        table = "profiles"

    sub = UnicodeAttribute(hash_key=True)
    display_name = UnicodeAttribute(default="")
    # Access tokens carry no email: the API reads it here (written at sign-in or first API use).
    email = UnicodeAttribute(null=True)
    # null: the admin may record a standing before the user's first sign-in wrote the profile.
    created_at = UTCDateTimeAttribute(null=True)
    disabled = BooleanAttribute(null=True)
    signed_out_at = UTCDateTimeAttribute(null=True)
    groups_changed_at = UTCDateTimeAttribute(null=True)
    groups = ListAttribute(of=UnicodeAttribute, null=True)
    # The visibility a new photo gets unless its upload says otherwise (the gallery's values);
    # absent: public, as every photo was before the owner could choose.
    photo_visibility = UnicodeAttribute(null=True)


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
