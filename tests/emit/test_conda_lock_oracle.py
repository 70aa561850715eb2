"""hybrid's `conda-lock.yml` writer and reader against conda-lock's own: for generated lock
records, the same bytes as conda-lock's writer, the same packages through conda-lock's parser,
and the same records back through hybrid's reader. Categories other than `main` are rendered
by `conda-lock render` as conda-lock's dev/extras switches select them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conda_lock.lockfile import parse_conda_lock_file, write_conda_lock_file
from conda_lock.lockfile.v1.models import (
    DependencySource,
    GitMeta,
    HashModel,
    InputMeta,
    TimeMeta,
)
from conda_lock.lockfile.v2prelim.models import LockedDependency, Lockfile, LockMeta
from conda_lock.models.channel import Channel
from hypothesis import given, settings
from hypothesis import strategies as st

from hybrid.emit.conda_lock_model import (
    MAIN,
    MANAGERS,
    CondaLockFile,
    GitMetadata,
    InputMetadata,
    LockChannel,
    LockHash,
    LockMetadata,
    LockPackage,
    LockSource,
    TimeMetadata,
)
from hybrid.emit.conda_lock_text import conda_lock_text
from hybrid.readback.conda_lock_file import parse_conda_lock

CONDA_FORGE = "https://conda.anaconda.org/conda-forge"

# Text as lock files hold it: names, versions, specs, URLs; with YAML 1.1 look-alikes.
_TEXT = st.one_of(
    st.from_regex(r"[A-Za-z0-9_.+-]{1,20}", fullmatch=True),
    st.sampled_from(["1.0", "24.2", "2024a", "yes", "null", "1e5", "0777", ">=1.2,<2", "*",
                     "3.11.* *_cp311", "1!2.0", "2.0.0rc1", "pkg[extra]", "a #b", "é"]),
)  # fmt: skip
_HEX = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
_CATEGORIES = st.frozensets(st.sampled_from([MAIN, "dev", "docs", "test"]), min_size=1)
_PLATFORMS = st.sampled_from(["linux-64", "osx-arm64", "win-64", "noarch"])


@st.composite
def packages(draw: st.DrawFn) -> LockPackage:
    manager = draw(st.sampled_from(MANAGERS))
    name = draw(_TEXT)
    url = draw(st.one_of(
        st.builds(lambda n: f"{CONDA_FORGE}/linux-64/{n}-1-0.conda", _TEXT),
        st.builds(lambda c: f"git+https://github.com/o/r@{c}", _HEX),
    ))  # fmt: skip
    vcs = url.startswith("git+")
    return LockPackage(
        name=name,
        version=draw(_TEXT),
        manager=manager,
        platform=draw(_PLATFORMS),
        url=url,
        hash=LockHash(
            md5=draw(_HEX) if manager == "conda" else draw(st.none() | _HEX),
            sha256=draw(st.none() | _HEX.map(lambda h: h * 2)),
        ),
        dependencies=draw(st.dictionaries(_TEXT, _TEXT, max_size=4)),
        source=LockSource(url=url) if vcs and manager == "pip" else None,
        build=draw(st.none() | _TEXT) if manager == "conda" else None,
        categories=draw(_CATEGORIES),
    )


@st.composite
def lock_files(draw: st.DrawFn) -> CondaLockFile:
    found = draw(st.lists(packages(), max_size=8, unique_by=lambda p: p.key))
    platforms = tuple(sorted({p.platform for p in found})) or ("linux-64",)
    metadata = LockMetadata(
        content_hash={p: draw(_HEX) for p in platforms},
        channels=tuple(
            LockChannel(url=url, used_env_vars=draw(st.lists(_TEXT, max_size=2).map(tuple)))
            for url in draw(st.lists(st.sampled_from(["conda-forge", CONDA_FORGE, "pytorch"]),
                                     min_size=1, max_size=2, unique=True))
        ),
        platforms=platforms,
        sources=tuple(draw(st.lists(_TEXT, max_size=2))),
        time_metadata=draw(st.none() | st.builds(TimeMetadata, created_at=_TEXT)),
        git_metadata=draw(st.none() | st.builds(GitMetadata, git_user_name=st.none() | _TEXT,
                                                git_user_email=st.none() | _TEXT,
                                                git_sha=st.none() | _HEX)),
        # both digests: conda-lock's parser refuses the `{}` its writer gives an empty one
        inputs_metadata=draw(st.none() | st.dictionaries(
            _TEXT, st.builds(InputMetadata, md5=_HEX, sha256=_HEX), max_size=2)),
        custom_metadata=draw(st.none() | st.dictionaries(_TEXT, _TEXT, max_size=2)),
    )
    return CondaLockFile(metadata=metadata, packages=tuple(found))


def conda_lock_model(lock: CondaLockFile) -> Lockfile:
    """The same records as conda-lock's own (pydantic) lock file model."""
    meta = lock.metadata
    git = meta.git_metadata
    return Lockfile(
        package=[
            LockedDependency(
                name=p.name, version=p.version, manager=p.manager, platform=p.platform,
                dependencies=dict(p.dependencies), url=p.url,
                hash=HashModel(md5=p.hash.md5, sha256=p.hash.sha256),
                source=DependencySource(type="url", url=p.source.url) if p.source else None,
                build=p.build, categories=set(p.categories),
            )
            for p in lock.packages
        ],
        metadata=LockMeta(
            content_hash=dict(meta.content_hash),
            channels=[Channel(url=c.url, used_env_vars=c.used_env_vars) for c in meta.channels],
            platforms=list(meta.platforms),
            sources=list(meta.sources),
            **({} if meta.time_metadata is None
               else {"time_metadata": TimeMeta(created_at=meta.time_metadata.created_at)}),
            **({} if git is None else {"git_metadata": GitMeta(
                git_user_name=git.git_user_name, git_user_email=git.git_user_email,
                git_sha=git.git_sha)}),
            **({} if meta.inputs_metadata is None else {"inputs_metadata": {
                k: InputMeta(md5=v.md5, sha256=v.sha256)
                for k, v in meta.inputs_metadata.items()}}),
            **({} if meta.custom_metadata is None
               else {"custom_metadata": dict(meta.custom_metadata)}),
        ),
    )  # fmt: skip


def conda_lock_writes(lock: CondaLockFile, tmp: Path) -> str:
    path = tmp / "conda-lock.yml"
    write_conda_lock_file(conda_lock_model(lock), path, metadata_choices=None,
                          include_help_text=False)  # fmt: skip
    return path.read_text(encoding="utf-8")


def view(package: Any) -> tuple[Any, ...]:
    """What both parsers agree a package is (conda-lock's record or hybrid's)."""
    source = package.source.url if package.source else None
    return (package.manager, package.name, package.platform, package.version, package.build,
            package.url, package.hash.md5, package.hash.sha256, dict(package.dependencies),
            frozenset(package.categories), source)  # fmt: skip


def without_virtual(lock: CondaLockFile) -> list[LockPackage]:
    return [p for p in lock.packages if not (p.manager == "conda" and p.name.startswith("__"))]


# conda-lock's writer and parser take ~0.1 s a file: fewer examples than the profile's.
@settings(max_examples=30)
@given(lock_files())
def test_the_same_bytes_as_conda_locks_writer(lock: CondaLockFile) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        assert conda_lock_text(lock) == conda_lock_writes(lock, Path(tmp))


@settings(max_examples=30)
@given(lock_files())
def test_conda_locks_parser_and_ours_read_the_records_written(lock: CondaLockFile) -> None:
    import tempfile

    text = conda_lock_text(lock)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "conda-lock.yml"
        path.write_text(text, encoding="utf-8")
        theirs = parse_conda_lock_file(path)
    ours = parse_conda_lock(text, path=path)
    expected = sorted(map(view, without_virtual(lock)))
    assert sorted(map(view, theirs.package)) == expected
    assert sorted(map(view, ours.packages)) == expected
    assert ours.metadata == lock.metadata
    assert [c.url for c in theirs.metadata.channels] == [c.url for c in ours.metadata.channels]


def _package(name: str, category: str) -> LockPackage:
    return LockPackage(
        name=name, version="1.0", manager="conda", platform="linux-64",
        url=f"{CONDA_FORGE}/linux-64/{name}-1.0-0.conda",
        hash=LockHash(md5="0" * 32, sha256="f" * 64), build="0",
        categories=frozenset({category}),
    )  # fmt: skip


@pytest.fixture(scope="module")
def grouped_lock(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lock with a package in each of main, dev and docs (and one in dev and docs)."""
    both = _package("shared-tool", "dev")
    lock = CondaLockFile(
        metadata=LockMetadata(content_hash={"linux-64": "0"}, channels=(LockChannel(
            url="conda-forge"),), platforms=("linux-64",), sources=("spec.yaml",)),
        packages=(_package("python", MAIN), _package("pytest", "dev"),
                  _package("sphinx", "docs"),
                  LockPackage(**{**_fields(both), "categories": frozenset({"dev", "docs"})})),
    )  # fmt: skip
    path = tmp_path_factory.mktemp("grouped") / "conda-lock.yml"
    path.write_text(conda_lock_text(lock), encoding="utf-8")
    return path


def _fields(package: LockPackage) -> dict[str, Any]:
    return {name: getattr(package, name) for name in LockPackage.__slots__}


def test_categories_round_trip_through_conda_locks_parser(grouped_lock: Path) -> None:
    parsed = {p.name: p.categories for p in parse_conda_lock_file(grouped_lock).package}
    assert parsed == {"python": {"main"}, "pytest": {"dev"}, "sphinx": {"docs"},
                      "shared-tool": {"dev", "docs"}}  # fmt: skip
    ours = parse_conda_lock(grouped_lock.read_text("utf-8"), path=grouped_lock)
    assert {p.name: set(p.categories) for p in ours.packages} == parsed


def _rendered(lock: Path, tmp: Path, kind: str, *flags: str) -> set[str]:
    """The package names `conda-lock render` writes for linux-64 with `flags`."""
    conda_lock = Path(sys.executable).with_name("conda-lock")
    subprocess.run([str(conda_lock), "render", "-k", kind, "-p", "linux-64", *flags, str(lock)],
                   cwd=tmp, check=True, capture_output=True, text=True)  # fmt: skip
    name = "conda-linux-64.lock.yml" if kind == "env" else "conda-linux-64.lock"
    text = (tmp / name).read_text(encoding="utf-8")
    names = {"python", "pytest", "sphinx", "shared-tool"}
    return {name for name in names if f"/{name}-1.0-0.conda" in text or f"- {name}=" in text}


@pytest.mark.parametrize("kind", ["explicit", "env"])
def test_conda_lock_render_selects_categories(
    grouped_lock: Path, tmp_path: Path, kind: str
) -> None:
    assert _rendered(grouped_lock, tmp_path, kind, "--no-dev-dependencies") == {"python"}
    assert _rendered(grouped_lock, tmp_path, kind) == {"python", "pytest", "shared-tool"}
    assert _rendered(grouped_lock, tmp_path, kind, "--no-dev-dependencies", "-e", "docs") == {
        "python", "sphinx", "shared-tool"
    }


def test_a_package_without_a_category_is_refused_not_dropped() -> None:
    lock = CondaLockFile(
        metadata=LockMetadata(content_hash={}, channels=(), platforms=("linux-64",), sources=()),
        packages=(LockPackage(**{**_fields(_package("python", MAIN)), "categories": frozenset()}),),
    )
    with pytest.raises(ValueError, match="without a category"):
        conda_lock_text(lock)
