"""A PEP 503 package index with no JSON API, served on localhost, and the small wheels and
sdists it serves (written here, no download): what pip accepts and hybrid must too."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.pages import PageHandler


def wheel(directory: Path, name: str, version: str, tag: str, requires: tuple[str, ...] = ()
          ) -> Path:
    """A wheel of one empty module; its tag (`py3-none-any`, `py3-none-manylinux_2_28_x86_64`)
    says where it installs."""
    dist_info = f"{name}-{version}.dist-info"
    metadata = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                        *(f"Requires-Dist: {r}\n" for r in requires)])
    members = {
        f"{name}/__init__.py": "",
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": f"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: {tag}\n",
        f"{dist_info}/RECORD": "",
    }
    path = directory / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in members.items():
            archive.writestr(zipfile.ZipInfo(member, (2024, 1, 1, 0, 0, 0)), text)
    return path


def sdist(directory: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """An sdist holding only its PKG-INFO (uv reads the metadata of the release's wheel)."""
    info = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                    *(f"Requires-Dist: {r}\n" for r in requires)]).encode()
    path = directory / f"{name}-{version}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        member = tarfile.TarInfo(f"{name}-{version}/PKG-INFO")
        member.size = len(info)
        archive.addfile(member, io.BytesIO(info))
    return path


def sdist_with_backend(directory: Path, name: str, version: str, module_body: str) -> Path:
    """An sdist that builds without any download: its PEP 517 backend is in the sdist
    (`backend-path`), needs nothing, and writes a pure wheel holding ``module_body``."""
    dist_info = f"{name}-{version}.dist-info"
    backend = f"""\
import base64, hashlib, os, zipfile

FILES = {{
    "{name}/__init__.py": {module_body!r}.encode(),
    "{dist_info}/METADATA": b"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
    "{dist_info}/WHEEL": b"Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}}


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    filename = "{name}-{version}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as archive:
        for path, data in FILES.items():
            archive.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{{path}},sha256={{digest.decode()}},{{len(data)}}")
        records.append("{dist_info}/RECORD,,")
        archive.writestr("{dist_info}/RECORD", "\\n".join(records) + "\\n")
    return filename
"""
    members = {
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\n'
                          'backend-path = ["."]\n',
        "backend.py": backend,
    }
    path = directory / f"{name}-{version}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for member, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{name}-{version}/{member}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@dataclass
class HtmlIndex:
    """A PEP 503 index with no JSON API: every page is HTML, whatever is asked for."""

    url: str
    files: Mapping[str, Path]
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)

    def asked_by_others_than_uv(self, *projects: str) -> list[tuple[str, str]]:
        pages = {f"/simple/{project}/" for project in projects}
        return [(path, agent) for path, agent in self.requests
                if path in pages and not agent.startswith("uv/")]


class _Handler(PageHandler):
    server: _Server

    def do_GET(self) -> None:
        index = self.server.index
        index.requests.append((self.path, self.headers.get("User-Agent", "")))
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if parts[:1] == ["files"] and len(parts) == 2 and parts[1] in index.files:
            self.send_page(index.files[parts[1]].read_bytes(), "application/octet-stream")
        elif parts[:1] == ["simple"] and len(parts) == 2:
            links = [f'<a href="/files/{name}#sha256={hashlib.sha256(p.read_bytes()).hexdigest()}"'
                     f">{name}</a>" for name, p in sorted(index.files.items())
                     if name.split("-")[0].replace("_", "-") == parts[1]]
            if links:
                page = "<html><body>\n" + "\n".join(links) + "\n</body></html>\n"
                self.send_page(page.encode(), "text/html")
            else:
                self.send_error(404)
        else:
            self.send_error(404)



class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    index: HtmlIndex


@contextlib.contextmanager
def serve_html_index(files: Iterable[Path]) -> Iterator[HtmlIndex]:
    """Serve ``files`` as a PEP 503 index on 127.0.0.1 (its ``/simple`` URL in ``url``)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.index = HtmlIndex(url=f"http://127.0.0.1:{server.server_address[1]}/simple",
                             files={path.name: path for path in files})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.index
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
