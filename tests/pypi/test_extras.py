"""Extras of conda-provided distributions: read from the release's metadata, declared by the
stub, and honoured by uv (a requested extra adds its requirements to the pip layer)."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from uv import find_uv_bin

from hybrid.errors import BackendError
from hybrid.pypi.extras import ATTEMPTS, ExtrasReader, names_extra, release_extras
from hybrid.pypi.model import IndexOptions, ProvidedDistribution
from hybrid.pypi.stubs import write_bridge, write_stub_wheel
from tests.pages import QuietServer

API_CORE = ProvidedDistribution(
    pypi_name=canonicalize_name("google-api-core"), version="2.19.1", conda_name="google-api-core"
)
METADATA = """\
Metadata-Version: 2.1
Name: google-api-core
Version: 2.19.1
Requires-Dist: googleapis-common-protos<2.0.dev0,>=1.56.2
Requires-Dist: protobuf>=3.19.5; python_version < "3.13"
Requires-Dist: grpcio<2.0dev,>=1.33.2; extra == "grpc"
Requires-Dist: grpcio-status<2.0.dev0,>=1.33.2; extra == "grpc"
Requires-Dist: grpcio-gcp<1.0.dev0,>=0.2.2; extra == "grpcgcp"
Requires-Dist: not a requirement; extra == "broken"
Provides-Extra: grpc
Provides-Extra: GRPCGCP
Provides-Extra: broken
"""


def test_release_extras_keeps_only_requirements_of_an_extra() -> None:
    found = release_extras(METADATA)
    assert found.extras == ("broken", "grpc", "grpcgcp")
    assert [str(r) for r in found.requires] == [
        'grpcio<2.0dev,>=1.33.2; extra == "grpc"',
        'grpcio-status<2.0.dev0,>=1.33.2; extra == "grpc"',
        'grpcio-gcp<1.0.dev0,>=0.2.2; extra == "grpcgcp"',
    ]


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ('extra == "grpc"', True),
        ('python_version >= "3.11" and extra == "grpc"', True),
        ('"grpc" == extra', True),
        ('sys_platform == "extra"', False),
        ('python_version < "3.13"', False),
    ],
)
def test_names_extra(marker: str, expected: bool) -> None:
    assert names_extra(marker) is expected


class _Index:
    """A PEP 691 index on 127.0.0.1 holding google-api-core 2.19.1 (one wheel)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.metadata_status = 200
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                index.hits.append(self.path)
                wheel = "/files/google_api_core-2.19.1-py3-none-any.whl"
                if self.path == "/simple/google-api-core/":
                    files = [{"filename": wheel.rsplit("/", 1)[1], "url": wheel,
                              "hashes": {"sha256": "0" * 64}}]
                    self._send(200, json.dumps({"files": files}).encode(),
                               "application/vnd.pypi.simple.v1+json")
                elif self.path == wheel + ".metadata":
                    self._send(index.metadata_status, METADATA.encode(), "text/plain")
                else:
                    self._send(404, b"not found", "text/plain")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def index() -> Iterator[_Index]:
    served = _Index()
    thread = threading.Thread(target=served.server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()
        thread.join(timeout=5)


def test_reader_fills_in_extras_once_then_from_the_cache(index: _Index, tmp_path: Path) -> None:
    unknown = ProvidedDistribution(
        pypi_name=canonicalize_name("conda-only"), version="1.0", conda_name="conda-only"
    )
    provided = {"google-api-core": API_CORE, "conda-only": unknown}
    options = IndexOptions(index_url=index.url)
    found = ExtrasReader(options, cache_dir=tmp_path).add_extras(provided)
    assert found["google-api-core"].extras == ("broken", "grpc", "grpcgcp")
    assert Requirement('grpcio<2.0dev,>=1.33.2; extra == "grpc"') in (
        found["google-api-core"].extra_requires
    )
    assert found["conda-only"] == unknown  # not on the index: a stub without extras
    asked = len(index.hits)
    again = ExtrasReader(options, cache_dir=tmp_path).add_extras(provided)
    assert again == found
    assert len(index.hits) == asked  # a release's metadata is read once; a miss for a day


def test_offline_reads_the_cache_only(index: _Index, tmp_path: Path) -> None:
    options = IndexOptions(index_url=index.url)
    found = ExtrasReader(options, cache_dir=tmp_path, offline=True).add_extras(
        {"google-api-core": API_CORE}
    )
    assert found["google-api-core"] == API_CORE
    assert index.hits == []


def test_an_index_failure_is_tried_again_then_a_backend_error(
    index: _Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hybrid.pypi.extras.RETRY_SECONDS", 0.0)
    index.metadata_status = 503
    with pytest.raises(BackendError, match="HTTP 503"):
        ExtrasReader(IndexOptions(index_url=index.url), cache_dir=tmp_path).add_extras(
            {"google-api-core": API_CORE}
        )
    assert sum(hit.endswith(".metadata") for hit in index.hits) == ATTEMPTS


def _compile(requirement: str, provided: ProvidedDistribution, tmp_path: Path) -> str:
    """`uv pip compile` offline: the bridge, plus grpcio wheels in a second find-links."""
    bridge = write_bridge([provided], tmp_path / "work")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    # Metadata-only wheels are enough for a compile (the bridge's writer makes them).
    for name in ("grpcio", "grpcio-status"):
        write_stub_wheel(wheels, canonicalize_name(name), Version("1.60.0"), conda_name="-")
    write_stub_wheel(
        wheels, canonicalize_name("bigquery-like"), Version("1.0"), conda_name="-",
        requires=[Requirement("google-api-core[grpc]>=2")],
    )
    source = tmp_path / "requirements.in"
    source.write_text(requirement + "\n")
    finished = subprocess.run(
        [find_uv_bin(), "pip", "compile", str(source), "--no-config", "--offline", "--no-index",
         "--find-links", str(bridge.find_links), "--find-links", str(wheels),
         "--constraints", str(bridge.constraints), "--no-header", "--no-annotate",
         "--python-version", "3.11", "--cache-dir", str(tmp_path / "uv-cache")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_a_requested_extra_of_a_stub_adds_its_requirements(tmp_path: Path) -> None:
    found = release_extras(METADATA)
    stub = ProvidedDistribution(
        pypi_name=API_CORE.pypi_name, version=API_CORE.version, conda_name="google-api-core",
        extras=found.extras, extra_requires=found.requires,
    )  # fmt: skip
    pinned = _compile("bigquery-like", stub, tmp_path)
    assert "grpcio==1.60.0" in pinned and "grpcio-status==1.60.0" in pinned
    assert "google-api-core==2.19.1+conda" in pinned


def test_a_stub_without_the_extra_drops_it(tmp_path: Path) -> None:
    """What the bridge did before: uv warns and leaves grpcio out."""
    pinned = _compile("bigquery-like", API_CORE, tmp_path)
    assert "grpcio" not in pinned


def test_the_extras_a_resolver_found_undeclared_are_read_from_its_warnings() -> None:
    from hybrid.pypi.extras import missing_extras

    uv = "warning: The package `google-api-core==2.24.0+conda` does not have an extra named `grpc`"
    pip = "WARNING: Google_Api.Core 2.24.0+conda does not provide the extra 'async'"
    assert missing_extras(f"{uv}\nResolved 3 packages\n{pip}\n") == (
        ("google-api-core", "async"),
        ("google-api-core", "grpc"),
    )
    assert missing_extras("Resolved 3 packages in 10ms\n") == ()
