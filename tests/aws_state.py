"""What the tests did to the emulator, so that the next test starts from a fresh bootstrap.

Resetting moto and bootstrapping again costs about 430 ms; emptying the tables, the bucket and
the user pool costs a few milliseconds. The emulator tells us (core.localstack's observer) of
every request it serves, and this module sorts them:

- reads change nothing;
- data writes (items, objects, users and their groups, sign-ins) are undone by emptying;
- anything else, or anything not known here (a new table, bucket CORS, a second user pool, MFA
  settings, a moto reset, a CloudFormation stack), makes the next test get a full reset.

Unknown operations count as configuration on purpose: a test that does something new costs
time, never correctness.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from core.localstack import AwsCall, LocalAws
from photosite.bootstrap import BootstrapResult, bootstrap_aws

DYNAMODB_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
# PartiQL statements may write, so they count as writes.
DYNAMODB_WRITES = frozenset(
    {
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "ExecuteStatement",
        "BatchExecuteStatement",
        "ExecuteTransaction",
    }
)
# Everything a user does to their own account, or an administrator to a user: deleting the
# users undoes it (moto drops a deleted user's group memberships and attributes with it).
COGNITO_USER_WRITES = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "ChangePassword",
        "UpdateUserAttributes",
        "DeleteUserAttributes",
        "VerifyUserAttribute",
        "DeleteUser",
        "GlobalSignOut",
        "RevokeToken",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
        "AdminCreateUser",
        "AdminConfirmSignUp",
        "AdminDeleteUser",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminAddUserToGroup",
        "AdminRemoveUserFromGroup",
        "AdminSetUserPassword",
        "AdminResetUserPassword",
        "AdminUpdateUserAttributes",
        "AdminDeleteUserAttributes",
        "AdminUserGlobalSignOut",
        "AdminSetUserMFAPreference",
    }
)
# Identity pool sign-ins and STS credentials add identities and sessions no test lists.
STATELESS_FOR_TESTS = {
    "cognito-identity": frozenset(
        {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "DescribeIdentity"}
    ),
    "sts": None,  # every STS call: credentials only
}


def _is_read(operation: str) -> bool:
    # Cognito's administrator reads are named AdminGetUser, AdminListGroupsForUser, ...
    return operation.removeprefix("Admin").startswith(("Get", "List", "Describe", "Lookup"))


def _s3_effect(call: AwsCall) -> str:
    """Return "read", "data" or "config" for an S3 REST request."""
    if call.method in {"GET", "HEAD", "OPTIONS"}:
        return "read"
    key = call.path.lstrip("/").partition("/")[2]
    if key:
        return "data"  # an object: put, copy, delete, multipart parts, object tags
    if call.method == "POST" and set(parse_qs(call.query, keep_blank_values=True)) <= {"delete"}:
        return "data"  # a browser form upload, or DeleteObjects
    return "config"


def effect_of(call: AwsCall) -> str:
    """Return "read", "data" or "config": what undoing this request takes."""
    service, operation = call.service, call.operation
    if service == "s3":
        return _s3_effect(call)
    if service == "moto-api":
        return "read" if call.method == "GET" else "config"
    if service == "dynamodb":
        if operation in DYNAMODB_READS or _is_read(operation):
            return "read"
        return "data" if operation in DYNAMODB_WRITES else "config"
    if service == "cognito-idp":
        if _is_read(operation):
            return "read"
        return "data" if operation in COGNITO_USER_WRITES else "config"
    if service in STATELESS_FOR_TESTS:
        allowed = STATELESS_FOR_TESTS[service]
        if allowed is None or operation in allowed or _is_read(operation):
            return "read"
        return "config"
    return "read" if _is_read(operation) else "config"


@dataclass
class EmulatorLedger:
    """Collect, from the emulator's threads, what has to be undone before the next test."""

    written: set[str] = field(default_factory=set)
    reconfigured_by: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, call: AwsCall) -> None:
        """Record one request (core.localstack calls this for each, from its own threads)."""
        effect = effect_of(call)
        if effect == "read":
            return
        with self._lock:
            if effect == "data":
                self.written.add(call.service)
            elif self.reconfigured_by is None:
                self.reconfigured_by = (
                    f"{call.service} {call.operation or call.method + ' ' + call.path}"
                )

    def take(self) -> tuple[set[str], str | None]:
        """Return (services written, first configuration change or None) and forget them."""
        with self._lock:
            taken = (self.written, self.reconfigured_by)
            self.written, self.reconfigured_by = set(), None
        return taken


class BootstrapState:
    """Bring the emulator back to what `bootstrap_aws` gives, as cheaply as what a test did allows.

    Bootstrapping costs about 430 ms, so it happens once and again only after a test changed
    configuration (or the emulator is not ours to observe); after a test that only wrote data,
    the tables, the bucket and the user pool are emptied instead.
    """

    def __init__(self, local_aws: LocalAws, ledger: EmulatorLedger) -> None:
        self.local_aws = local_aws
        self.ledger = ledger
        self.result: BootstrapResult | None = None
        self.origin: str | None = None
        self.full_resets = 0

    def fresh(self, *, bucket: str, site_origin: str) -> BootstrapResult:
        """Return the bootstrap result of an emulator holding nothing else."""
        written, reconfigured_by = self.ledger.take()
        reusable = (
            reconfigured_by is None
            and self.local_aws.owned
            and self.result is not None
            and (self.result.bucket, self.origin) == (bucket, site_origin)
        )
        if reusable:
            self.local_aws.empty(written)
        else:
            self.local_aws.reset()
            self.result = bootstrap_aws(bucket=bucket, site_origin=site_origin)
            self.origin = site_origin
            self.full_resets += 1
        self.ledger.take()  # what was just done is the bootstrap state itself
        return self.result
