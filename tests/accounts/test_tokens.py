"""Specification of accounts.tokens: which Cognito tokens pass, which fail, and with what code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import random
import socket
import threading
import time
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from accounts.tokens import (
    JWKS_REFETCH_INTERVAL,
    MAX_TOKEN_LENGTH,
    CognitoTokenVerifier,
    TokenError,
    fetch_jwks_url,
)
from tests.loopback_http import QuietHandler, serving

REGION = "eu-west-1"
POOL_ID = "eu-west-1_AbCdEf123"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}"
CLIENT_ID = "4kq1c2ge8b6v0n5l9dm3jfnqat"
OTHER_CLIENT_ID = "7p2b0rl5m4e1ijfd8s6hvaoq3c"
KID = "kid-main"
T0 = 1_750_000_000.0
B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# --- helpers -------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_part(part: dict[str, Any] | list[Any] | bytes) -> str:
    """Encode a header or payload given as JSON-able value or raw bytes."""
    raw = part if isinstance(part, bytes) else json.dumps(part, separators=(",", ":")).encode()
    return b64url(raw)


def sign_rs(
    key: rsa.RSAPrivateKey,
    payload: dict[str, Any] | list[Any] | bytes,
    header: dict[str, Any] | bytes | None = None,
    hash_alg: hashes.HashAlgorithm | None = None,
) -> str:
    """Sign like Cognito does (RSA PKCS#1 v1.5), with any header and payload we like."""
    header = {"kid": KID, "alg": "RS256"} if header is None else header
    signing_input = f"{encode_part(header)}.{encode_part(payload)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hash_alg or hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def public_jwk(key: rsa.RSAPrivateKey, kid: str = KID, **overrides: Any) -> dict[str, Any]:
    """Describe the public half of key as a Cognito-style JWK."""
    numbers = key.public_key().public_numbers()

    def as_b64(value: int) -> str:
        return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    jwk = {"alg": "RS256", "e": as_b64(numbers.e), "kid": kid, "kty": "RSA"}
    jwk |= {"n": as_b64(numbers.n), "use": "sig"}
    jwk.update(overrides)
    return {k: v for k, v in jwk.items() if v is not None}


def id_claims(**overrides: Any) -> dict[str, Any]:
    """Return the claims of a fresh, valid Cognito ID token, with overrides (None drops)."""
    claims = {
        "sub": "6f1c0e4a-8a55-4c8f-9a43-2c1b0b3e9d10",
        "cognito:groups": ["photographers"],
        "email_verified": True,
        "iss": ISSUER,
        "cognito:username": "alice",
        "origin_jti": "0d1e7f64-1c6b-4d3a-b2d4-5b7e0f0c9a11",
        "aud": CLIENT_ID,
        "event_id": "5a9f1c33-3c1a-4c8e-9f1e-2e8d7b6a5c40",
        "token_use": "id",
        "auth_time": int(T0),
        "exp": int(T0) + 3600,
        "iat": int(T0),
        "jti": "e3b0c442-98fc-4c14-9afb-f4c8996fb924",
        "email": "alice@example.com",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def access_claims(**overrides: Any) -> dict[str, Any]:
    """Return the claims of a fresh, valid Cognito access token, with overrides (None drops)."""
    claims = {
        "sub": "6f1c0e4a-8a55-4c8f-9a43-2c1b0b3e9d10",
        "cognito:groups": ["photographers"],
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "origin_jti": "0d1e7f64-1c6b-4d3a-b2d4-5b7e0f0c9a11",
        "event_id": "5a9f1c33-3c1a-4c8e-9f1e-2e8d7b6a5c40",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": int(T0),
        "exp": int(T0) + 3600,
        "iat": int(T0),
        "jti": "a1f0c442-98fc-4c14-9afb-f4c8996fb925",
        "username": "alice",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def error_code(verify: Any, token: Any, **kwargs: Any) -> str:
    """Verify token, which must fail with a TokenError, and return the error code."""
    with pytest.raises(TokenError) as caught:
        verify(token, **kwargs)
    return caught.value.code


def replace_part(token: str, index: int, new: str) -> str:
    """Swap one dot-separated part of a token."""
    parts = token.split(".")
    parts[index] = new
    return ".".join(parts)


class FakeClock:
    """A settable clock standing in for time.time."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeJwksEndpoint:
    """A fetch_jwks stand-in: serves a JWKS, counts fetches, can go down or serve garbage."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.document: Any = {"keys": keys}
        self.down = False
        self.fetches = 0
        self.urls: list[str] = []

    def __call__(self, url: str) -> Any:
        self.fetches += 1
        self.urls.append(url)
        if self.down:
            raise urllib.error.URLError("connection refused")
        return self.document


def make_verifier(
    fetch_jwks: Any, clock: FakeClock | None = None, **overrides: Any
) -> CognitoTokenVerifier:
    """Build a verifier for our pool and client, fed by fetch_jwks."""
    settings = {"region": REGION, "user_pool_id": POOL_ID, "client_ids": [CLIENT_ID]}
    settings |= overrides
    return CognitoTokenVerifier(fetch_jwks=fetch_jwks, clock=clock or FakeClock(), **settings)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def endpoint(signing_key: rsa.RSAPrivateKey) -> FakeJwksEndpoint:
    return FakeJwksEndpoint([public_jwk(signing_key)])


@pytest.fixture
def verifier(endpoint: FakeJwksEndpoint, clock: FakeClock) -> CognitoTokenVerifier:
    return make_verifier(endpoint, clock)


@pytest.fixture
def id_token(signing_key: rsa.RSAPrivateKey) -> str:
    return sign_rs(signing_key, id_claims())


@pytest.fixture
def access_token(signing_key: rsa.RSAPrivateKey) -> str:
    return sign_rs(signing_key, access_claims())


# --- accepted tokens -----------------------------------------------------------------------


def test_valid_id_token_is_accepted_and_its_claims_returned(verifier, id_token):
    claims = verifier.verify_id_token(id_token)

    assert claims == id_claims()


def test_valid_access_token_is_accepted_and_its_claims_returned(verifier, access_token):
    claims = verifier.verify_access_token(access_token)

    assert claims == access_claims()


def test_token_given_as_bytes_is_accepted(verifier, id_token):
    assert verifier.verify_id_token(id_token.encode())["sub"] == id_claims()["sub"]


def test_any_configured_app_client_is_accepted(endpoint, clock, signing_key):
    verifier = make_verifier(endpoint, clock, client_ids=[OTHER_CLIENT_ID, CLIENT_ID])

    assert verifier.verify_id_token(sign_rs(signing_key, id_claims()))
    assert verifier.verify_access_token(sign_rs(signing_key, access_claims()))


def test_token_expired_within_the_leeway_is_accepted(verifier, signing_key, clock):
    token = sign_rs(signing_key, id_claims(exp=int(T0) + 60))
    clock.now = T0 + 60 + 5

    assert verifier.verify_id_token(token)


def test_token_whose_nbf_is_within_the_leeway_is_accepted(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(nbf=int(T0) + 5))

    assert verifier.verify_id_token(token)


def test_jwk_without_the_optional_use_and_alg_is_accepted(signing_key, clock):
    endpoint = FakeJwksEndpoint([public_jwk(signing_key, use=None, alg=None)])
    verifier = make_verifier(endpoint, clock)

    assert verifier.verify_id_token(sign_rs(signing_key, id_claims()))


def test_member_of_one_required_group_is_accepted(endpoint, clock, signing_key):
    verifier = make_verifier(endpoint, clock, required_groups=["admins", "photographers"])

    assert verifier.verify_access_token(sign_rs(signing_key, access_claims()))


def test_id_token_at_hash_is_ignored_unless_an_access_token_is_given(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(at_hash="not-checked"))

    assert verifier.verify_id_token(token)


def test_id_token_bound_to_its_access_token_by_at_hash_is_accepted(verifier, signing_key):
    access = sign_rs(signing_key, access_claims())
    at_hash = b64url(hashlib.sha256(access.encode()).digest()[:16])
    token = sign_rs(signing_key, id_claims(at_hash=at_hash))

    assert verifier.verify_id_token(token, access_token=access)


# --- rejected tokens: structure ------------------------------------------------------------


def test_empty_string_is_malformed(verifier):
    assert error_code(verifier.verify_id_token, "") == "malformed"


@pytest.mark.parametrize("not_a_token", [None, 42, ["a.b.c"], {"token": "a.b.c"}])
def test_non_string_is_malformed(verifier, not_a_token):
    assert error_code(verifier.verify_id_token, not_a_token) == "malformed"


def test_two_part_token_is_malformed(verifier, id_token):
    assert error_code(verifier.verify_id_token, id_token.rsplit(".", 1)[0]) == "malformed"


def test_four_part_token_is_malformed(verifier, id_token):
    assert error_code(verifier.verify_id_token, id_token + ".e30") == "malformed"


def test_jwe_shaped_five_part_token_is_malformed(verifier, id_token):
    assert error_code(verifier.verify_id_token, id_token + ".e30.e30") == "malformed"


def test_token_with_surrounding_whitespace_is_malformed(verifier, id_token):
    assert error_code(verifier.verify_id_token, f" {id_token}\n") == "malformed"


def test_oversized_token_is_rejected_before_decoding(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(padding="x" * MAX_TOKEN_LENGTH))

    assert error_code(verifier.verify_id_token, token) == "too_large"


def test_characters_outside_base64url_are_malformed(verifier, id_token):
    header, payload, signature = id_token.split(".")

    assert error_code(verifier.verify_id_token, f"{header}.{payload[:-1]}+.{signature}") == (
        "malformed"
    )


def test_padded_base64_is_malformed(verifier, id_token):
    header, payload, signature = id_token.split(".")

    assert error_code(verifier.verify_id_token, f"{header}==.{payload}.{signature}") == (
        "malformed"
    )


def test_base64_of_impossible_length_is_malformed(verifier, id_token):
    header, payload, signature = id_token.split(".")
    bad_length = signature + "A" * (5 - len(signature) % 4)

    assert len(bad_length) % 4 == 1
    assert error_code(verifier.verify_id_token, f"{header}.{payload}.{bad_length}") == ("malformed")


def test_non_canonical_base64_signature_is_malformed(verifier, id_token):
    # 256 signature bytes leave 4 unused bits in the last character; setting one keeps the
    # decoded bytes identical, so only a strict decoder notices.
    header, payload, signature = id_token.split(".")
    assert len(signature) % 4 == 2
    last = B64URL_ALPHABET.index(signature[-1])
    sloppy = signature[:-1] + B64URL_ALPHABET[last | 1]

    assert error_code(verifier.verify_id_token, f"{header}.{payload}.{sloppy}") == "malformed"


def test_header_that_is_not_json_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), header=b"{kid: main, alg: RS256}")

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_header_that_is_a_json_array_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), header=b'["RS256"]')

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_signed_payload_that_is_a_json_array_is_malformed(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, [id_claims()])) == "malformed"


def test_signed_payload_that_is_a_json_number_is_malformed(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, b"1750000000")) == (
        "malformed"
    )


def test_signed_payload_that_is_not_json_is_malformed(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, b"sub=alice")) == ("malformed")


def test_signed_payload_that_is_not_utf8_is_malformed(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, b'{"sub":"\xff"}')) == (
        "malformed"
    )


def test_signed_payload_nested_too_deeply_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, b"[" * 5000 + b"]" * 5000)

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_signed_payload_with_an_absurdly_long_integer_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, b'{"exp":' + b"9" * 5000 + b"}")

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_signed_payload_using_nan_is_malformed(verifier, signing_key):
    payload = json.dumps(id_claims()).replace(f'"exp": {int(T0) + 3600}', '"exp": NaN')
    assert "NaN" in payload

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, payload.encode())) == (
        "malformed"
    )


def test_header_with_crit_extensions_is_malformed(verifier, signing_key):
    header = {"kid": KID, "alg": "RS256", "crit": ["exp"], "exp": 1}

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(), header)) == (
        "malformed"
    )


# --- rejected tokens: algorithm, key and signature -----------------------------------------


def test_tampered_signature_is_rejected(verifier, id_token):
    header, payload, signature = id_token.split(".")
    flipped = ("B" if signature[5] == "A" else "A").join((signature[:5], signature[6:]))

    assert error_code(verifier.verify_id_token, f"{header}.{payload}.{flipped}") == (
        "bad_signature"
    )


def test_tampered_payload_is_rejected(verifier, id_token, signing_key):
    forged_payload = encode_part(id_claims(sub="someone-else"))

    assert error_code(verifier.verify_id_token, replace_part(id_token, 1, forged_payload)) == (
        "bad_signature"
    )


def test_truncated_signature_is_rejected(verifier, id_token):
    header, payload, signature = id_token.split(".")

    assert error_code(verifier.verify_id_token, f"{header}.{payload}.{signature[:40]}") == (
        "bad_signature"
    )


def test_token_signed_by_another_key_under_our_kid_is_rejected(verifier, other_key):
    assert error_code(verifier.verify_id_token, sign_rs(other_key, id_claims())) == (
        "bad_signature"
    )


def test_alg_none_with_a_signature_is_rejected(verifier, id_token):
    none_header = encode_part({"kid": KID, "alg": "none"})

    assert error_code(verifier.verify_id_token, replace_part(id_token, 0, none_header)) == (
        "unsupported_alg"
    )


def test_unsigned_alg_none_token_is_rejected(verifier):
    unsigned = f"{encode_part({'alg': 'none', 'kid': KID})}.{encode_part(id_claims())}."

    assert error_code(verifier.verify_id_token, unsigned) == "malformed"


def test_hs256_signed_with_the_public_key_pem_is_rejected(verifier, signing_key):
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{encode_part({'kid': KID, 'alg': 'HS256'})}.{encode_part(id_claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    assert error_code(verifier.verify_id_token, f"{signing_input}.{b64url(mac)}") == (
        "unsupported_alg"
    )


def test_rs512_token_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), {"kid": KID, "alg": "RS512"}, hashes.SHA512())

    assert error_code(verifier.verify_id_token, token) == "unsupported_alg"


def test_es256_token_is_rejected(verifier):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    signing_input = f"{encode_part({'kid': KID, 'alg': 'ES256'})}.{encode_part(id_claims())}"
    signature = ec_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))

    assert error_code(verifier.verify_id_token, f"{signing_input}.{b64url(signature)}") == (
        "unsupported_alg"
    )


def test_header_without_alg_is_rejected(verifier, signing_key):
    assert error_code(
        verifier.verify_id_token, sign_rs(signing_key, id_claims(), {"kid": KID})
    ) == ("unsupported_alg")


def test_alg_given_as_a_list_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), {"kid": KID, "alg": ["RS256"]})

    assert error_code(verifier.verify_id_token, token) == "unsupported_alg"


def test_header_without_kid_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), {"alg": "RS256"})

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_kid_that_is_not_a_string_is_malformed(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(), {"alg": "RS256", "kid": ["kid-main"]})

    assert error_code(verifier.verify_id_token, token) == "malformed"


def test_unknown_kid_is_rejected(verifier, signing_key, id_token):
    verifier.verify_id_token(id_token)
    token = sign_rs(signing_key, id_claims(), {"kid": "kid-nobody-published", "alg": "RS256"})

    assert error_code(verifier.verify_id_token, token) == "unknown_key"


def test_kid_of_an_encryption_key_is_rejected(signing_key, clock):
    endpoint = FakeJwksEndpoint([public_jwk(signing_key, use="enc")])
    verifier = make_verifier(endpoint, clock)

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims())) == (
        "unusable_key"
    )


def test_kid_of_a_jwk_declaring_another_alg_is_rejected(signing_key, clock):
    endpoint = FakeJwksEndpoint([public_jwk(signing_key, alg="RS512")])
    verifier = make_verifier(endpoint, clock)

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims())) == (
        "unusable_key"
    )


def test_kid_of_a_non_rsa_jwk_is_rejected(signing_key, clock):
    endpoint = FakeJwksEndpoint([{"kid": KID, "kty": "oct", "k": b64url(b"secret"), "use": "sig"}])
    verifier = make_verifier(endpoint, clock)

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims())) == (
        "unusable_key"
    )


def test_kid_of_a_short_rsa_key_is_rejected(clock):
    weak_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    endpoint = FakeJwksEndpoint([public_jwk(weak_key)])
    verifier = make_verifier(endpoint, clock)

    assert error_code(verifier.verify_id_token, sign_rs(weak_key, id_claims())) == ("unusable_key")


def test_kid_published_twice_is_rejected(signing_key, other_key, clock):
    endpoint = FakeJwksEndpoint([public_jwk(other_key), public_jwk(signing_key)])
    verifier = make_verifier(endpoint, clock)

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims())) == (
        "unusable_key"
    )


# --- rejected tokens: claims ---------------------------------------------------------------


def test_wrong_issuer_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(iss=ISSUER.replace("AbCdEf123", "Attacker99")))

    assert error_code(verifier.verify_id_token, token) == "wrong_issuer"


def test_issuer_with_a_trailing_slash_is_rejected(verifier, signing_key):
    assert error_code(
        verifier.verify_id_token, sign_rs(signing_key, id_claims(iss=ISSUER + "/"))
    ) == ("wrong_issuer")


def test_missing_issuer_is_rejected(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(iss=None))) == (
        "wrong_issuer"
    )


def test_id_token_for_another_app_client_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(aud=OTHER_CLIENT_ID))

    assert error_code(verifier.verify_id_token, token) == "wrong_audience"


def test_id_token_without_aud_is_rejected(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(aud=None))) == (
        "wrong_audience"
    )


def test_id_token_with_aud_as_a_list_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(aud=[CLIENT_ID]))

    assert error_code(verifier.verify_id_token, token) == "wrong_audience"


def test_access_token_used_as_an_id_token_is_rejected(verifier, signing_key):
    # Even with an aud that would pass: token_use decides.
    token = sign_rs(signing_key, access_claims(aud=CLIENT_ID))

    assert error_code(verifier.verify_id_token, token) == "wrong_token_use"


def test_id_token_used_as_an_access_token_is_rejected(verifier, id_token):
    assert error_code(verifier.verify_access_token, id_token) == "wrong_token_use"


def test_token_without_token_use_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, access_claims(token_use=None))

    assert error_code(verifier.verify_access_token, token) == "wrong_token_use"


def test_access_token_of_another_app_client_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, access_claims(client_id=OTHER_CLIENT_ID))

    assert error_code(verifier.verify_access_token, token) == "wrong_client"


def test_access_token_without_client_id_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, access_claims(client_id=None, aud=CLIENT_ID))

    assert error_code(verifier.verify_access_token, token) == "wrong_client"


def test_expired_token_is_rejected(verifier, signing_key, clock):
    token = sign_rs(signing_key, access_claims(exp=int(T0) + 60))
    clock.now = T0 + 60 + 5 + 1

    assert error_code(verifier.verify_access_token, token) == "expired"


def test_token_before_its_nbf_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(nbf=int(T0) + 60))

    assert error_code(verifier.verify_id_token, token) == "not_yet_valid"


def test_token_issued_in_the_future_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(iat=int(T0) + 60))

    assert error_code(verifier.verify_id_token, token) == "not_yet_valid"


def test_token_without_exp_is_rejected(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(exp=None))) == (
        "missing_claim"
    )


@pytest.mark.parametrize(
    "bad_exp", [str(int(T0) + 3600), True, [int(T0) + 3600], {"$date": 1}], ids=repr
)
def test_exp_that_is_not_a_number_is_rejected(verifier, signing_key, bad_exp):
    token = sign_rs(signing_key, id_claims(exp=bad_exp))

    assert error_code(verifier.verify_id_token, token) == "invalid_claim"


def test_exp_null_is_rejected(verifier, signing_key):
    payload = json.dumps(id_claims(exp="PLACEHOLDER")).replace('"PLACEHOLDER"', "null")

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, payload.encode())) == (
        "invalid_claim"
    )


def test_exp_overflowing_to_infinity_is_rejected(verifier, signing_key):
    payload = json.dumps(id_claims(exp="PLACEHOLDER")).replace('"PLACEHOLDER"', "1e400")

    assert error_code(verifier.verify_id_token, sign_rs(signing_key, payload.encode())) == (
        "invalid_claim"
    )


def test_nbf_that_is_not_a_number_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, id_claims(nbf="yesterday"))

    assert error_code(verifier.verify_id_token, token) == "invalid_claim"


def test_token_without_sub_is_rejected(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(sub=None))) == (
        "missing_claim"
    )


def test_sub_that_is_not_a_string_is_rejected(verifier, signing_key):
    assert error_code(verifier.verify_id_token, sign_rs(signing_key, id_claims(sub=7))) == (
        "invalid_claim"
    )


def test_cognito_groups_that_is_not_a_list_of_strings_is_rejected(verifier, signing_key):
    token = sign_rs(signing_key, access_claims(**{"cognito:groups": "admins"}))

    assert error_code(verifier.verify_access_token, token) == "invalid_claim"


def test_user_outside_the_required_groups_is_rejected(endpoint, clock, signing_key):
    verifier = make_verifier(endpoint, clock, required_groups=["admins"])

    assert error_code(verifier.verify_access_token, sign_rs(signing_key, access_claims())) == (
        "missing_group"
    )
    no_groups = sign_rs(signing_key, access_claims(**{"cognito:groups": None}))
    assert error_code(verifier.verify_access_token, no_groups) == "missing_group"


def test_id_token_whose_at_hash_does_not_match_the_access_token_is_rejected(verifier, signing_key):
    access = sign_rs(signing_key, access_claims())
    token = sign_rs(signing_key, id_claims(at_hash=b64url(b"0123456789abcdef")))

    assert error_code(verifier.verify_id_token, token, access_token=access) == "wrong_at_hash"


def test_id_token_without_at_hash_cannot_be_bound_to_an_access_token(verifier, id_token):
    access = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"

    assert error_code(verifier.verify_id_token, id_token, access_token=access) == ("wrong_at_hash")


def test_no_mangled_token_raises_anything_but_token_error(verifier, id_token):
    rng = random.Random(20240601)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \x00é"
    verifier.verify_id_token(id_token)
    for _ in range(3000):
        chars = list(id_token)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.choice(("replace", "delete", "insert"))
            if action == "replace":
                chars[position] = rng.choice(alphabet)
            elif action == "delete":
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        mangled = "".join(chars)
        if mangled == id_token:
            continue
        with pytest.raises(TokenError):
            verifier.verify_id_token(mangled)


def test_rejections_are_logged_with_code_and_kid_but_never_the_token(verifier, signing_key, caplog):
    token = sign_rs(signing_key, id_claims(aud=OTHER_CLIENT_ID))
    caplog.set_level(logging.INFO, logger="accounts.tokens")

    error_code(verifier.verify_id_token, token)

    messages = [record.getMessage() for record in caplog.records]
    rejection = next(m for m in messages if "Rejected" in m)
    assert "code=wrong_audience" in rejection
    assert KID in rejection
    assert ISSUER in rejection
    for part in token.split("."):
        assert not any(part in message for message in messages)


# --- JWKS cache ----------------------------------------------------------------------------


def test_nothing_is_fetched_until_the_first_verification(endpoint, verifier, id_token):
    assert endpoint.fetches == 0

    verifier.verify_id_token(id_token)

    assert endpoint.fetches == 1


def test_default_jwks_url_is_the_pools_well_known_document(endpoint, verifier, id_token):
    verifier.verify_id_token(id_token)

    assert endpoint.urls == [f"{ISSUER}/.well-known/jwks.json"]
    assert verifier.issuer == ISSUER


def test_jwks_url_override_changes_where_keys_come_from_but_not_the_issuer(
    endpoint, clock, id_token
):
    verifier = make_verifier(
        endpoint, clock, jwks_url=f"http://127.0.0.1:4566/{POOL_ID}/.well-known/jwks.json"
    )

    assert verifier.verify_id_token(id_token)
    assert endpoint.urls == [f"http://127.0.0.1:4566/{POOL_ID}/.well-known/jwks.json"]
    assert verifier.issuer == ISSUER


def test_many_verifications_fetch_the_jwks_once(endpoint, verifier, id_token, access_token, clock):
    for _ in range(50):
        verifier.verify_id_token(id_token)
        verifier.verify_access_token(access_token)
        clock.advance(JWKS_REFETCH_INTERVAL)  # known kids never refetch, however long it runs

    assert endpoint.fetches == 1


def test_unknown_kid_refetches_at_most_once_per_interval(
    endpoint, verifier, id_token, signing_key, clock
):
    verifier.verify_id_token(id_token)
    stranger = sign_rs(signing_key, id_claims(), {"kid": "kid-unknown", "alg": "RS256"})

    for _ in range(5):
        assert error_code(verifier.verify_id_token, stranger) == "unknown_key"
    assert endpoint.fetches == 1

    clock.advance(JWKS_REFETCH_INTERVAL)
    for _ in range(5):
        assert error_code(verifier.verify_id_token, stranger) == "unknown_key"
    assert endpoint.fetches == 2

    clock.advance(JWKS_REFETCH_INTERVAL - 1)
    assert error_code(verifier.verify_id_token, stranger) == "unknown_key"
    assert endpoint.fetches == 2


def test_rotated_in_key_is_picked_up_on_refetch(endpoint, verifier, id_token, other_key, clock):
    verifier.verify_id_token(id_token)
    endpoint.document["keys"].append(public_jwk(other_key, kid="kid-next"))
    rotated = sign_rs(other_key, id_claims(), {"kid": "kid-next", "alg": "RS256"})

    clock.advance(JWKS_REFETCH_INTERVAL)

    assert verifier.verify_id_token(rotated)
    assert verifier.verify_id_token(id_token)
    assert endpoint.fetches == 2


def test_key_removed_from_the_jwks_stops_working_after_refetch(
    endpoint, verifier, id_token, other_key, clock
):
    verifier.verify_id_token(id_token)
    endpoint.document = {"keys": [public_jwk(other_key, kid="kid-next")]}
    clock.advance(JWKS_REFETCH_INTERVAL)
    verifier.verify_id_token(sign_rs(other_key, id_claims(), {"kid": "kid-next", "alg": "RS256"}))

    assert error_code(verifier.verify_id_token, id_token) == "unknown_key"


def test_endpoint_down_at_start_fails_cleanly_and_recovers(endpoint, verifier, id_token, clock):
    endpoint.down = True

    assert error_code(verifier.verify_id_token, id_token) == "jwks_unavailable"
    assert error_code(verifier.verify_id_token, id_token) == "jwks_unavailable"
    assert endpoint.fetches == 1

    endpoint.down = False
    clock.advance(JWKS_REFETCH_INTERVAL)

    assert verifier.verify_id_token(id_token)
    assert endpoint.fetches == 2


def test_endpoint_down_later_keeps_cached_keys_working(
    endpoint, verifier, id_token, access_token, signing_key, clock
):
    verifier.verify_id_token(id_token)
    endpoint.down = True
    clock.advance(JWKS_REFETCH_INTERVAL)
    stranger = sign_rs(signing_key, id_claims(), {"kid": "kid-unknown", "alg": "RS256"})

    assert error_code(verifier.verify_id_token, stranger) == "jwks_unavailable"
    assert verifier.verify_id_token(id_token)
    assert verifier.verify_access_token(access_token)
    assert endpoint.fetches == 2


@pytest.mark.parametrize(
    "garbage",
    [None, "<html>503</html>", [], {}, {"keys": "none"}, {"keys": None}, 42],
    ids=repr,
)
def test_endpoint_returning_garbage_fails_cleanly(endpoint, verifier, id_token, garbage):
    endpoint.document = garbage

    assert error_code(verifier.verify_id_token, id_token) == "jwks_unavailable"


def test_garbage_on_refetch_keeps_the_cached_keys(endpoint, verifier, id_token, clock):
    verifier.verify_id_token(id_token)
    endpoint.document = "<html>oops</html>"
    clock.advance(JWKS_REFETCH_INTERVAL)
    stranger_header = encode_part({"kid": "kid-unknown", "alg": "RS256"})

    assert error_code(verifier.verify_id_token, replace_part(id_token, 0, stranger_header)) == (
        "jwks_unavailable"
    )
    assert verifier.verify_id_token(id_token)


def test_junk_entries_in_the_jwks_do_not_spoil_the_good_ones(signing_key, clock, id_token):
    junk = [None, "key", [], {"kty": "RSA"}, {"kid": 5}, {"kid": "x", "kty": "RSA", "n": "!!"}]
    endpoint = FakeJwksEndpoint([*junk, public_jwk(signing_key)])
    verifier = make_verifier(endpoint, clock)

    assert verifier.verify_id_token(id_token)


def test_private_key_material_in_the_jwks_is_ignored(signing_key, clock, id_token):
    numbers = signing_key.private_numbers()
    leaky = public_jwk(signing_key, d=b64url(numbers.d.to_bytes(256, "big")))
    verifier = make_verifier(FakeJwksEndpoint([leaky]), clock)

    assert verifier.verify_id_token(id_token)
    assert not hasattr(verifier._keyset.keys[KID], "private_bytes")


def test_concurrent_first_verifications_share_one_fetch(signing_key, id_token, clock):
    endpoint = FakeJwksEndpoint([public_jwk(signing_key)])

    def slow_fetch(url: str) -> Any:
        time.sleep(0.05)
        return endpoint(url)

    verifier = make_verifier(slow_fetch, clock)
    results: list[Any] = []

    def worker() -> None:
        try:
            results.append(verifier.verify_id_token(id_token)["sub"])
        except Exception as exc:  # collected and asserted on below
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert results == [id_claims()["sub"]] * 8
    assert endpoint.fetches == 1


def test_preload_fetches_now_and_reports_an_outage(endpoint, verifier):
    verifier.preload()
    assert endpoint.fetches == 1

    endpoint.down = True
    with pytest.raises(TokenError) as caught:
        verifier.preload()
    assert caught.value.code == "jwks_unavailable"


# --- configuration -------------------------------------------------------------------------


def test_client_ids_must_not_be_a_bare_string():
    with pytest.raises(TypeError):
        CognitoTokenVerifier(region=REGION, user_pool_id=POOL_ID, client_ids=CLIENT_ID)


def test_client_ids_must_not_be_empty():
    with pytest.raises(ValueError):
        CognitoTokenVerifier(region=REGION, user_pool_id=POOL_ID, client_ids=[])


# --- default HTTP fetch ----------------------------------------------------------------------


@pytest.fixture
def jwks_http_server(signing_key: rsa.RSAPrivateKey) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Serve documents by path from a throw-away HTTP server on a free loopback port."""
    documents = {"/jwks.json": json.dumps({"keys": [public_jwk(signing_key)]}).encode()}

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"not found")

    with serving(Handler) as origin:
        yield origin, documents


def test_default_fetch_loads_the_jwks_over_http(jwks_http_server, id_token, clock):
    base_url, _ = jwks_http_server
    verifier = make_verifier(None, clock, jwks_url=f"{base_url}/jwks.json")

    assert verifier.verify_id_token(id_token)


def test_default_fetch_refuses_an_oversized_document(jwks_http_server):
    base_url, documents = jwks_http_server
    documents["/huge.json"] = b'{"keys": [' + b" " * (1024 * 1024) + b"]}"

    with pytest.raises(ValueError):
        fetch_jwks_url(f"{base_url}/huge.json")


def test_default_fetch_refuses_non_http_urls():
    with pytest.raises(ValueError):
        fetch_jwks_url("file:///etc/passwd")


def test_http_error_from_the_jwks_endpoint_fails_cleanly(jwks_http_server, id_token, clock):
    base_url, _ = jwks_http_server
    verifier = make_verifier(None, clock, jwks_url=f"{base_url}/missing.json")

    assert error_code(verifier.verify_id_token, id_token) == "jwks_unavailable"


def test_unreachable_jwks_endpoint_fails_cleanly(id_token, clock):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    verifier = make_verifier(None, clock, jwks_url=f"http://127.0.0.1:{closed_port}/jwks.json")

    assert error_code(verifier.verify_id_token, id_token) == "jwks_unavailable"


# --- real Cognito-shaped tokens from the local emulator ------------------------------------


@pytest.mark.aws
def test_tokens_issued_by_the_local_cognito_emulator_verify():
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        cognito = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        pool_id = cognito.create_user_pool(PoolName="photosite-tokens-test")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        password = "Correct-Horse-9-Battery"
        cognito.sign_up(ClientId=client_id, Username="alice", Password=password)
        cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="alice")
        cognito.create_group(UserPoolId=pool_id, GroupName="photographers")
        cognito.admin_add_user_to_group(
            UserPoolId=pool_id, Username="alice", GroupName="photographers"
        )
        result = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": password},
        )["AuthenticationResult"]

        verifier = CognitoTokenVerifier(
            region="us-east-1",
            user_pool_id=pool_id,
            client_ids=[client_id],
            jwks_url=f"{endpoint_url}/{pool_id}/.well-known/jwks.json",
            required_groups=["photographers"],
        )
        id_claims_ = verifier.verify_id_token(result["IdToken"])
        access_claims_ = verifier.verify_access_token(result["AccessToken"])

        assert id_claims_["cognito:username"] == "alice"
        assert id_claims_["aud"] == client_id
        assert access_claims_["client_id"] == client_id
        assert access_claims_["sub"] == id_claims_["sub"]
        assert error_code(verifier.verify_id_token, result["AccessToken"]) == "wrong_token_use"
        other_client = CognitoTokenVerifier(
            region="us-east-1",
            user_pool_id=pool_id,
            client_ids=[OTHER_CLIENT_ID],
            jwks_url=f"{endpoint_url}/{pool_id}/.well-known/jwks.json",
        )
        assert error_code(other_client.verify_access_token, result["AccessToken"]) == (
            "wrong_client"
        )
    finally:
        server.stop()
