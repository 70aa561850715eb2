"""`hybrid import`: what labs have -> a spec that validates, with a report of what was dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.spec import load_spec
from tests.conftest import CliResult, RunCli

EXPORT = """\
name: vision-lab
channels:
  - conda-forge
dependencies:
  - _libgcc_mutex=0.1=conda_forge
  - numpy=1.26.4=py311h64a7726_0
  - pip=23.3.1=pyhd8ed1ab_0
  - python=3.11.7=hab00c5b_0_cpython
  - pip:
      - requests==2.31.0
prefix: /home/ada/miniconda3/envs/vision-lab
"""

EXPLICIT_LINUX = """\
# This file may be used to create an environment using:
# $ conda create --name <env> --file <this file>
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2#d7c89558ba9fa0495403155b64376d81
https://conda.anaconda.org/conda-forge/linux-64/python-3.11.7-hab00c5b_0_cpython.conda#bf281a975393266ab95734a8cfd532ec
https://conda.anaconda.org/conda-forge/noarch/pip-23.3.1-pyhd8ed1ab_0.conda#2400c0b86889f43aa52067161e1fb108
https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#a502d7aad449a1206efb366d6a12c52d
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def imported(run_cli: RunCli, tmp_path: Path, *inputs: Path) -> tuple[CliResult, Path]:
    """Import `inputs` into tmp_path/out/spec.yaml; the spec must validate."""
    out = tmp_path / "out" / "spec.yaml"
    result = run_cli("import", *inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert run_cli("validate", out).exit_code == 0, out.read_text()
    return result, out


def test_conda_env_export_output(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", EXPORT)
    result, out = imported(run_cli, tmp_path, env)
    spec = load_spec(out)
    assert spec.name == "vision-lab"
    assert spec.python == "3.11.7"
    assert [c.spec for c in spec.conda] == [
        "_libgcc_mutex ==0.1 conda_forge",
        "numpy ==1.26.4 py311h64a7726_0",
    ]
    assert [str(p.requirement) for p in spec.pip] == ["requests==2.31.0"]
    report = result.stdout
    assert f"wrote {out}: 2 conda and 1 pip entries" in report
    assert f"{env}:11: prefix: /home/ada/miniconda3/envs/vision-lab — dropped" in report
    assert f"{env}:7: `pip=23.3.1=pyhd8ed1ab_0` — dropped: hybrid adds pip" in report
    assert "the build string `hab00c5b_0_cpython` dropped" in report
    assert "2 build-string pin(s)" in report


def test_pip_before_conda_three_pip_blocks_and_channel_qualified_specs(
    run_cli: RunCli, tmp_path: Path
) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        """\
name: blocks
channels:
  - conda-forge
dependencies:
  - pip:
      - rich
  - pytorch::pytorch=2.1
  - nvidia/label/cuda-11.8.0::cuda
  - pip:
      - httpx>=0.27
  - scipy
  - pip
  - pip:
      - rich
      - polars; sys_platform != "win32"
""",
    )
    result, out = imported(run_cli, tmp_path, env)
    spec = load_spec(out)
    assert spec.channels == ("conda-forge", "pytorch", "nvidia/label/cuda-11.8.0")
    assert [c.spec for c in spec.conda] == [
        "pytorch::pytorch 2.1.*",
        "nvidia/label/cuda-11.8.0::cuda",
        "scipy",
    ]
    assert [str(p.requirement) for p in spec.pip] == [
        "rich",
        "httpx>=0.27",
        'polars; sys_platform != "win32"',
    ]
    assert f"{env}:14: `rich` — already listed at {env}:6; kept once" in result.stdout


def test_requirements_with_hashes_continuations_and_includes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write(tmp_path, "base.txt", "attrs==23.2.0\n")
    reqs = write(
        tmp_path,
        "requirements.txt",
        (
            "# pinned by pip-compile\n"
            "-r base.txt\n"
            "--extra-index-url https://download.pytorch.org/whl/cu121\n"
            "requests==2.31.0 \\\n"
            "    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"
            " \\\n"
            "    --hash=sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1b1\n"
            "torch==2.1.0+cu121  # the CUDA build\n"
            "-e git+https://github.com/org/tool.git@v1.0#egg=tool\n"
            "-e ./src/local-package\n"
            "--trusted-host example.org"
        ),
    )
    result, out = imported(run_cli, tmp_path, reqs)
    spec = load_spec(out)
    assert [str(p.requirement) for p in spec.pip] == [
        "requests==2.31.0",
        "torch==2.1.0",
        "tool @ git+https://github.com/org/tool.git@v1.0",
        "attrs==23.2.0",
    ]
    assert [c.version for c in spec.cuda] == ["12.1"]
    assert spec.pip_index.extra_index_urls == ("https://download.pytorch.org/whl/cu121",)
    assert spec.name == "out"
    report = result.stdout
    assert f"{reqs}:4: --hash on `requests` (2) — hashes are dropped" in report
    assert f"{reqs}:7: `torch==2.1.0+cu121` — the local label +cu121 is dropped" in report
    assert f"{reqs}:8: -e git+https://github.com/org/tool.git@v1.0#egg=tool — editable" in report
    assert f"{reqs}:9: -e ./src/local-package — a local path is not carried over" in report
    assert f"{reqs}:10: --trusted-host example.org — pip option not carried over" in report


def test_explicit_file_for_linux_64(run_cli: RunCli, tmp_path: Path) -> None:
    lock = write(tmp_path, "conda-linux-64.lock", EXPLICIT_LINUX)
    result, out = imported(run_cli, tmp_path, lock)
    spec = load_spec(out)
    assert spec.platforms == ("linux-64",)
    assert spec.channels == ("conda-forge",)
    assert spec.python == "3.11.7"
    assert [c.spec for c in spec.conda] == [
        "conda-forge::_libgcc_mutex ==0.1 conda_forge",
        "conda-forge::numpy ==1.26.4 py311h64a7726_0",
    ]
    assert "4 package checksum(s) — dropped" in result.stdout


@pytest.mark.parametrize(
    ("pin", "cuda"),
    [
        ("  - cudatoolkit=11.8\n", "11.8"),
        ("  - cudatoolkit=11.7.1=h4bc3d14_13\n", "11.7"),
        ("  - pytorch-cuda=12.1\n", "12.1"),
        ("  - cuda-version 12.4\n", "12.4"),
        ("  - cuda-version=12.6.*\n", "12.6"),
        ("  - pip:\n      - torch==2.1.0+cu121\n", "12.1"),
        ("  - pip:\n      - torch==2.1.0+cpu\n", "cpu"),
    ],
)
def test_cuda_pins_in_each_form_become_the_cuda_field(
    run_cli: RunCli, tmp_path: Path, pin: str, cuda: str
) -> None:
    env = write(
        tmp_path, "environment.yml", "channels: [conda-forge]\ndependencies:\n  - numpy\n" + pin
    )
    result, out = imported(run_cli, tmp_path, env)
    spec = load_spec(out)
    assert [c.version for c in spec.cuda] == [cuda]
    assert [c.spec for c in spec.conda] == ["numpy"]
    assert f'it became `cuda: "{cuda}"`' in result.stdout


def test_contradicting_cuda_pins_keep_the_first_and_report_the_others(
    run_cli: RunCli, tmp_path: Path
) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        """\
channels: [pytorch, conda-forge]
dependencies:
  - cudatoolkit=11.8
  - pytorch-cuda=12.1
""",
    )
    result, out = imported(run_cli, tmp_path, env)
    assert [c.version for c in load_spec(out).cuda] == ["11.8"]
    assert f"{env}:4: `pytorch-cuda=12.1` — contradicts the CUDA pin" in result.stdout


def test_crlf_tabs_in_values_trailing_spaces_and_no_final_newline(
    run_cli: RunCli, tmp_path: Path
) -> None:
    text = (
        "name: crlf\r\n"
        "channels:\r\n"
        "  - 'https://conda.anaconda.org/conda-forge/   '\r\n"
        "dependencies:\r\n"
        '  - "numpy\t>=1.26"\r\n'  # a tab inside quotes (YAML refuses tabs elsewhere)
        "  - pywin32  # [win]\r\n"
        "prefix: C:\\Users\\ada\\miniconda3\\envs\\crlf"
    )
    env = write(tmp_path, "environment.yml", text)
    result, out = imported(run_cli, tmp_path, env)
    spec = load_spec(out)
    assert spec.channels == ("conda-forge",)
    assert [(c.spec, c.platforms) for c in spec.conda] == [
        ("numpy >=1.26", None),
        ("pywin32", frozenset({"win-64"})),
    ]
    assert f"{env}:7: prefix: C:\\Users\\ada\\miniconda3\\envs\\crlf — dropped" in result.stdout


@pytest.mark.parametrize(
    ("written", "name"), [("'0x1F'", "0x1F"), ("'2024-01-01'", "2024-01-01"), ("my lab!", "my-lab")]
)
def test_names_yaml_could_misread_stay_names(
    run_cli: RunCli, tmp_path: Path, written: str, name: str
) -> None:
    env = write(tmp_path, "environment.yml", f"name: {written}\ndependencies: [numpy]\n")
    _, out = imported(run_cli, tmp_path, env)
    assert load_spec(out).name == name


def test_no_channels_means_defaults_and_suggests_the_migration(
    run_cli: RunCli, tmp_path: Path
) -> None:
    env = write(tmp_path, "environment.yml", "dependencies:\n  - numpy\n")
    result, out = imported(run_cli, tmp_path, env)
    assert load_spec(out).channels == (
        "https://repo.anaconda.com/pkgs/main",
        "https://repo.anaconda.com/pkgs/r",
        "https://repo.anaconda.com/pkgs/msys2",
    )
    assert f"{env}:1: no `channels:` — conda uses `defaults`" in result.stdout
    assert "import with `--channel-map defaults=conda-forge`" in result.stdout


def test_channel_map_option(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        "channels:\n  - defaults\ndependencies:\n  - defaults::numpy\n  - scipy\n",
    )
    out = tmp_path / "out" / "spec.yaml"
    result = run_cli("import", env, "-o", out, "--channel-map", "defaults=conda-forge")
    assert result.exit_code == 0, result.output
    assert run_cli("validate", out).exit_code == 0, out.read_text()
    spec = load_spec(out)
    assert spec.channels == ("conda-forge",)
    assert [c.spec for c in spec.conda] == ["conda-forge::numpy", "scipy"]
    assert f"{env}:2: channel `defaults` — became `conda-forge`" in result.stdout


def test_a_malformed_channel_map_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    env = write(tmp_path, "environment.yml", "dependencies:\n  - numpy\n")
    result = run_cli("import", env, "-o", tmp_path / "spec.yaml", "--channel-map", "defaults")
    assert result.exit_code == 2
    assert "expected OLD=NEW" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()


def test_a_channel_map_to_an_unreadable_channel_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    """`defaults::numpy` moved to `a[b`: conda cannot read it; a usage error, not a bug."""
    env = write(tmp_path, "environment.yml", "dependencies:\n  - defaults::numpy\n")
    result = run_cli("import", env, "-o", tmp_path / "spec.yaml", "--channel-map", "defaults=a[b")
    assert result.exit_code == 2, result.output
    assert "`a[b` is not a channel conda can read" in result.stderr
    assert "internal error" not in result.output
    assert not (tmp_path / "spec.yaml").exists()


def test_several_files_merge_conda_from_environments_and_pip_from_all(
    run_cli: RunCli, tmp_path: Path
) -> None:
    env = write(
        tmp_path,
        "environment.yml",
        "name: merged\nchannels: [conda-forge]\n"
        "dependencies:\n  - pytorch\n  - pip:\n      - httpx\n",
    )
    reqs = write(tmp_path, "requirements.in", "torch>=2\nrich\nhttpx\n")
    result, out = imported(run_cli, tmp_path, env, reqs)
    spec = load_spec(out)
    assert [c.spec for c in spec.conda] == ["pytorch"]
    assert [str(p.requirement) for p in spec.pip] == ["httpx", "rich"]
    assert f"{reqs}:1: `torch>=2` — dropped: the conda layer provides it" in result.stdout


@pytest.mark.parametrize(
    "content",
    [
        "dependencies:\n\t- numpy\n",
        "dependencies: [numpy\n",
        "- numpy\n",
        "just a sentence\n",
        b"\xff\xfe\x00garbage",
        "dependencies:\n  - {a: b}\n",
        "dependencies:\n  - 'numpy >=>= 1'\n",
    ],
)
def test_malformed_environment_files_exit_2_with_a_location(
    run_cli: RunCli, tmp_path: Path, content: str | bytes
) -> None:
    env = write(tmp_path, "environment.yml", content)
    result = run_cli("import", env, "-o", tmp_path / "spec.yaml")
    assert result.exit_code == 2, result.output
    assert f"{env}:" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "spec.yaml").exists()


def test_a_missing_include_is_an_error_at_its_line(run_cli: RunCli, tmp_path: Path) -> None:
    reqs = write(tmp_path, "requirements.txt", "rich\n-r missing.txt\n")
    result = run_cli("import", reqs, "-o", tmp_path / "spec.yaml")
    assert result.exit_code == 2
    assert f"{reqs}:2:1: -r missing.txt: {tmp_path / 'missing.txt'}: no such file" in result.stderr


def test_an_existing_output_is_kept_unless_forced(run_cli: RunCli, tmp_path: Path) -> None:
    reqs = write(tmp_path, "requirements.txt", "rich\n")
    out = write(tmp_path, "spec.yaml", "# mine\n")
    result = run_cli("import", reqs, "-o", out)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert out.read_text() == "# mine\n"
    assert run_cli("import", reqs, "-o", out, "--force").exit_code == 0
    assert run_cli("validate", out).exit_code == 0


def test_a_missing_input_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("import", tmp_path / "nope.yml", "-o", tmp_path / "spec.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr
