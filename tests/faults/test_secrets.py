"""Secrets never leave: credentialed channels, mirrors and indexes solve and install, and no
secret appears in any written output, on stdout or stderr, in `--json`, in a log line or
in a spec `hybrid import` writes.

One server on 127.0.0.1 serves one real channel (the demo channel plus a tiny package for
install) four ways, each refusing a request without its credentials, so a passing solve
proves the credentials were used:

* `/basic/…`       HTTP basic auth `alice:<BASIC>`
* `/mirror/…`      HTTP basic auth `bob:<MIRROR>`
* `/t/<TOKEN>/tok/…` an anaconda.org-style token path (on `localhost`, so rattler's
  credential file can hold a token for it beside the basic auth for 127.0.0.1)
* `/t/<PIP>/simple/…`, `/t/<PIP>/files/…` a PEP 691 package index behind a token path
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rattler

from hybrid.devtools.demo_channel import build_demo_channel
from hybrid.devtools.local_channel import PackageSpec, build_channel
from tests.conftest import CliResult, RunCli
from tests.install.conftest import WHEEL_NAME, build_wheel
from tests.pages import PageHandler

BASIC = "Bas1cQs3cretZ"
MIRROR = "M1rrorQs3cretZ"
TOKEN = "tk-T0kenQs3cretZ"
PIP = "P1pQt0kenZ"
WRONG = "Wr0ngQpassZ"
SECRETS = (BASIC, MIRROR, TOKEN, PIP, WRONG)
PROBE = "hybrid-secret-probe"
HYBRID = Path(sys.executable).with_name("hybrid")

posix_linux = pytest.mark.skipif(
    str(rattler.Subdir.current()) != "linux-64", reason="installs a linux-64 package"
)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Handler(PageHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        auth = self.headers.get("Authorization")
        self.server.requests.append((path, auth))
        parts = [part for part in path.split("/") if part]
        if parts[:1] == ["basic"]:
            self._channel(parts[1:], auth == _basic("alice", BASIC))
        elif parts[:1] == ["mirror"]:
            self._channel(parts[1:], auth == _basic("bob", MIRROR))
        elif parts[:3] == ["t", TOKEN, "tok"]:
            self._channel(parts[3:], True)
        elif parts[:3] == ["t", PIP, "simple"] and len(parts) == 4:
            self._project(parts[3])
        elif parts[:3] == ["t", PIP, "files"] and len(parts) == 4:
            wheel = self.server.wheels.get(parts[3])
            self.send_page(wheel.read_bytes(), "application/octet-stream") if wheel else self._no()
        else:
            self._no(401)

    def _channel(self, parts: list[str], allowed: bool) -> None:
        if not allowed:
            return self._no(401)
        file = self.server.channel.joinpath(*parts)
        if not parts or ".." in parts or not file.is_file():
            return self._no()
        return self.send_page(file.read_bytes(), "application/octet-stream")

    def _project(self, project: str) -> None:
        files = [
            {"filename": name, "url": f"/t/{PIP}/files/{name}",
             "hashes": {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}}
            for name, path in sorted(self.server.wheels.items())
            if name.split("-")[0].replace("_", "-").lower() == project
        ]
        if not files:
            return self._no()
        body = {"meta": {"api-version": "1.0"}, "name": project, "files": files}
        return self.send_page(json.dumps(body).encode(), "application/vnd.pypi.simple.v1+json")

    def _no(self, code: int = 404) -> None:
        self.send_response(code)
        if code == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="hybrid-test"')
        self.send_header("Content-Length", "0")
        self.end_headers()



class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    channel: Path
    wheels: dict[str, Path]
    requests: list[tuple[str, str | None]]


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    port: int
    requests: list[tuple[str, str | None]]

    def url(self, path: str, *, userinfo: str = "", host: str = "127.0.0.1") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"http://{at}{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("secret-site")
    channel = build_demo_channel(root / "channel")
    build_channel(channel, [PackageSpec(name=PROBE, version="1.0")])
    server = _Server(("127.0.0.1", 0), _Handler)
    server.channel = channel
    wheel = build_wheel(root / "wheels")
    server.wheels = {wheel.name: wheel}
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(port=server.server_address[1], requests=server.requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh cache per test: every solve reads the server (with its credentials), every
    install downloads; no proxy between hybrid and 127.0.0.1."""
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("RATTLER_AUTH_FILE", raising=False)


def _spec(folder: Path, channel: str, *, conda: str = PROBE, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "spec.yaml"
    spec.write_text(
        f"version: 1\nname: secrets\nchannels: ['{channel}']\nplatforms: [linux-64]\n"
        f"conda:\n  - {conda}\n{extra}",
        encoding="utf-8",
    )
    return spec


def _assert_clean(*texts: str, outputs: Path | None = None) -> None:
    """No secret (nor a user-info of the test's users) in the texts or any file under
    `outputs`."""
    found = [(f"text {i}", s) for i, text in enumerate(texts) for s in SECRETS if s in text]
    found += [(f"text {i}", who) for i, text in enumerate(texts)
              for who in ("alice:", "bob:") if who in text]
    for path in sorted(outputs.rglob("*")) if outputs is not None else ():
        if path.is_file():
            data = path.read_bytes()
            found += [(str(path), s) for s in SECRETS if s.encode() in data]
            found += [(str(path), who) for who in ("alice:", "bob:") if who.encode() in data]
    assert not found, found


def _clean_result(result: CliResult, outputs: Path | None = None) -> None:
    _assert_clean(result.stdout, result.stderr, outputs=outputs)


def _explicit(out: Path) -> list[str]:
    lines = (out / "conda-linux-64.lock").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("http")]


# --- solve ------------------------------------------------------------------------------


def test_a_basic_auth_channel_solves_and_no_output_names_its_password(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{BASIC}"))
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out, "--json")
    assert result.exit_code == 0, result.output
    _clean_result(result, out)
    [line] = _explicit(out)
    assert line.startswith(f"{site.url('/basic')}/noarch/{PROBE}-1.0-0.tar.bz2#")
    assert f"- {site.url('/basic')}" in (out / "environment.yml").read_text(encoding="utf-8")
    document = json.loads(result.stdout)
    assert site.url("/basic") in json.dumps(document)
    assert ("/basic/noarch/repodata.json", _basic("alice", BASIC)) in site.requests


def test_a_token_path_channel_solves_and_outputs_name_its_public_url(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    channel = site.url(f"/t/{TOKEN}/tok", host="localhost")
    spec = _spec(tmp_path / "spec", channel, conda=f"'{channel}::{PROBE}'")
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out, "--json")
    assert result.exit_code == 0, result.output
    _clean_result(result, out)
    public = site.url("/tok", host="localhost")
    assert _explicit(out)[0].startswith(f"{public}/noarch/{PROBE}-1.0-0.tar.bz2#")
    environment = (out / "environment.yml").read_text(encoding="utf-8")
    assert f"{public}::{PROBE}" in environment
    assert public in (out / "conda-lock.yml").read_text(encoding="utf-8")


def test_a_credentialed_mirror_reads_the_channel_and_outputs_keep_canonical_urls(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec = _spec(tmp_path / "spec", "secret-lab")
    out = tmp_path / "out"
    mirror = f"secret-lab={site.url('/mirror', userinfo=f'bob:{MIRROR}')}"
    result = run_cli("solve", spec, "-o", out, "--mirror", mirror, "--json")
    assert result.exit_code == 0, result.output
    _clean_result(result, out)
    assert _explicit(out)[0].startswith(
        f"https://conda.anaconda.org/secret-lab/noarch/{PROBE}-1.0-0.tar.bz2#"
    )
    assert ("/mirror/noarch/repodata.json", _basic("bob", MIRROR)) in site.requests


def test_a_pip_index_behind_a_token_path_compiles_and_outputs_name_no_token(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    index = site.url(f"/t/{PIP}/simple")
    extra = f"python: '3.11'\npip:\n  - {WHEEL_NAME}\npip-index: {{index-url: '{index}'}}\n"
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{BASIC}"),
                 conda="numpy", extra=extra)
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out, "--json")
    assert result.exit_code == 0, result.output
    _clean_result(result, out)
    requirements = (out / "requirements.txt").read_text(encoding="utf-8")
    assert f"--index-url {site.url('/simple')}" in requirements
    assert f"{WHEEL_NAME}==1.0.0" in requirements
    assert site.url("/files/") in (out / "conda-lock.yml").read_text(encoding="utf-8")
    assert site.url("/files/") in (out / "pylock.toml").read_text(encoding="utf-8")


def test_the_console_script_logs_nothing_secret_with_vv(site: Site, tmp_path: Path) -> None:
    """The real process: logging at DEBUG, every message on the real stderr."""
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{BASIC}"))
    out = tmp_path / "out"
    done = subprocess.run(
        [str(HYBRID), "-vv", "solve", str(spec), "-o", str(out)],
        capture_output=True, text=True, check=False, env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG" in done.stderr or "INFO" in done.stderr
    _assert_clean(done.stdout, done.stderr, outputs=out)


def test_a_solve_reads_rattlers_credential_file(
    run_cli: RunCli, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps(
        {"127.0.0.1": {"BasicHTTP": {"username": "alice", "password": BASIC}}}
    ), encoding="utf-8")
    monkeypatch.setenv("RATTLER_AUTH_FILE", str(auth))
    spec = _spec(tmp_path / "spec", site.url("/basic"))
    result = run_cli("solve", spec, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output


# --- failures ---------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True])
def test_a_refused_password_is_an_error_that_names_no_password(
    run_cli: RunCli, site: Site, tmp_path: Path, as_json: bool
) -> None:
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{WRONG}"))
    result = run_cli("solve", spec, "-o", tmp_path / "out", *(["--json"] if as_json else []))
    assert result.exit_code == 5, result.output
    assert site.url("/basic") in result.stderr
    _clean_result(result, tmp_path / "out")
    if as_json:
        assert json.loads(result.stdout)["error"]["kind"] == "backend"


def test_a_refused_token_is_an_error_that_names_no_token(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec = _spec(tmp_path / "spec", site.url(f"/t/{WRONG}/tok"))
    result = run_cli("solve", spec, "-o", tmp_path / "out", "-v")
    assert result.exit_code == 5, result.output
    _clean_result(result, tmp_path / "out")


def test_the_offline_message_names_no_credentials(
    site: Site, tmp_path: Path
) -> None:
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{BASIC}"))
    mirror = f"{site.url('/basic')}={site.url('/mirror', userinfo=f'bob:{MIRROR}')}"
    out = tmp_path / "out"
    done = subprocess.run(
        [str(HYBRID), "solve", str(spec), "-o", str(out), "--offline", "--mirror", mirror,
         "--json", "-v"],
        capture_output=True, text=True, check=False, env=os.environ.copy(),
    )
    assert done.returncode == 5, done.stderr
    assert "offline" in done.stderr
    assert json.loads(done.stdout)["error"]["kind"] == "backend"
    _assert_clean(done.stdout, done.stderr, outputs=out)


def test_a_missing_mirror_directory_message_names_no_credentials(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec = _spec(tmp_path / "spec", site.url("/basic", userinfo=f"alice:{BASIC}"))
    mirror = f"{site.url('/basic')}={tmp_path / 'nowhere'}"
    result = run_cli("solve", spec, "-o", tmp_path / "out", "--mirror", mirror, "--json")
    assert result.exit_code == 5, result.output
    _clean_result(result, tmp_path / "out")


def test_a_usage_error_quoting_a_credentialed_argument_names_no_secret(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli("solve", tmp_path / "spec.yaml", "--hash",
                     f"https://alice:{BASIC}@127.0.0.1/x", "--json")
    assert result.exit_code == 2, result.output
    assert "--hash" in result.stderr
    _clean_result(result)


# --- install ----------------------------------------------------------------------------


def _solved(run_cli: RunCli, folder: Path, channel: str) -> tuple[Path, Path]:
    """A spec for the probe package read from `channel`, solved into `folder/out`."""
    spec, out = _spec(folder, channel), folder / "out"
    result = run_cli("solve", spec, "-o", out)
    assert result.exit_code == 0, result.output
    return spec, out


@posix_linux
def test_install_authenticates_from_rattlers_credential_file(
    run_cli: RunCli, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock names no credentials; install reads them from RATTLER_AUTH_FILE (basic auth
    for 127.0.0.1, the token for localhost), as rattler's own tools do."""
    solved = [
        _solved(run_cli, tmp_path / "basic", site.url("/basic", userinfo=f"alice:{BASIC}")),
        _solved(run_cli, tmp_path / "token", site.url(f"/t/{TOKEN}/tok", host="localhost")),
    ]
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({
        "127.0.0.1": {"BasicHTTP": {"username": "alice", "password": BASIC}},
        "localhost": {"CondaToken": TOKEN},
    }), encoding="utf-8")
    monkeypatch.setenv("RATTLER_AUTH_FILE", str(auth))
    for spec, out in solved:
        prefix = spec.parent / "env"
        monkeypatch.setenv("HYBRID_CACHE_DIR", str(spec.parent / "cache"))  # download each
        result = run_cli("install", spec, "-o", out, "-p", prefix, "--no-verify")
        assert result.exit_code == 0, result.output
        _clean_result(result, out)
        _clean_result(result, prefix)
        assert (prefix / "conda-meta").is_dir()
    assert (f"/basic/noarch/{PROBE}-1.0-0.tar.bz2", _basic("alice", BASIC)) in site.requests
    assert (f"/t/{TOKEN}/tok/noarch/{PROBE}-1.0-0.tar.bz2", None) in site.requests


@posix_linux
def test_install_through_a_credentialed_mirror_and_its_refusal_name_no_secret(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec, out = _solved(run_cli, tmp_path, site.url("/basic", userinfo=f"alice:{BASIC}"))
    prefix = tmp_path / "env"
    for password, code in ((WRONG, 5), (MIRROR, 0)):
        mirror = f"{site.url('/basic')}={site.url('/mirror', userinfo=f'bob:{password}')}"
        result = run_cli("install", spec, "-o", out, "-p", prefix, "--no-verify",
                         "--mirror", mirror, "-v")
        assert result.exit_code == code, result.output
        _clean_result(result, out)
        if prefix.exists():
            _assert_clean(outputs=prefix)
    assert (f"/mirror/noarch/{PROBE}-1.0-0.tar.bz2", _basic("bob", MIRROR)) in site.requests


@posix_linux
def test_install_without_credentials_fails_naming_the_public_url(
    run_cli: RunCli, site: Site, tmp_path: Path
) -> None:
    spec, out = _solved(run_cli, tmp_path, site.url("/basic", userinfo=f"alice:{BASIC}"))
    result = run_cli("install", spec, "-o", out, "-p", tmp_path / "env", "--no-verify")
    assert result.exit_code == 5, result.output
    assert f"cannot download {site.url('/basic')}/noarch/{PROBE}" in result.stderr
    _clean_result(result)


# --- import and lint ---------------------------------------------------------------------

ENVIRONMENT = f"""\
name: private
channels:
  - https://alice:{BASIC}@conda.example.org/conda-forge
  - https://conda.example.org/t/{TOKEN}/bioconda
  - nodefaults
dependencies:
  - python=3.11
  - numpy
  - https://alice:{BASIC}@conda.example.org/conda-forge::scipy
  - pip
  - pip:
      - --index-url https://bob:{MIRROR}@pypi.example.org/simple
      - --extra-index-url https://pypi.example.org/t/{PIP}/simple
      - requests
      - demo @ https://bob:{MIRROR}@files.example.org/demo-1.0.tar.gz
"""

REQUIREMENTS = f"""\
-i https://pypi.example.org/t/{PIP}/simple
--extra-index-url https://alice:{BASIC}@extra.example.org/simple
--find-links https://files.example.org/wheels?token={WRONG}
rich
"""


def test_import_strips_credentials_with_a_note_and_the_spec_validates(
    run_cli: RunCli, tmp_path: Path
) -> None:
    environment = tmp_path / "environment.yml"
    environment.write_text(ENVIRONMENT, encoding="utf-8")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(REQUIREMENTS, encoding="utf-8")
    out = tmp_path / "imported" / "spec.yaml"
    out.parent.mkdir()
    result = run_cli("import", environment, requirements, "-o", out)
    assert result.exit_code == 0, result.output
    _clean_result(result, out.parent)
    spec = out.read_text(encoding="utf-8")
    for public in ("https://conda.example.org/conda-forge", "https://conda.example.org/bioconda",
                   "https://conda.example.org/conda-forge::scipy",
                   "https://pypi.example.org/simple", "https://extra.example.org/simple",
                   "https://files.example.org/wheels",
                   "demo @ https://files.example.org/demo-1.0.tar.gz"):
        assert public in spec, public
    assert result.stdout.count("credentials removed, never copied into a spec") == 9, result.stdout
    assert run_cli("validate", out, "--offline").exit_code == 0


def test_lint_names_no_credentials(run_cli: RunCli, tmp_path: Path) -> None:
    environment = tmp_path / "environment.yml"
    environment.write_text(ENVIRONMENT, encoding="utf-8")
    for output in ("text", "json"):
        result = run_cli("lint", environment, "--format", output)
        assert result.exit_code in (0, 1), result.output
        _clean_result(result)
