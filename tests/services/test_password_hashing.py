"""Argon2 parameters of stored passwords: the library defaults unless a test asks for the cheap
"fast" profile (the fixtures do, to keep the suite quick); never "fast" in production."""

from __future__ import annotations

import dataclasses

import argon2
import pytest
from sqlalchemy import select

from carbonpeak.services import users
from carbonpeak.settings import Settings, SettingsError
from carbonpeak.store.models import User

PW = "Anhua-peak-2031"


def _stored_parameters(platform, username: str) -> argon2.Parameters:
    with platform.sessions() as s:
        return argon2.extract_parameters(s.scalar(select(User.password_hash).where(User.username == username)))


def _with(platform, settings: Settings):
    return dataclasses.replace(platform, settings=settings)


def test_accounts_get_the_library_defaults_unless_told_otherwise(platform, tmp_path):
    default = _with(platform, Settings(database_url=platform.settings.database_url, home=tmp_path))
    users.create_user(default, "admin", PW, "admin", "test")
    assert _stored_parameters(default, "admin") == argon2.extract_parameters(argon2.PasswordHasher().hash("x"))
    assert _stored_parameters(default, "admin") == argon2.profiles.RFC_9106_LOW_MEMORY


def test_a_fast_hash_is_replaced_by_a_standard_one_at_sign_in(platform, tmp_path):
    assert platform.settings.password_hash_profile == "fast"  # the test fixtures' profile
    users.create_user(platform, "viewer", PW, "viewer", "test")
    assert _stored_parameters(platform, "viewer").memory_cost == 8
    default = _with(platform, Settings(database_url=platform.settings.database_url, home=tmp_path))
    assert users.authenticate(default, "viewer", PW, "127.0.0.1").username == "viewer"
    assert _stored_parameters(default, "viewer") == argon2.profiles.RFC_9106_LOW_MEMORY
    assert users.authenticate(platform, "viewer", PW, "127.0.0.1").username == "viewer"  # either verifies


def test_the_profile_comes_from_the_environment_and_never_fast_in_production(tmp_path):
    home = {"CARBONPEAK_HOME": str(tmp_path)}
    assert Settings.from_env(home).password_hash_profile == "standard"
    assert Settings.from_env({**home, "CARBONPEAK_PASSWORD_HASH_PROFILE": "fast"}).password_hash_profile == "fast"
    with pytest.raises(SettingsError, match="CARBONPEAK_PASSWORD_HASH_PROFILE"):
        Settings.from_env({**home, "CARBONPEAK_PASSWORD_HASH_PROFILE": "cheap"})
    with pytest.raises(SettingsError, match="tests only"):
        Settings.from_env({**home, "CARBONPEAK_PASSWORD_HASH_PROFILE": "fast", "CARBONPEAK_ENV": "production"})
    with pytest.raises(SettingsError, match="tests only"):
        Settings(database_url="sqlite://", home=tmp_path, env="production", password_hash_profile="fast")
