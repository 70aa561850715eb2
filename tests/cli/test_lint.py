"""`hybrid lint`: each rule fires on a minimal example and stays quiet on clean files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hybrid.lint import RULES
from tests.conftest import CliResult, RunCli

CLEAN_ENV = """\
name: clean
channels:
  - pytorch
  - conda-forge
dependencies:
  - python=3.11
  - pytorch::pytorch=2.1
  - pytorch-cuda=12.1
  - numpy 1.26.*
  - pip
  - pip:
      - --extra-index-url https://download.pytorch.org/whl/cu121
      - transformers>=4.45
"""
CLEAN_REQUIREMENTS = "# comment\nrich>=13\nhttpx==0.27.0 ; python_version >= '3.9'\n"
CLEAN_LOCK = (
    "requests==2.31.0 \\\n"
    "    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f\n"
    "idna==3.6 --hash=sha256:c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f\n"
)
CLEAN_EXPLICIT = """\
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2#d7c89558ba9fa0495403155b64376d81
https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#a502d7aad449a1206efb366d6a12c52d
"""
CLEAN_SPEC = """\
version: 1
name: clean
channels: [pytorch, conda-forge]
cuda: "12.1"
conda:
  - pytorch::pytorch >=2.1
pip:
  - transformers >=4.45
"""

FINDING = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>H\d{3}) .+ \(fix: .+\)$"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def codes(result: CliResult) -> list[tuple[int, str]]:
    """(line, code) of every finding; every stdout line must be a well-formed finding."""
    out = []
    for line in result.stdout.splitlines():
        found = FINDING.match(line)
        assert found, line
        out.append((int(found["line"]), found["code"]))
    return out


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("environment.yml", CLEAN_ENV),
        ("environment.yml", CLEAN_ENV.replace("\n", "\r\n")),
        ("environment.yml", CLEAN_ENV.rstrip("\n")),
        ("requirements.txt", CLEAN_REQUIREMENTS),
        ("requirements.lock.txt", CLEAN_LOCK),
        ("conda-linux-64.lock", CLEAN_EXPLICIT),
        ("spec.yaml", CLEAN_SPEC),
        ("requirements.txt", ""),
    ],
)
def test_clean_files_exit_0_silently(
    run_cli: RunCli, tmp_path: Path, name: str, content: str
) -> None:
    result = run_cli("lint", write(tmp_path, name, content))
    assert result.exit_code == 0, result.output
    assert result.output == ""


ENV_HEAD = "channels: [conda-forge]\ndependencies:\n"

CASES = [
    ("H000", "environment.yml", "dependencies:\n\t- numpy\n", 2),
    ("H000", "environment.yml", "dependencies: [numpy\n", 2),
    ("H000", "environment.yml", "- numpy\n- scipy\n", 1),
    ("H000", "environment.yml", "42\n", 1),
    ("H000", "environment.yml", b"\x00\xff\xfe binary", 1),
    ("H000", "requirements.txt", "rich\nnot a valid requirement ((\n", 2),
    ("H000", "environment.yml", ENV_HEAD + "  - pip\n  - {x: 1}\n", 4),
    ("H001", "environment.yml", ENV_HEAD + "  - pip\n  - pip:\n      - rich\n  - numpy\n", 4),
    ("H002", "environment.yml", ENV_HEAD + "  - numpy\n  - pip:\n      - rich\n", 4),
    ("H003", "environment.yml", ENV_HEAD + "  - pytorch\n  - pip\n  - pip:\n      - torch\n", 6),
    (
        "H004",
        "environment.yml",
        ENV_HEAD + "  - pip\n  - pip:\n      - rich\n  - pip:\n      - httpx\n",
        6,
    ),
    ("H005", "environment.yml", ENV_HEAD + "  - numpy==1.26\n", 3),
    ("H006", "environment.lock.yml", ENV_HEAD + "  - numpy=1.26.4=py311h64a7726_0\n  - scipy\n", 4),
    ("H006", "requirements.txt", "rich==13.7.0 --hash=sha256:abc\nhttpx>=0.27\n", 2),
    ("H007", "environment.yml", ENV_HEAD + "  - cudatoolkit=11.8\n  - pytorch-cuda=12.1\n", 4),
    (
        "H007",
        "environment.yml",
        ENV_HEAD + "  - cuda-version 12.4\n  - pip\n  - pip:\n      - --extra-index-url "
        "https://download.pytorch.org/whl/cu118\n      - torch==2.1.0+cu118\n",
        6,
    ),
    (
        "H008",
        "environment.yml",
        ENV_HEAD + "  - cuda-version=12.4\n  - pip\n  - pip:\n      - torch>=2.4\n",
        6,
    ),
    ("H008", "requirements.txt", "torch==2.1.0+cu121\n", 1),
    ("H009", "environment.yml", ENV_HEAD + "  - numpy\nprefix: C:\\Users\\ada\\envs\\x\n", 4),
    ("H009", "environment.yml", ENV_HEAD + "  - numpy\nprefix: /opt/conda/envs/x\n", 4),
    ("H010", "environment.yml", ENV_HEAD + "  - pytorch::pytorch\n", 3),
    ("H010", "spec.yaml", "version: 1\nname: x\nconda: [pytorch::pytorch]\n", 3),
    ("H011", "environment.yml", ENV_HEAD + "  - numpy\n  - numpy >=1.26\n", 4),
    ("H011", "requirements.txt", "rich\nRich>=13\n", 2),
    (
        "H012",
        "environment.yml",
        ENV_HEAD + "  - pytorch\n  - pip\n  - pip:\n      - timm\n      - torchvision\n",
        7,
    ),
    (
        "H012",
        "environment.yml",
        ENV_HEAD + "  - jaxlib\n  - pip\n  - pip:\n      - jax-cuda12-plugin\n",
        6,
    ),
    (
        "H013",
        "environment.yml",
        ENV_HEAD + "  - libcublas\n  - pip\n  - pip:\n      - nvidia-cudnn-cu12\n",
        6,
    ),
    (
        "H013",
        "environment.yml",
        ENV_HEAD + "  - cuda-cudart\n  - pip\n  - pip:\n      - jax[cuda12]\n",
        6,
    ),
]


@pytest.mark.parametrize(("code", "name", "content", "line"), CASES)
def test_each_rule_fires_on_a_minimal_example(
    run_cli: RunCli, tmp_path: Path, code: str, name: str, content: str | bytes, line: int
) -> None:
    result = run_cli("lint", write(tmp_path, name, content))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert (line, code) in codes(result), result.stdout


def test_gpu_rules_name_the_conda_package_and_the_way_out(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        ENV_HEAD + "  - pytorch\n  - libcublas\n  - pip\n  - pip:\n      - xformers\n"
        "      - nvidia-cufft-cu12\n      - nvidia-ml-py\n      - timm\n",
    )
    result = run_cli("lint", env)
    assert codes(result) == [(7, "H012"), (8, "H013")], result.stdout
    assert "conda layer has `pytorch` (line 3)" in result.stdout
    assert "move `xformers` to the conda dependencies" in result.stdout
    assert "`libcublas` (line 4)" in result.stdout
    assert "replace it with conda `libcufft`" in result.stdout


def test_gpu_rules_stay_quiet_without_the_conda_side(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        ENV_HEAD + "  - numpy\n  - pip\n  - pip:\n      - torchvision\n      - jax[cuda12]\n"
        "      - nvidia-cublas-cu12\n",
    )
    assert not [c for c in codes(run_cli("lint", env)) if c[1] in ("H012", "H013")]


def test_every_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(RULES)


def test_findings_are_sorted_and_name_file_line_and_column(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        ENV_HEAD + "  - pip:\n      - torch\n  - pytorch\n  - numpy==1.2\nprefix: /x\n",
    )
    result = run_cli("lint", env)
    assert result.exit_code == 1
    assert codes(result) == [(3, "H001"), (3, "H002"), (4, "H003"), (6, "H005"), (7, "H009")]
    assert result.stdout.splitlines()[0].startswith(f"{env}:3:5: H001 ")
    assert "error: 5 finding(s) in 1 file(s)" in result.stderr


def test_double_equals_explains_conda_semantics(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", ENV_HEAD + "  - numpy==1.26\n")
    line = run_cli("lint", env).stdout.strip()
    assert "in conda `==1.26` means exactly 1.26, not 1.26.x" in line
    assert "(fix: write `numpy 1.26.*` for any 1.26.x, or the full version" in line


def test_select_and_ignore(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", ENV_HEAD + "  - numpy==1.2\nprefix: /x\n")
    assert [c for _, c in codes(run_cli("lint", env))] == ["H005", "H009"]
    assert [c for _, c in codes(run_cli("lint", "--select", "H009", env))] == ["H009"]
    assert [c for _, c in codes(run_cli("lint", "--ignore", "h005", env))] == ["H009"]
    both = run_cli("lint", "--select", "H005,H009", "--ignore", "H009", env)
    assert [c for _, c in codes(both)] == ["H005"]
    quiet = run_cli("lint", "--ignore", "H005,H009", env)
    assert quiet.exit_code == 0
    assert quiet.output == ""


def test_unknown_codes_and_missing_files_are_usage_errors(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", CLEAN_ENV)
    unknown = run_cli("lint", "--select", "H999", env)
    assert unknown.exit_code == 2
    assert "unknown rule code(s) H999" in unknown.stderr
    missing = run_cli("lint", tmp_path / "nope.yml")
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    assert run_cli("lint").exit_code == 2
    assert run_cli("lint", "--format", "xml", env).exit_code == 2


def test_json_format(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", ENV_HEAD + "  - numpy\nprefix: /x\n")
    result = run_cli("lint", "--format", "json", env)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": str(env),
            "line": 4,
            "column": 9,
            "code": "H009",
            "message": "`prefix: /x` is a path on the machine that exported the file; "
            "`conda env create` would write the environment there",
            "fix": RULES["H009"].fix,
        }
    ]
    clean = run_cli("lint", "--format", "json", write(tmp_path, "r.txt", "rich\n"))
    assert clean.exit_code == 0
    assert json.loads(clean.stdout) == []


@pytest.mark.parametrize(
    "content",
    [
        "dependencies:\n\t- numpy\n",
        "[1, 2\n",
        "- a\n- b\n",
        "scalar\n",
        "&a [*a]\n",
        "a: &x\n  b: *x\n",
        "dependencies:\r\n  - numpy\r\n  - pip:\r\n    - 3\r\n",
        "dependencies: 5\nchannels: {a: 1}\n",
        "dependencies:\n  - pip: rich\n",
        "key: value\nkey: again\n",
        "\ufeffdependencies:\n  - \x07bell\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_malformed_yaml_is_a_finding_not_a_crash(
    run_cli: RunCli, tmp_path: Path, content: str | bytes
) -> None:
    result = run_cli("lint", write(tmp_path, "environment.yml", content))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    if result.exit_code == 1:
        assert all(code for _, code in codes(result))
