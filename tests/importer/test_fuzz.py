"""Whatever a file holds, `lint` and `import` answer with findings or a located error.

lint exits 0 or 1 and import 0 or 2; neither ever reaches the "internal error" boundary.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RunCli

# Pieces of real environment / requirements / explicit files, to reach deep into the readers.
PIECES = [
    "name: lab\n",
    "name: [x]\n",
    "channels:\n",
    "  - conda-forge\n",
    "  - 'pytorch/ '\n",
    "dependencies:\n",
    "  - numpy=1.26.4=py311h64a7726_0\n",
    "  - numpy==1.2\n",
    "  - pytorch::pytorch\n",
    "  - pip\n",
    "  - pip:\n",
    "      - -r other.txt\n",
    "      - -e .\n",
    "      - -e git+https://h/r.git#egg=x\n",
    "      - torch==2.1+cu121\n",
    "      - --extra-index-url https://download.pytorch.org/whl/cu118\n",
    "  - cudatoolkit=11.8\n",
    "  - pytorch-cuda=12.1\n",
    "  - cuda-version 12\n",
    "  - python=3.11\n",
    "  - {a: b}\n",
    "  -\n",
    "\t- tab\n",
    "prefix: C:\\x\n",
    "platforms: [linux-32, win-64]\n",
    "  - x # [aarch64]\n",
    "@EXPLICIT\n",
    "https://conda.anaconda.org/conda-forge/linux-64/numpy-1.0-0.conda#00\n",
    "https://conda.anaconda.org/conda-forge/noarch/pip-1-0.tar.bz2\n",
    "rich==1 --hash=sha256:0\n",
    "a \\\n",
    "--index-url\n",
    "version: 1\n",
    "conda: [numpy]\n",
    "cuda: '12.1'\n",
    "&a [*a]\n",
    "\r\n",
    "# comment\n",
    "- x\n",
    "'\n",
    "pip: [torch]\n",
]
CONTENT = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.lists(st.sampled_from(PIECES), max_size=14).map(lambda parts: "".join(parts).encode()),
)
NAMES = st.sampled_from(
    ["environment.yml", "env.yaml", "requirements.txt", "requirements.in", "conda-lock.txt", "x"]
)
SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(content=CONTENT, name=NAMES)
def test_lint_never_crashes(run_cli: RunCli, content: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        result = run_cli("lint", path)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        assert "internal error" not in result.output


@SETTINGS
@given(content=CONTENT, name=NAMES)
def test_import_never_crashes(run_cli: RunCli, content: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        (Path(tmp) / "other.txt").write_text("rich\n")
        out = Path(tmp) / "out" / "spec.yaml"
        result = run_cli("import", path, "-o", out)
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
        assert "internal error" not in result.output
        if result.exit_code == 0:
            assert run_cli("validate", out).exit_code == 0
