"""`import_files`: merging that must still give a spec that validates, and says what it did."""

from __future__ import annotations

from pathlib import Path

from hybrid.importer import ImportResult, import_files
from tests.conftest import WriteInput

CF = "https://conda.anaconda.org/conda-forge"


def run(tmp_path: Path, *inputs: Path) -> ImportResult:
    return import_files(inputs, tmp_path / "out" / "spec.yaml")


def whys(result: ImportResult) -> list[str]:
    return [f"{note.location.line}: {note.why}" for note in result.notes]


def test_explicit_files_for_two_platforms_merge_per_platform(
    tmp_path: Path, write_input: WriteInput
) -> None:
    linux = write_input(
        "linux.txt",
        (
            f"@EXPLICIT\n{CF}/linux-64/numpy-1.26.4-py311h64a7726_0.conda\n"
            f"{CF}/noarch/six-1.16.0-pyh6c4a22f_0.tar.bz2\n"
        ),
    )
    mac = write_input(
        "mac.txt",
        (
            f"@EXPLICIT\n{CF}/osx-arm64/numpy-1.26.4-py311h7125741_0.conda\n"
            f"{CF}/noarch/six-1.16.0-pyh6c4a22f_0.tar.bz2\n"
        ),
    )
    spec = run(tmp_path, linux, mac).spec
    assert spec.platforms == ("linux-64", "osx-arm64")
    assert [(c.spec, c.platforms) for c in spec.conda] == [
        ("conda-forge::numpy ==1.26.4 py311h64a7726_0", frozenset({"linux-64"})),
        ("conda-forge::six ==1.16.0 pyh6c4a22f_0", None),
        ("conda-forge::numpy ==1.26.4 py311h7125741_0", frozenset({"osx-arm64"})),
    ]


def test_python_ranges_next_to_a_python_pin_are_dropped(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", "dependencies:\n  - python>=3.9\n  - python=3.11\n")
    result = run(tmp_path, env)
    assert result.spec.python == "3.11"
    assert result.spec.conda == ()
    assert '2: dropped: python is pinned by `python: "3.11"`' in whys(result)


def test_conflicting_entries_keep_the_first_for_the_platforms_they_share(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input(
        "environment.yml",
        (
            "dependencies:\n"
            "  - numpy 1.*  # [win]\n"
            "  - numpy 2.*  # [linux]\n"
            "  - numpy 1.*  # [linux]\n"
            "  - numpy 1.*  # [osx]\n"
            "  - scipy\n"
            "  - scipy >=1\n"
            "  - x  # [ppc64le or s390x]\n"
            "  - y  # [aarch64]\n"
        ),
    )
    result = run(tmp_path, env)
    spec = result.spec
    assert spec.platforms == ("linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64")
    assert [(c.spec, c.platforms) for c in spec.conda] == [
        ("numpy 1.*", frozenset({"win-64", "osx-64", "osx-arm64"})),
        ("numpy 2.*", frozenset({"linux-64", "linux-aarch64"})),
        ("scipy", None),
        ("x", None),
        ("y", frozenset({"linux-aarch64"})),
    ]
    reasons = whys(result)
    assert any(r.startswith("4: dropped: it conflicts with `numpy 2.*`") for r in reasons)
    assert any(r.startswith("7: dropped: it conflicts with `scipy`") for r in reasons)
    assert any(r.startswith("8: selector [ppc64le or s390x] not understood") for r in reasons)


def test_pip_index_options_and_pip_itself(tmp_path: Path, write_input: WriteInput) -> None:
    reqs = write_input(
        "requirements.txt",
        (
            "--index-url ''\n-i https://a/simple\n--index-url https://b/simple\n"
            "--extra-index-url https://b/simple\npip==24.0\nrich\n"
        ),
    )
    result = run(tmp_path, reqs)
    index = result.spec.pip_index
    assert (index.index_url, index.extra_index_urls) == ("https://a/simple", ("https://b/simple",))
    assert [str(p.requirement) for p in result.spec.pip] == ["rich"]
    assert "5: dropped: hybrid adds pip to the conda layer itself" in whys(result)


def test_includes_are_read_once(tmp_path: Path, write_input: WriteInput) -> None:
    write_input("a.txt", "-r b.txt\nrich\n")
    write_input("b.txt", "-r a.txt\nhttpx\n")
    result = run(tmp_path, tmp_path / "a.txt")
    assert [str(p.requirement) for p in result.spec.pip] == ["rich", "httpx"]
    assert "1: already read; included once" in whys(result)


def test_a_platform_without_a_pip_layer_is_dropped_for_pip_requirements(
    tmp_path: Path, write_input: WriteInput
) -> None:
    env = write_input(
        "environment.yml",
        "dependencies:\n  - numpy\n  - libxsmm  # [ppc64le]\n  - pip:\n    - requests\n",
    )
    result = run(tmp_path, env)
    assert result.spec.platforms == ("linux-64", "osx-64", "osx-arm64", "win-64")
    assert [str(p.requirement) for p in result.spec.pip] == ["requests"]
    assert any(
        r.startswith("3: dropped: the pip requirements need a pip layer, which uv compiles for")
        for r in whys(result)
    )


def test_pip_requirements_are_dropped_when_no_platform_has_a_pip_layer(
    tmp_path: Path, write_input: WriteInput
) -> None:
    power = write_input(
        "power.txt",
        f"# platform: linux-ppc64le\n@EXPLICIT\n{CF}/noarch/six-1.16.0-pyh6c4a22f_0.tar.bz2\n",
    )
    requirements = write_input("requirements.txt", "requests\n")
    result = run(tmp_path, power, requirements)
    assert result.spec.platforms == ("linux-ppc64le",)
    assert result.spec.pip == ()
    assert any(
        note.location.file.endswith("requirements.txt")
        and note.why.startswith("dropped: no platform of the spec (linux-ppc64le) can carry")
        for note in result.notes
    )
