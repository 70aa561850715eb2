"""`pip: {from: pyproject.toml, extras: [...]}`: the pip layer read from a project's static
PEP 621 metadata, and every problem with it located at the spec's `pip.from`/`pip.extras`."""

from __future__ import annotations

from pathlib import Path

from hybrid.spec import load_spec
from hybrid.spec.fingerprint import input_hash, output_options
from tests.conftest import WriteSpec
from tests.spec.conftest import CheckSpec

HEAD = 'version: 1\nname: lab\nplatforms: [linux-64]\npython: "3.11"\n'
PYPROJECT = """\
[project]
name = "Lab-Tools"
version = "0.1.0"
dependencies = ["requests >=2", "tqdm"]

[project.optional-dependencies]
train = ["wandb", "tqdm >=4.60"]
docs = ["sphinx"]
all = ["lab-tools[train,docs]"]
"""


def _pyproject(spec: Path, text: str = PYPROJECT) -> None:
    (spec.parent / "pyproject.toml").write_text(text, encoding="utf-8")


def test_dependencies_and_extras_in_file_order(write_spec: WriteSpec) -> None:
    spec_path = write_spec(HEAD + "pip: {from: pyproject.toml, extras: [all]}\n")
    _pyproject(spec_path)
    spec = load_spec(spec_path)
    assert [str(p.requirement) for p in spec.pip] == [
        "requests>=2", "tqdm", "sphinx", "wandb", "tqdm>=4.60"
    ]
    assert spec.pip[2].field == "pyproject.toml:project.optional-dependencies.docs[0]"
    assert (spec.pip[0].location.line, spec.pip[0].location.column) == (5, 13)
    assert spec.to_dict()["pip"] == ["requests>=2", "tqdm", "sphinx", "wandb", "tqdm>=4.60"]
    # the spec's bytes alone do not decide freshness: no spec digest in the outputs
    assert spec.source_sha256 == ""


def test_the_input_hash_follows_the_pyproject(write_spec: WriteSpec) -> None:
    options = output_options(hash_kind="md5")
    spec_path = write_spec(HEAD + "pip: {from: pyproject.toml}\n")
    _pyproject(spec_path)
    before = input_hash(load_spec(spec_path), options)
    _pyproject(spec_path, PYPROJECT.replace('"tqdm"]', '"tqdm", "rich"]'))
    assert input_hash(load_spec(spec_path), options) != before


def test_problems_are_located(check_spec: CheckSpec, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    cases = {
        None: "pip.from: pyproject.toml does not exist",
        "[project\n": "pip.from: pyproject.toml is not valid TOML: ",
        "[tool.x]\na = 1\n": "pip.from: pyproject.toml has no `[project]` table (PEP 621)",
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n': "lists `dependencies` as dynamic",
        '[project]\nname = "x"\ndependencies = ["ok", "bad >>"]\n':
            "pyproject.toml project.dependencies[1]: `bad >>` is not a valid PEP 508 requirement",
    }
    for text, message in cases.items():
        if text is None:
            pyproject.unlink(missing_ok=True)
        else:
            pyproject.write_text(text, encoding="utf-8")
        result = check_spec(HEAD + "pip: {from: pyproject.toml}\n")
        assert result.exit_code == 2, (text, result.stderr)
        assert result.has("5:13", message), (text, result.problems)
    pyproject.write_text(PYPROJECT, encoding="utf-8")
    result = check_spec(HEAD + "pip: {from: pyproject.toml, extras: [train, gpu]}\n")
    assert result.problems == [
        "5:45: pip.extras[1]: pyproject.toml has no optional-dependencies `gpu` "
        "(it has: all, docs, train)"
    ]
