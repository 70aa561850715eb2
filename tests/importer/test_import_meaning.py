"""`import_files` carries the meaning of what labs write: selectors on pip lines, conda's
implicit `defaults`, old CUDA toolkits, local projects, pip extras in conda lists, and
remote `-r https://…` includes. Every spec written must validate (import_files loads it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.envfiles.channels import DEFAULTS_MAIN, DEFAULTS_MSYS2, DEFAULTS_R, parse_channel_map
from hybrid.errors import UsageError
from hybrid.importer import ImportResult, import_files
from tests.conftest import WriteInput
from tests.importer.conftest import Served


def run(tmp_path: Path, *inputs: Path, channel_map: dict[str, str] | None = None) -> ImportResult:
    return import_files(inputs, tmp_path / "out" / "spec.yaml", channel_map=channel_map)


def notes(result: ImportResult) -> list[str]:
    return [str(note) for note in result.notes]


def pip(result: ImportResult) -> list[str]:
    return [str(p.requirement) for p in result.spec.pip]


def conda(result: ImportResult) -> list[tuple[str, frozenset[str] | None]]:
    return [(c.spec, c.platforms) for c in result.spec.conda]


# --- 1. selectors on pip lines ------------------------------------------------------------

SELECTED_PIP = """\
name: monitor
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pywin32  # [win]
  - uvloop  # [not win]
  - pip
  - pip:
    - psutil  # [linux64]
    - pywin32-ctypes  # [win]
    - appnope  # [osx]
    - uvloop  # [not win]
    - sh  # [unix]
    - nvidia-ml-py; python_version >= "3.9"  # [linux]
    - rich
"""


def test_pip_selectors_become_markers_for_exactly_those_platforms(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", SELECTED_PIP)
    result = run(tmp_path, env)
    assert pip(result) == [
        'psutil; sys_platform == "linux" and platform_machine == "x86_64"',
        'pywin32-ctypes; sys_platform == "win32"',
        'appnope; sys_platform == "darwin"',
        'sh; sys_platform == "linux" or sys_platform == "darwin"',
        'nvidia-ml-py; python_version >= "3.9" and sys_platform == "linux"',
        "rich",
    ]
    assert (
        f'{env}:10: `psutil  # [linux64]` — became `psutil; sys_platform == "linux" and '
        'platform_machine == "x86_64"`: a spec\'s pip entries carry platforms as markers'
    ) in notes(result)


def test_conda_selectors_understand_not_win(tmp_path: Path, write_input: WriteInput) -> None:
    env = write_input("environment.yml", SELECTED_PIP)
    result = run(tmp_path, env)
    assert conda(result) == [
        ("pywin32", frozenset({"win-64"})),
        ("uvloop", frozenset({"linux-64", "osx-64", "osx-arm64"})),
    ]
    # conda's uvloop is the PyPI uvloop: the pip line goes, as for any conda-provided package
    assert any(
        n.startswith(f"{env}:13: `uvloop`") and "conda layer provides it" in n
        for n in notes(result)
    )


def test_pip_selectors_for_platforms_outside_the_spec_are_dropped(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input(
        "environment.yml",
        "channels: [conda-forge]\nplatforms: [linux-64]\ndependencies:\n"
        "  - pip:\n    - appnope  # [osx]\n    - psutil  # [py>=38]\n",
    )
    result = run(tmp_path, env)
    assert pip(result) == ["psutil"]
    assert f"{env}:5: `appnope  # [osx]` — dropped: only for osx-64, osx-arm64" in "\n".join(
        notes(result)
    )
    assert any(n.startswith(f"{env}:6:") and "[py>=38] not understood" in n for n in notes(result))


def test_an_aarch64_pip_selector_adds_the_platform(tmp_path: Path, write_input: WriteInput) -> None:
    env = write_input(
        "environment.yml",
        "channels: [conda-forge]\ndependencies:\n  - pip:\n    - jetson-stats  # [aarch64]\n",
    )
    result = run(tmp_path, env)
    assert "linux-aarch64" in result.spec.platforms
    assert pip(result) == [
        'jetson-stats; sys_platform == "linux" and platform_machine == "aarch64"'
    ]


# --- 2. conda's implicit `defaults` -------------------------------------------------------

NO_CHANNELS = """\
name: analysis
dependencies:
  - python=3.10
  - numpy=1.26
  - pandas
  - defaults::mkl=2023.1
  - pywin32  # [win]
"""


def test_no_channels_means_conda_defaults_written_as_its_urls(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", NO_CHANNELS)
    result = run(tmp_path, env)
    assert result.spec.channels == (DEFAULTS_MAIN, DEFAULTS_R, DEFAULTS_MSYS2)
    assert conda(result)[2] == (f"{DEFAULTS_MAIN}::mkl 2023.1.*", None)
    text = "\n".join(notes(result))
    assert f"{env}:1: no `channels:` — conda uses `defaults`" in text
    assert "--channel-map defaults=conda-forge" in text
    assert f"{env}:6: `defaults::mkl=2023.1` — became `{DEFAULTS_MAIN}::mkl 2023.1.*`" in text


def test_msys2_only_when_windows_is_a_platform(tmp_path: Path, write_input: WriteInput) -> None:
    env = write_input(
        "environment.yml", "channels:\n  - defaults\nplatforms: [linux-64]\ndependencies: [numpy]\n"
    )
    result = run(tmp_path, env)
    assert result.spec.channels == (DEFAULTS_MAIN, DEFAULTS_R)
    assert any(
        n.startswith(f"{env}:2: channel `defaults` — `defaults` is written as")
        for n in notes(result)
    )


def test_channel_map_moves_defaults_and_qualified_entries(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input(
        "environment.yml",
        "name: legacy\nchannels:\n  - pytorch\n  - defaults\n"
        "dependencies:\n  - pytorch::pytorch=1.13\n  - defaults::numpy=1.23\n  - scipy\n",
    )
    mapping = parse_channel_map(["defaults=conda-forge", "anaconda=conda-forge"])
    result = run(tmp_path, env, channel_map=mapping)
    assert result.spec.channels == ("pytorch", "conda-forge")
    assert [spec for spec, _ in conda(result)] == [
        "pytorch::pytorch 1.13.*",
        "conda-forge::numpy 1.23.*",
        "scipy",
    ]
    text = "\n".join(notes(result))
    assert (
        f"{env}:4: channel `defaults` — became `conda-forge` (--channel-map defaults=conda-forge)"
    ) in text
    assert f"{env}:7: `defaults::numpy=1.23` — became `conda-forge::numpy 1.23.*`" in text
    assert f"{env}:1: --channel-map anaconda=conda-forge — no channel `anaconda`" in text
    assert DEFAULTS_MAIN not in text


def test_channel_map_applies_to_the_implicit_defaults(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", NO_CHANNELS)
    result = run(tmp_path, env, channel_map={"defaults": "conda-forge"})
    assert result.spec.channels == ("conda-forge",)
    assert (
        f"{env}:1: no `channels:` — conda uses `defaults` (its default configuration); "
        "became `conda-forge` (--channel-map defaults=conda-forge)" in notes(result)
    )


def test_nodefaults_adds_no_defaults(tmp_path: Path, write_input: WriteInput) -> None:
    env = write_input(
        "environment.yml",
        "channels:\n  - conda-forge\n  - nodefaults\ndependencies:\n  - numpy\n",
    )
    result = run(tmp_path, env)
    assert result.spec.channels == ("conda-forge",)
    assert any(n.startswith(f"{env}:3: nodefaults — dropped") for n in notes(result))


@pytest.mark.parametrize("value", ["defaults", "=conda-forge", "defaults=", "defaults=nodefaults"])
def test_malformed_channel_maps_are_usage_errors(value: str) -> None:
    with pytest.raises(UsageError):
        parse_channel_map([value])


# --- 3. CUDA toolkits older than the first cuda-version / pytorch-cuda --------------------


def _cuda_env(channels: str, pins: str) -> str:
    return f"name: gpu\nchannels: [{channels}]\ndependencies:\n  - python=3.8\n{pins}"


@pytest.mark.parametrize(
    ("channels", "pins", "cuda", "kept"),
    [
        # PyTorch 1.8 from the pytorch channel predates `pytorch-cuda` (11.6+)
        (
            "pytorch, conda-forge",
            "  - pytorch=1.8.1\n  - cudatoolkit=10.2\n",
            None,
            "cudatoolkit 10.2.*",
        ),
        (
            "pytorch, conda-forge",
            "  - pytorch=1.11\n  - cudatoolkit=11.3\n",
            None,
            "cudatoolkit 11.3.*",
        ),
        ("pytorch, nvidia", "  - pytorch=1.13\n  - pytorch-cuda=11.7\n", "11.7", None),
        # conda-forge's cuda-version goes back to 9.2
        ("conda-forge", "  - tensorflow-gpu=2.4\n  - cudatoolkit=11.0\n", "11.0", None),
        ("conda-forge", "  - cupy\n  - cudatoolkit=9.0\n", None, "cudatoolkit 9.0.*"),
    ],
)
def test_old_cuda_toolkits_stay_conda_pins(
    tmp_path: Path,
    write_input: WriteInput,
    channels: str,
    pins: str,
    cuda: str | None,
    kept: str | None,
) -> None:
    env = write_input("environment.yml", _cuda_env(channels, pins))
    result = run(tmp_path, env)
    assert [c.version for c in result.spec.cuda] == ([cuda] if cuda else [])
    specs = [spec for spec, _ in conda(result)]
    if kept is None:
        assert not any(s.startswith(("cudatoolkit", "pytorch-cuda")) for s in specs)
    else:
        assert kept in specs
        assert any(f"{env}:6: " in n and "is older than the first" in n for n in notes(result))


# --- 4. local projects in pip sections, pip extras in conda lists ------------------------

LOCAL_PROJECT = """\
name: myproject
channels:
  - conda-forge
dependencies:
  - python=3.11
  - imageio[ffmpeg]>=2.9
  - dask[complete]
  - pip
  - pip:
    - -e .
    - .
    - ./libs/shared
    - src/plugin
    - -e ../tools[dev]
    - black==24.3.0
"""


def test_local_directories_and_conda_extras_import_with_notes(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", LOCAL_PROJECT)
    result = run(tmp_path, env)
    assert [spec for spec, _ in conda(result)] == ["imageio >=2.9", "dask"]
    assert pip(result) == ["black==24.3.0"]
    text = "\n".join(notes(result))
    assert (
        f"{env}:6: `imageio[ffmpeg]>=2.9` — imported as `imageio >=2.9`: the extra [ffmpeg] "
        "was dropped"
    ) in text
    assert "pip extras belong in `pip:`" in text
    for line, written in [
        (10, "-e ."),
        (11, "."),
        (12, "./libs/shared"),
        (13, "src/plugin"),
        (14, "-e ../tools[dev]"),
    ]:
        assert f"{env}:{line}: {written} — a local path is not carried over" in text
    assert "`pip install --no-deps -e .`" in text


# --- 5. remote `-r https://…` includes ----------------------------------------------------


def test_an_unreachable_remote_include_is_a_note_not_a_failure(
    tmp_path: Path, write_input: WriteInput
) -> None:
    reqs = write_input(
        "requirements.txt",
        "# shared pins of the lab\n-r http://ada:hunter2@127.0.0.1:9/x.txt\nrequests>=2.31\n",
    )
    result = run(tmp_path, reqs)
    assert pip(result) == ["requests>=2.31"]
    text = "\n".join(notes(result))
    assert (
        f"{reqs}:2: -r http://127.0.0.1:9/x.txt — a remote requirements file, not fetched" in text
    )
    assert "hunter2" not in text and "ada" not in text


def test_a_remote_include_is_fetched_and_its_lines_imported(
    tmp_path: Path, write_input: WriteInput, served: Served
) -> None:
    (served.root / "ml").mkdir()
    (served.root / "ml" / "base.txt").write_text("numpy>=1.26\n")
    (served.root / "ml" / "requirements.txt").write_text(
        "-r base.txt\nscikit-learn==1.4.2\n-r /etc/hosts.txt\n-e .\nnot a (requirement\n"
    )
    host = served.url.removeprefix("http://")
    env = write_input(
        "environment.yml",
        "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n"
        f"    - -r http://ada:hunter2@{host}/ml/requirements.txt\n    - rich\n",
    )
    result = run(tmp_path, env)
    assert pip(result) == ["rich", "scikit-learn==1.4.2", "numpy>=1.26"]
    assert served.authorizations[0] == "Basic YWRhOmh1bnRlcjI="  # ada:hunter2
    remote = f"{served.url}/ml/requirements.txt"
    text = "\n".join(notes(result))
    assert f"{env}:5: -r {remote} — fetched: its 1 requirement(s) are imported" in text
    assert f"{remote}:4: -e . — a local path is not carried over" in text
    assert f"{remote}:5: line not imported — 'not a (requirement' is not a valid" in text
    assert "hunter2" not in text
    assert result.spec.pip  # the spec validated with the remote lines in it


def test_a_missing_remote_file_is_a_note(
    tmp_path: Path, write_input: WriteInput, served: Served
) -> None:
    reqs = write_input("requirements.in", f"-r {served.url}/nope.txt\nattrs\n")
    result = run(tmp_path, reqs)
    assert pip(result) == ["attrs"]
    assert any("not fetched (HTTP 404" in n for n in notes(result))
