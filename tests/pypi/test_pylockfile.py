"""Reading uv's pylock.toml into pins with their files; the previous pins written back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.version import Version

from hybrid.errors import BackendError
from hybrid.pypi.model import IndexOptions, PinnedDistribution
from hybrid.pypi.pylockfile import index_of, layer_pins, read_pylock, write_preferences

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PYPI_FILES = "https://files.pythonhosted.org/packages/ab/cd"
LOCK = f"""\
lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.11"

[[packages]]
name = "numpy"
version = "2.2.6"
[packages.sdist]
url = "{PYPI_FILES}/numpy-2.2.6.tar.gz"
hashes = {{ sha256 = "{"0" * 64}" }}
[[packages.wheels]]
url = "{PYPI_FILES}/numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.whl"
hashes = {{ sha256 = "{"1" * 64}" }}

[[packages]]
name = "torch"
version = "2.6.0+cpu"
[[packages.wheels]]
url = "https://download.pytorch.org/whl/cpu/torch-2.6.0%2Bcpu-cp311-cp311-linux_x86_64.whl"
hashes = {{ sha256 = "{"2" * 64}" }}

[[packages]]
name = "pandas"
version = "2.2.3+conda"
[[packages.wheels]]
path = "stubs/pandas-2.2.3+conda-py3-none-any.whl"
hashes = {{ sha256 = "{"3" * 64}" }}

[[packages]]
name = "labtool"
version = "0.3.0"
[packages.sdist]
url = "https://user:tok@private.example.org/files/labtool-0.3.0.tar.gz"
hashes = {{ sha256 = "{"4" * 64}" }}

[[packages]]
name = "tinypkg"
version = "0.1.0"
[packages.vcs]
type = "git"
url = "https://github.com/o/tinypkg"
requested-revision = "v0.1.0"
commit-id = "{COMMIT}"

[[packages]]
name = "tinywheel"
version = "1.0"
[packages.archive]
path = "wheels/tinywheel-1.0-py3-none-any.whl"
hashes = {{ sha256 = "{"5" * 64}" }}
"""
INDEXES = ["https://pypi.org/simple", "https://user:tok@private.example.org/simple"]
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture
def pins(tmp_path: Path) -> dict[str, PinnedDistribution]:
    path = tmp_path / "pylock.toml"
    path.write_text(LOCK, encoding="utf-8")
    found = layer_pins(read_pylock(path), may_build=("labtool",), indexes=INDEXES,
                       index=IndexOptions(), workdir=tmp_path, elsewhere=TORCH_INDEX)
    assert [pin.name for pin in found] == sorted(pin.name for pin in found)
    return {pin.name: pin for pin in found}


def test_registry_pins_carry_their_wheels_and_hashes(pins: dict[str, PinnedDistribution]) -> None:
    numpy = pins["numpy"]
    assert numpy.version == Version("2.2.6")
    assert [f.filename for f in numpy.files] == [
        "numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.whl"]  # no sdist: numpy is no pip-build
    assert numpy.hashes == (f"sha256:{'1' * 64}",)
    assert numpy.index_url == "https://pypi.org/simple"  # PyPI's files host is PyPI's
    # On no host of the spec's indexes: from the variant's PyTorch index.
    assert pins["torch"].index_url == TORCH_INDEX


def test_an_sdist_is_kept_for_a_package_that_may_be_built(
    pins: dict[str, PinnedDistribution],
) -> None:
    (sdist,) = pins["labtool"].files
    assert sdist.url == "https://private.example.org/files/labtool-0.3.0.tar.gz"
    assert not sdist.is_wheel and sdist.sha256 == "4" * 64
    assert pins["labtool"].index_url == "https://private.example.org/simple"


def test_stubs_are_left_out_and_direct_references_pinned(
    pins: dict[str, PinnedDistribution], tmp_path: Path
) -> None:
    assert "pandas" not in pins
    assert pins["tinypkg"].url == f"git+https://github.com/o/tinypkg@{COMMIT}"
    assert pins["tinypkg"].hashes == () and pins["tinypkg"].version == Version("0.1.0")
    wheel = tmp_path / "wheels" / "tinywheel-1.0-py3-none-any.whl"
    assert pins["tinywheel"].url == wheel.as_uri()
    assert pins["tinywheel"].hashes == (f"sha256:{'5' * 64}",)


def test_previous_pins_round_trip_as_a_pylock(tmp_path: Path) -> None:
    previous = [PinnedDistribution(name="six", version=Version("1.15.0")),
                PinnedDistribution(name="a-b", version=Version("1!2.0.post1")),
                PinnedDistribution(name="vcs", version=Version("1"), url="git+https://h/r@x")]
    written = write_preferences(previous, tmp_path / "pylock.toml")
    lock = tomllib.loads(written.read_text(encoding="utf-8"))
    assert lock["lock-version"] == "1.0"
    assert [(p["name"], Version(p["version"])) for p in lock["packages"]] == [
        (p.name, p.version) for p in sorted(previous[:2], key=lambda p: p.name)]


def test_a_file_that_is_no_lock_is_a_backend_error(tmp_path: Path) -> None:
    path = tmp_path / "pylock.toml"
    path.write_text('lock-version = "9"\ncreated-by = "x"\n', encoding="utf-8")
    with pytest.raises(BackendError, match=r"pylock\.toml"):
        read_pylock(path)


def test_index_of_takes_the_longest_path_on_the_same_host() -> None:
    indexes = ["https://download.pytorch.org/whl/cu126", "https://download.pytorch.org/whl/cpu"]
    url = "https://download.pytorch.org/whl/cpu/torch-2.6.0%2Bcpu-cp311-none-any.whl"
    assert index_of([url], indexes) == "https://download.pytorch.org/whl/cpu"
    assert index_of(["https://elsewhere.example.org/x.whl"], indexes) is None
    assert index_of(["http://127.0.0.1:8001/files/x.whl"],
                    ["http://127.0.0.1:8000/simple", "http://127.0.0.1:8001/simple"]) == (
        "http://127.0.0.1:8001/simple")
