"""Choosing the one file each pip pin installs per platform, for `conda-lock.yml`."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import parse_wheel_filename
from packaging.version import Version

from hybrid.errors import BackendError, UnsatisfiableError
from hybrid.pypi.artifacts import (
    SIMPLE_JSON,
    ArtifactSelector,
    platform_tags,
    select_artifacts,
    target_tags,
)
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipArtifact,
    PipFile,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.resolver import CompileRequest, get_resolver
from tests.conftest import RunCli, WriteSpec

LINUX = PipTarget(platform="linux-64", python_version="3.11.9")
WINDOWS = PipTarget(platform="win-64", python_version="3.11.9")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- tags --------------------------------------------------------------------------------


def test_linux_platform_tags_go_down_from_the_glibc_floor() -> None:
    tags = platform_tags(LINUX)  # glibc defaults to 2.28
    assert tags[0] == "manylinux_2_28_x86_64"
    assert tags[-1] == "linux_x86_64"
    for alias, level in (("manylinux2014", 17), ("manylinux2010", 12), ("manylinux1", 5)):
        assert tags.index(f"{alias}_x86_64") == tags.index(f"manylinux_2_{level}_x86_64") + 1
    old = platform_tags(PipTarget(platform="linux-64", python_version="3.11", glibc="2.17"))
    assert old[:2] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    arm = platform_tags(PipTarget(platform="linux-aarch64", python_version="3.11"))
    assert "manylinux2014_aarch64" in arm
    assert not any(tag.startswith(("manylinux2010", "manylinux1")) for tag in arm)


def test_macos_and_windows_platform_tags() -> None:
    mac = platform_tags(PipTarget(platform="osx-arm64", python_version="3.11", macos="11.0"))
    assert mac[:2] == ["macosx_11_0_arm64", "macosx_11_0_universal2"]
    assert not any(tag.startswith("macosx_12") or tag.endswith("x86_64") for tag in mac)
    intel = platform_tags(PipTarget(platform="osx-64", python_version="3.11", macos="10.15"))
    assert intel[0] == "macosx_10_15_x86_64"
    assert "macosx_10_9_x86_64" in intel
    assert platform_tags(WINDOWS) == ["win_amd64"]


def test_target_tags_put_the_exact_interpreter_first() -> None:
    tags = target_tags(WINDOWS)
    assert tags[0] == Tag("cp311", "cp311", "win_amd64")
    assert tags.index(Tag("cp311", "abi3", "win_amd64")) < tags.index(Tag("py3", "none", "any"))
    assert Tag("cp38", "abi3", "win_amd64") in tags
    assert not any(tag.interpreter == "cp312" for tag in tags)
    assert Tag("cp311", "cp311", "manylinux_2_17_x86_64") in target_tags(LINUX)


# --- selection, against a fake index -----------------------------------------------------

DEMO_FILES = [
    "demo-1.0.tar.gz",
    "demo-1.0-py3-none-any.whl",
    "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "demo-1.0-cp312-cp312-win_amd64.whl",
    "demo-1.0-cp311-cp311-musllinux_1_1_x86_64.whl",
    "demo-0.9-py3-none-any.whl",  # another version, same hash set: never chosen
]


class FakeIndex:
    """Serves PEP 691 pages from a dict {(host, project): [(filename, url)]}; records calls."""

    def __init__(self, pages: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        self.pages = pages
        self.requests: list[urllib.request.Request] = []

    def __call__(self, request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        self.requests.append(request)
        parts = request.full_url.split("/")
        files = self.pages.get((parts[2], parts[-2]))
        if files is None:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", Message(), None)
        body = {"meta": {"api-version": "1.1"}, "name": parts[-2], "files": [
            {"filename": name, "url": url, "hashes": {"sha256": _sha(name)}}
            for name, url in files]}
        return json.dumps(body).encode(), SIMPLE_JSON


def _pin(
    name: str, version: str, files: list[str], index_url: str | None = None
) -> PinnedDistribution:
    hashes = tuple(sorted({f"sha256:{_sha(f)}" for f in files}))
    return PinnedDistribution(name=name, version=Version(version), hashes=hashes,
                              index_url=index_url)


def _result(
    target: PipTarget, *pins: PinnedDistribution, may_build: tuple[str, ...] = ()
) -> PipLayerResult:
    return PipLayerResult(target=target, pins=tuple(sorted(pins, key=lambda p: p.name)),
                          resolver="uv", may_build=may_build)


@pytest.fixture
def demo_index() -> FakeIndex:
    return FakeIndex({("pypi.org", "demo"): [(name, f"../../files/{name}")
                                            for name in DEMO_FILES]})


def test_best_wheel_else_sdist_and_one_fetch_per_project(demo_index: FakeIndex) -> None:
    selector = ArtifactSelector(IndexOptions(), fetch=demo_index)
    pin = _pin("demo", "1.0", DEMO_FILES)
    linux = selector.select(_result(LINUX, pin))
    windows = selector.select(_result(WINDOWS, pin))
    assert linux == (PipArtifact(
        platform="linux-64", name="demo", version="1.0",
        url=f"https://pypi.org/files/{DEMO_FILES[2]}", sha256=_sha(DEMO_FILES[2])),)
    assert windows[0].url.endswith("/demo-1.0-py3-none-any.whl")  # the cp312 wheel does not fit
    assert len(demo_index.requests) == 1
    assert demo_index.requests[0].full_url == "https://pypi.org/simple/demo/"
    assert (demo_index.requests[0].get_header("Accept") or "").startswith(SIMPLE_JSON + ", ")
    sdist_only = _pin("demo", "1.0", [DEMO_FILES[0], DEMO_FILES[3]])
    built = selector.select(_result(LINUX, sdist_only, may_build=("demo",)))
    assert built[0].url.endswith("/demo-1.0.tar.gz")


def test_an_sdist_of_a_package_not_let_be_built_is_unsatisfiable(demo_index: FakeIndex) -> None:
    sdist_only = _pin("demo", "1.0", [DEMO_FILES[0], DEMO_FILES[3]])
    with pytest.raises(UnsatisfiableError, match=r"demo 1\.0 has no wheel for linux-64") as caught:
        ArtifactSelector(IndexOptions(), fetch=demo_index).select(_result(LINUX, sdist_only))
    assert "pip-build: [demo]" in (caught.value.hint or "")


def test_no_fitting_file_names_the_pin_and_the_platform(demo_index: FakeIndex) -> None:
    pin = _pin("demo", "1.0", [DEMO_FILES[3]])  # only the cp312 Windows wheel is pinned
    with pytest.raises(BackendError, match=r"demo 1\.0 fits linux-64"):
        ArtifactSelector(IndexOptions(), fetch=demo_index).select(_result(LINUX, pin))


def test_credentials_authenticate_but_never_appear_in_the_output() -> None:
    index = IndexOptions(index_url="https://user:t0ken@first.example.org/simple",
                         extra_index_urls=("https://bot:s3cret@second.example.org/simple/",))
    wheel = "demo-1.0-py3-none-any.whl"
    fake = FakeIndex({
        ("second.example.org", "demo"): [(wheel, f"https://bot:s3cret@files.example.org/{wheel}")],
        ("first.example.org", "other"): [("other-2.0.tar.gz", "/packages/other-2.0.tar.gz#x=1")],
    })
    artifacts = ArtifactSelector(index, fetch=fake).select(
        _result(LINUX, _pin("demo", "1.0", [wheel]), _pin("other", "2.0", ["other-2.0.tar.gz"]),
                may_build=("other",)))
    assert [a.url for a in artifacts] == [f"https://files.example.org/{wheel}",
                                          "https://first.example.org/packages/other-2.0.tar.gz"]
    assert sorted(r.full_url for r in fake.requests) == [  # pins are looked up concurrently
        "https://first.example.org/simple/demo/", "https://first.example.org/simple/other/",
        "https://second.example.org/simple/demo/"]
    auth = {r.full_url: base64.b64decode(r.get_header("Authorization", "")[6:])
            for r in fake.requests}
    assert auth == {"https://first.example.org/simple/demo/": b"user:t0ken",
                    "https://second.example.org/simple/demo/": b"bot:s3cret",
                    "https://first.example.org/simple/other/": b"user:t0ken"}
    assert not any(secret in repr(artifacts) for secret in ("user", "t0ken", "bot", "s3cret"))


def test_the_pins_own_index_is_asked_first() -> None:
    index = IndexOptions(extra_index_urls=("https://tok@extra.example.org/simple",))
    fake = FakeIndex({("extra.example.org", "demo"): [("demo-1.0.tar.gz", "demo-1.0.tar.gz")]})
    pin = _pin("demo", "1.0", ["demo-1.0.tar.gz"], index_url="https://extra.example.org/simple")
    (artifact,) = ArtifactSelector(index, fetch=fake).select(
        _result(LINUX, pin, may_build=("demo",)))
    assert artifact.url == "https://extra.example.org/simple/demo/demo-1.0.tar.gz"
    assert [r.full_url for r in fake.requests] == ["https://extra.example.org/simple/demo/"]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (urllib.error.URLError("https://user:t0ken@first.example.org refused"), "refused"),
        (urllib.error.HTTPError("https://first.example.org/simple/demo/", 401, "Unauthorized",
                                Message(), io.BytesIO()), "HTTP 401"),
        (TimeoutError("timed out"), "timed out"),
    ],
)
def test_network_failures_name_the_index_without_credentials(
    error: Exception, expected: str
) -> None:
    def failing(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        raise error

    index = IndexOptions(index_url="https://user:t0ken@first.example.org/simple")
    with pytest.raises(BackendError) as caught:
        ArtifactSelector(index, fetch=failing).select(_result(LINUX, _pin("demo", "1.0", ["x"])))
    assert "first.example.org/simple/demo/" in str(caught.value)
    assert expected in str(caught.value)
    assert "t0ken" not in str(caught.value)


def test_an_html_only_index_is_read() -> None:
    """PEP 503 pages (what pip needs) are enough: the files and their `#sha256=` fragments."""
    wheel, other = "demo-1.0-py3-none-any.whl", "demo-1.0-cp312-cp312-win_amd64.whl"
    page = (f'<html><body><a href="../../files/{wheel}#sha256={_sha(wheel)}">{wheel}</a>'
            f'<a href="/files/{other}#sha256={_sha(other)}">{other}</a>'
            '<a href="/files/demo-1.0.tar.gz">no hash, so never locked</a></body></html>')

    def html(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        return page.encode(), "text/html"

    selector = ArtifactSelector(IndexOptions(), fetch=html)
    (artifact,) = selector.select(_result(LINUX, _pin("demo", "1.0", [wheel, other])))
    assert (artifact.url, artifact.sha256) == (f"https://pypi.org/files/{wheel}", _sha(wheel))
    assert [f.filename for f in selector.files("https://pypi.org/simple", "demo")] == [
        wheel, other]


def test_a_remote_find_links_page_is_read_once_per_project() -> None:
    wheel = "demo-1.0-py3-none-any.whl"
    page = (f'<a href="{wheel}#sha256={_sha(wheel)}">{wheel}</a>\n'
            f'<a href="other-2.0-py3-none-any.whl#sha256={_sha("x")}">other</a>\n')
    asked: list[str] = []

    def links(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        asked.append(request.full_url)
        if "example.org/wheels" not in request.full_url:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", Message(), None)
        return page.encode(), "text/html"

    index = IndexOptions(find_links=("https://example.org/wheels/",))
    (artifact,) = ArtifactSelector(index, fetch=links).select(
        _result(LINUX, _pin("demo", "1.0", [wheel])))
    assert artifact.url == f"https://example.org/wheels/{wheel}"
    assert asked == ["https://pypi.org/simple/demo/", "https://example.org/wheels/"]


def test_pins_with_files_need_no_index() -> None:
    """uv's answer names each pin's files; nothing is fetched, the best-tagged one wins."""
    files = tuple(PipFile(filename=name, url=f"https://files.example.org/{name}",
                          sha256=_sha(name)) for name in DEMO_FILES[:5])
    pin = PinnedDistribution(name="demo", version=Version("1.0"), files=files,
                             hashes=tuple(sorted(f"sha256:{f.sha256}" for f in files)))

    def never(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        raise AssertionError("a pin with files is not looked up")

    selector = ArtifactSelector(IndexOptions(), fetch=never, offline=True)
    (linux,) = selector.select(_result(LINUX, pin))
    (windows,) = selector.select(_result(WINDOWS, pin))
    assert linux.url.endswith(DEMO_FILES[2]) and windows.url.endswith(DEMO_FILES[1])


def test_offline_reads_no_page() -> None:
    def never(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        raise AssertionError("offline")

    selector = ArtifactSelector(IndexOptions(), fetch=never, offline=True)
    with pytest.raises(BackendError, match="offline: the files of demo"):
        selector.select(_result(LINUX, _pin("demo", "1.0", ["demo-1.0-py3-none-any.whl"])))


def test_direct_references() -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    pins = (
        PinnedDistribution(name="archive", version=Version("1.0"), hashes=("sha256:" + "a" * 64,),
                           url="https://host/archive-1.0-py3-none-any.whl#sha256=" + "a" * 64),
        PinnedDistribution(name="vcs", version=Version("0.1"),
                           url=f"git+https://github.com/o/vcs.git@{commit}"),
    )
    def never(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
        raise AssertionError("direct references are not looked up")

    archive, vcs = ArtifactSelector(IndexOptions(), fetch=never).select(_result(LINUX, *pins))
    assert (archive.url, archive.sha256) == ("https://host/archive-1.0-py3-none-any.whl", "a" * 64)
    assert (vcs.url, vcs.sha256) == (f"git+https://github.com/o/vcs.git@{commit}", commit)
    folder = PinnedDistribution(name="local", version=Version("1"), url="file:///src/local")
    with pytest.raises(BackendError, match="local @ file:///src/local has no sha256 for linux-64"):
        ArtifactSelector(IndexOptions(), fetch=never).select(_result(LINUX, folder))


# --- the real index, with pins from the real resolver ------------------------------------

EXPECTED_NUMPY_PLATFORM = {"linux-64": ("manylinux", "x86_64"), "osx-arm64": ("macosx", "arm64"),
                           "win-64": ("win_amd64", "win_amd64")}


@pytest.fixture(scope="module")
def real_artifacts(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[PipLayerResult, tuple[PipArtifact, ...]]]:
    selector = ArtifactSelector(IndexOptions())
    out = {}
    for platform in EXPECTED_NUMPY_PLATFORM:
        result = get_resolver("uv").compile(CompileRequest(
            requirements=(Requirement("numpy==2.1.3"), Requirement("six")),
            target=PipTarget(platform=platform, python_version="3.11.9"),
            workdir=tmp_path_factory.mktemp(f"compile-{platform}"),
        ))
        out[platform] = (result, selector.select(result))
    return out


@pytest.mark.network
@pytest.mark.parametrize("platform", sorted(EXPECTED_NUMPY_PLATFORM))
def test_real_pins_get_the_platforms_wheel(
    platform: str, real_artifacts: dict[str, tuple[PipLayerResult, tuple[PipArtifact, ...]]]
) -> None:
    result, artifacts = real_artifacts[platform]
    by_name = {artifact.name: artifact for artifact in artifacts}
    assert list(by_name) == ["numpy", "six"]
    for pin in result.pins:
        assert f"sha256:{by_name[pin.name].sha256}" in pin.hashes
        assert by_name[pin.name].version == str(pin.version)
        assert by_name[pin.name].platform == platform
    numpy_tags = parse_wheel_filename(Path(by_name["numpy"].url).name)[3]
    family, arch = EXPECTED_NUMPY_PLATFORM[platform]
    assert all(tag.interpreter == tag.abi == "cp311" for tag in numpy_tags)
    assert any(tag.platform.startswith(family) and tag.platform.endswith(arch)
               for tag in numpy_tags)
    assert Tag("py3", "none", "any") in parse_wheel_filename(Path(by_name["six"].url).name)[3]
    assert by_name["numpy"].url.startswith("https://files.pythonhosted.org/")


@pytest.mark.network
def test_the_selected_file_has_the_recorded_hash(
    real_artifacts: dict[str, tuple[PipLayerResult, tuple[PipArtifact, ...]]],
) -> None:
    six = next(a for a in real_artifacts["linux-64"][1] if a.name == "six")
    with urllib.request.urlopen(six.url, timeout=60) as response:
        assert hashlib.sha256(response.read()).hexdigest() == six.sha256


@pytest.mark.network
def test_select_artifacts_is_the_one_call_form() -> None:
    six_files = ArtifactSelector(IndexOptions()).files("https://pypi.org/simple", "six")
    wheel = next(f for f in six_files if f.filename == "six-1.16.0-py2.py3-none-any.whl")
    pin = PinnedDistribution(name="six", version=Version("1.16.0"),
                             hashes=(f"sha256:{wheel.sha256}",))
    assert select_artifacts(_result(WINDOWS, pin), IndexOptions())[0].url == wheel.url


def test_local_find_links_wheels_get_file_urls(
    run_cli: RunCli,
    write_spec: WriteSpec,
    demo_channel: Path,
    make_wheel: Callable[..., Path],
    tmp_path: Path,
) -> None:
    """An offline lab's own wheels: the unified lock points at the local files."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = make_wheel(wheels, "labtool", "0.3.0", [])
    spec = write_spec(
        "version: 1\nname: t\nchannels: [hybrid-demo]\nplatforms: [linux-64, osx-arm64]\n"
        'python: "3.11"\nconda:\n  - numpy\npip:\n  - labtool\n'
        f"pip-index:\n  index-url: {wheels.as_uri()}\n  find-links: ['{wheels}']\n"
    )
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    lock = (spec.parent / "conda-lock.yml").read_text(encoding="utf-8")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert lock.count(f"url: {wheel.resolve().as_uri()}") == 2
    assert lock.count(f"sha256: {digest}") == 2
