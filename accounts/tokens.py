"""Verify Amazon Cognito user pool JWTs (ID and access tokens), at least as strictly as
aws-jwt-verify.

Self-contained and Django-free: the Django glue builds a ``CognitoTokenVerifier`` from
settings. Every rejection raises a ``TokenError`` subclass with a stable ``code``; no bad
token can raise anything else.

Decisions worth knowing (at least as strict as AWS's own aws-jwt-verify):

* Only RS256. The header is parsed here, before python-jose sees anything, and the key is
  chosen by ``kid`` from our own cache: python-jose given a whole JWKS would try every key and
  ignore ``kid``/``use``/``alg``.
* Each JWK is turned into a key once, by python-jose's ``jwk.construct`` for RS256 from the
  public members only, and cached by ``kid``. The signature is checked with the underlying
  ``cryptography`` public key and the claims are checked here: ``jwt.decode`` re-parses the
  token and costs about twice the time of the whole verification below, yet still skips the
  Cognito-specific checks (``token_use``, access-token ``client_id``, groups). python-jose
  never sees the token itself, so its ``algorithms`` pitfall (a string is a substring test)
  cannot bite; the key object is built for RS256 and the header alg is compared exactly.
* ``exp`` and ``sub`` are required (aws-jwt-verify tolerates a missing ``exp``); numeric
  claims must be finite numbers (JSON ``true`` or ``1e400`` are rejected).
* ``at_hash``: ``verify_id_token(token)`` ignores it, as aws-jwt-verify does, because ID tokens
  from InitiateAuth have none and the caller rarely holds the matching access token. Pass
  ``access_token=`` to bind the pair: then ``at_hash`` must be present and must match.
* ``required_groups`` means "member of at least one of these groups", as aws-jwt-verify's
  ``groups`` option does.
* Only the regional issuer ``https://cognito-idp.<region>.amazonaws.com/<pool_id>`` is
  accepted, also when ``jwks_url`` points at a local emulator.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import logging
import math
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jose import jwk
from jose.exceptions import JOSEError

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
MAX_TOKEN_LENGTH = 16 * 1024
MAX_JWKS_BYTES = 256 * 1024
JWKS_FETCH_TIMEOUT = 2.0
JWKS_REFETCH_INTERVAL = 10.0
MIN_RSA_BITS = 2048
# Only headers of tokens whose signature verified are remembered, so this bound is plenty.
HEADER_CACHE_SIZE = 64

# Compact JWS: exactly three unpadded base64url segments.
_COMPACT_JWS = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")
_NUMBER_TYPES = (int, float)
_TO_STANDARD_BASE64 = bytes.maketrans(b"-_", b"+/")
_TO_URLSAFE_BASE64 = bytes.maketrans(b"+/", b"-_")
# In a canonical encoding the bits of the last character past the data are zero.
_CANONICAL_LAST_CHAR = {2: frozenset("AQgw"), 3: frozenset("AEIMQUYcgkosw048")}
_PKCS1V15 = padding.PKCS1v15()
_SHA256 = hashes.SHA256()


class TokenError(Exception):
    """Reject a token; ``code`` is stable and safe to log or return to clients."""

    code = "invalid_token"


class MalformedTokenError(TokenError):
    """Reject a token that is not a well-formed compact JWS with JSON object parts."""

    code = "malformed"


class TokenTooLargeError(TokenError):
    """Reject a token longer than MAX_TOKEN_LENGTH before decoding it."""

    code = "too_large"


class UnsupportedAlgorithmError(TokenError):
    """Reject a token whose header alg is not RS256."""

    code = "unsupported_alg"


class UnknownKeyError(TokenError):
    """Reject a token whose kid is not in the JWKS."""

    code = "unknown_key"


class UnusableKeyError(TokenError):
    """Reject a token whose kid names a JWK that may not verify RS256 signatures."""

    code = "unusable_key"


class JwksUnavailableError(TokenError):
    """Reject a token because the JWKS could not be fetched or parsed."""

    code = "jwks_unavailable"


class BadSignatureError(TokenError):
    """Reject a token whose signature does not verify."""

    code = "bad_signature"


class MissingClaimError(TokenError):
    """Reject a token lacking a required claim (exp, sub)."""

    code = "missing_claim"


class InvalidClaimError(TokenError):
    """Reject a token with a claim of the wrong type or an impossible value."""

    code = "invalid_claim"


class ExpiredTokenError(TokenError):
    """Reject a token past its exp (plus leeway)."""

    code = "expired"


class NotYetValidError(TokenError):
    """Reject a token before its nbf or iat (minus leeway)."""

    code = "not_yet_valid"


class WrongIssuerError(TokenError):
    """Reject a token from another issuer, or without one."""

    code = "wrong_issuer"


class WrongAudienceError(TokenError):
    """Reject an ID token whose aud is not one of our app clients."""

    code = "wrong_audience"


class WrongTokenUseError(TokenError):
    """Reject an ID token used as an access token, or the reverse."""

    code = "wrong_token_use"


class WrongClientError(TokenError):
    """Reject an access token issued to another app client."""

    code = "wrong_client"


class AtHashMismatchError(TokenError):
    """Reject an ID token whose at_hash does not match the given access token."""

    code = "wrong_at_hash"


class MissingGroupError(TokenError):
    """Reject a token whose user is in none of the required groups."""

    code = "missing_group"


def fetch_jwks_url(url: str) -> dict[str, Any]:
    """Fetch a JWKS document over HTTP(S) with a short timeout and a size cap."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("https", "http"):
        raise ValueError(f"refusing JWKS URL scheme {scheme!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    # Scheme checked above, so urlopen cannot be turned into a file:// read.
    with urllib.request.urlopen(request, timeout=JWKS_FETCH_TIMEOUT) as response:  # noqa: S310
        if response.status != 200:
            raise ValueError(f"JWKS endpoint answered HTTP {response.status}")
        body = response.read(MAX_JWKS_BYTES + 1)
    if len(body) > MAX_JWKS_BYTES:
        raise ValueError("JWKS document too large")
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError("JWKS document is not a JSON object")
    return document


def _b64url_decode(segment: str) -> bytes:
    """Decode one canonical unpadded base64url segment already matched by _COMPACT_JWS."""
    remainder = len(segment) % 4
    if remainder == 1:
        raise MalformedTokenError("invalid base64url length")
    if remainder and segment[-1] not in _CANONICAL_LAST_CHAR[remainder]:
        raise MalformedTokenError("base64url is not canonical")
    # binascii on translated bytes is about twice as fast as base64.urlsafe_b64decode.
    standard = segment.encode("ascii").translate(_TO_STANDARD_BASE64)
    return binascii.a2b_base64(standard + b"=" * (-remainder % 4))


def _b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url text."""
    encoded = binascii.b2a_base64(data, newline=False).rstrip(b"=")
    return encoded.translate(_TO_URLSAFE_BASE64).decode("ascii")


def _reject_constant(name: str) -> Any:
    """Refuse the non-standard JSON constants NaN, Infinity and -Infinity."""
    raise MalformedTokenError(f"non-standard JSON constant {name}")


# One decoder for all calls: json.loads with keyword arguments builds a new one every time.
_JSON_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _parse_json_object(data: bytes, part: str) -> dict[str, Any]:
    """Parse a token part as a JSON object."""
    try:
        value = _JSON_DECODER.decode(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, bad UTF-8 and over-long integers.
        raise MalformedTokenError(f"{part} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise MalformedTokenError(f"{part} is not a JSON object")
    return value


def _numeric_claim(claims: Mapping[str, Any], name: str) -> float | None:
    """Return a numeric date claim, None if absent; reject bools, strings and non-finite."""
    value = claims.get(name)
    if value is None and name not in claims:
        return None
    if type(value) not in _NUMBER_TYPES or not math.isfinite(value):
        raise InvalidClaimError(f"{name} is not a finite number")
    return value


def _safe_repr(value: Any) -> str:
    """Render an untrusted header or claim value for a log line."""
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _build_key(entry: Any) -> tuple[str | None, Any, str | None]:
    """Turn one JWKS entry into (kid, key object, None) or (kid, None, reason unusable)."""
    if not isinstance(entry, dict):
        return None, None, "not an object"
    kid = entry.get("kid")
    if not isinstance(kid, str) or not kid:
        return None, None, "no kid"
    if entry.get("kty") != "RSA":
        return kid, None, "kty is not RSA"
    if "use" in entry and entry["use"] != "sig":
        return kid, None, "use is not sig"
    if "alg" in entry and entry["alg"] != ALGORITHM:
        return kid, None, "alg is not RS256"
    n, e = entry.get("n"), entry.get("e")
    if not isinstance(n, str) or not isinstance(e, str):
        return kid, None, "n or e missing"
    try:
        modulus = int.from_bytes(_b64url_decode(n), "big")
        if modulus.bit_length() < MIN_RSA_BITS:
            return kid, None, "RSA modulus too short"
        # Only the public members: a JWKS leaking "d" must not give us a private key.
        key = jwk.construct({"kty": "RSA", "n": n, "e": e}, ALGORITHM).prepared_key
    except (JOSEError, TokenError, ValueError, TypeError, binascii.Error) as exc:
        return kid, None, f"unparseable RSA key ({type(exc).__name__})"
    return kid, key, None


class _KeySet:
    """Immutable snapshot of usable keys and unusable kids from one JWKS fetch."""

    __slots__ = ("keys", "unusable")

    def __init__(self, keys: dict[str, Any], unusable: dict[str, str]) -> None:
        self.keys = keys
        self.unusable = unusable


_EMPTY_KEYSET = _KeySet({}, {})


class CognitoTokenVerifier:
    """Verify ID and access tokens of one Cognito user pool for a set of app clients."""

    def __init__(
        self,
        *,
        region: str,
        user_pool_id: str,
        client_ids: Sequence[str],
        jwks_url: str | None = None,
        leeway: int = 5,
        required_groups: Sequence[str] = (),
        fetch_jwks: Callable[[str], dict] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Configure the verifier; nothing is fetched until the first verification."""
        if not region or not user_pool_id:
            raise ValueError("region and user_pool_id are required")
        if isinstance(client_ids, str):
            raise TypeError("client_ids must be a sequence of strings, not a string")
        self.client_ids = frozenset(client_ids)
        if not self.client_ids or not all(isinstance(c, str) and c for c in self.client_ids):
            raise ValueError("client_ids must be non-empty strings")
        if isinstance(required_groups, str):
            raise TypeError("required_groups must be a sequence of strings, not a string")
        if leeway < 0:
            raise ValueError("leeway must not be negative")
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.jwks_url = jwks_url or f"{self.issuer}/.well-known/jwks.json"
        self.leeway = leeway
        self.required_groups = frozenset(required_groups)
        self._fetch = fetch_jwks or fetch_jwks_url
        self._clock = clock
        self._keyset = _EMPTY_KEYSET
        self._lock = threading.Lock()
        self._last_fetch_at: float | None = None
        self._last_fetch_failed = False
        self._header_kids: dict[str, str] = {}

    def verify_id_token(self, token: str, *, access_token: str | None = None) -> dict[str, Any]:
        """Verify an ID token and return its claims; bind it to access_token if given."""
        return self._verify(token, "id", access_token)

    def verify_access_token(self, token: str) -> dict[str, Any]:
        """Verify an access token and return its claims."""
        return self._verify(token, "access", None)

    @property
    def has_keys(self) -> bool:
        """Tell whether usable signing keys are cached (tokens can be verified without a fetch)."""
        return bool(self._keyset.keys)

    def preload(self) -> None:
        """Fetch the JWKS now (e.g. at startup), ignoring the refetch interval."""
        with self._lock:
            self._refresh()
            if self._last_fetch_failed:
                raise JwksUnavailableError("could not fetch the JWKS")

    def _verify(self, token: Any, expected_use: str, access_token: str | None) -> dict[str, Any]:
        """Run all checks, logging each rejection without the token."""
        context: dict[str, Any] = {}
        try:
            return self._check(token, expected_use, access_token, context)
        except TokenError as exc:
            self._log_rejection(exc, expected_use, context)
            raise
        except Exception as exc:
            # Whatever slipped past the targeted handlers is still a bad token, never a 500.
            error = MalformedTokenError(f"token could not be decoded ({type(exc).__name__})")
            self._log_rejection(error, expected_use, context)
            raise error from exc

    def _check(
        self, token: Any, expected_use: str, access_token: str | None, context: dict[str, Any]
    ) -> dict[str, Any]:
        """Verify structure, header, key, signature and claims, in that order."""
        if not isinstance(token, str | bytes) or not token:
            raise MalformedTokenError("token is empty or not a string")
        if len(token) > MAX_TOKEN_LENGTH:
            raise TokenTooLargeError("token is too large")
        if isinstance(token, bytes):
            token = token.decode("ascii", errors="replace")
        match = _COMPACT_JWS.fullmatch(token)
        if match is None:
            raise MalformedTokenError("token is not a three-part compact JWS")
        header_b64, payload_b64, signature_b64 = match.groups()

        # Cognito reuses one header per kid, so a header that already passed is not re-parsed.
        kid = self._header_kids.get(header_b64)
        new_header = kid is None
        if new_header:
            kid = self._parse_header(header_b64, context)
        context["kid"] = kid

        key = self._key_for(kid)
        signature = _b64url_decode(signature_b64)
        signing_input = token[: match.end(2)].encode("ascii")
        try:
            key.verify(signature, signing_input, _PKCS1V15, _SHA256)
        except Exception:
            # InvalidSignature, or a signature of the wrong length for the key.
            raise BadSignatureError("signature does not verify") from None
        if new_header and len(self._header_kids) < HEADER_CACHE_SIZE:
            self._header_kids[header_b64] = kid

        claims = _parse_json_object(_b64url_decode(payload_b64), "payload")
        context["iss"] = claims.get("iss")
        self._check_claims(claims, expected_use, access_token)
        return claims

    @staticmethod
    def _parse_header(header_b64: str, context: dict[str, Any]) -> str:
        """Parse and vet the JOSE header; return its kid."""
        header = _parse_json_object(_b64url_decode(header_b64), "header")
        kid = header.get("kid")
        context["kid"] = kid
        if header.get("alg") != ALGORITHM:
            raise UnsupportedAlgorithmError("alg is not RS256")
        if not isinstance(kid, str) or not kid:
            raise MalformedTokenError("header has no kid")
        if "crit" in header:
            raise MalformedTokenError("header has crit extensions we do not understand")
        return kid

    def _check_claims(
        self, claims: dict[str, Any], expected_use: str, access_token: str | None
    ) -> None:
        """Check the signed claims against this pool, client ids, time and groups."""
        if claims.get("iss") != self.issuer:
            raise WrongIssuerError("issuer does not match the user pool")

        now = self._clock()
        exp = _numeric_claim(claims, "exp")
        if exp is None:
            raise MissingClaimError("exp is missing")
        nbf = _numeric_claim(claims, "nbf")
        iat = _numeric_claim(claims, "iat")
        if now > exp + self.leeway:
            raise ExpiredTokenError("token has expired")
        if nbf is not None and nbf - self.leeway > now:
            raise NotYetValidError("token is not valid yet (nbf)")
        if iat is not None and iat - self.leeway > now:
            raise NotYetValidError("token is issued in the future (iat)")

        if claims.get("token_use") != expected_use:
            raise WrongTokenUseError(f"token_use is not {expected_use!r}")
        sub = claims.get("sub")
        if sub is None:
            raise MissingClaimError("sub is missing")
        if not isinstance(sub, str) or not sub:
            raise InvalidClaimError("sub is not a non-empty string")

        if expected_use == "id":
            aud = claims.get("aud")
            if not isinstance(aud, str) or aud not in self.client_ids:
                raise WrongAudienceError("aud is not one of our app clients")
            if access_token is not None:
                self._check_at_hash(claims, access_token)
        else:
            client_id = claims.get("client_id")
            if not isinstance(client_id, str) or client_id not in self.client_ids:
                raise WrongClientError("client_id is not one of our app clients")

        groups = claims.get("cognito:groups")
        if groups is not None and not (
            isinstance(groups, list) and all(isinstance(g, str) for g in groups)
        ):
            raise InvalidClaimError("cognito:groups is not a list of strings")
        if self.required_groups and self.required_groups.isdisjoint(groups or ()):
            raise MissingGroupError("user is in none of the required groups")

    @staticmethod
    def _check_at_hash(claims: Mapping[str, Any], access_token: str) -> None:
        """Require at_hash to be the left half of SHA-256 of the access token."""
        at_hash = claims.get("at_hash")
        if not isinstance(at_hash, str) or not isinstance(access_token, str):
            raise AtHashMismatchError("at_hash is missing or access_token is not a string")
        digest = hashlib.sha256(access_token.encode("ascii", errors="replace")).digest()
        expected = _b64url_encode(digest[: len(digest) // 2])
        if not hmac.compare_digest(at_hash.encode("ascii", "replace"), expected.encode("ascii")):
            raise AtHashMismatchError("at_hash does not match the access token")

    def _key_for(self, kid: str) -> Any:
        """Return the cached key for kid, refetching the JWKS at most once per interval."""
        key = self._keyset.keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            keyset = self._keyset
            if kid not in keyset.keys and kid not in keyset.unusable and self._may_refetch():
                self._refresh()
                keyset = self._keyset
            key = keyset.keys.get(kid)
            if key is not None:
                return key
            if kid in keyset.unusable:
                raise UnusableKeyError(f"JWK is unusable: {keyset.unusable[kid]}")
            if self._last_fetch_failed:
                raise JwksUnavailableError("kid unknown and the JWKS could not be fetched")
            raise UnknownKeyError("kid is not in the JWKS")

    def _may_refetch(self) -> bool:
        """Tell whether the refetch interval has passed since the last fetch attempt."""
        if self._last_fetch_at is None:
            return True
        return self._clock() - self._last_fetch_at >= JWKS_REFETCH_INTERVAL

    def _refresh(self) -> None:
        """Fetch and parse the JWKS; on failure keep the keys we already have. Needs the lock."""
        self._last_fetch_at = self._clock()
        try:
            document = self._fetch(self.jwks_url)
            entries = document["keys"] if isinstance(document, dict) else None
            if not isinstance(entries, list):
                raise ValueError("JWKS has no keys list")
        except Exception as exc:
            # Network errors, timeouts, HTTP errors, bad JSON: all mean "no fresh JWKS".
            self._last_fetch_failed = True
            logger.warning(
                "Cognito JWKS fetch failed: url=%s error=%s", self.jwks_url, type(exc).__name__
            )
            return

        keys: dict[str, Any] = {}
        unusable: dict[str, str] = {}
        for entry in entries:
            kid, key, reason = _build_key(entry)
            if kid is None:
                continue
            if kid in keys or kid in unusable:
                # The same kid twice is ambiguous: trust neither.
                keys.pop(kid, None)
                unusable[kid] = "kid appears more than once in the JWKS"
            elif key is None:
                unusable[kid] = reason or "unusable"
            else:
                keys[kid] = key
        # One assignment swaps the snapshot, so lock-free readers see old or new, never a mix.
        self._keyset = _KeySet(keys, unusable)
        self._last_fetch_failed = False
        logger.info(
            "Cognito JWKS loaded: url=%s usable_kids=%s unusable_kids=%s",
            self.jwks_url,
            sorted(keys),
            sorted(unusable),
        )

    def _log_rejection(
        self, error: TokenError, expected_use: str, context: Mapping[str, Any]
    ) -> None:
        """Log why a token was rejected, with kid and iss but never the token."""
        logger.info(
            "Rejected Cognito %s token: code=%s reason=%s kid=%s iss=%s",
            expected_use,
            error.code,
            error,
            _safe_repr(context.get("kid")),
            _safe_repr(context.get("iss")),
        )
