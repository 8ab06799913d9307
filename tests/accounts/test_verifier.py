"""Specification of accounts.verifier: one verifier per process, rebuilt when settings change."""

from __future__ import annotations

import pytest

from accounts.verifier import (
    VerifierNotConfigured,
    build_verifier,
    get_verifier,
    pool_region,
    reset_verifier,
)


@pytest.fixture
def configured(settings):
    settings.COGNITO_USER_POOL_ID = "eu-west-1_Abc"
    settings.COGNITO_APP_CLIENT_ID = "web"
    settings.COGNITO_API_CLIENT_IDS = ["mobile"]
    settings.COGNITO_JWKS_URL = ""
    settings.COGNITO_TOKEN_LEEWAY = 7
    return settings


def test_the_verifier_is_built_once(configured):
    assert get_verifier() is get_verifier()


def test_it_follows_the_settings(configured):
    verifier = get_verifier()
    assert verifier.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc"
    assert verifier.jwks_url == verifier.issuer + "/.well-known/jwks.json"
    assert verifier.client_ids == {"web", "mobile"}
    assert verifier.leeway == 7


def test_changing_a_setting_rebuilds_it(configured):
    first = get_verifier()
    configured.COGNITO_JWKS_URL = "http://127.0.0.1:4566/eu-west-1_Abc/.well-known/jwks.json"
    second = get_verifier()
    assert second is not first
    assert second.jwks_url == "http://127.0.0.1:4566/eu-west-1_Abc/.well-known/jwks.json"


def test_reset_forgets_it(configured):
    first = get_verifier()
    reset_verifier()
    assert get_verifier() is not first


def test_the_region_comes_from_the_pool_id(settings):
    settings.AWS_REGION = "us-east-1"
    assert pool_region(user_pool_id="ap-southeast-2_XyZ") == "ap-southeast-2"
    assert pool_region(user_pool_id="nounderscore") == "us-east-1"


def test_missing_configuration_is_an_error(settings):
    settings.COGNITO_USER_POOL_ID = ""
    with pytest.raises(VerifierNotConfigured):
        build_verifier()
