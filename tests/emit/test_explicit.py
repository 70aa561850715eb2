"""conda-<platform>.lock: conda's explicit format, `URL#hash` in install order, with a header."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.devtools.local_channel import PackageSpec
from hybrid.emit.explicit import explicit_filename, render_explicit
from hybrid.emit.header import Header, read_input_hash
from tests.conda.golden import assert_golden
from tests.conda.helpers import make_channel
from tests.conftest import RunCli

GOLDEN = Path(__file__).parent / "golden" / "conda-linux-64.lock"
INPUT_HASH = "sha256:" + "cd" * 32
MD5 = "0123456789abcdef0123456789abcdef"
SHA = "f" * 64


def _package(name: str, *, md5: str | None = MD5, sha256: str | None = SHA) -> CondaPackage:
    return CondaPackage(
        name=name,
        version="1.0",
        build="0",
        build_number=0,
        subdir="linux-64",
        channel="https://conda.anaconda.org/lab",
        url=f"https://conda.anaconda.org/lab/linux-64/{name}-1.0-0.conda",
        fn=f"{name}-1.0-0.conda",
        md5=md5,
        sha256=sha256,
        depends=(),
    )


def _solution(*packages: CondaPackage) -> CondaSolution:
    request = SolveRequest(platform="linux-64", specs=(), channels=(), virtual_packages=())
    return CondaSolution(request=request, packages=packages)


def _render(*packages: CondaPackage, hash_kind: str = "md5") -> list[str]:
    header = Header(spec_name="spec.yaml", input_hash=INPUT_HASH)
    text = render_explicit(_solution(*packages), header, hash_kind=hash_kind)  # type: ignore[arg-type]
    assert text.endswith("\n") and "\r" not in text
    return text.splitlines()


def test_filename() -> None:
    assert explicit_filename("osx-arm64") == "conda-osx-arm64.lock"


def test_header_then_explicit_marker_then_packages_in_order() -> None:
    lines = _render(_package("b"), _package("a"))
    marker = lines.index("@EXPLICIT")
    assert all(line.startswith("#") for line in lines[:marker])
    assert "# platform: linux-64" in lines[:marker]
    assert "# hash: md5" in lines[:marker]
    assert read_input_hash(lines) == INPUT_HASH
    assert lines[marker + 1 :] == [
        f"https://conda.anaconda.org/lab/linux-64/b-1.0-0.conda#{MD5}",
        f"https://conda.anaconda.org/lab/linux-64/a-1.0-0.conda#{MD5}",
    ]


def test_sha256_when_asked() -> None:
    lines = _render(_package("a"), hash_kind="sha256")
    assert "# hash: sha256" in lines
    assert lines[-1] == f"https://conda.anaconda.org/lab/linux-64/a-1.0-0.conda#sha256:{SHA}"


@pytest.mark.parametrize(
    ("hash_kind", "md5", "sha256", "suffix"),
    [
        ("sha256", MD5, None, f"#{MD5}"),  # a record without sha256 falls back to md5
        ("md5", None, SHA, f"#sha256:{SHA}"),  # and one without md5 to sha256
    ],
)
def test_fallback_to_the_hash_the_record_has(
    hash_kind: str, md5: str | None, sha256: str | None, suffix: str
) -> None:
    line = _render(_package("a", md5=md5, sha256=sha256), hash_kind=hash_kind)[-1]
    assert line.endswith(suffix)


@pytest.fixture(scope="module")
def golden_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    day = 1_717_200_000_000  # 2024-06-01
    return make_channel(
        tmp_path_factory.mktemp("golden") / "channel",
        [
            PackageSpec(name="libzz", version="1.3.1", build="h4ab18f5_1", build_number=1,
                        subdir="linux-64", depends=("__glibc >=2.17",), timestamp=day),
            PackageSpec(name="zz-tools", version="2.0.0", build="h0_0", subdir="linux-64",
                        depends=("libzz >=1.3,<2",), timestamp=day),
            PackageSpec(name="zz-docs", version="2.0.0", build="pyh0_0", noarch="generic",
                        depends=("zz-tools 2.0.0",), timestamp=day),
            PackageSpec(name="zz-tools", version="1.0.0", build="h0_0", subdir="linux-64",
                        depends=("libzz",), timestamp=day),
        ],
    )  # fmt: skip


def test_golden_from_a_generated_channel(
    run_cli: RunCli, golden_channel: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nname: golden\nchannels: [golden-lab]\nplatforms: [linux-64]\n"
        "conda:\n  - zz-docs\n",
        encoding="utf-8",
    )
    result = run_cli("solve", spec, "--mirror", f"golden-lab={golden_channel}")
    assert result.exit_code == 0, result.output
    assert_golden((tmp_path / "conda-linux-64.lock").read_text(encoding="utf-8"), GOLDEN)
