"""The environment pip and uv run in: their own settings dropped, transport settings kept."""

from __future__ import annotations

import os

import pytest

from hybrid.install.pip_layer import PipInstaller
from hybrid.pypi.directrefs import pip_environment
from hybrid.pypi.model import IndexOptions
from hybrid.pypi.process import PIP_TRANSPORT_SETTINGS, clean_environment, without_settings


def test_without_settings_keeps_other_variables_and_the_kept_ones() -> None:
    env = {"PIP_INDEX_URL": "x", "PIP_CERT": "/ca.pem", "PATH": "/bin", "PIPX_HOME": "/p"}
    kept = without_settings(env, prefix="PIP_", keep=["PIP_CERT"])
    assert kept == {"PIP_CERT": "/ca.pem", "PATH": "/bin", "PIPX_HOME": "/p"}


def test_clean_environment_drops_the_deployment_target_and_adds_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UV_INDEX_URL", "https://elsewhere.example/simple")
    monkeypatch.setenv("UV_CACHE_DIR", "/cache")
    monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", "10.9")
    env = clean_environment(drop_prefix="UV_", keep=["UV_CACHE_DIR"], extra={"NO_COLOR": "1"})
    assert "UV_INDEX_URL" not in env and "MACOSX_DEPLOYMENT_TARGET" not in env
    assert env["UV_CACHE_DIR"] == "/cache" and env["NO_COLOR"] == "1"


def test_pip_resolves_and_installs_with_the_same_transport_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(key)
    for key in PIP_TRANSPORT_SETTINGS:
        monkeypatch.setenv(key, "kept")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "https://elsewhere.example/simple")
    monkeypatch.setenv("PIP_REQUIRE_VIRTUALENV", "1")
    for env in (pip_environment(IndexOptions()), PipInstaller().environment()):
        passed = {k for k, v in env.items() if k.startswith("PIP_") and v == "kept"}
        assert passed == set(PIP_TRANSPORT_SETTINGS)
        assert "PIP_EXTRA_INDEX_URL" not in env and "PIP_REQUIRE_VIRTUALENV" not in env
        assert env["PIP_CONFIG_FILE"] == os.devnull
