"""Issue acceptance, "complete lock": the pip layer next to real conda records (the snapshot
channel and mapping) keeps every dependency and every requested extra."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.version import Version

from tests.conftest import CliResult, RunCli, WriteSpec

pytestmark = [pytest.mark.network, pytest.mark.snapshot]

HEAD = "version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"


def _solve(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path,
    body: str,
) -> tuple[dict[str, str], CliResult]:
    """`hybrid solve` HEAD + body on the snapshot; the pins of requirements.txt."""
    spec = write_spec(HEAD + body)
    result = run_cli(
        "solve", spec, "--mirror", f"conda-forge={shared_channels / 'conda-forge'}",
        "--pypi-mapping", str(shared_mapping),
    )  # fmt: skip
    requirements = spec.parent / "requirements.txt"
    text = requirements.read_text(encoding="utf-8") if requirements.exists() else ""
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", text, re.M)), result


def test_a_name_vendored_by_a_conda_package_stays_in_the_pip_layer(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    # The mapping lists apipkg, iniconfig and py for conda's `py`; it installs only `py`.
    pins, result = _solve(
        run_cli, write_spec, shared_channels, shared_mapping,
        'python: "3.11"\nconda:\n  - py\npip:\n  - pytest\n',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pytest" in pins and "iniconfig" in pins


def test_vendored_names_never_hold_back_a_dependent(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    # Conda's gym 0.26.1 is listed with typing-extensions: a stub typing-extensions 0.26.1
    # made pydantic fall back to 1.7.4 (2020), the last release not asking for it.
    pins, result = _solve(
        run_cli, write_spec, shared_channels, shared_mapping,
        'python: "3.10"\nconda:\n  - gym\npip:\n  - pydantic\n',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert Version(pins["pydantic"]) >= Version("2")
    assert "typing-extensions" in pins


def test_an_extra_of_a_conda_package_is_added_to_the_pip_layer(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    # google-cloud-bigquery asks for google-api-core[grpc]; conda installs google-api-core
    # without grpcio, so the extra's requirements come from the index.
    pins, result = _solve(
        run_cli, write_spec, shared_channels, shared_mapping,
        'python: "3.13"\nconda:\n  - google-api-core\npip:\n  - google-cloud-bigquery\n',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "google-cloud-bigquery" in pins
    assert "grpcio" in pins and "grpcio-status" in pins
    assert "google-api-core" not in pins


def test_an_extra_conda_satisfies_takes_nothing_from_the_index(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    # google-api-core-grpc brings conda's grpcio and grpcio-status: the extra is satisfied.
    pins, result = _solve(
        run_cli, write_spec, shared_channels, shared_mapping,
        'python: "3.13"\nconda:\n  - google-api-core\n  - google-api-core-grpc\n'
        "pip:\n  - google-cloud-bigquery\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "google-cloud-bigquery" in pins
    assert not {"grpcio", "grpcio-status", "google-api-core"} & set(pins)
