"""`pip-build`: a package with no wheel is pinned as its sdist only when the spec says so, and
`hybrid install` builds it. No download: the sdist's build backend is inside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import RunCli
from tests.install.conftest import (
    CHANNEL_NAME,
    PY_SHORT,
    SUBDIR,
    interpreter_channel_fixture,  # noqa: F401  (the fixture, registered here too)
    posix_only,
)
from tests.pypi.html_index import sdist_with_backend, serve_html_index

pytestmark = posix_only

SPEC = f"""\
version: 1
name: build-test
channels: [{CHANNEL_NAME}]
platforms: [{SUBDIR}]
python: "{PY_SHORT}"
conda:
  - hybrid-test-conda-hello
pip:
  - buildtool
pip-index:
  index-url: {{index}}
"""


def test_an_sdist_is_pinned_only_with_pip_build_and_install_builds_it(
    run_cli: RunCli, interpreter_channel: Path, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    built = sdist_with_backend(files, "buildtool", "1.0", "BUILT_HERE = True\n")
    mirror = ("--mirror", f"{CHANNEL_NAME}={interpreter_channel}")
    spec = tmp_path / "project" / "spec.yaml"
    spec.parent.mkdir()
    with serve_html_index([built]) as index:
        spec.write_text(SPEC.format(index=index.url), encoding="utf-8")
        refused = run_cli("solve", spec, *mirror)
        assert refused.exit_code == 3, refused.output
        assert "no wheel of `buildtool`" in refused.output
        assert "pip-build: [buildtool]" in refused.output

        spec.write_text(SPEC.format(index=index.url) + "pip-build: [buildtool]\n",
                        encoding="utf-8")
        solved = run_cli("solve", spec, *mirror)
        assert solved.exit_code == 0, solved.output
        lock = (spec.parent / "conda-lock.yml").read_text(encoding="utf-8")
        assert f"/files/{built.name}\n" in lock
        requirements = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
        assert "--only-binary" not in requirements  # the one pin may be built

        prefix = tmp_path / "env"
        installed = run_cli("install", spec, "--prefix", prefix, *mirror)
        assert installed.exit_code == 0, installed.output
    done = subprocess.run([str(prefix / "bin" / "python"), "-I", "-c",
                           "import buildtool; print(buildtool.BUILT_HERE)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
