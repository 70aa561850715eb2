"""Real, installable environments for install and doctor tests, built without any download.

No conda channel is reachable from the test machines, and the demo channel's `python` is a
stand-in without an interpreter. The pip layer needs a working Python *inside* the prefix,
so :func:`build_interpreter_channel` builds a channel whose ``python`` package makes the
prefix a venv of the interpreter running the tests:

* ``bin/python3.X`` is a symbolic link to the host's real binary
  (``os.path.realpath(sys._base_executable)``), ``bin/python`` and ``bin/python3`` are
  relative links to it. The package's ``info/paths.json`` lists them with
  ``path_type: softlink`` and the archive holds real symlink members; rattler's installer
  recreates them as symlinks in the prefix (checked: it copies the link, target and all, and
  records it as ``softlink`` in ``conda-meta``). No link script is needed, which matters:
  ``rattler.install`` runs none unless ``execute_link_scripts=True``.
* ``pyvenv.cfg`` (``home`` = the host binary's directory, no system site-packages) makes
  the interpreter, started through ``<prefix>/bin/python``, treat the prefix as a venv:
  ``sys.prefix`` is the prefix, the standard library comes from the host, and packages go to
  ``<prefix>/lib/python3.X/site-packages`` — exactly where conda's noarch python packages
  are linked and where uv and pip install wheels.

The ``pip`` package is the real pip of the test interpreter, repackaged as a noarch python
conda package (its dist-info says ``INSTALLER: conda``, as conda-forge's does), so
``python -m pip`` works in the prefix and ``--installer pip`` can be tested.

POSIX only (Windows would need ``python.exe`` at the prefix root and symlink privileges).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import importlib.metadata
import io
import json
import os
import sys
import tarfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rattler

from hybrid.devtools.local_channel import PackageSpec, build_channel
from tests.conftest import RunCli
from tests.pages import PageHandler, QuietServer

PY_SHORT = "{}.{}".format(*sys.version_info[:2])
PY_FULL = "{}.{}.{}".format(*sys.version_info[:3])
SUBDIR = str(rattler.Subdir.current())
CHANNEL_NAME = "hybrid-install-test"
WHEEL_NAME = "hybrid-test-greet"
WHEEL_VERSION = "1.0.0"
WHEEL_MODULE = "hybrid_test_greet"
BROKEN_NAME = "hybrid-test-broken"
MTIME = 1_704_067_200

posix_only = pytest.mark.skipif(os.name == "nt", reason="the interpreter trick needs POSIX")


def _has_pip() -> bool:
    try:
        importlib.metadata.distribution("pip")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


HAVE_PIP = _has_pip()
needs_pip = pytest.mark.skipif(not HAVE_PIP, reason="the test interpreter has no pip to repackage")


@dataclass(frozen=True, kw_only=True, slots=True)
class RawPackage:
    """A conda package with binary files and symbolic links (``local_channel`` has text only)."""

    name: str
    version: str
    build: str = "0"
    subdir: str = "noarch"
    depends: tuple[str, ...] = ()
    files: Mapping[str, bytes] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}-{self.build}.tar.bz2"

    def index_json(self) -> dict[str, object]:
        index: dict[str, object] = {
            "build": self.build, "build_number": 0, "constrains": [],
            "depends": list(self.depends), "name": self.name, "subdir": self.subdir,
            "version": self.version,
        }
        if self.subdir == "noarch":
            index["noarch"] = "python"
        else:
            index["platform"], index["arch"] = _platform_arch(self.subdir)
        return index


def _platform_arch(subdir: str) -> tuple[str, str]:
    family, arch = subdir.split("-")
    return family, {"64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}[arch]


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode()


def _info(package: RawPackage) -> dict[str, bytes]:
    entries: list[dict[str, object]] = [
        {"_path": path, "path_type": "hardlink", "sha256": hashlib.sha256(data).hexdigest(),
         "size_in_bytes": len(data)}
        for path, data in package.files.items()
    ]
    entries += [{"_path": path, "path_type": "softlink", "size_in_bytes": 0}
                for path in package.links]
    entries.sort(key=lambda entry: str(entry["_path"]))
    info = {
        "info/index.json": _json(package.index_json()),
        "info/paths.json": _json({"paths": entries, "paths_version": 1}),
        "info/files": "".join(f"{e['_path']}\n" for e in entries).encode(),
    }
    if package.subdir == "noarch":
        info["info/link.json"] = _json({"noarch": {"type": "python"},
                                        "package_metadata_version": 1})
    return info


def write_raw_package(package: RawPackage, channel: Path) -> Path:
    """Write ``package`` as a ``.tar.bz2`` into ``channel/<subdir>``; symlinks stay symlinks."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:bz2", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted({**package.files, **_info(package)}.items()):
            member = tarfile.TarInfo(name)
            member.size, member.mtime, member.mode = len(data), MTIME, 0o644
            tar.addfile(member, io.BytesIO(data))
        for name, target in sorted(package.links.items()):
            member = tarfile.TarInfo(name)
            member.type, member.linkname, member.mtime, member.mode = (
                tarfile.SYMTYPE, target, MTIME, 0o777,
            )
            tar.addfile(member)
    target_dir = channel / package.subdir
    target_dir.mkdir(parents=True, exist_ok=True)
    archive = target_dir / package.filename
    archive.write_bytes(buffer.getvalue())
    return archive


def interpreter_package() -> RawPackage:
    """``python`` = the host interpreter, seen from the prefix as a venv."""
    real = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    cfg = (f"home = {os.path.dirname(real)}\ninclude-system-site-packages = false\n"
           f"version = {PY_FULL}\n")
    return RawPackage(
        name="python", version=PY_FULL, build="h0_0_cpython", subdir=SUBDIR,
        files={"pyvenv.cfg": cfg.encode()},
        links={f"bin/python{PY_SHORT}": real, "bin/python3": f"python{PY_SHORT}",
               "bin/python": f"python{PY_SHORT}"},
    )


def pip_package() -> RawPackage:
    """The test interpreter's own pip as a noarch python conda package (a stub without it)."""
    if not HAVE_PIP:
        info = "site-packages/pip-0.0.dist-info"
        return RawPackage(name="pip", version="0.0", build="pyh0_0", files={
            f"{info}/METADATA": b"Metadata-Version: 2.1\nName: pip\nVersion: 0.0\n",
            f"{info}/INSTALLER": b"conda\n", "site-packages/pip/__init__.py": b"",
        })
    dist = importlib.metadata.distribution("pip")
    files: dict[str, bytes] = {}
    for entry in dist.files or ():
        parts = entry.parts
        if ".." in parts or "__pycache__" in parts or entry.name in ("RECORD", "INSTALLER"):
            continue
        files[f"site-packages/{entry.as_posix()}"] = Path(str(dist.locate_file(entry))).read_bytes()
    info = f"site-packages/pip-{dist.version}.dist-info"
    files[f"{info}/INSTALLER"] = b"conda\n"
    return RawPackage(name="pip", version=dist.version, build="pyh0_0",
                      depends=("python >=3.9",), files=files)


def build_interpreter_channel(root: Path, extra: list[PackageSpec] | None = None) -> Path:
    """A channel with a working ``python``, real ``pip`` and ``extra`` packages, indexed."""
    write_raw_package(interpreter_package(), root)
    write_raw_package(pip_package(), root)
    greeting = PackageSpec(
        name="hybrid-test-conda-hello", version="1.0", noarch="python", depends=("python",),
        files={
            "site-packages/hybrid_test_conda_hello/__init__.py": 'WHO = "conda"\n',
            "site-packages/hybrid_test_conda_hello-1.0.dist-info/METADATA":
                "Metadata-Version: 2.1\nName: hybrid-test-conda-hello\nVersion: 1.0\n",
            "site-packages/hybrid_test_conda_hello-1.0.dist-info/INSTALLER": "conda\n",
            "site-packages/hybrid_test_conda_hello-1.0.dist-info/WHEEL":
                "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        },
    )
    return build_channel(root, [greeting, *(extra or [])])


# -- tiny pure-Python wheels, served by a package index on localhost ---------------------------


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(directory: Path, *, name: str = WHEEL_NAME, version: str = WHEEL_VERSION,
                module: str = WHEEL_MODULE, body: str | None = None,
                requires: tuple[str, ...] = ()) -> Path:
    """A valid ``py3-none-any`` wheel with one module (and `requires` as Requires-Dist)."""
    stem = name.replace("-", "_")
    dist_info = f"{stem}-{version}.dist-info"
    members = {
        f"{module}/__init__.py": (body or f'def greet() -> str:\n    return "hi from {name}"\n'
                                  ).encode(),
        f"{dist_info}/METADATA": (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                  + "".join(f"Requires-Dist: {r}\n" for r in requires)
                                  ).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hybrid-tests\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in members.items())
    members[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
    return path


class _IndexHandler(PageHandler):
    """PEP 691 JSON (and PEP 503 HTML) pages for the wheels in ``server.wheels``."""

    server: _IndexServer

    def do_GET(self) -> None:
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if len(parts) == 2 and parts[0] == "files" and parts[1] in self.server.wheels:
            self.send_page(self.server.wheels[parts[1]].read_bytes(), "application/octet-stream")
        elif len(parts) == 2 and parts[0] == "simple":
            self._project(parts[1])
        else:
            self.send_error(404)

    def _project(self, project: str) -> None:
        files = [(name, hashlib.sha256(path.read_bytes()).hexdigest())
                 for name, path in sorted(self.server.wheels.items())
                 if name.split("-")[0].replace("_", "-").lower() == project]
        if not files:
            self.send_error(404)
        elif "json" in self.headers.get("Accept", ""):
            body = {"meta": {"api-version": "1.0"}, "name": project, "files": [
                {"filename": n, "url": f"/files/{n}", "hashes": {"sha256": h}} for n, h in files]}
            self.send_page(json.dumps(body).encode(), "application/vnd.pypi.simple.v1+json")
        else:
            links = "".join(f'<a href="/files/{n}#sha256={h}">{n}</a>\n' for n, h in files)
            self.send_page(f"<html><body>\n{links}</body></html>\n".encode(), "text/html")



class _IndexServer(QuietServer):
    wheels: dict[str, Path]


def _start(server: http.server.ThreadingHTTPServer) -> Callable[[], None]:
    """Serve in a daemon thread; returns the function that stops the server."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return stop


def start_index(wheels: list[Path]) -> tuple[str, Callable[[], None]]:
    """Serve ``wheels`` as a package index on localhost: (its ``/simple`` URL, stop)."""
    server = _IndexServer(("127.0.0.1", 0), _IndexHandler)
    server.wheels = {wheel.name: wheel for wheel in wheels}
    return f"http://127.0.0.1:{server.server_address[1]}/simple", _start(server)


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` (a channel) over HTTP on localhost; yields its URL."""
    handler = functools.partial(_QuietFiles, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    stop = _start(server)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop()


# tests/cli/test_install.py and test_doctor.py import these fixtures, which registers them a
# second time; the session-wide results are memoized here so each is built once per run.
_SESSION: dict[str, str] = {}


@pytest.fixture(scope="session", name="interpreter_channel")
def interpreter_channel_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The channel with a real interpreter, built once per session."""
    if "channel" not in _SESSION:
        root = tmp_path_factory.mktemp("interpreter-channel")
        _SESSION["channel"] = str(build_interpreter_channel(root))
    return Path(_SESSION["channel"])


@pytest.fixture(scope="session", name="local_index")
def local_index_fixture(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    """A package index on localhost serving two tiny wheels (no network needed).

    A server rather than a ``file://`` directory or ``find-links``: hybrid reads the PEP 691
    JSON pages of the index to pick each pin's artifact for ``conda-lock.yml``.
    """
    if "index" not in _SESSION:
        directory = tmp_path_factory.mktemp("wheels")
        wheels = [
            build_wheel(directory),
            build_wheel(directory, name=BROKEN_NAME, module="hybrid_test_broken",
                        body='raise RuntimeError("this module refuses to be imported")\n'),
        ]
        _SESSION["index"], stop = start_index(wheels)
        request.addfinalizer(stop)
    return _SESSION["index"]


SPEC_TEMPLATE = """\
version: 1
name: install-test
channels: [{channel}]
platforms: [{platform}]
python: "{python}"
conda:
  - hybrid-test-conda-hello
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Project:
    """A solved spec: its path and the ``--mirror`` option that reaches its channel."""

    spec: Path
    mirror: tuple[str, str]

    @property
    def directory(self) -> Path:
        return self.spec.parent


MakeProject = Callable[..., Project]


def spec_text(*, pip: tuple[str, ...], index: str | None, extra: str = "") -> str:
    """A spec for the interpreter channel with the pip layer ``pip`` read from ``index``."""
    text = SPEC_TEMPLATE.format(channel=CHANNEL_NAME, platform=SUBDIR, python=PY_SHORT)
    if pip:
        text += "pip:\n" + "".join(f"  - {p}\n" for p in pip)
    if index:
        text += f'pip-index: {{index-url: "{index}"}}\n'
    return text + extra


@pytest.fixture(name="make_project")
def make_project_fixture(
    tmp_path: Path, interpreter_channel: Path, local_index: str, run_cli: RunCli
) -> MakeProject:
    """Write a spec for the interpreter channel (read through ``--mirror``) and solve it.

    ``index`` defaults to the local index server; pass ``None`` explicitly with
    ``default_index=True`` to use the real package index.
    """

    def make(*, pip: tuple[str, ...] = (WHEEL_NAME,), default_index: bool = False,
             folder: str = "project", extra: str = "") -> Project:
        directory = tmp_path / folder
        directory.mkdir()
        spec = directory / "spec.yaml"
        index = None if default_index else local_index
        spec.write_text(spec_text(pip=pip, index=index, extra=extra), encoding="utf-8")
        mirror = ("--mirror", f"{CHANNEL_NAME}={interpreter_channel}")
        solved = run_cli("solve", spec, *mirror)
        assert solved.exit_code == 0, solved.output
        return Project(spec=spec, mirror=mirror)

    return make
