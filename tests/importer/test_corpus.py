"""Issue acceptance: real environment files from public research repositories (listed with
repository, path and commit in tests/data/corpus/README.md) go through import -> validate ->
solve (linux-64, the real snapshot channels) with no internal error: each step exits 0, or
2/3/5 with a message that names a spec entry or a channel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hybrid.errors import ExitCode
from tests.conftest import CliResult, RunCli

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.name != "README.md")
MIRRORED = ("conda-forge", "pytorch", "nvidia")
LOCATED = re.compile(r"\S+:\d+:\d+: |channel")

pytestmark = [pytest.mark.snapshot, pytest.mark.network]


@pytest.fixture(autouse=True)
def _no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Direct URLs in the corpus name hosts other than the index (a 2016 tensorflow wheel on
    storage.googleapis.com, GitHub tarballs); where one cannot be reached, uv retries three
    times over ten seconds. The corpus checks what hybrid makes of the outcome, not uv's
    patience; a transport setting, passed through to uv, that changes nothing it resolves."""
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")


def test_the_corpus_is_large_enough_and_documented() -> None:
    assert len(FILES) >= 50
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for path in FILES:
        assert path.name in readme, f"{path.name} is not listed in the corpus README"


def _only_linux_64(spec: Path) -> None:
    """Narrow the imported spec to linux-64, keeping entries that apply there."""
    yaml = YAML()
    data = yaml.load(spec.read_text(encoding="utf-8"))
    data["platforms"] = ["linux-64"]
    conda = []
    for entry in data.get("conda", []):
        if not isinstance(entry, str):
            if "linux-64" not in entry.get("platforms", ["linux-64"]):
                continue
            entry.pop("platforms", None)
            entry = entry["spec"]
        conda.append(entry)
    if "conda" in data:
        data["conda"] = conda
    with spec.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def _entry_names(spec: Path) -> set[str]:
    """The package names of the spec's entries, as a message would quote them."""
    data = YAML(typ="safe").load(spec.read_text(encoding="utf-8")) if spec.is_file() else {}
    texts = [e if isinstance(e, str) else e["spec"] for e in (data or {}).get("conda", [])]
    texts += (data or {}).get("pip", [])
    return {re.split(r"[\s\[<>=!~;@]", t.split("::")[-1], maxsplit=1)[0] for t in texts}


def _sound(result: CliResult, step: str, spec: Path) -> None:
    assert result.exit_code != ExitCode.INTERNAL, f"{step}: internal error\n{result.output}"
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 2, 3, 5), f"{step}: exit {result.exit_code}\n{result.output}"
    if result.exit_code != 0:
        named = LOCATED.search(result.stderr) or any(
            f"`{name}" in result.stderr or f" {name} " in result.stderr
            for name in _entry_names(spec)
        )
        assert named, f"{step}: names no entry or channel\n{result.stderr}"


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.name)
def test_import_validate_solve(
    run_cli: RunCli,
    tmp_path: Path,
    source: Path,
    shared_channels: Path,
    shared_mapping: Path,
) -> None:
    spec = tmp_path / "spec.yaml"
    imported = run_cli("import", source, "-o", spec, "--channel-map", "defaults=conda-forge")
    _sound(imported, "import", spec)
    if imported.exit_code != 0:
        return
    _only_linux_64(spec)
    validated = run_cli("validate", spec, "--pypi-mapping", shared_mapping)
    _sound(validated, "validate", spec)
    if validated.exit_code != 0:
        return
    mirrors = [a for n in MIRRORED for a in ("--mirror", f"{n}={shared_channels / n}")]
    solved = run_cli("solve", spec, *mirrors, "--pypi-mapping", shared_mapping)
    _sound(solved, "solve", spec)
